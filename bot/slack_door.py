"""The Slack door: one `/ltc` slash command, Block Kit buttons, a quote form, HTTP or Socket Mode.

Every listener acknowledges first (Slack wants an answer within 3 seconds) and does the work
in a lazy listener afterwards. In HTTP mode Bolt checks each request's signature and refuses
one older than 5 minutes; Socket Mode (when SLACK_APP_TOKEN is set) needs no public URL.
A slash command's trigger_id, an event's event_id and a button's action_ts are the delivery
ids, so a retry from Slack is recognised and not applied twice.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, BoltRequest
from slack_bolt import App as BoltApp
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.app import App
from bot.delivery import SendFailed
from bot.health import ops_routes
from bot.http_server import HttpRequest, HttpResponse, HttpServer
from bot.intake import intake_routes
from domain.errors import DomainError
from domain.references import looks_like_ref
from handlers.arguments import tokenize
from handlers.command_line import split_command
from handlers.commands import find
from handlers.i18n import Translator
from handlers.incoming import Incoming, Upload
from handlers.item_lines import parse_quote_lines
from handlers.outgoing import SLACK_LIMIT, is_personal, split_text, translator_for
from handlers.reply import Attachment, Button, Reply
from handlers.spreadsheets import MAX_FILE as MAX_UPLOAD

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
ACTION_PREFIX = "ltc:"
QUOTE_FORM = "ltc_quote"
BUTTON_LABEL = 75  # characters Slack shows on a button
BUTTONS_PER_ROW = 25
RATE_RETRIES = 2  # waits for Slack's Retry-After before a send fails to the outbox
_FIRST_WORD_RE = re.compile(r"^(?P<word>\S+)(?P<rest>.*)$", re.DOTALL)
_MENTION_RE = re.compile(r"^\s*<@[A-Z0-9]+>\s*")
# "remind me tomorrow …": a command's name followed by these words starts a sentence instead.
_SENTENCE_WORDS = frozenset({"me", "my", "our", "we", "us"})
# Channels the bot is not in, or that are gone: answer the person directly instead.
_UNREACHABLE = {"channel_not_found", "not_in_channel", "is_archived"}



def slash_text(text: str) -> str:
    """`/ltc lead Acme` carries "lead Acme": a command name first means that command (unless
    a sentence goes on, as in "remind me tomorrow …"); anything else is plain text, a sentence
    or an answer to an open dialog; nothing at all is /help."""
    written = text.strip()
    match = _FIRST_WORD_RE.match(written)
    if match is None:
        return "/help"
    name = match.group("word").lstrip("/").lower()
    second = match.group("rest").split(None, 1)[:1]
    if find(name) is None or (not match.group("word").startswith("/") and second
                              and second[0].lower() in _SENTENCE_WORDS):
        return written
    return f"/{name}{match.group('rest')}"


def escape(text: str) -> str:
    """Slack reads &, < and > as markup; plain text must escape them."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What a person typed, from Slack's escaped message text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _retry_after(headers: Any) -> float:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return 1.0
    return 1.0


def with_retries(client: WebClient) -> WebClient:
    """slack_sdk's own retry handlers: a 429 waits as long as Slack's Retry-After says
    (then the send fails to the outbox, which retries later), a 500/503 or a dropped
    connection is tried once more."""
    handlers = [h for h in client.retry_handlers
                if not isinstance(h, RateLimitErrorRetryHandler | ServerErrorRetryHandler)]
    client.retry_handlers = [*handlers, RateLimitErrorRetryHandler(max_retry_count=RATE_RETRIES),
                             ServerErrorRetryHandler(max_retry_count=1)]
    return client


def blocks(text: str, buttons: list[list[Button]]) -> list[dict[str, Any]]:
    """A section with the text, then one actions block per row of buttons."""
    found: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    for r, row in enumerate(buttons):
        if not row:
            continue
        found.append({"type": "actions", "block_id": f"ltc_row_{r}", "elements": [
            {"type": "button", "action_id": f"{ACTION_PREFIX}{r}:{c}", "value": b.command[:2000],
             "text": {"type": "plain_text", "text": b.label[:BUTTON_LABEL], "emoji": True}}
            for c, b in enumerate(row[:BUTTONS_PER_ROW])
        ]})
    return found


class SlackSender:
    """Posts replies through the Web API: split to Slack's limits, buttons as Block Kit."""

    platform = "slack"

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def messages(self, reply: Reply, mention: str | None = None) -> list[dict[str, Any]]:
        """The reply as chat.postMessage arguments: text and blocks, buttons on the last."""
        prefix = f"<@{mention}> " if mention else ""
        chunks = split_text(reply.text or "…", SLACK_LIMIT - len(prefix),
                            lambda s: len(escape(s)))
        found = []
        for number, chunk in enumerate(chunks):
            text = (prefix if number == 0 else "") + escape(chunk)
            last = number == len(chunks) - 1
            found.append({"text": text, "blocks": blocks(text, reply.buttons if last else [])})
        return found

    def post(self, channel: str, reply: Reply, *, mention: str | None = None) -> None:
        for message in self.messages(reply, mention):
            self.client.chat_postMessage(channel=channel, **message)
        self.upload(channel, reply.files)

    def upload(self, channel: str, files: list[Attachment]) -> None:
        """Charts and exports as Slack files, shared into the channel (or the person's DM)."""
        if not files:
            return
        if channel.startswith(("U", "W")):  # a person: files go to the DM conversation
            opened = self.client.conversations_open(users=channel)
            channel = str((opened.get("channel") or {}).get("id") or channel)
        for attachment in files:
            self.client.files_upload_v2(channel=channel, file=attachment.data,
                                        filename=attachment.name, title=attachment.name)

    def post_ephemeral(self, channel: str, user: str, reply: Reply) -> None:
        for message in self.messages(reply):
            self.client.chat_postEphemeral(channel=channel, user=user, **message)

    def update(self, channel: str, ts: str, reply: Reply, *, mention: str | None = None) -> bool:
        """Replace a message (the one whose button was pressed); False if the reply is too
        long for one message."""
        messages = self.messages(reply, mention)
        if len(messages) > 1:
            return False
        self.client.chat_update(channel=channel, ts=ts, **messages[0])
        self.upload(channel, reply.files)
        return True

    def send(self, chat_id: str, reply: Reply, *, label: str = "") -> None:
        """The outbox dispatcher's way out: a user id (direct message) or a channel id."""
        try:
            self.post(chat_id, reply)
        except SlackApiError as error:
            status = error.response.status_code
            retry_after = _retry_after(error.response.headers) if status == 429 else None
            raise SendFailed(f"slack: {error.response.get('error') or status}",
                             retry_after=retry_after) from error


def quote_form(t: Translator, deal: str, channel: str) -> dict[str, Any]:
    """The modal for a quote of several lines: deal, lines (one per line), discount."""

    def field(block: str, label: str, *, initial: str = "", multiline: bool = False,
              optional: bool = False, hint: str = "") -> dict[str, Any]:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": block,
                                   "multiline": multiline}
        if initial:
            element["initial_value"] = initial
        if hint:
            element["placeholder"] = {"type": "plain_text", "text": hint[:150]}
        return {"type": "input", "block_id": block, "optional": optional, "element": element,
                "label": {"type": "plain_text", "text": label[:2000]}}

    return {
        "type": "modal", "callback_id": QUOTE_FORM,
        "private_metadata": json.dumps({"channel": channel}),
        "title": {"type": "plain_text", "text": t("slack.quote_form.title")[:24]},
        "submit": {"type": "plain_text", "text": t("slack.quote_form.submit")[:24]},
        "close": {"type": "plain_text", "text": t("button.cancel")[:24]},
        "blocks": [
            field("deal", t("slack.quote_form.deal"), initial=deal, hint="D-7"),
            field("lines", t("slack.quote_form.lines"), multiline=True,
                  hint="10 x Cloud Server @ 5,000\n2 x Installation @ 1k"),
            field("discount", t("slack.quote_form.discount"), optional=True, hint="10"),
        ],
    }


def quote_form_deal(text: str) -> str | None:
    """`/ltc quote` or `/ltc quote D-7` (no lines yet): the deal to put in the form ("" if
    none); None when the command is complete or is not a new quote."""
    parsed = split_command(text)
    if parsed is None or parsed[0] != "quote":
        return None
    try:
        args = tokenize(parsed[1])
    except DomainError:
        return None
    if args.options or len(args.positional) > 1:
        return None
    deal = args.positional[0] if args.positional else ""
    if deal and looks_like_ref(deal) and deal.upper().startswith("Q"):
        return None
    return deal


def _form_value(view: dict[str, Any], block: str) -> str:
    value = view.get("state", {}).get("values", {}).get(block, {}).get(block, {}).get("value")
    return (value or "").strip()


class SlackDoor:
    """The Bolt app and its listeners; `start()` serves HTTP or connects Socket Mode."""

    platform = "slack"

    def __init__(self, app: App, *, bot_token: str, signing_secret: str,
                 app_token: str | None = None, client: WebClient | None = None,
                 host: str | None = None,
                 executor: Executor | None = None) -> None:
        self.app = app
        self.settings = app.settings
        self.host = host or app.runtime.slack_http_host
        self.client = client or WebClient(token=bot_token,
                                          base_url=app.runtime.slack_api_base_url)
        if self.client.token is None:
            self.client.token = bot_token
        with_retries(self.client)
        self.sender = SlackSender(self.client)
        # The work after each ack runs on this executor (Bolt's own pool unless given).
        self.bolt = BoltApp(signing_secret=signing_secret, client=self.client,
                            process_before_response=True, listener_executor=executor)
        self.bolt.command("/ltc")(ack=self._ack, lazy=[self._on_command])
        self.bolt.action(re.compile(f"^{ACTION_PREFIX}"))(ack=self._ack, lazy=[self._on_button])
        self.bolt.view(QUOTE_FORM)(ack=self._ack_quote_form, lazy=[self._on_quote_form])
        self.bolt.event("message")(ack=self._ack, lazy=[self._on_message])
        self.bolt.event("app_mention")(ack=self._ack, lazy=[self._on_mention])
        self.socket = SocketModeHandler(self.bolt, app_token) if app_token else None
        self.server: HttpServer | None = None

    # ----------------------------------------------------------------- life cycle

    def start(self) -> None:
        if self.socket is not None:
            self.socket.connect()
            return
        self.server = HttpServer(self.host, self.app.runtime.slack_http_port,
                                 {**ops_routes(self.app.engine, self.app.dispatcher.clock),
                                  **intake_routes(self.app),
                                  EVENTS_PATH: self.handle_http})
        self.server.start()

    def stop(self) -> None:
        if self.socket is not None:
            self.socket.close()
        if self.server is not None:
            self.server.stop()

    def handle_http(self, request: HttpRequest) -> HttpResponse:
        """One request from Slack (command, button, form or event), checked and acknowledged."""
        if request.method != "POST":
            return HttpResponse(405, b"method not allowed")
        try:
            bolt_request = BoltRequest(body=request.body.decode("utf-8", "replace"),
                                       query=request.query, headers=dict(request.headers))
        except ValueError:  # JSON that does not parse, in the body or in its payload field
            return HttpResponse(400, b"malformed body")
        answer = self.bolt.dispatch(bolt_request)
        content_type = (answer.headers.get("content-type") or ["text/plain"])[0]
        return HttpResponse(answer.status, (answer.body or "").encode("utf-8"), content_type)

    def send(self, chat_id: str, reply: Reply, *, label: str = "") -> None:
        self.sender.send(chat_id, reply, label=label)

    # ----------------------------------------------------------------- listeners

    @staticmethod
    def _ack(ack: Ack) -> None:
        """Slack waits 3 seconds at most: acknowledge at once, work afterwards."""
        ack()

    def _translator(self, user: str) -> Translator:
        return translator_for(self.app.dispatcher.uow_factory, self.settings, self.platform,
                              user)

    def _on_command(self, body: dict[str, Any]) -> None:
        """`/ltc <command> [...]`: run it and answer in the channel (or privately)."""
        user, channel = body["user_id"], body["channel_id"]
        text = slash_text(unescape(body.get("text") or ""))
        deal = quote_form_deal(text)
        if deal is not None and body.get("trigger_id"):
            if not self.app.dispatcher.first_sighting(self.platform,
                                                      f"command:{body['trigger_id']}"):
                return
            self.client.views_open(trigger_id=body["trigger_id"],
                                   view=quote_form(self._translator(user), deal, channel))
            return
        trigger = body.get("trigger_id")
        incoming = Incoming(platform="slack", user_id=user, chat_id=channel, text=text,
                            delivery_id=f"command:{trigger}" if trigger else None,
                            display_name=body.get("user_name"))
        self._answer(incoming, self.app.dispatcher.handle(incoming))

    def _on_button(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        """A button press: run its command; the pressed message becomes the answer."""
        user = body["user"]["id"]
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or user
        incoming = Incoming(platform="slack", user_id=user, chat_id=channel,
                            text=str(action.get("value") or ""),
                            delivery_id=f"action:{user}:{action.get('action_ts')}")
        reply = self.app.dispatcher.handle(incoming)
        message = body.get("message")
        direct = self._direct(channel, user)
        personal_in_channel = not direct and is_personal(incoming.text, reply)
        replaceable = message is not None and not container.get("is_ephemeral")
        if reply.ok and not reply.silent and replaceable and not personal_in_channel:
            mention = None if direct else user
            ts = str(message["ts"]) if message else ""
            if self._reachable(lambda: self.sender.update(channel, ts, reply, mention=mention)):
                return
        self._answer(incoming, reply)

    def _ack_quote_form(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Lines that cannot be read keep the form open with the reason next to them."""
        try:
            parse_quote_lines(_form_value(view, "lines"))
        except DomainError as error:
            t = self._translator(body["user"]["id"])
            ack(response_action="errors", errors={"lines": t(error.key, **error.params)})
            return
        ack()

    def _on_quote_form(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The quote form sent: the same /quote as typed, answered in the channel."""
        user = body["user"]["id"]
        try:
            channel = str(json.loads(view.get("private_metadata") or "{}").get("channel") or user)
        except ValueError:
            channel = user
        lines = "; ".join(line.strip() for line in _form_value(view, "lines").splitlines()
                          if line.strip())
        discount = _form_value(view, "discount")
        text = " ".join(part for part in ("/quote", _form_value(view, "deal"), lines,
                                          f"discount={discount}" if discount else "") if part)
        incoming = Incoming(platform="slack", user_id=user, chat_id=channel, text=text,
                            delivery_id=f"view:{view.get('id')}")
        self._answer(incoming, self.app.dispatcher.handle(incoming))

    def _on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """A direct message to the app: a dialog answer, or `lead Acme` without the /ltc; a
        file shared with `import leads` as its message is imported."""
        if event.get("bot_id") or event.get("channel_type") != "im":
            return
        if event.get("subtype") == "file_share" and event.get("files"):
            self._on_file(event, body)
            return
        if event.get("subtype"):
            return
        self._event(event, body, unescape(str(event.get("text") or "")))

    def _on_file(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """The first file of the message, read through files.info and its private URL."""
        user, channel = event.get("user"), event.get("channel")
        text = slash_text(unescape(str(event.get("text") or "")))
        if not user or not channel or not text.startswith("/"):
            return
        shared = event["files"][0]
        info = self.client.files_info(file=str(shared.get("id")))
        file = info.get("file") or {}
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        data = b""
        if url and int(file.get("size") or 0) <= MAX_UPLOAD:
            request = urllib.request.Request(url, headers={
                "Authorization": f"Bearer {self.client.token}"})
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                data = answer.read(MAX_UPLOAD + 1)
        incoming = Incoming(platform="slack", user_id=str(user), chat_id=str(channel),
                            text=text, delivery_id=f"event:{body.get('event_id')}",
                            file=Upload(str(file.get("name") or shared.get("name") or "upload"),
                                        data))
        self._answer(incoming, self.app.dispatcher.handle(incoming))

    def _on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """`@ltcbot lead Acme` in a channel reads like `/ltc lead Acme`."""
        if event.get("bot_id"):
            return
        text = unescape(_MENTION_RE.sub("", str(event.get("text") or "")))
        self._event(event, body, slash_text(text))

    def _event(self, event: dict[str, Any], body: dict[str, Any], text: str) -> None:
        user, channel = event.get("user"), event.get("channel")
        if not user or not channel or not text.strip():
            return
        incoming = Incoming(platform="slack", user_id=str(user), chat_id=str(channel),
                            text=text, delivery_id=f"event:{body.get('event_id')}")
        self._answer(incoming, self.app.dispatcher.handle(incoming))

    # ----------------------------------------------------------------- answers

    @staticmethod
    def _direct(channel: str, user: str) -> bool:
        return channel == user or channel.startswith("D")

    @staticmethod
    def _reachable(post: Callable[[], object]) -> bool:
        """Run a post; False when the channel cannot take it (the bot is not in it)."""
        try:
            post()
        except SlackApiError as error:
            if error.response.get("error") in _UNREACHABLE:
                return False
            raise
        return True

    def _answer(self, incoming: Incoming, reply: Reply) -> None:
        """Refusals only to the asker, personal things by DM, the rest in the channel."""
        if reply.silent:
            return
        user, channel = incoming.user_id, incoming.chat_id
        if self._direct(channel, user):
            self.sender.post(channel, reply)
            return
        if not reply.ok:
            if not self._reachable(lambda: self.sender.post_ephemeral(channel, user, reply)):
                self.sender.post(user, reply)
            return
        if is_personal(incoming.text, reply):
            self.sender.post(user, reply)
            note = Reply(self._translator(user)("doors.sent_privately"))
            self._reachable(lambda: self.sender.post_ephemeral(channel, user, note))
            return
        if not self._reachable(lambda: self.sender.post(channel, reply, mention=user)):
            self.sender.post(user, reply)
