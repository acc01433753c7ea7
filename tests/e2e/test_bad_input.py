"""Bad input through the console door: a clear reply in the user's language, nothing written."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from bot.app import App
from handlers.i18n import Translator
from tests.e2e.session import (
    Snapshot,
    assert_in_order,
    changed_tables,
    chat,
    distinctive,
    leaked_keys,
    ref_in,
    row_counts,
    snapshot,
)
from tests.support import say

LANGUAGES = {"en": "en", "zh": "zh_Hans_CN"}
TZ = "Asia/Shanghai"  # the time zone of the fixture's users
SQL_LEAD = "x'; DROP TABLE leads; --"


@dataclass(frozen=True)
class World:
    """Records the bad input refers to, and the translator of the users' language."""

    language: str
    t: Translator
    lead: str  # an open lead of rep's
    deal: str  # rep's deal
    quote: str  # rep's quote waiting for approval
    foreign_deal: str  # a deal of another team's rep


@pytest.fixture(params=list(LANGUAGES))
def world(request: pytest.FixtureRequest, app: App) -> World:
    language: str = request.param
    foreign = say(app, "other", "/qualify " + ref_in(say(app, "other", "/lead Westwind").text,
                                                        "L") + " amount=10k").text
    deal_text = say(app, "rep", "/qualify " + ref_in(say(app, "rep", "/lead Acme").text, "L")
                    + " amount=50k").text
    deal = ref_in(deal_text, "D")
    quote = ref_in(say(app, "rep", f"/quote {deal} 1 x Server @ 100 discount=20").text, "Q")
    lead = ref_in(say(app, "rep", "/lead Beta Ltd").text, "L")
    for username in ("rep", "mgr", "other"):
        assert say(app, username, f"/lang {language}").ok
    return World(language, Translator(LANGUAGES[language], TZ), lead, deal, quote,
                 ref_in(foreign, "D"))


def _fill(template: str, world: World) -> str:
    return template.format(lead=world.lead, deal=world.deal, quote=world.quote,
                           foreign_deal=world.foreign_deal)


@dataclass(frozen=True)
class BadInput:
    """A line `user` sends, the message key of the refusal, and what it must quote back."""

    name: str
    user: str
    line: str  # may name the world's records: {lead}, {deal}, {quote}, {foreign_deal}
    key: str
    echo: str | None = None  # the part of the line the reply must quote back
    also: tuple[str, ...] = ()  # keys whose text (in the user's language) the reply shows

    def text(self, world: World) -> str:
        return _fill(self.line, world)


BAD_INPUTS = [
    BadInput("unknown_command", "rep", "/frobnicate now", "error.unknown_command", "frobnicate"),
    BadInput("unknown_reference", "rep", "/deal D-999", "ref.not_found", "D-999"),
    BadInput("foreign_reference", "rep", "/deal {foreign_deal}", "access.not_yours",
             "{foreign_deal}"),
    BadInput("activity_on_foreign_reference", "rep", "/log {foreign_deal} call hi next=fri",
             "access.not_yours", "{foreign_deal}"),
    BadInput("wrong_kind_of_reference", "rep", "/qualify {deal}", "ref.wrong_kind", "{deal}"),
    # "12abc" reads as 12 in a currency called ABC, which does not exist.
    BadInput("amount_with_letters", "rep", "/qualify {lead} amount=12abc",
             "money.unknown_currency", "ABC"),
    BadInput("malformed_amount", "rep", "/qualify {lead} amount=12.3.4", "parse.amount",
             "12.3.4"),
    BadInput("malformed_date", "rep", "/qualify {lead} close=31-31", "parse.date", "31-31"),
    BadInput("negative_quantity", "rep", "/quote {deal} -2 x Server @ 100", "parse.quantity",
             "-2"),
    BadInput("ten_kilobyte_message", "rep", "/lead " + "A" * 10_240, "parse.too_long"),
    BadInput("sql_in_a_reference", "rep", "/deal 1 OR 1=1", "ref.no_match", "1 OR 1=1"),
    BadInput("approve_by_a_rep", "rep", "/approve {quote}", "access.role",
             also=("role.rep", "role.manager")),
    BadInput("invite_by_a_manager", "mgr", "/invite Zed role=rep", "access.role",
             also=("role.manager", "role.admin")),
    BadInput("unknown_option", "rep", "/lead Acme colour=red", "parse.unknown_option", "colour",
             also=("help.lead.usage",)),
    BadInput("snooze_with_only_options", "rep", "/snooze page=2", "reminder.need_ref"),
    BadInput("unterminated_quote", "rep", '/lead "Acme Ltd contact=Li', "parse.quote",
             "Acme Ltd"),
]


def _assert_unchanged(before: Snapshot, after: Snapshot) -> None:
    changed = changed_tables(before, after)
    assert not changed, f"rows written (table: before, after): {changed}; " \
                        f"counts before {row_counts(before)}"


def _assert_explains(reply_text: str, case: BadInput, world: World) -> None:
    t = world.t
    if world.language == "zh":
        english = Translator("en", TZ)
        assert t(case.key) != english(case.key), f"{case.key} has no Chinese text"
    assert distinctive(t, case.key) in reply_text
    if case.echo:
        assert _fill(case.echo, world) in reply_text
    for key in case.also:
        assert t(key).splitlines()[0] in reply_text
    assert not leaked_keys(reply_text), reply_text


def test_bad_input_is_refused_in_the_users_language_and_writes_nothing(
    app: App, world: World, subtests: pytest.Subtests
) -> None:
    # One world for all cases (they write nothing, so each leaves it as it found it).
    for case in BAD_INPUTS:
        with subtests.test(case.name):
            before = snapshot(app)
            reply = say(app, case.user, case.text(world))
            after = snapshot(app)
            assert not reply.ok, reply.text
            _assert_explains(reply.text, case, world)
            _assert_unchanged(before, after)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_unregistered_user_is_told_so_in_their_language_and_nothing_is_written(
    app: App, language: str
) -> None:
    t = Translator(LANGUAGES[language], TZ)
    before = snapshot(app)
    reply = say(app, "stranger", "/lead Acme", language_hint=language)
    assert not reply.ok
    assert distinctive(t, "error.not_registered") in reply.text
    _assert_unchanged(before, snapshot(app))


def test_unregistered_console_user_is_refused_in_the_company_language(app: App) -> None:
    t = Translator(app.settings.locale, app.settings.timezone)
    before = snapshot(app)
    text, refused = chat(app, "stranger", "/lead Acme", "/help")
    assert refused == 2
    assert text.count(distinctive(t, "error.not_registered")) == 2
    _assert_unchanged(before, snapshot(app))


def test_console_keeps_answering_after_every_kind_of_bad_input(app: App, world: World) -> None:
    mine = [case for case in BAD_INPUTS if case.user == "rep"]
    before = snapshot(app)
    text, refused = chat(app, "rep", *[case.text(world) for case in mine], "/lead Gamma Trading")
    after = snapshot(app)
    assert refused == len(mine), text
    t = world.t
    assert_in_order(text, [distinctive(t, case.key) for case in mine]
                    + [distinctive(t, "lead.created"), "Gamma Trading"])
    # Only the last, good command wrote: one lead, its search terms and its audit rows.
    assert set(changed_tables(before, after)) == {"leads", "search_terms", "audit_log"}
    assert len(after["leads"]) == len(before["leads"]) + 1
    with app.uow() as uow:
        last_lead = re.findall(r"\bL-(\d+)\b", text)[-1]
        created = uow.leads.get(int(last_lead))
        assert created is not None and created.company == "Gamma Trading"


def test_sql_like_company_name_is_stored_literally_and_leads_still_work(
    app: App, world: World
) -> None:
    before = snapshot(app)
    reply = say(app, "rep", f"/lead {SQL_LEAD}")
    assert reply.ok, reply.text
    assert distinctive(world.t, "lead.created") in reply.text and SQL_LEAD in reply.text
    lead = ref_in(reply.text, "L")
    with app.uow() as uow:
        stored = uow.leads.get(int(lead[2:]))
        assert stored is not None and stored.company == SQL_LEAD
    assert len(snapshot(app)["leads"]) == len(before["leads"]) + 1

    listing = say(app, "rep", "/leads mine")
    assert listing.ok and f"{lead} {SQL_LEAD}" in listing.text
    assert say(app, "rep", "/lead Delta Ltd").ok
    assert len(snapshot(app)["leads"]) == len(before["leads"]) + 2
