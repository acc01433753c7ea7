"""The Telegram door with python-telegram-bot against a recording Bot API, offline."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.delivery import Deliverer, SendFailed
from bot.doors import DoorError, serve
from bot.telegram_door import MAX_RETRIES
from domain.model.quotes import QuoteStatus
from domain.model.reminders import ReminderStatus
from handlers.i18n import Translator
from handlers.outgoing import utf16_length
from handlers.reply import Attachment, Button, Reply
from storage.tables import deals, leads, quote_lines, quotes, reminders
from storage.tables_cash import payments
from tests.doors.conftest import TelegramHarness, link
from tests.doors.telegram_fake import BOT_USERNAME, TOKEN, message, press, user
from tests.support import FakeClock, say

REP = user(1001, "Li")
MGR = user(2002, "Wang")
GROUP = -100777


@pytest.fixture(autouse=True)
def accounts(app: App) -> None:
    link(app, "rep", "telegram", "1001")
    link(app, "mgr", "telegram", "2002")


def _keyboard_commands(params: dict[str, object]) -> list[list[str]]:
    markup = params.get("reply_markup")
    assert isinstance(markup, dict), params
    return [[b["callback_data"] for b in row] for row in markup["inline_keyboard"]]


def _deal_with_pending_quote(app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1 amount=50k")
    assert say(app, "rep", "/quote D-1 10 x Server @ 5,000 discount=20").ok


# --------------------------------------------------------------------------- start-up


def test_commands_are_registered_in_english_and_in_chinese(telegram: TelegramHarness) -> None:
    registered = {c.get("language_code"): c["commands"] for c in telegram.api.of("setMyCommands")}
    assert set(registered) == {None, "zh"}
    english = {c["command"]: c["description"] for c in registered[None]}
    chinese = {c["command"]: c["description"] for c in registered["zh"]}
    assert english["lead"] == Translator("en")("help.lead.summary")
    assert chinese["lead"] == Translator("zh")("help.lead.summary")
    assert english["lead"] != chinese["lead"]
    assert {"quote", "todo", "linkcode", "cancel"} <= set(english) == set(chinese)


def test_polling_delivers_a_command_and_answers_with_its_buttons(
        telegram: TelegramHarness, app: App) -> None:
    telegram.polls.push_update(message(1, REP, "/lead Acme contact=Li"))
    sent = telegram.api.wait_for("sendMessage")
    assert sent[0]["chat_id"] == 1001
    assert sent[0]["text"].startswith("Lead L-1 saved")
    assert _keyboard_commands(sent[0]) == [["/qualify L-1"]]
    assert telegram.api.of("deleteWebhook"), "polling starts by removing any webhook"


def test_the_same_update_delivered_twice_is_applied_once(
        telegram: TelegramHarness, app: App) -> None:
    update = message(7, REP, "/lead Once Ltd")
    telegram.feed(update)
    telegram.feed(update)
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.company)).scalars().all() == ["Once Ltd"]
    assert len(telegram.sent()) == 1


def test_an_update_seen_before_a_restart_is_not_applied_again(
        telegram: TelegramHarness, app: App, clock: FakeClock) -> None:
    update = message(8, REP, "/lead Before Restart")
    telegram.feed(update)
    telegram.door.stop()
    restarted = build_app(app.settings, app.runtime, clock, run_migrations=False)
    again = TelegramHarness(restarted)
    again.door.start()
    try:
        again.feed(update)
        again.feed(message(9, REP, "/lead After Restart"))
    finally:
        again.door.stop()
        restarted.close()
    with app.engine.connect() as conn:
        names = conn.execute(select(leads.c.company).order_by(leads.c.id)).scalars().all()
    assert names == ["Before Restart", "After Restart"]
    assert [s["text"].split(":")[0] for s in again.sent()] == ["Lead L-2 saved"]


def test_a_quote_written_one_line_per_item_drafts_every_line(
        telegram: TelegramHarness, app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    telegram.feed(message(5, REP, "/quote D-1\n10 x Cloud Server @ 5,000\n2 x Installation @ 1k"))
    assert "Q-1" in telegram.sent()[0]["text"]
    with app.engine.connect() as conn:
        rows = conn.execute(select(quote_lines.c.item, quote_lines.c.quantity)
                            .order_by(quote_lines.c.position)).all()
    assert [(item, int(qty)) for item, qty in rows] == [("Cloud Server", 10), ("Installation", 2)]


def test_a_stranger_gets_the_not_registered_answer_and_nothing_else(
        telegram: TelegramHarness, app: App) -> None:
    telegram.feed(message(3, user(9999, "Eve"), "/lead Sneaky Co"))
    assert "not registered" in telegram.sent()[0]["text"]
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.id)).first() is None


# --------------------------------------------------------------------------- buttons


def test_stage_button_moves_the_deal_and_updates_the_card(
        telegram: TelegramHarness, app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    telegram.feed(press(10, REP, "/stage D-1 proposal"))
    assert telegram.api.of("answerCallbackQuery")[0]["text"].startswith("Deal D-1 moved")
    edited = telegram.api.of("editMessageText")[0]
    assert edited["message_id"] == 555 and "Proposal" in edited["text"]
    offered = [command for row in _keyboard_commands(edited) for command in row]
    assert "/stage D-1 Negotiation" in offered and "/stage D-1 Proposal" not in offered
    with app.engine.connect() as conn:
        assert conn.execute(select(deals.c.stage)).scalar_one() == "proposal"


def test_approve_button_approves_the_quote(telegram: TelegramHarness, app: App) -> None:
    _deal_with_pending_quote(app)
    telegram.feed(press(11, MGR, "/approve Q-1"))
    assert "approved" in telegram.api.of("editMessageText")[0]["text"]
    with app.engine.connect() as conn:
        assert conn.execute(select(quotes.c.status)).scalar_one() == QuoteStatus.APPROVED


def test_reject_button_asks_the_reason_then_rejects(telegram: TelegramHarness,
                                                    app: App) -> None:
    _deal_with_pending_quote(app)
    telegram.feed(press(12, MGR, "/reject Q-1 reason="))
    question = telegram.api.of("editMessageText")[0]
    assert "Why is quote Q-1 rejected" in question["text"]
    assert _keyboard_commands(question) == [["/cancel"]]
    telegram.feed(message(13, MGR, "discount far too deep"))
    assert "rejected: discount far too deep" in telegram.sent()[-1]["text"]
    with app.engine.connect() as conn:
        status, note = conn.execute(select(quotes.c.status, quotes.c.decision_note)).one()
    assert (status, note) == (QuoteStatus.REJECTED, "discount far too deep")


def test_refused_button_press_is_answered_with_an_alert_and_changes_nothing(
        telegram: TelegramHarness, app: App) -> None:
    _deal_with_pending_quote(app)
    telegram.feed(press(14, REP, "/approve Q-1"))
    answer = telegram.api.of("answerCallbackQuery")[0]
    assert answer["show_alert"] is True and answer["text"]
    assert telegram.api.of("editMessageText") == []
    with app.engine.connect() as conn:
        assert conn.execute(select(quotes.c.status)).scalar_one() == QuoteStatus.PENDING


def test_reminder_buttons_mark_done_and_snooze(telegram: TelegramHarness, app: App) -> None:
    say(app, "rep", "/remind tomorrow call Acme")
    say(app, "rep", "/remind tomorrow send the brochure")
    telegram.feed(press(15, REP, "/done R-1"))
    telegram.feed(press(16, REP, "/snooze R-2 next week"))
    edits = [e["text"] for e in telegram.api.of("editMessageText")]
    assert edits[0] == "Reminder R-1 done." and edits[1].startswith("Reminder R-2 moved")
    with app.engine.connect() as conn:
        found = conn.execute(select(reminders.c.id, reminders.c.status,
                                    reminders.c.due_at)).all()
    rows = {r.id: r.status for r in found}
    due = {r.id: r.due_at for r in found}
    assert rows == {1: ReminderStatus.DONE, 2: ReminderStatus.OPEN}
    assert due[2] > due[1]


def test_order_card_buttons_issue_the_invoice(telegram: TelegramHarness, app: App) -> None:
    link(app, "fin", "telegram", "3003")
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    say(app, "rep", "/quote D-1 10 x Server @ 5,000")
    assert say(app, "rep", "/accept Q-1 plan=30/60/10").ok
    telegram.feed(message(18, user(3003, "Zhao"), "/order O-1"))
    card = telegram.sent()[0]
    assert ["/deliver O-1 all", "/invoice O-1 installment=1"] in _keyboard_commands(card)
    telegram.feed(press(19, user(3003, "Zhao"), "/invoice O-1 installment=1"))
    assert telegram.api.of("editMessageText")[0]["text"].startswith("Invoice INV-2026-0001")


def test_confirm_payment_button_books_the_reported_payment(
        telegram: TelegramHarness, app: App, clock: FakeClock) -> None:
    link(app, "fin", "telegram", "3003")
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1")
    say(app, "rep", "/quote D-1 10 x Server @ 5,000")
    assert say(app, "rep", "/accept Q-1 plan=30/60/10").ok
    assert say(app, "fin", "/invoice O-1").ok
    assert say(app, "rep", "/paid INV-2026-0001 10000 ref=BANK-42").ok
    Deliverer(app.engine, app.settings, [telegram.door], clock).run_once()
    claim = next(p for p in telegram.sent() if "reports a payment" in p["text"])
    assert claim["chat_id"] in (3003, "3003")
    confirm = _keyboard_commands(claim)[0][0]
    assert len(confirm.encode()) <= 64
    telegram.feed(press(40, user(3003, "Zhao"), confirm))
    answer = telegram.api.of("editMessageText")[-1]["text"]
    assert answer.startswith("Payment P-1"), answer
    with app.engine.connect() as conn:
        assert conn.execute(select(payments.c.ref)).scalars().all() == ["BANK-42"]


def test_a_button_command_longer_than_64_bytes_travels_as_a_stored_token(
        telegram: TelegramHarness, app: App) -> None:
    command = "/remind tomorrow " + "call the purchasing department about the renewal terms"
    loop = telegram.door._loop
    assert loop is not None
    keyboard = asyncio.run_coroutine_threadsafe(
        telegram.door.keyboard([[Button("Remind", command)]]), loop).result(20)
    assert keyboard is not None
    data = keyboard.inline_keyboard[0][0].callback_data
    assert isinstance(data, str) and len(data.encode()) <= 64 and data != command
    telegram.feed(press(17, REP, data))
    with app.engine.connect() as conn:
        texts = conn.execute(select(reminders.c.text)).scalars().all()
    assert texts == ["call the purchasing department about the renewal terms"]


def test_which_customer_buttons_file_the_deal_under_the_look_alike(
        telegram: TelegramHarness, app: App) -> None:
    say(app, "rep", "/lead 北京华为技术有限公司")
    say(app, "rep", "/qualify L-1")
    say(app, "rep", "/lead 华为技术")
    telegram.feed(message(41, REP, "/qualify L-2 amount=50k"))
    question = telegram.sent()[-1]
    assert "looks like a customer already on file" in question["text"]
    offered = _keyboard_commands(question)
    assert offered == [["/qualify L-2 customer=A-1 amount=50k"],
                       ["/qualify L-2 customer=new amount=50k"]]
    with app.engine.connect() as conn:
        assert conn.execute(select(deals.c.id)).scalars().all() == [1]  # nothing yet
    telegram.feed(press(42, REP, offered[0][0]))
    assert "A-1 was already a customer" in telegram.api.of("editMessageText")[-1]["text"]
    with app.engine.connect() as conn:
        assert conn.execute(select(deals.c.customer_id).where(deals.c.id == 2)
                            ).scalar_one() == 1


# --------------------------------------------------------------------------- groups


def test_group_replies_mention_the_person_answered(telegram: TelegramHarness) -> None:
    telegram.feed(message(20, REP, "/lead Group Co", chat_id=GROUP, chat_type="supergroup"))
    sent = telegram.sent()[0]
    assert sent["chat_id"] == GROUP
    assert sent["text"].startswith("Li, Lead L-1 saved")
    mention = sent["entities"][0]
    assert (mention["type"], mention["offset"], mention["length"], mention["user"]["id"]) \
        == ("text_mention", 0, 2, 1001)


def test_personal_things_asked_in_a_group_go_by_direct_message(
        telegram: TelegramHarness, app: App) -> None:
    say(app, "rep", "/remind tomorrow call Acme")
    telegram.feed(message(21, REP, "/todo", chat_id=GROUP, chat_type="supergroup"))
    private, note = telegram.sent()
    assert private["chat_id"] == 1001 and "R-1" in private["text"]
    assert note["chat_id"] == GROUP and "private message" in note["text"]
    assert "call Acme" not in note["text"]


def test_a_person_the_bot_may_not_write_to_is_told_how_to_open_the_chat(
        telegram: TelegramHarness, app: App) -> None:
    telegram.api.forbid(1001)
    telegram.feed(message(22, REP, "/linkcode", chat_id=GROUP, chat_type="supergroup"))
    refused, note = telegram.sent()
    assert refused["chat_id"] == 1001
    assert note["chat_id"] == GROUP and f"https://t.me/{BOT_USERNAME}" in note["text"]


def test_in_groups_only_answers_to_the_bots_question_continue_a_dialog(
        telegram: TelegramHarness, app: App) -> None:
    telegram.feed(message(23, REP, "/lead", chat_id=GROUP, chat_type="supergroup"))
    question = telegram.sent()[0]
    assert question["reply_markup"]["force_reply"] is True
    telegram.feed(message(24, REP, "lunch anyone?", chat_id=GROUP, chat_type="supergroup"))
    assert len(telegram.sent()) == 1
    telegram.feed(message(25, REP, "Harbour Foods", chat_id=GROUP, chat_type="supergroup",
                          reply_to_bot=True))
    assert "contact person at Harbour Foods" in telegram.sent()[1]["text"]


def test_commands_for_another_bot_are_left_alone(telegram: TelegramHarness) -> None:
    telegram.feed(message(26, REP, "/help@some_other_bot", chat_id=GROUP,
                          chat_type="supergroup"))
    telegram.feed(message(27, REP, "/lead Mine@Co", chat_id=GROUP, chat_type="supergroup"))
    telegram.feed(message(28, REP, f"/help@{BOT_USERNAME}", chat_id=GROUP,
                          chat_type="supergroup"))
    texts = [s["text"] for s in telegram.sent()]
    assert len(texts) == 2 and "Lead L-1 saved" in texts[0] and "/lead" in texts[1]


# --------------------------------------------------------------------------- sending


def test_flood_control_waits_as_long_as_telegram_asks_then_sends(
        telegram: TelegramHarness) -> None:
    telegram.api.fail_next("sendMessage", 1)
    telegram.feed(message(30, REP, "/help"))
    attempts = [c for c in telegram.api.calls if c.method == "sendMessage"]
    assert len(attempts) == 2 and attempts[0].params["text"] == attempts[1].params["text"]
    assert attempts[1].at - attempts[0].at >= 1.0  # Telegram's retry_after was kept


def test_a_send_that_stays_rate_limited_fails_with_the_wait_for_the_outbox(
        telegram: TelegramHarness) -> None:
    for _ in range(MAX_RETRIES + 1):
        telegram.api.fail_next("sendMessage", 1)
    with pytest.raises(SendFailed) as failed:
        telegram.door.send("1001", Reply("Reminder R-1 is due"))
    assert failed.value.retry_after == 1.0
    assert len(telegram.sent()) == MAX_RETRIES + 1


def test_a_long_reply_is_split_between_lines_with_the_keyboard_last(
        telegram: TelegramHarness) -> None:
    rows = [f"R-{n} call customer number {n} about the renewal 😀" for n in range(400)]
    telegram.door.send("1001", Reply("\n".join(rows), [[Button("More", "/todo page=2")]]))
    sent = telegram.sent()
    assert len(sent) > 1
    assert all(utf16_length(s["text"]) <= 4096 for s in sent)
    assert "\n".join(s["text"] for s in sent).split("\n") == rows
    assert [s.get("reply_markup") is not None for s in sent] == [False] * (len(sent) - 1) + [True]


def test_a_chart_goes_as_a_photo_and_an_export_as_a_document(
        telegram: TelegramHarness, app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1 amount=50k")
    telegram.feed(message(60, MGR, "/pipeline"))
    assert telegram.sent()[-1]["text"].startswith("Pipeline (team east)")
    (photo,) = telegram.api.of("sendPhoto")
    assert photo["chat_id"] == 2002
    ((name, data, _mime),) = photo["_files"].values()
    assert name == "pipeline.png" and data.startswith(b"\x89PNG")
    telegram.door.send("1001", Reply("Export", files=[
        Attachment("deals.csv", b"\xef\xbb\xbfDeal\r\n", "text/csv")]))
    (document,) = telegram.api.of("sendDocument")
    assert document["chat_id"] == "1001"  # the outbox passes chat ids as text
    assert list(document["_files"].values()) == [
        ("deals.csv", b"\xef\xbb\xbfDeal\r\n", "text/csv")]


# --------------------------------------------------------------------------- webhook


@pytest.fixture
def webhook(app: App) -> Iterator[TelegramHarness]:
    app.runtime = dataclasses.replace(
        app.runtime, telegram_webhook_url="https://bot.example.test/telegram/hook",
        telegram_webhook_port=0)
    harness = TelegramHarness(app)
    harness.door.webhook_secret = "long-random-secret"
    harness.door.start()
    try:
        yield harness
    finally:
        harness.door.stop()


def _post(port: int, body: bytes, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(f"http://127.0.0.1:{port}/telegram/hook", data=body,
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_webhook_is_registered_with_its_secret(webhook: TelegramHarness) -> None:
    registered = webhook.api.of("setWebhook")[0]
    assert registered["url"] == "https://bot.example.test/telegram/hook"
    assert registered["secret_token"] == "long-random-secret"
    assert webhook.api.of("deleteWebhook") == []


def test_webhook_refuses_requests_without_the_right_secret(
        webhook: TelegramHarness, app: App) -> None:
    assert webhook.door.server is not None
    port = webhook.door.server.port
    body = json.dumps(message(40, REP, "/lead Forged Co")).encode()
    assert _post(port, body, None) == 403
    assert _post(port, body, "wrong-secret") == 403
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.id)).first() is None
    assert _post(port, body, "long-random-secret") == 200
    assert webhook.sent()[0]["text"].startswith("Lead L-1 saved: Forged Co")


def test_webhook_without_a_secret_does_not_start(app: App) -> None:
    app.runtime = dataclasses.replace(
        app.runtime, telegram_webhook_url="https://bot.example.test/telegram/hook")
    harness = TelegramHarness(app)
    with pytest.raises(RuntimeError, match="TELEGRAM_WEBHOOK_SECRET"):
        harness.door.start()
    assert TOKEN.startswith(harness.door.bot_id)


def test_a_refused_token_stops_the_start_with_telegrams_reason(app: App) -> None:
    harness = TelegramHarness(app)
    harness.api.token_refused = True
    with pytest.raises(DoorError, match="telegram door did not open: .*rejected"):
        serve([harness.door])
