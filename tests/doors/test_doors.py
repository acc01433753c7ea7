"""Which doors open, from the secrets in the environment; `python -m bot run` without any."""

from __future__ import annotations

import dataclasses
import io
import sys
from pathlib import Path

import pytest

from bot.app import App
from bot.cli import main
from bot.console import run_console
from bot.doors import DoorError, Secrets, build_doors, run_doors, senders
from bot.slack_door import EVENTS_PATH, SlackDoor, SlackSender
from bot.telegram_door import TelegramDoor
from tests.doors.slack_fake import SlackApi
from tests.support import say

ENV = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "SLACK_BOT_TOKEN",
       "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")


@pytest.fixture
def api(slack_api: SlackApi) -> SlackApi:
    return slack_api


def test_secrets_come_from_the_environment() -> None:
    found = Secrets.from_env({"TELEGRAM_BOT_TOKEN": " 1:abc ", "SLACK_APP_TOKEN": "xapp-1"})
    assert found == Secrets(telegram_token="1:abc", slack_app_token="xapp-1")


def test_no_secrets_no_doors_and_run_falls_back_to_the_console(app: App) -> None:
    assert build_doors(app, Secrets()) == []
    consoled: list[bool] = []
    run_doors(app, Secrets(), lambda: consoled.append(True))
    assert consoled == [True]


def test_every_door_with_secrets_opens(app: App, api: SlackApi) -> None:
    app.runtime = dataclasses.replace(app.runtime, slack_api_base_url=api.url)
    doors = build_doors(app, Secrets(telegram_token="1:abc", slack_bot_token="xoxb-1",
                                     slack_signing_secret="s"))
    assert [type(d) for d in doors] == [TelegramDoor, SlackDoor]
    slack = doors[1]
    assert isinstance(slack, SlackDoor) and slack.socket is None
    assert api.of("auth.test"), "the Slack token is checked with Slack at start"


def test_slack_app_token_means_socket_mode(app: App, api: SlackApi) -> None:
    app.runtime = dataclasses.replace(app.runtime, slack_api_base_url=api.url)
    (door,) = build_doors(app, Secrets(slack_bot_token="xoxb-1", slack_app_token="xapp-1"))
    assert isinstance(door, SlackDoor) and door.socket is not None
    door.stop()


@pytest.mark.parametrize("secrets, problem", [
    (Secrets(slack_bot_token="xoxb-1"), "SLACK_SIGNING_SECRET"),
    (Secrets(slack_signing_secret="s"), "SLACK_BOT_TOKEN"),
])
def test_half_configured_slack_is_refused_with_what_is_missing(
        app: App, secrets: Secrets, problem: str) -> None:
    with pytest.raises(DoorError, match=problem):
        build_doors(app, secrets)


def test_telegram_webhook_needs_its_secret(app: App) -> None:
    app.runtime = dataclasses.replace(app.runtime,
                                      telegram_webhook_url="https://bot.example.test/tg")
    with pytest.raises(DoorError, match="TELEGRAM_WEBHOOK_SECRET"):
        build_doors(app, Secrets(telegram_token="1:abc"))


def test_tick_senders_need_no_running_door(app: App) -> None:
    found = senders(app, Secrets(telegram_token="1:abc", slack_bot_token="xoxb-1",
                                 slack_signing_secret="s"))
    assert [(type(s), s.platform) for s in found] == [(TelegramDoor, "telegram"),
                                                      (SlackSender, "slack")]


def test_run_without_tokens_opens_the_console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config.toml"
    config.write_text('[company]\nname = "Run Co"\nlocale = "en"\n')
    monkeypatch.setenv("LTC_DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.setattr(sys, "stdin", io.StringIO("/help\n"))
    assert main(["--config", str(config), "run", "--as", "ana"]) == 0
    out = capsys.readouterr().out
    assert "(ana) are now its admin" in out and "/lead" in out


def test_the_console_saves_a_chart_and_prints_where(app: App, tmp_path: Path) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", "/qualify L-1 amount=50k")
    out = io.StringIO()
    run_console(app, "mgr", ["/pipeline", "/pipeline"], out, directory=tmp_path / "charts")
    saved = [line.split("📎 ", 1)[1] for line in out.getvalue().splitlines() if "📎 " in line]
    assert saved == [str(tmp_path / "charts" / "pipeline.png"),
                     str(tmp_path / "charts" / "pipeline-2.png")]  # the first is kept
    assert all(Path(path).read_bytes().startswith(b"\x89PNG") for path in saved)


def test_run_with_half_the_slack_secrets_stops_with_the_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    config = tmp_path / "config.toml"
    config.write_text('[company]\nname = "Run Co"\n')
    monkeypatch.setenv("LTC_DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    assert main(["--config", str(config), "run"]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err


def test_slack_manifest_points_at_what_the_door_serves() -> None:
    manifest = (Path(__file__).resolve().parents[2] / "slack_manifest.yml").read_text()
    assert "command: /ltc" in manifest
    urls = [line.split("url:")[1].strip() for line in manifest.splitlines()
            if "url:" in line and not line.strip().startswith("#")]
    assert len(urls) == 3 and all(url.endswith(EVENTS_PATH) for url in urls)
    for needed in ("app_mention", "message.im", "commands", "chat:write", "im:history"):
        assert f"- {needed}" in manifest
