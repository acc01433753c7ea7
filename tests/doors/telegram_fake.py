"""An offline Telegram Bot API: a BaseRequest that records every call and answers like Telegram."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 4242
BOT_USERNAME = "ltc_test_bot"
TOKEN = f"{BOT_ID}:TEST-token"
WAIT = 20.0  # seconds; an upper bound for something that should happen, never a delay


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when the call came in


class RecordingRequest(BaseRequest):
    """Every Bot API call is kept in `calls`; `fail_next(method, retry_after)` makes the next
    call of `method` answer 429 Too Many Requests; `forbid(chat_id)` makes sends to that chat
    answer 403 (the person never opened the private chat)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self._floods: dict[str, list[int]] = {}
        self._forbidden: set[str] = set()
        self.token_refused = False
        self._ids = itertools.count(100)
        self._changed = threading.Condition()
        self.files: dict[str, bytes] = {}  # file_id -> what a download of it returns

    # ------------------------------------------------------------------ test controls

    def fail_next(self, method: str, retry_after: int) -> None:
        self._floods.setdefault(method, []).append(retry_after)

    def forbid(self, chat_id: int | str) -> None:
        self._forbidden.add(str(chat_id))

    def push_update(self, update: dict[str, Any]) -> None:
        with self._changed:
            self.updates.append(update)
            self._changed.notify_all()

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1) -> list[dict[str, Any]]:
        """Block until `count` calls of `method` were made (or fail after WAIT seconds)."""
        with self._changed:
            done = self._changed.wait_for(lambda: len(self.of(method)) >= count, WAIT)
        assert done, f"{method} was called {len(self.of(method))} times, expected {count}"
        return self.of(method)

    # ------------------------------------------------------------------ BaseRequest

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None
                         ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        if "/file/bot" in url:  # a file download: the bytes themselves
            with self._changed:
                self.calls.append(Call("download", {"url": url}))
            found = self.files.get(name)
            return (200, found) if found is not None else (404, b"not found")
        params = dict(request_data.parameters) if request_data is not None else {}
        if request_data is not None and request_data.contains_files:
            # Uploaded files (photos, documents) by part name: (file name, bytes, mime type).
            params["_files"] = {part: (f[0], f[1], f[2]) if isinstance(f, tuple) else f
                                for part, f in request_data.multipart_data.items()}
        if name == "getUpdates":
            return 200, self._json(await self._take_updates())
        with self._changed:
            self.calls.append(Call(name, params))
            self._changed.notify_all()
        if self.token_refused:
            return 401, json.dumps({"ok": False, "error_code": 401,
                                    "description": "Unauthorized"}).encode()
        floods = self._floods.get(name)
        if floods:
            wait = floods.pop(0)
            return 429, json.dumps({
                "ok": False, "error_code": 429,
                "description": f"Too Many Requests: retry after {wait}",
                "parameters": {"retry_after": wait}}).encode()
        if name in ("sendMessage",) and str(params.get("chat_id")) in self._forbidden:
            return 403, json.dumps({"ok": False, "error_code": 403, "description":
                                    "Forbidden: bot can't initiate conversation with a user"
                                    }).encode()
        return 200, self._json(self._result(name, params))

    # ------------------------------------------------------------------ answers

    async def _take_updates(self) -> list[dict[str, Any]]:
        # Long polling: an empty answer comes after a pause, as Telegram holds the request.
        with self._changed:
            taken, self.updates = self.updates, []
        if not taken:
            await asyncio.sleep(0.05)
        return taken

    @staticmethod
    def _json(result: Any) -> bytes:
        return json.dumps({"ok": True, "result": result}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "LTC", "username": BOT_USERNAME,
                    "can_join_groups": True, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}
        if name in ("sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto",
                    "sendDocument"):
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": 1795000000,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "LTC",
                         "username": BOT_USERNAME},
                "text": params.get("text", ""),
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        if name == "getFile":
            file_id = str(params["file_id"])
            return {"file_id": file_id, "file_unique_id": f"u{file_id}",
                    "file_size": len(self.files.get(file_id, b"")),
                    "file_path": f"documents/{file_id}"}
        return True


def user(user_id: int, first_name: str = "Li", language: str = "en") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language}


def message(update_id: int, sender: dict[str, Any], text: str, *, chat_id: int | None = None,
            chat_type: str = "private", reply_to_bot: bool = False) -> dict[str, Any]:
    """An update carrying a text message, as Telegram sends it."""
    chat: dict[str, Any] = {"id": chat_id if chat_id is not None else sender["id"],
                            "type": chat_type}
    if chat_type != "private":
        chat["title"] = "Sales team"
    body: dict[str, Any] = {"message_id": update_id + 10000, "date": 1795000000, "chat": chat,
                            "from": sender, "text": text}
    if text.startswith("/"):
        length = len(text.split()[0])
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    if reply_to_bot:
        body["reply_to_message"] = {
            "message_id": 7, "date": 1795000000, "chat": chat, "text": "question",
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "LTC",
                     "username": BOT_USERNAME}}
    return {"update_id": update_id, "message": body}


def press(update_id: int, sender: dict[str, Any], data: str, *, chat_id: int | None = None,
          chat_type: str = "private", text: str = "card",
          keyboard: list[list[dict[str, str]]] | None = None) -> dict[str, Any]:
    """An update carrying a button press on a message the bot sent."""
    chat: dict[str, Any] = {"id": chat_id if chat_id is not None else sender["id"],
                            "type": chat_type}
    shown: dict[str, Any] = {
        "message_id": 555, "date": 1795000000, "chat": chat, "text": text,
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "LTC", "username": BOT_USERNAME}}
    if keyboard is not None:
        shown["reply_markup"] = {"inline_keyboard": keyboard}
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "from": sender, "chat_instance": "ci", "data": data,
        "message": shown}}


def document(update_id: int, sender: dict[str, Any], file_id: str, file_name: str,
             caption: str) -> dict[str, Any]:
    """An update carrying a file (a document) with a caption, as Telegram sends it."""
    body: dict[str, Any] = {
        "message_id": update_id + 10000, "date": 1795000000,
        "chat": {"id": sender["id"], "type": "private"}, "from": sender, "caption": caption,
        "document": {"file_id": file_id, "file_unique_id": f"u{file_id}",
                     "file_name": file_name, "file_size": 100}}
    if caption.startswith("/"):
        body["caption_entities"] = [{"type": "bot_command", "offset": 0,
                                     "length": len(caption.split()[0])}]
    return {"update_id": update_id, "message": body}
