"""One person, several chat accounts: invites, link codes and who is who."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.app import App
from handlers.incoming import Incoming
from handlers.reply import Reply
from storage.tables import identities, leads, users
from tests.support import FakeClock, say


def chat(app: App, platform: str, user: str, text: str, delivery: str | None = None) -> Reply:
    return app.dispatcher.handle(Incoming(platform=platform, user_id=user, chat_id=user,
                                          text=text, delivery_id=delivery, language_hint="en"))


def _code(reply: Reply) -> str:
    found = re.search(r"code:? ([0-9A-F]{8,10})", reply.text)
    assert found is not None, reply.text
    return found.group(1)


def _accounts(app: App, username: str) -> list[tuple[str, str]]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(identities.c.platform, identities.c.external_id)
                            .join(users, users.c.id == identities.c.user_id)
                            .where(users.c.username == username).order_by(identities.c.id))
        return [tuple(r) for r in rows]


def test_one_person_links_telegram_and_slack_as_the_same_user(app: App) -> None:
    invite = _code(say(app, "boss", "/invite Zhang Wei role=rep team=east"))
    welcome = chat(app, "telegram", "5005", f"/start {invite}")
    assert welcome.ok and "Zhang Wei" in welcome.text
    made = chat(app, "telegram", "5005", "/linkcode")
    assert made.private and "/ltc link" in made.text
    linked = chat(app, "slack", "U5ZHANG", f"/link {_code(made)}")
    assert linked.ok and "Zhang Wei" in linked.text
    assert _accounts(app, "zhangwei") == [("telegram", "5005"), ("slack", "U5ZHANG")]
    assert chat(app, "slack", "U5ZHANG", "/lead Shared Co").ok
    assert "Shared Co" in chat(app, "telegram", "5005", "/leads mine").text


def test_the_first_admin_at_the_console_links_a_chat_account(app: App) -> None:
    code = _code(say(app, "boss", "/linkcode"))
    assert chat(app, "telegram", "7007", f"/start {code}").ok
    assert _accounts(app, "boss") == [("telegram", "7007")]
    assert chat(app, "telegram", "7007", "/users").ok


def test_a_link_code_works_once(app: App) -> None:
    code = _code(say(app, "rep", "/linkcode"))
    assert chat(app, "telegram", "1111", f"/start {code}").ok
    again = chat(app, "slack", "U2222", f"/link {code}")
    assert not again.ok and "already been used" in again.text
    assert _accounts(app, "rep") == [("telegram", "1111")]


def test_a_link_code_expires(app: App, clock: FakeClock) -> None:
    code = _code(say(app, "rep", "/linkcode"))
    clock.advance(minutes=16)
    late = chat(app, "telegram", "1111", f"/start {code}")
    assert not late.ok and "expired" in late.text
    assert _accounts(app, "rep") == []


def test_an_unknown_code_links_nothing(app: App) -> None:
    refused = chat(app, "telegram", "1111", "/start NOPE1234")
    assert not refused.ok and "not valid" in refused.text
    with app.engine.connect() as conn:
        assert conn.execute(select(identities.c.id)).first() is None


def test_an_unlinked_account_gets_only_the_not_registered_answer(app: App) -> None:
    refused = chat(app, "telegram", "1111", "/lead Sneaky Co")
    assert not refused.ok and "not registered" in refused.text
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.id)).first() is None


def test_a_repeated_start_delivery_is_answered_once(app: App) -> None:
    invite = _code(say(app, "boss", "/invite Li Na role=rep"))
    assert chat(app, "telegram", "6006", f"/start {invite}", delivery="u-1").ok
    assert chat(app, "telegram", "6006", f"/start {invite}", delivery="u-1").silent
