"""The doors listen on 127.0.0.1 unless config.toml names another address of this machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config
from bot.runtime import Runtime
from tests.unit.test_config import error_for, write


def test_both_doors_listen_on_this_machine_only_by_default(tmp_path: Path) -> None:
    runtime = load_config(write(tmp_path, '[company]\nname = "Acme"\n'), env={}).runtime
    assert runtime.slack_http_host == runtime.telegram_webhook_host == "127.0.0.1"
    assert Runtime().slack_http_host == Runtime().telegram_webhook_host == "127.0.0.1"


@pytest.mark.parametrize("written, read", [("0.0.0.0", "0.0.0.0"), ("::", "::"),
                                           ("10.0.0.5", "10.0.0.5"),
                                           ("localhost", "127.0.0.1")])
def test_a_listen_address_may_be_set(tmp_path: Path, written: str, read: str) -> None:
    path = write(tmp_path, f'[slack]\nhttp_host = "{written}"\n'
                           f'[telegram]\nwebhook_host = "{written}"\n')
    runtime = load_config(path, env={}).runtime
    assert runtime.slack_http_host == runtime.telegram_webhook_host == read


@pytest.mark.parametrize("key, section", [("slack.http_host", "[slack]\nhttp_host"),
                                          ("telegram.webhook_host", "[telegram]\nwebhook_host")])
@pytest.mark.parametrize("value", ['"example.com"', '"300.1.1.1"', "8080", '""'])
def test_a_listen_address_that_is_not_an_ip_is_refused(tmp_path: Path, key: str,
                                                       section: str, value: str) -> None:
    error_for(tmp_path, f"{section} = {value}\n", key)
