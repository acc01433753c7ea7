"""The Telegram door: long polling or a webhook, inline keyboards, group manners, safe sends.

Each update becomes an `Incoming` (its update_id is the delivery id, so a repeat is dropped)
and goes to the dispatcher on a worker thread; the reply comes back as messages of at most
4096 characters, with the buttons as an inline keyboard. In groups the bot answers only
commands, sentences that mention it and replies to its own messages, mentions the person it
answers, and sends personal things (/todo, reminders, link codes) by direct message.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import re
import threading
import warnings
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    Chat,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram import User as TelegramUser
from telegram.constants import ChatType, MessageEntityType
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseRateLimiter,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.app import App
from bot.delivery import SendFailed
from bot.health import ops_routes
from bot.http_server import HttpRequest, HttpResponse, HttpServer
from bot.intake import intake_routes
from handlers.command_line import split_command
from handlers.commands import COMMANDS
from handlers.i18n import Translator, locale_of
from handlers.incoming import Incoming, Upload
from handlers.outgoing import (
    TELEGRAM_LIMIT,
    is_personal,
    split_text,
    translator_for,
    utf16_length,
)
from handlers.reply import Attachment, Button, Reply
from handlers.spreadsheets import MAX_FILE as MAX_UPLOAD
from storage.dialogs import ButtonPayloads

log = logging.getLogger(__name__)

# Durations as timedelta, the library's coming default (no deprecation warning per 429).
os.environ.setdefault("PTB_TIMEDELTA", "true")


ALLOWED_UPDATES = ["message", "callback_query"]
CALLBACK_LIMIT = 64  # bytes of callback_data Telegram keeps for a button
TOKEN_PREFIX = "tok:"
ALERT_LIMIT = 200  # characters of a button-press answer
MAX_RETRIES = 3  # tries after a 429 before the send fails (the outbox then retries later)
WAIT = 60.0  # seconds a webhook request or an outside send waits for the door's loop
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_ADDRESSED_RE = re.compile(r"^\s*[/／][A-Za-z][A-Za-z0-9_]*@(?P<bot>[A-Za-z0-9_]+)")


def flood_control(per_second: int = 30) -> AIORateLimiter:
    """Telegram's limits, kept ahead of time: `per_second` messages a second in all (30, the
    published limit, unless the bot may send more; 0: not paced overall), 20 a minute per
    group; a 429 anyway pauses every send for as long as Telegram asks, then tries again."""
    return AIORateLimiter(overall_max_rate=per_second, overall_time_period=1, group_max_rate=20,
                          group_time_period=60, max_retries=MAX_RETRIES)


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait, whichever type this library version gives."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def bot_commands(language: str) -> list[BotCommand]:
    """The command menu in one language: every command with its help summary."""
    t = Translator(language)
    return [BotCommand(c.name, t(c.summary_key)[:256]) for c in COMMANDS.values()
            if _COMMAND_NAME_RE.fullmatch(c.name)][:100]


def _language(user: TelegramUser) -> str | None:
    """The app language Telegram reports ("zh-hans", "en-US") as one of our locales."""
    return locale_of(user.language_code) if user.language_code else None


def _alert(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    return first if len(first) <= ALERT_LIMIT else first[: ALERT_LIMIT - 1] + "…"


class TelegramDoor:
    """One bot: `start()` serves it on a thread of its own; `send()` works from any thread."""

    platform = "telegram"

    def __init__(self, app: App, token: str, *, webhook_secret: str | None = None,
                 request: BaseRequest | None = None, updates_request: BaseRequest | None = None,
                 rate_limiter: BaseRateLimiter[Any] | None = None,
                 host: str | None = None) -> None:
        self.app = app
        self.settings = app.settings
        self.webhook_secret = webhook_secret or None
        self.host = host or app.runtime.telegram_webhook_host
        self.payloads = ButtonPayloads(app.engine)
        self.bot_id = token.split(":", 1)[0]
        builder = (Application.builder().token(token)
                   .base_url(app.runtime.telegram_api_base_url)
                   .concurrent_updates(32)
                   .rate_limiter(rate_limiter or flood_control(
                       app.runtime.telegram_messages_per_second)))
        if request is not None:
            builder = builder.request(request)
        if updates_request is not None:
            builder = builder.get_updates_request(updates_request)
        self.application = builder.build()
        self.application.add_handler(MessageHandler(
            filters.TEXT & filters.UpdateType.MESSAGE, self.on_message))
        self.application.add_handler(MessageHandler(
            filters.Document.ALL & filters.UpdateType.MESSAGE, self.on_document))
        self.application.add_handler(CallbackQueryHandler(self.on_button))
        self.server: HttpServer | None = None
        self._locks: dict[str, asyncio.Lock] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def bot(self) -> Bot:
        return self.application.bot

    @property
    def webhook_mode(self) -> bool:
        return bool(self.app.runtime.telegram_webhook_url)

    # ----------------------------------------------------------------- life cycle

    def start(self) -> None:
        """Initialise, register the commands, then poll or serve the webhook (in a thread)."""
        if self.webhook_mode and not self.webhook_secret:
            raise RuntimeError("telegram.webhook_url is set: TELEGRAM_WEBHOOK_SECRET is required")
        ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve(ready)),
                                        name="telegram", daemon=True)
        self._thread.start()
        ready.wait(WAIT)
        if self._failure is not None:
            raise RuntimeError(str(self._failure)) from self._failure

    def stop(self) -> None:
        loop, stopped = self._loop, self._stopped
        if loop is not None and stopped is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already ended
                loop.call_soon_threadsafe(stopped.set)
        if self._thread is not None:
            self._thread.join(WAIT)

    async def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        try:
            await self.application.initialize()
            await self.register_commands()
            await self.application.start()
            if self.webhook_mode:
                await self._open_webhook()
            else:
                updater = self.application.updater
                assert updater is not None
                await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        except Exception as error:
            self._failure = error  # start() raises it in the caller's thread
            await self._close()
            ready.set()
            return
        ready.set()
        try:
            await self._stopped.wait()
        finally:
            await self._close()

    async def _open_webhook(self) -> None:
        url = self.app.runtime.telegram_webhook_url
        await self.bot.set_webhook(url=url, secret_token=self.webhook_secret,
                                   allowed_updates=ALLOWED_UPDATES)
        path = urlsplit(url).path or "/"
        self.server = HttpServer(self.host, self.app.runtime.telegram_webhook_port,
                                 {**ops_routes(self.app.engine, self.app.dispatcher.clock),
                                  **intake_routes(self.app),
                                  path: self.webhook})
        self.server.start()

    async def _close(self) -> None:
        """Undo whatever part of the start-up happened, in reverse."""
        if self.server is not None:
            await asyncio.to_thread(self.server.stop)
            self.server = None
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def register_commands(self) -> None:
        """The command menu: English by default, Chinese for Chinese-language clients."""
        await self.bot.set_my_commands(commands=bot_commands("en"))
        await self.bot.set_my_commands(commands=bot_commands("zh"), language_code="zh")

    # ----------------------------------------------------------------- webhook

    def webhook(self, request: HttpRequest) -> HttpResponse:
        """Telegram's POST: refused unless it carries our secret; answered once handled."""
        if request.method != "POST":
            return HttpResponse(405, b"method not allowed")
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        secret = self.webhook_secret or ""
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            return HttpResponse(403, b"forbidden")
        try:
            data = json.loads(request.body)
        except ValueError:
            return HttpResponse(400, b"not JSON")
        if not isinstance(data, dict) or self._loop is None:
            return HttpResponse(400, b"not an update")
        future = asyncio.run_coroutine_threadsafe(self.process(data), self._loop)
        future.result(WAIT)
        return HttpResponse(200, b"ok")

    async def process(self, data: dict[str, Any]) -> None:
        """Handle one update given as Telegram's JSON."""
        update = Update.de_json(data, self.bot)
        await self.application.process_update(update)

    # ----------------------------------------------------------------- incoming

    def _delivery_id(self, update: Update) -> str:
        return f"{self.bot_id}:{update.update_id}"

    def _mention(self) -> re.Pattern[str]:
        """"@ltc_bot" (any case) in a message: a sentence addressed to this bot in a group."""
        return re.compile(rf"(?<![\w@])@{re.escape(self.bot.username or '-')}(?!\w)", re.I)

    def _for_me(self, message: Message, group: bool) -> bool:
        """In groups: commands for this bot, sentences that mention it, answers to it."""
        text = message.text or ""
        addressed = _ADDRESSED_RE.match(text)
        if addressed is not None:
            return addressed.group("bot").lower() == (self.bot.username or "").lower()
        if split_command(text) is not None or not group or self._mention().search(text):
            return True
        answered = message.reply_to_message
        return (answered is not None and answered.from_user is not None
                and answered.from_user.id == self.bot.id)

    async def _handle(self, incoming: Incoming) -> Reply:
        """One person's messages are handled in order; different people's side by side."""
        lock = self._locks.setdefault(incoming.user_id, asyncio.Lock())
        async with lock:
            return await asyncio.to_thread(self.app.dispatcher.handle, incoming)

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message or command: answer it in the same chat (or privately)."""
        message, user, chat = update.effective_message, update.effective_user, \
            update.effective_chat
        if message is None or user is None or chat is None or not message.text or user.is_bot:
            return
        group = chat.type != ChatType.PRIVATE
        if not self._for_me(message, group):
            return
        text = self._mention().sub("", message.text).strip() or message.text
        incoming = Incoming(platform="telegram", user_id=str(user.id), chat_id=str(chat.id),
                            text=text, delivery_id=self._delivery_id(update),
                            language_hint=_language(user), display_name=user.full_name)
        reply = await self._handle(incoming)
        if reply.silent:
            return
        if group and is_personal(incoming.text, reply):
            await self._answer_privately(incoming, reply, chat, user)
            return
        await self.deliver(chat.id, reply, mention=user if group else None,
                           force_reply=group and reply.asks,
                           reply_to=message.message_id if group else None)

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A file sent with a command as its caption (`/import leads`): the command gets the
        file's bytes, downloaded through the Bot API."""
        message, user, chat = update.effective_message, update.effective_user, \
            update.effective_chat
        if message is None or user is None or chat is None or user.is_bot \
                or message.document is None:
            return
        caption = (message.caption or "").strip()
        if split_command(caption) is None:
            return  # a file without a command: nothing asked of the bot
        document = message.document
        if (document.file_size or 0) > MAX_UPLOAD:
            data = b""
        else:
            file = await self.bot.get_file(document.file_id)
            data = bytes(await file.download_as_bytearray())
        incoming = Incoming(platform="telegram", user_id=str(user.id), chat_id=str(chat.id),
                            text=caption, delivery_id=self._delivery_id(update),
                            language_hint=_language(user), display_name=user.full_name,
                            file=Upload(document.file_name or "upload", data))
        reply = await self._handle(incoming)
        if not reply.silent:
            await self.deliver(chat.id, reply)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: run the command it stands for, then answer the press."""
        query = update.callback_query
        if query is None:
            return
        user = query.from_user
        message = query.message if isinstance(query.message, Message) else None
        chat = message.chat if message is not None else None
        command = await self._command_of(query.data or "")
        if command is None:
            t = await asyncio.to_thread(translator_for, self.app.dispatcher.uow_factory,
                                        self.settings, self.platform, str(user.id),
                                        _language(user))
            await query.answer(text=t("doors.button_expired"), show_alert=True)
            return
        incoming = Incoming(platform="telegram", user_id=str(user.id),
                            chat_id=str(chat.id if chat is not None else user.id), text=command,
                            delivery_id=self._delivery_id(update),
                            language_hint=_language(user), display_name=user.full_name)
        reply = await self._handle(incoming)
        if reply.silent:
            await query.answer()
            return
        if not reply.ok:
            await query.answer(text=_alert(reply.text), show_alert=True)
            return
        await query.answer(text=_alert(reply.text))
        group = chat is not None and chat.type != ChatType.PRIVATE
        if chat is not None and group and is_personal(command, reply):
            await self._answer_privately(incoming, reply, chat, user)
        elif message is None or (group and reply.asks):
            await self.deliver(chat.id if chat is not None else user.id, reply,
                               mention=user if group else None, force_reply=group and reply.asks)
        else:
            await self._edit(message, reply, mention=user if group else None)

    async def _command_of(self, data: str) -> str | None:
        if not data.startswith(TOKEN_PREFIX):
            return data
        return await asyncio.to_thread(self.payloads.command_of, data[len(TOKEN_PREFIX):])

    async def _answer_privately(self, incoming: Incoming, reply: Reply, chat: Chat,
                                user: TelegramUser) -> None:
        """Personal things go by direct message; the group only hears where they went."""
        t = await asyncio.to_thread(translator_for, self.app.dispatcher.uow_factory,
                                    self.settings, self.platform, incoming.user_id,
                                    incoming.language_hint)
        try:
            await self.deliver(user.id, reply)
            note = t("doors.sent_privately")
        except Forbidden:
            # A bot may not write first: the person has to open the private chat once.
            note = t("doors.dm_first", link=f"https://t.me/{self.bot.username}")
        await self.deliver(chat.id, Reply(note), mention=user)

    # ----------------------------------------------------------------- outgoing

    async def _callback_data(self, command: str) -> str:
        if len(command.encode("utf-8")) <= CALLBACK_LIMIT and \
                not command.startswith(TOKEN_PREFIX):
            return command
        token = await asyncio.to_thread(self.payloads.token_for, command)
        return TOKEN_PREFIX + token

    async def keyboard(self, rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
        """Reply buttons as an inline keyboard; each button sends its command back."""
        keyboard = [[InlineKeyboardButton(b.label, callback_data=await self._callback_data(
            b.command)) for b in row] for row in rows if row]
        return InlineKeyboardMarkup(keyboard) if keyboard else None

    @staticmethod
    def _mentioned(text: str, mention: TelegramUser | None) -> tuple[str, list[MessageEntity]]:
        if mention is None:
            return text, []
        name = mention.full_name
        entity = MessageEntity(MessageEntityType.TEXT_MENTION, 0, utf16_length(name),
                               user=mention)
        return f"{name}, {text}", [entity]

    def _chunks(self, reply: Reply, mention: TelegramUser | None) -> list[str]:
        room = TELEGRAM_LIMIT - (utf16_length(mention.full_name) + 2 if mention else 0)
        return split_text(reply.text or "…", room, utf16_length)

    async def deliver(self, chat_id: int | str, reply: Reply, *,
                      mention: TelegramUser | None = None, force_reply: bool = False,
                      reply_to: int | None = None) -> list[Message]:
        """Send a reply as one or more messages; the keyboard goes on the last one."""
        chunks = self._chunks(reply, mention)
        markup: InlineKeyboardMarkup | ForceReply | None = \
            ForceReply(selective=True) if force_reply else await self.keyboard(reply.buttons)
        sent: list[Message] = []
        for number, chunk in enumerate(chunks):
            first, last = number == 0, number == len(chunks) - 1
            text, entities = self._mentioned(chunk, mention if first else None)
            parameters = ReplyParameters(reply_to, allow_sending_without_reply=True) \
                if first and reply_to is not None else None
            sent.append(await self.bot.send_message(
                chat_id=chat_id, text=text, entities=entities or None,
                reply_markup=markup if last else None, reply_parameters=parameters))
        sent += await self._send_files(chat_id, reply.files)
        return sent

    async def _send_files(self, chat_id: int | str, files: list[Attachment]) -> list[Message]:
        """Charts as photos, everything else (CSV exports) as documents."""
        sent: list[Message] = []
        for attachment in files:
            if attachment.is_image:
                sent.append(await self.bot.send_photo(
                    chat_id=chat_id, photo=attachment.data, filename=attachment.name))
            else:
                sent.append(await self.bot.send_document(
                    chat_id=chat_id, document=attachment.data, filename=attachment.name))
        return sent

    async def _edit(self, message: Message, reply: Reply, *,
                    mention: TelegramUser | None) -> None:
        """The pressed message becomes the answer (so the same button is not pressed twice)."""
        chunks = self._chunks(reply, mention)
        if len(chunks) > 1:
            await self.bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=message.message_id, reply_markup=None)
            await self.deliver(message.chat.id, reply, mention=mention)
            return
        text, entities = self._mentioned(chunks[0], mention)
        try:
            await self.bot.edit_message_text(
                chat_id=message.chat.id, message_id=message.message_id, text=text,
                entities=entities or None, reply_markup=await self.keyboard(reply.buttons))
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise
        await self._send_files(message.chat.id, reply.files)

    def send(self, chat_id: str, reply: Reply, *, label: str = "") -> None:
        """Push a message to a chat from any thread (the outbox dispatcher uses this)."""
        try:
            loop = self._loop
            if loop is not None and loop.is_running():
                asyncio.run_coroutine_threadsafe(self.deliver(chat_id, reply), loop).result(WAIT)
            else:
                asyncio.run(self._deliver_alone(chat_id, reply))
        except RetryAfter as error:
            raise SendFailed("telegram: flood control", retry_after=retry_seconds(error)) \
                from error
        except TelegramError as error:
            raise SendFailed(f"telegram: {error}") from error

    async def _deliver_alone(self, chat_id: str, reply: Reply) -> None:
        """A send while the door is not serving (`python -m bot tick`)."""
        async with self.bot:
            await self.deliver(chat_id, reply)
