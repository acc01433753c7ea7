"""A spreadsheet sent to the bot: a Telegram document downloaded through python-telegram-bot
from the recording Bot API, a Slack file read through files.info and its private URL from the
local Web API; the trial report comes back with its Import and Cancel buttons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App
from storage.tables import leads
from tests.doors.conftest import TelegramHarness, link
from tests.doors.slack_fake import SlackApi, event, sign
from tests.doors.telegram_fake import document, user
from tests.doors.test_slack import REP, SlackHarness, _harness

SHEET = "公司,手机,来源\n华为,13800000001,官网\n腾讯,13800000002,展会\n".encode("gbk")


def _leads(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(leads)).scalar_one())


def test_a_telegram_document_is_downloaded_and_tried(app: App,
                                                     telegram: TelegramHarness) -> None:
    link(app, "rep", "telegram", "1001")
    telegram.api.files["doc-1"] = SHEET
    telegram.feed(document(1, user(1001), "doc-1", "线索.csv", "/import leads"))
    assert telegram.api.of("getFile")[0]["file_id"] == "doc-1"
    assert telegram.api.of("download")[0]["url"].endswith("/documents/doc-1")
    answer = telegram.sent()[-1]
    assert "2 would be created" in answer["text"]
    keyboard = answer["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in keyboard[0]] == ["Import", "Cancel"]
    assert _leads(app) == 0


def test_a_document_without_a_command_is_left_alone(app: App,
                                                   telegram: TelegramHarness) -> None:
    link(app, "rep", "telegram", "1001")
    telegram.api.files["doc-2"] = SHEET
    telegram.feed(document(2, user(1001), "doc-2", "a.csv", "holiday photos"))
    assert telegram.api.of("getFile") == [] and telegram.sent() == []


@pytest.fixture
def slack(app: App) -> Iterator[SlackHarness]:
    api = SlackApi()
    api.start()
    link(app, "rep", "slack", REP)
    harness = _harness(app, api)
    yield harness
    harness.work.shutdown(wait=True)
    harness.door.stop()
    api.stop()


def test_a_slack_file_is_read_through_its_private_url(app: App, slack: SlackHarness) -> None:
    slack.api.files["F1"] = ("leads.csv", SHEET)
    body = event({"type": "message", "subtype": "file_share", "user": REP, "channel": "D1",
                  "channel_type": "im", "text": "import leads",
                  "files": [{"id": "F1", "name": "leads.csv"}]}, event_id="Ev1")
    assert slack.dispatch(body, sign(body)).status == 200
    slack.work.settle()
    assert slack.api.of("files.info")[0]["file"] == "F1"
    assert slack.api.of("download")[0]["authorised"]
    post = slack.posts()[-1]
    assert post["channel"] == "D1" and "2 would be created" in post["text"]
    assert _leads(app) == 0
