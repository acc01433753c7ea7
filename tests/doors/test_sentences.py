"""Sentences through the real doors: a Telegram group mention and a Slack app mention are
answered with a draft; nothing is written until its Confirm button is pressed, which runs the
command (a callback token where the command is longer than Telegram keeps)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.slack_door import slash_text
from storage.tables import activities
from tests.doors.conftest import TelegramHarness, link
from tests.doors.slack_fake import SlackApi, button, event, sign
from tests.doors.telegram_fake import BOT_USERNAME, message, press, user
from tests.doors.test_slack import MGR, REP, SlackHarness, _harness
from tests.support import say

GROUP = -100888
LI = user(1001, "Li")


def _activities(app: App) -> list[tuple[str, str, str, int]]:
    with app.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(
            activities.c.kind, activities.c.text, activities.c.ref_kind, activities.c.ref_id))]


def _count(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(activities)).scalar_one())


@pytest.fixture
def acme(app: App) -> None:
    say(app, "rep", "/lead Acme contact=Wile")
    assert say(app, "rep", "/qualify L-1 amount=50k").ok  # A-1, D-1


def test_a_telegram_group_mention_is_a_draft_and_confirm_logs_it(
        telegram: TelegramHarness, app: App, acme: None) -> None:
    link(app, "rep", "telegram", "1001")
    telegram.feed(message(40, LI, "called Acme, they want a demo next fri", chat_id=GROUP,
                          chat_type="supergroup"))
    assert telegram.sent() == []  # not addressed to the bot: group talk is left alone
    telegram.feed(message(41, LI, f"@{BOT_USERNAME} called Acme, they want a demo next fri",
                          chat_id=GROUP, chat_type="supergroup"))
    draft = telegram.sent()[0]
    assert draft["chat_id"] == GROUP
    assert "/log D-1 call called Acme, they want a demo next fri next=2026-12-04" in draft["text"]
    assert BOT_USERNAME not in draft["text"].split("\n", 2)[1]
    rows = [[b["text"] for b in row] for row in draft["reply_markup"]["inline_keyboard"]]
    assert rows == [["Confirm", "Edit", "Cancel"]]
    confirm = draft["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert confirm.startswith("tok:")  # the command is longer than Telegram keeps
    assert _count(app) == 0
    telegram.feed(press(42, LI, confirm, chat_id=GROUP, chat_type="supergroup"))
    assert _activities(app) == [("call", "called Acme, they want a demo next fri", "deal", 1)]
    edited = telegram.api.of("editMessageText")[-1]
    assert "Logged call on D-1" in edited["text"]


def test_cancel_on_telegram_writes_nothing(telegram: TelegramHarness, app: App,
                                           acme: None) -> None:
    link(app, "rep", "telegram", "1001")
    telegram.feed(message(43, LI, "拜访了Acme 聊了报价"))
    draft = telegram.sent()[0]
    buttons = draft["reply_markup"]["inline_keyboard"][0]
    telegram.feed(press(44, LI, buttons[2]["callback_data"]))
    assert "Nothing was saved" in telegram.api.of("editMessageText")[-1]["text"]
    assert _count(app) == 0


@pytest.fixture
def slack(app: App) -> Iterator[SlackHarness]:
    api = SlackApi()
    api.start()
    link(app, "rep", "slack", REP)
    link(app, "mgr", "slack", MGR)
    harness = _harness(app, api)
    yield harness
    harness.work.shutdown(wait=True)
    harness.door.stop()
    api.stop()


def test_a_slack_mention_is_a_draft_and_its_confirm_button_logs_it(
        slack: SlackHarness, app: App, acme: None) -> None:
    body = event({"type": "app_mention", "user": REP, "channel": "C1SALES",
                  "text": "<@UBOT> visited acme today, wile wants a discount", "ts": "1.3"},
                 event_id="EvS1")
    assert slack.dispatch(body, sign(body, content_type="application/json")).status == 200
    slack.work.settle()
    post = slack.posts()[0]
    assert "/log D-1 visit visited acme today, wile wants a discount" in post["text"]
    actions = [block for block in post["blocks"] if block["type"] == "actions"]
    values = [e["value"] for e in actions[0]["elements"]]
    labels = [e["text"]["text"] for e in actions[0]["elements"]]
    assert labels == ["Confirm", "Edit", "Cancel"]
    assert _count(app) == 0
    press_body = button(values[0], user=REP, action_ts="2.1")
    assert slack.dispatch(press_body, sign(press_body)).status == 200
    slack.work.settle()
    assert _activities(app) == [("visit", "visited acme today, wile wants a discount",
                                 "deal", 1)]
    assert "Logged visit on D-1" in slack.api.of("chat.update")[0]["text"]


def test_a_slash_command_word_that_starts_a_sentence_is_read_as_one() -> None:
    assert slash_text("remind me tomorrow 3pm to call Acme") == \
        "remind me tomorrow 3pm to call Acme"
    assert slash_text("remind D-1 tomorrow call") == "/remind D-1 tomorrow call"
    assert slash_text("/remind me") == "/remind me"
    assert slash_text("华为付了5万") == "华为付了5万"
