"""The assistant's door: an OpenAI-compatible chat-completions endpoint (a self-hosted model)
asked, with a time limit, which command a sentence means. Its key, if it needs one, comes from
LTC_ASSISTANT_KEY; nothing about the sentence is logged."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from bot.runtime import Runtime

KEY_ENV = "LTC_ASSISTANT_KEY"
MAX_ANSWER = 64 * 1024  # bytes read from the endpoint at most


class ChatCompletions:
    """Implements handlers.sentences.assistant.Assistant over HTTP (urllib, no extra library)."""

    def __init__(self, url: str, model: str, timeout: float, key: str | None = None) -> None:
        self.url = url
        self.model = model
        self.timeout = timeout
        self.key = key

    def complete(self, system: str, user: str) -> str:
        from handlers.sentences.assistant import AssistantFailed  # the reader loads when used

        body = json.dumps({"model": self.model, "temperature": 0, "max_tokens": 200,
                           "messages": [{"role": "system", "content": system},
                                        {"role": "user", "content": user}]}).encode()
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read(MAX_ANSWER)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise AssistantFailed(f"no answer: {type(error).__name__}") from error
        try:
            data: Any = json.loads(raw)
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise AssistantFailed("not a chat completion") from error
        if not isinstance(content, str):
            raise AssistantFailed("no text in the answer")
        return content


def chat_assistant(runtime: Runtime,
                   env: Mapping[str, str] | None = None) -> ChatCompletions | None:
    """The configured assistant, or None when config.toml names none."""
    if not runtime.assistant_url:
        return None
    environ = os.environ if env is None else env
    return ChatCompletions(runtime.assistant_url, runtime.assistant_model or "default",
                           runtime.assistant_timeout, environ.get(KEY_ENV) or None)
