"""The customer's door through the real Telegram and Slack doors: a contact invited by the
rep links with /start, reads its status, gets its documents as files, is asked how likely
it is to recommend us after the last delivery and answers with a button and a comment."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.app import App
from bot.delivery import Deliverer
from storage.tables import users
from storage.tables_products import surveys
from tests.doors.conftest import TelegramHarness, link
from tests.doors.slack_fake import SlackApi
from tests.doors.telegram_fake import message, press, user
from tests.doors.test_slack import REP as SLACK_REP
from tests.doors.test_slack import SlackHarness, _harness
from tests.support import FakeClock, say

LI = user(8008, "Li")


def _order(app: App) -> None:
    for who, text in [("mgr", "/product add SRV-1 Cloud Server 1,000 stock=10"),
                      ("rep", "/lead Acme contact=Li phone=13800000000"),
                      ("rep", "/qualify L-1"), ("rep", "/quote D-1 4 x SRV-1"),
                      ("rep", "/accept Q-1 plan=net30"), ("fin", "/deliver O-1 1 x SRV-1"),
                      ("fin", "/invoice O-1")]:
        assert say(app, who, text).ok, text


def _linked_contact(app: App, telegram: TelegramHarness) -> None:
    invited = say(app, "rep", "/invite-customer C-1")
    assert invited.ok and invited.private, invited.text
    code = re.search(r"code ([0-9A-F]{8})", invited.text)
    assert code is not None
    telegram.feed(message(1, LI, f"/start {code.group(1)}"))
    assert "customer" in telegram.sent()[-1]["text"]
    with app.engine.connect() as conn:
        assert conn.execute(select(users.c.role, users.c.customer_id)
                            .where(users.c.display_name == "Li")).one() == ("customer", 1)


def test_an_invited_contact_sees_its_status_and_gets_a_pdf(app: App,
                                                          telegram: TelegramHarness) -> None:
    _order(app)
    _linked_contact(app, telegram)
    telegram.feed(message(2, LI, "/status"))
    status = telegram.sent()[-1]
    assert "O-1 signed" in status["text"] and "delivered 1 of 4" in status["text"]
    assert "INV-2026-0001 (O-1)" in status["text"] and "outstanding" in status["text"]
    telegram.feed(press(3, LI, "/pdf INV-2026-0001"))
    (document,) = telegram.api.of("sendDocument")
    ((name, data, mime),) = document["_files"].values()
    assert (name, mime) == ("INV-2026-0001.pdf", "application/pdf")
    assert data.startswith(b"%PDF")
    telegram.feed(message(4, LI, "/deals"))
    assert "/status" in telegram.sent()[-1]["text"]
    telegram.feed(message(5, LI, "/customer A-1"))
    assert "Acme" not in telegram.sent()[-1]["text"]


def test_the_last_delivery_asks_the_contact_who_answers_with_a_button_and_a_comment(
        app: App, telegram: TelegramHarness, clock: FakeClock) -> None:
    _order(app)
    _linked_contact(app, telegram)
    link(app, "rep", "telegram", "1001")
    assert say(app, "fin", "/deliver O-1 all").ok
    Deliverer(app.engine, app.settings, [telegram.door], clock).run_once()
    asked = next(s for s in telegram.sent() if "recommend" in s["text"])
    assert asked["chat_id"] == "8008"
    buttons = [b["callback_data"] for row in asked["reply_markup"]["inline_keyboard"]
               for b in row]
    assert buttons == [f"/nps O-1 {n}" for n in range(11)]
    telegram.feed(press(6, LI, "/nps O-1 3"))
    telegram.feed(message(7, LI, "The delivery came a week late"))
    assert "comment is saved" in telegram.sent()[-1]["text"]
    with app.engine.connect() as conn:
        assert conn.execute(select(surveys.c.score, surveys.c.comment)).one() == (
            3, "The delivery came a week late")
    Deliverer(app.engine, app.settings, [telegram.door], clock).run_once()
    alert = next(s for s in telegram.sent() if "scored us 3/10" in s["text"])
    assert alert["chat_id"] == "1001"  # the customer's owner


def test_a_pdf_asked_in_slack_is_uploaded_as_a_file(app: App, slack_api: SlackApi) -> None:
    _order(app)
    link(app, "rep", "slack", SLACK_REP)
    harness: SlackHarness = _harness(app, slack_api)
    try:
        harness.command("pdf O-1")
        (asked,) = slack_api.of("files.getUploadURLExternal")
        assert asked["filename"] == "O-1.pdf"
        (uploaded,) = slack_api.of("upload")
        assert uploaded["data"].startswith(b"%PDF")
        assert slack_api.of("files.completeUploadExternal")
    finally:
        harness.work.shutdown(wait=True)
        harness.door.stop()
