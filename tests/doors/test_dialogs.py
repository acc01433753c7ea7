"""Multi-step dialogs through the real dispatcher and database, on any door."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.delivery import Deliverer
from bot.jobs import Jobs
from handlers.dialogs import DIALOGS
from handlers.i18n import Translator
from handlers.incoming import Incoming
from handlers.reply import Reply
from storage.tables import leads, quote_lines, quotes
from storage.tables_doors import dialog_states
from tests.doors.conftest import link
from tests.support import FakeClock, say


@pytest.fixture(autouse=True)
def accounts(app: App) -> None:
    link(app, "rep", "telegram", "1001")
    link(app, "mgr", "telegram", "2002")


def tg(app: App, text: str, *, user: str = "1001", chat: str = "1001") -> Reply:
    """A Telegram message from `user` in `chat`."""
    return app.dispatcher.handle(Incoming(platform="telegram", user_id=user, chat_id=chat,
                                          text=text))


def _leads(app: App) -> list[tuple[str, str | None, str | None]]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(leads.c.company, leads.c.contact, leads.c.source)
                            .order_by(leads.c.id))
        return [tuple(r) for r in rows]


def _open_dialogs(app: App) -> int:
    with app.engine.connect() as conn:
        return len(conn.execute(select(dialog_states.c.name)).all())


def test_lead_without_arguments_asks_company_contact_and_source_in_turn(app: App) -> None:
    first = tg(app, "/lead")
    assert first.asks and "company's name" in first.text
    assert [[b.command for b in row] for row in first.buttons] == [["/cancel"]]
    second = tg(app, "Harbour Foods")
    assert "contact person at Harbour Foods" in second.text
    assert [b.command for b in second.buttons[-1]] == ["-", "/cancel"]
    third = tg(app, "Ms Chen")
    assert "Where did the lead come from" in third.text
    assert [b.command for b in third.buttons[0]] == ["website", "referral", "event"]
    done = tg(app, "referral")
    assert done.ok and done.text.startswith("Lead L-1 saved: Harbour Foods")
    assert _leads(app) == [("Harbour Foods", "Ms Chen", "referral")]
    assert _open_dialogs(app) == 0


def test_optional_questions_can_be_skipped(app: App) -> None:
    tg(app, "/lead")
    tg(app, 'Lucky "Star" Trading')
    tg(app, "-")
    assert tg(app, "-").ok
    assert _leads(app) == [('Lucky "Star" Trading', None, None)]


def test_a_wrong_answer_is_explained_and_the_same_question_asked_again(app: App) -> None:
    tg(app, "/lead")
    tg(app, "Acme")
    tg(app, "-")
    wrong = tg(app, "carrier pigeon")
    assert not wrong.ok and wrong.asks
    assert "carrier pigeon" in wrong.text and "Where did the lead come from" in wrong.text
    assert _leads(app) == []
    assert tg(app, "event").ok
    assert _leads(app) == [("Acme", None, "event")]


@pytest.mark.parametrize("step", [0, 1, 2])
def test_cancel_at_any_step_stops_and_saves_nothing(app: App, step: int) -> None:
    tg(app, "/lead")
    for answer in ["Acme", "Ms Chen"][:step]:
        tg(app, answer)
    assert tg(app, "/cancel").text == "Stopped. Nothing was saved."
    assert _leads(app) == [] and _open_dialogs(app) == 0
    after = tg(app, "Acme")
    assert not after.ok and "Commands start with a slash" in after.text


def test_cancel_without_a_dialog_says_so(app: App) -> None:
    assert tg(app, "/cancel").text == "There is nothing to cancel."


def test_another_command_sets_the_open_dialog_aside(app: App) -> None:
    tg(app, "/lead")
    direct = tg(app, "/lead Direct Co")
    assert direct.ok and "/lead draft is set aside" in direct.text
    assert ["/resume"] in [[b.command for b in row] for row in direct.buttons]
    waiting = tg(app, "Harbour Foods")  # not an answer while the draft is set aside
    assert not waiting.ok and "/resume" in waiting.text
    assert _leads(app) == [("Direct Co", None, None)]
    assert _open_dialogs(app) == 1


def test_a_dialog_belongs_to_one_person_in_one_chat(app: App) -> None:
    tg(app, "/lead", chat="-100500")
    assert not tg(app, "Private answer", chat="1001").ok
    assert not tg(app, "Someone else's answer", user="2002", chat="-100500").ok
    assert "contact person at Group Answer" in tg(app, "Group Answer", chat="-100500").text


def test_the_dialog_continues_on_another_instance_after_a_restart(
        app: App, clock: FakeClock) -> None:
    tg(app, "/lead")
    tg(app, "Harbour Foods")
    app.close()
    restarted = build_app(app.settings, app.runtime, clock, run_migrations=False)
    try:
        tg(restarted, "Ms Chen")
        assert tg(restarted, "website").ok
        assert _leads(restarted) == [("Harbour Foods", "Ms Chen", "website")]
    finally:
        restarted.close()


def test_a_dialog_left_alone_for_long_is_forgotten(app: App, clock: FakeClock) -> None:
    tg(app, "/lead")
    clock.advance(hours=2)
    assert not tg(app, "Harbour Foods").ok  # not taken as the company's name
    assert _leads(app) == []
    Jobs(app, Deliverer(app.engine, app.settings, [], clock)).tick(clock())
    assert _open_dialogs(app) == 0  # the hourly pass clears it away


def test_quote_without_lines_asks_for_them_and_reads_several_lines(app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    question = tg(app, "/quote D-1 discount=5")
    assert "Quote lines for D-1" in question.text
    done = tg(app, "10 x Cloud Server @ 5,000\n2 x Installation @ 1k")
    assert done.ok and "Q-1" in done.text
    with app.engine.connect() as conn:
        items = conn.execute(select(quote_lines.c.item).order_by(quote_lines.c.position))
        assert list(items.scalars()) == ["Cloud Server", "Installation"]
        assert conn.execute(select(quotes.c.discount_pct)).scalar_one() == 5


def test_quote_alone_asks_the_deal_then_the_lines(app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    assert "Which deal" in tg(app, "/quote").text
    unknown = tg(app, "D-77x")
    assert not unknown.ok and "Which deal" in unknown.text
    assert "Quote lines for D-1" in tg(app, "D-1").text
    bad = tg(app, "ten servers")
    assert not bad.ok and "Quote lines for D-1" in bad.text
    assert tg(app, "3 x Router @ 800 discount=10").ok
    with app.engine.connect() as conn:
        assert conn.execute(select(quotes.c.discount_pct)).scalar_one() == 10


def test_showing_a_quote_starts_no_dialog(app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    say(app, "rep", "/quote D-1 1 x Router @ 800")
    shown = tg(app, "/quote Q-1")
    assert shown.ok and not shown.asks and "Q-1" in shown.text
    assert _open_dialogs(app) == 0


def test_a_role_that_may_not_draft_quotes_gets_no_dialog(app: App) -> None:
    link(app, "fin", "telegram", "3003")
    refused = tg(app, "/quote", user="3003", chat="3003")
    assert not refused.ok and not refused.asks
    assert _open_dialogs(app) == 0


def test_lost_without_a_reason_asks_for_it(app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    assert "Why was deal D-1 lost" in tg(app, "/lost D-1").text
    assert "closed as lost: budget cut" in tg(app, "budget cut").text


def test_disqualify_without_a_reason_asks_for_it(app: App) -> None:
    say(app, "rep", "/lead Acme")
    assert "Why is lead L-1 closed" in tg(app, "/disqualify L-1").text
    assert tg(app, "student project, no budget").ok
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.reason)).scalar_one() == "student project, no budget"


def test_dialogs_speak_the_users_language(app: App) -> None:
    tg(app, "/lang zh")
    assert "公司名称" in tg(app, "/lead").text


def test_every_dialog_question_is_written_in_both_languages() -> None:
    for language in ("en", "zh"):
        t = Translator(language)
        for dialog in DIALOGS.values():
            for step in dialog.steps:
                key = step.prompt_key(dialog.name)
                assert t(key) != key, f"{key} has no {language} text"
    assert Translator("zh")("dialog.lead.company") != Translator("en")("dialog.lead.company")
