"""`[assistant]` in config.toml: an address and a model, a time limit, the key only from the
environment; no section, no assistant."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.assistant import chat_assistant
from bot.config import ConfigError, load_config
from bot.runtime import Runtime


def _load(tmp_path: Path, text: str) -> Runtime:
    path = tmp_path / "config.toml"
    path.write_text("[company]\nname = \"Acme\"\n" + text, encoding="utf-8")
    return load_config(path, env={}).runtime


def test_the_assistant_section_is_read(tmp_path: Path) -> None:
    runtime = _load(tmp_path, '[assistant]\nurl = "http://127.0.0.1:8000/v1/chat/completions"\n'
                               'model = "qwen2.5-7b-instruct"\ntimeout = 3\n')
    assert runtime.assistant_url == "http://127.0.0.1:8000/v1/chat/completions"
    assert runtime.assistant_model == "qwen2.5-7b-instruct"
    assert runtime.assistant_timeout == 3.0
    found = chat_assistant(runtime, env={"LTC_ASSISTANT_KEY": "sk-1"})
    assert found is not None and found.key == "sk-1" and found.timeout == 3.0


def test_without_the_section_there_is_no_assistant(tmp_path: Path) -> None:
    assert chat_assistant(_load(tmp_path, ""), env={"LTC_ASSISTANT_KEY": "sk-1"}) is None


@pytest.mark.parametrize(("text", "key", "says"), [
    ('[assistant]\nmodel = "m"\n', "assistant.url", "no address"),
    ('[assistant]\nurl = "ftp://x"\n', "assistant.url", "http://"),
    ('[assistant]\nurl = "http://x/v1"\ntimeout = 0\n', "assistant.timeout", "0.1 to 120"),
    ('[assistant]\nurl = "http://x/v1"\napi_key = "sk-1"\n', "assistant.api_key",
     "LTC_ASSISTANT_KEY"),
    ('[assistant]\nurl = "http://x/v1"\nmodle = "m"\n', "assistant.modle", "model"),
])
def test_mistakes_in_the_section_are_named(tmp_path: Path, text: str, key: str,
                                           says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    assert caught.value.key == key and says in str(caught.value)
