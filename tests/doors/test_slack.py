"""The Slack door with slack-bolt: signed requests through App.dispatch, a local Web API."""

from __future__ import annotations

import dataclasses
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from slack_bolt import BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from sqlalchemy import select

from bot.app import App
from bot.delivery import SendFailed
from bot.slack_door import RATE_RETRIES, SlackDoor, slash_text
from domain.model.quotes import QuoteStatus
from handlers.reply import Reply
from storage.tables import customers, leads, quote_lines, quotes
from tests.doors.conftest import link
from tests.doors.slack_fake import (
    BOT_TOKEN,
    SIGNING_SECRET,
    SlackApi,
    TrackedExecutor,
    button,
    event,
    quote_submission,
    sign,
    slash,
)
from tests.support import say

REP = "U1REP"
MGR = "U2MGR"


@dataclass
class SlackHarness:
    api: SlackApi
    door: SlackDoor
    work: TrackedExecutor

    def dispatch(self, body: str, headers: dict[str, str]) -> BoltResponse:
        sent: dict[str, str | Sequence[str]] = dict(headers)
        return self.door.bolt.dispatch(BoltRequest(body=body, headers=sent))

    def command(self, text: str, *, user: str = REP, channel: str = "C1SALES",
                trigger: str = "trig-1") -> BoltResponse:
        """A signed /ltc request, acknowledged, with its work done afterwards."""
        body = slash(text, user=user, channel=channel, trigger=trigger)
        response = self.dispatch(body, sign(body))
        self.work.settle()
        return response

    def posts(self) -> list[dict[str, Any]]:
        return self.api.of("chat.postMessage")


def _harness(app: App, api: SlackApi, **door: Any) -> SlackHarness:
    work = TrackedExecutor()
    client = WebClient(token=BOT_TOKEN, base_url=api.url)
    slack = SlackDoor(app, bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, client=client,
                      executor=work, **door)
    return SlackHarness(api, slack, work)


@pytest.fixture
def api(slack_api: SlackApi) -> SlackApi:
    return slack_api


@pytest.fixture
def slack(app: App, api: SlackApi) -> Iterator[SlackHarness]:
    link(app, "rep", "slack", REP)
    link(app, "mgr", "slack", MGR)
    harness = _harness(app, api)
    yield harness
    harness.work.shutdown(wait=True)
    harness.door.stop()


def _lead_names(app: App) -> list[str]:
    with app.engine.connect() as conn:
        return list(conn.execute(select(leads.c.company).order_by(leads.c.id)).scalars())


# --------------------------------------------------------------------------- the slash command


def test_slash_text_reads_the_command_word() -> None:
    assert slash_text("lead Acme contact=Li") == "/lead Acme contact=Li"
    assert slash_text("LINK AB12CD34") == "/link AB12CD34"
    assert slash_text("quote D-1\n10 x A @ 5") == "/quote D-1\n10 x A @ 5"
    assert slash_text("") == "/help"
    assert slash_text("Harbour Foods") == "Harbour Foods"


def test_slack_escaping_is_undone_before_the_command_is_read(slack: SlackHarness,
                                                            app: App) -> None:
    slack.command("lead Smith &amp; Sons &lt;UK&gt;")
    assert _lead_names(app) == ["Smith & Sons <UK>"]
    assert "Smith &amp; Sons &lt;UK&gt;" in slack.posts()[0]["text"]


def test_ltc_command_runs_and_answers_in_the_channel_mentioning_the_user(
        slack: SlackHarness, app: App) -> None:
    response = slack.command("lead Acme contact=Li")
    assert response.status == 200
    post = slack.posts()[0]
    assert post["channel"] == "C1SALES"
    assert post["text"].startswith(f"<@{REP}> Lead L-1 saved: Acme")
    actions = [b for b in post["blocks"] if b["type"] == "actions"]
    assert actions[0]["elements"][0]["value"] == "/qualify L-1"
    assert _lead_names(app) == ["Acme"]


def test_ack_is_sent_before_the_slow_work_is_done(slack: SlackHarness, app: App) -> None:
    slack.api.hold()  # the answer's post hangs until released
    body = slash("lead Patient Co", user=REP)
    response = slack.dispatch(body, sign(body))
    assert response.status == 200
    slack.api.wait_for("chat.postMessage")  # the work is still under way
    slack.api.release()
    slack.work.settle()
    assert _lead_names(app) == ["Patient Co"]


def test_forged_signature_is_refused_and_nothing_runs(slack: SlackHarness, app: App) -> None:
    body = slash("lead Forged Co", user=REP)
    response = slack.dispatch(body, sign(body, secret="not-the-secret"))
    slack.work.settle()
    assert response.status == 401
    assert _lead_names(app) == [] and slack.posts() == []


def test_request_older_than_five_minutes_is_refused(slack: SlackHarness, app: App) -> None:
    body = slash("lead Replayed Co", user=REP)
    response = slack.dispatch(body, sign(body, timestamp=int(time.time()) - 6 * 60))
    slack.work.settle()
    assert response.status == 401
    assert _lead_names(app) == []


def test_repeated_slash_command_delivery_is_applied_once(slack: SlackHarness,
                                                         app: App) -> None:
    slack.command("lead Twice Co", trigger="trig-same")
    slack.command("lead Twice Co", trigger="trig-same")
    assert _lead_names(app) == ["Twice Co"]
    assert len(slack.posts()) == 1


def test_event_retried_by_slack_is_applied_once(slack: SlackHarness, app: App) -> None:
    body = event({"type": "app_mention", "user": REP, "channel": "C1SALES",
                  "text": "<@UBOT> lead Retry Co", "ts": "1.2"}, event_id="Ev1")
    assert slack.dispatch(body, sign(body, content_type="application/json")).status == 200
    retry = {**sign(body, content_type="application/json"), "x-slack-retry-num": "1",
             "x-slack-retry-reason": "http_timeout"}
    assert slack.dispatch(body, retry).status == 200
    slack.work.settle()
    assert _lead_names(app) == ["Retry Co"]
    assert len(slack.posts()) == 1


def test_a_stranger_is_told_to_link_with_ltc_link(slack: SlackHarness, app: App) -> None:
    slack.command("lead Sneaky Co", user="U9EVE")
    answer = slack.api.of("chat.postEphemeral")[0]
    assert answer["user"] == "U9EVE" and "/ltc link &lt;" in answer["text"]
    assert _lead_names(app) == []


def test_a_refusal_in_a_channel_is_shown_to_the_asker_only(slack: SlackHarness,
                                                            app: App) -> None:
    slack.command("approve Q-9")
    assert slack.posts() == []
    assert slack.api.of("chat.postEphemeral")[0]["user"] == REP


def test_personal_things_asked_in_a_channel_go_by_direct_message(
        slack: SlackHarness, app: App) -> None:
    say(app, "rep", "/remind tomorrow call Acme")
    slack.command("todo")
    assert [(p["channel"], "R-1" in p["text"]) for p in slack.posts()] == [(REP, True)]
    note = slack.api.of("chat.postEphemeral")[0]
    assert note["channel"] == "C1SALES" and "private message" in note["text"]


def test_a_channel_the_bot_is_not_in_gets_the_answer_by_direct_message(
        slack: SlackHarness, app: App) -> None:
    slack.api.unreachable("C9OTHER")
    slack.command("lead Elsewhere Co", channel="C9OTHER")
    # The channel refuses (not_in_channel); the same answer then goes to the person.
    assert [p["channel"] for p in slack.posts()] == ["C9OTHER", REP]
    assert slack.posts()[1]["text"].startswith("Lead L-1 saved")


# --------------------------------------------------------------------------- buttons


def _pending_quote(app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1 amount=50k")
    assert say(app, "rep", "/quote D-1 10 x Server @ 5,000 discount=20").ok


def test_approve_button_approves_and_replaces_the_card(slack: SlackHarness, app: App) -> None:
    _pending_quote(app)
    body = button("/approve Q-1", user=MGR)
    assert slack.dispatch(body, sign(body)).status == 200
    slack.work.settle()
    update = slack.api.of("chat.update")[0]
    assert update["ts"] == "1795000000.000777" and "approved" in update["text"]
    with app.engine.connect() as conn:
        assert conn.execute(select(quotes.c.status)).scalar_one() == QuoteStatus.APPROVED


def test_reject_button_asks_why_and_the_answer_by_ltc_rejects(slack: SlackHarness,
                                                              app: App) -> None:
    _pending_quote(app)
    body = button("/reject Q-1 reason=", user=MGR, action_ts="2.2")
    slack.dispatch(body, sign(body))
    slack.work.settle()
    assert "Why is quote Q-1 rejected" in slack.api.of("chat.update")[0]["text"]
    slack.command("too deep for this customer", user=MGR, trigger="trig-answer")
    assert "rejected: too deep for this customer" in slack.posts()[-1]["text"]
    with app.engine.connect() as conn:
        assert conn.execute(select(quotes.c.status)).scalar_one() == QuoteStatus.REJECTED


def test_stage_and_reminder_buttons_do_what_their_commands_do(slack: SlackHarness,
                                                               app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    say(app, "rep", "/remind tomorrow call Acme")
    for number, command in enumerate(["/stage D-1 proposal", "/done R-1"]):
        body = button(command, user=REP, action_ts=f"3.{number}", channel=f"D{number}")
        slack.dispatch(body, sign(body))
    slack.work.settle()
    texts = sorted(u["text"] for u in slack.api.of("chat.update"))
    assert texts[0].startswith("Deal D-1 moved to Proposal")
    assert texts[1] == "Reminder R-1 done."


def test_the_same_button_press_delivered_twice_is_applied_once(slack: SlackHarness,
                                                               app: App) -> None:
    say(app, "rep", "/remind tomorrow call Acme")
    body = button("/done R-1", user=REP, action_ts="4.4", channel="D1")
    slack.dispatch(body, sign(body))
    slack.dispatch(body, sign(body))
    slack.work.settle()
    assert [u["text"] for u in slack.api.of("chat.update")] == ["Reminder R-1 done."]
    assert slack.api.of("chat.postEphemeral") == [] and slack.posts() == []


def test_new_customer_button_makes_a_second_customer_only_when_asked(
        slack: SlackHarness, app: App) -> None:
    say(app, "rep", "/lead 北京华为技术有限公司")
    say(app, "rep", "/qualify L-1")
    say(app, "rep", "/lead 华为技术")
    slack.command("qualify L-2")
    question = slack.posts()[-1]
    values = [e["value"] for b in question["blocks"] if b["type"] == "actions"
              for e in b["elements"]]
    assert values == ["/qualify L-2 customer=A-1", "/qualify L-2 customer=new"]
    with app.engine.connect() as conn:
        assert conn.execute(select(customers.c.id)).scalars().all() == [1]
    body = button(values[1], user=REP, action_ts="5.5")
    slack.dispatch(body, sign(body))
    slack.work.settle()
    assert "customer A-2 华为技术" in slack.api.of("chat.update")[-1]["text"]
    with app.engine.connect() as conn:
        assert conn.execute(select(customers.c.name).order_by(customers.c.id)
                            ).scalars().all() == ["北京华为技术有限公司", "华为技术"]


# --------------------------------------------------------------------------- the quote form


def test_quote_without_lines_opens_a_form_and_its_submission_drafts_the_quote(
        slack: SlackHarness, app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    slack.command("quote D-1", trigger="trig-form")
    opened = slack.api.of("views.open")[0]
    assert opened["trigger_id"] == "trig-form"
    deal_field = next(b for b in opened["view"]["blocks"] if b["block_id"] == "deal")
    assert deal_field["element"]["initial_value"] == "D-1"
    body = quote_submission(user=REP, deal="D-1", discount="5",
                            lines="10 x Cloud Server @ 5,000\n2 x Installation @ 1k")
    response = slack.dispatch(body, sign(body))
    slack.work.settle()
    assert response.status == 200
    assert slack.posts()[0]["channel"] == "C1SALES" and "Q-1" in slack.posts()[0]["text"]
    with app.engine.connect() as conn:
        items = conn.execute(select(quote_lines.c.item).order_by(quote_lines.c.position))
        assert list(items.scalars()) == ["Cloud Server", "Installation"]
        assert conn.execute(select(quotes.c.discount_pct)).scalar_one() == 5


def test_quote_form_with_unreadable_lines_stays_open_naming_the_problem(
        slack: SlackHarness, app: App) -> None:
    body = quote_submission(user=REP, deal="D-1", lines="ten servers please")
    response = slack.dispatch(body, sign(body))
    slack.work.settle()
    assert response.status == 200
    assert '"response_action": "errors"' in (response.body or "")
    assert "ten servers please" in (response.body or "")
    assert slack.posts() == []


# --------------------------------------------------------------------------- sending


def test_ratelimited_post_waits_the_retry_after_then_goes_through(slack: SlackHarness,
                                                                  app: App) -> None:
    slack.api.fail_next("chat.postMessage", 1)
    slack.command("quiet")  # a reply of one post
    attempts = [c for c in slack.api.calls if c.method == "chat.postMessage"]
    assert len(attempts) == 2 and attempts[0].params["text"] == attempts[1].params["text"]
    assert attempts[1].at - attempts[0].at >= 1.0  # Slack's Retry-After was kept


def test_a_send_that_stays_ratelimited_fails_with_the_wait_for_the_outbox(
        slack: SlackHarness) -> None:
    for _ in range(RATE_RETRIES + 1):
        slack.api.fail_next("chat.postMessage", 1)
    with pytest.raises(SendFailed) as failed:
        slack.door.send(REP, Reply("Quote Q-1 needs your approval"))
    assert failed.value.retry_after == 1.0
    assert len(slack.api.of("chat.postMessage")) == RATE_RETRIES + 1


def test_a_long_reply_is_split_within_slack_limits(slack: SlackHarness) -> None:
    rows = [f"INV-2026-{n:04d} Acme & Sons <overdue> 12 days" for n in range(300)]
    slack.door.send(REP, Reply("\n".join(rows)))
    posts = slack.posts()
    assert len(posts) > 1
    assert all(len(p["blocks"][0]["text"]["text"]) <= 3000 for p in posts)
    shown = "\n".join(p["text"] for p in posts).split("\n")
    assert shown == [r.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                     for r in rows]


def test_a_chart_is_uploaded_as_a_file_into_the_channel(slack: SlackHarness, app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1 amount=50k")
    slack.command("pipeline", user=MGR)
    assert slack.posts()[0]["text"].startswith(f"<@{MGR}> Pipeline (team east)")
    (asked,) = slack.api.of("files.getUploadURLExternal")
    assert asked["filename"] == "pipeline.png"
    (uploaded,) = slack.api.of("upload")
    assert uploaded["data"].startswith(b"\x89PNG") and int(asked["length"]) == len(
        uploaded["data"])
    (shared,) = slack.api.of("files.completeUploadExternal")
    assert shared["channel_id"] == "C1SALES"


def test_an_export_asked_in_a_channel_is_uploaded_to_the_askers_dm(slack: SlackHarness,
                                                                    app: App) -> None:
    say(app, "rep", "/lead Acme")
    slack.command("export activities")
    assert [p["channel"] for p in slack.posts()] == [REP]
    assert slack.api.of("conversations.open")[0]["users"] == REP
    (shared,) = slack.api.of("files.completeUploadExternal")
    assert shared["channel_id"] == f"D{REP}"
    assert slack.api.of("upload")[0]["data"].startswith(b"\xef\xbb\xbf")


# --------------------------------------------------------------------------- modes


def test_http_mode_serves_signed_requests_on_its_port(app: App, api: SlackApi) -> None:
    link(app, "rep", "slack", REP)
    app.runtime = dataclasses.replace(app.runtime, slack_http_port=0)
    harness = _harness(app, api)
    harness.door.start()
    try:
        assert harness.door.server is not None
        url = f"http://127.0.0.1:{harness.door.server.port}/slack/events"
        body = slash("lead Http Co", user=REP)

        def post(headers: dict[str, str]) -> int:
            request = urllib.request.Request(url, data=body.encode(), headers=headers,
                                             method="POST")
            try:
                with urllib.request.urlopen(request, timeout=20) as response:
                    return int(response.status)
            except urllib.error.HTTPError as error:
                return error.code

        assert post(sign(body, secret="forged")) == 401
        assert post(sign(body)) == 200
        harness.work.settle()
        assert _lead_names(app) == ["Http Co"]
    finally:
        harness.door.stop()
        harness.work.shutdown(wait=True)


class FakeSocketClient:
    """Stands in for the WebSocket connection: keeps what would go back to Slack."""

    def __init__(self, logger: Any) -> None:
        self.logger = logger
        self.responses: list[SocketModeResponse] = []

    def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.responses.append(response)


def test_socket_mode_is_used_when_an_app_token_is_set(app: App, api: SlackApi) -> None:
    link(app, "rep", "slack", REP)
    harness = _harness(app, api, app_token="xapp-test-token")
    try:
        socket = harness.door.socket
        assert socket is not None and socket.app_token == "xapp-test-token"
        assert socket.client.web_client.base_url == api.url
        fake = FakeSocketClient(socket.client.logger)
        payload = {"command": "/ltc", "text": "lead Socket Co", "user_id": REP,
                   "channel_id": "C1SALES", "trigger_id": "trig-socket", "team_id": "T1"}
        socket.handle(fake, SocketModeRequest(type="slash_commands", envelope_id="env-1",  # type: ignore[arg-type]
                                              payload=payload))
        harness.work.settle()
        assert [r.envelope_id for r in fake.responses] == ["env-1"]
        assert _lead_names(app) == ["Socket Co"]
        assert harness.door.server is None
    finally:
        harness.door.stop()
        harness.work.shutdown(wait=True)
