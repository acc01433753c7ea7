"""What an operator sees: a log line per command without its text, /healthz that checks the
database, Prometheus metrics on the endpoint and from `python -m bot stats`."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import App
from bot.health import ops_routes
from bot.http_server import HttpRequest
from bot.logs import LogLevelError, level_from
from storage.database import make_engine
from tests.support import FakeClock, say

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"
GET = HttpRequest(method="GET", path="/", query="", headers={}, body=b"")


def test_each_command_writes_one_line_without_its_text(app: App,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="handlers.dispatch"):
        say(app, "rep", "/lead Secretive Holdings contact=Li phone=13800000000",
            delivery_id="tg-9")
        say(app, "fin", "/lead Other Co")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("command ")]
    assert len(lines) == 2
    assert lines[0].startswith("command platform=console delivery=tg-9 user=rep command=lead "
                               "outcome=ok ms=")
    assert "outcome=refused" in lines[1]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Secretive" not in logged and "13800000000" not in logged


@pytest.mark.parametrize("value, level", [("debug", logging.DEBUG), ("INFO", logging.INFO),
                                          ("", logging.WARNING)])
def test_the_log_level_comes_from_ltc_log_level(value: str, level: int) -> None:
    assert level_from({"LTC_LOG_LEVEL": value}) == level


def test_an_unknown_log_level_is_refused() -> None:
    with pytest.raises(LogLevelError, match="LTC_LOG_LEVEL"):
        level_from({"LTC_LOG_LEVEL": "loud"})


def test_healthz_reports_the_outbox_backlog(app: App, clock: FakeClock) -> None:
    assert say(app, "rep", "/lead Acme").ok and say(app, "rep", "/qualify L-1").ok
    assert say(app, "rep", "/quote D-1 1 x A @ 1000 discount=30").ok  # asks a manager
    clock.advance(minutes=10)
    answer = ops_routes(app.engine, clock)["/healthz"](GET)
    details = json.loads(answer.body)
    assert answer.status == 200 and details["database"] == "ok"
    assert details["outbox_pending"] >= 1
    assert details["outbox_oldest_pending_seconds"] == 600.0


def test_healthz_is_not_200_when_the_database_is_down(clock: FakeClock) -> None:
    engine = make_engine(NOWHERE)
    answer = ops_routes(engine, clock)["/healthz"](GET)
    engine.dispose()
    assert answer.status == 503
    assert json.loads(answer.body)["database"] == "unreachable"


def test_metrics_count_commands_and_show_the_outbox(app: App, clock: FakeClock) -> None:
    say(app, "rep", "/lead Metered Co")
    say(app, "fin", "/lead Refused Co")
    text = ops_routes(app.engine, clock)["/metrics"](GET).body.decode()
    assert 'ltc_commands_total{command="lead",outcome="ok"}' in text
    assert 'ltc_commands_total{command="lead",outcome="refused"}' in text
    assert 'ltc_command_seconds_bucket{command="lead",le="0.5"}' in text
    assert "ltc_outbox_pending " in text and "ltc_database_up 1.0" in text


def test_stats_prints_what_an_earlier_console_counted(tmp_path: Path) -> None:
    env = {**os.environ, "LTC_DATABASE_URL": f"sqlite:///{tmp_path / 'ltc.db'}",
           "LTC_METRICS_DIR": str(tmp_path / "metrics"), "LTC_CONFIG": str(ROOT / "config.toml")}

    def bot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env,
                              input=stdin, capture_output=True, text=True, timeout=120)

    assert bot("console", "--as", "alice", stdin="/lead Acme\n/lead Beta\n/approve Q-9\n"
               ).returncode == 0
    done = bot("stats")
    assert done.returncode == 0, done.stderr
    assert 'ltc_commands_total{command="lead",outcome="ok"} 2.0' in done.stdout
    assert 'ltc_commands_total{command="approve",outcome="refused"} 1.0' in done.stdout
    assert "ltc_outbox_oldest_pending_seconds" in done.stdout


def test_the_console_of_run_keeps_its_screen_free_of_log_lines(tmp_path: Path) -> None:
    """`make run` with no chat token is a console: the per-command log lines are a server's,
    for LTC_LOG_LEVEL=INFO to ask for."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "SLACK_", "LTC_LOG_LEVEL"))}
    env.update({"LTC_DATABASE_URL": f"sqlite:///{tmp_path / 'ltc.db'}",
                "LTC_METRICS_DIR": str(tmp_path / "metrics"),
                "LTC_CONFIG": str(ROOT / "config.toml")})

    def run(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", "run", "--as", "alice"], cwd=ROOT,
                              env={**env, **extra}, input="/lead Acme\n", capture_output=True,
                              text=True, timeout=120)

    quiet = run()
    assert quiet.returncode == 0, quiet.stderr
    assert "L-1" in quiet.stdout and "command platform=" not in quiet.stderr
    asked = run(LTC_LOG_LEVEL="info")
    assert asked.returncode == 0, asked.stderr
    assert "command platform=console" in asked.stderr
