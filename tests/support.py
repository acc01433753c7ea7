"""Test helpers shared by the integration and end-to-end suites."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import App
from handlers.incoming import Incoming
from handlers.reply import Reply


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: datetime = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Mon 10:00 in Shanghai

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def say(app: App, username: str, text: str, **extra: Any) -> Reply:
    """Send one console line as `username` and return the reply."""
    return app.dispatcher.handle(Incoming(platform="console", user_id=username,
                                          chat_id="console", text=text, **extra))


ROOT = Path(__file__).resolve().parents[1]


def run_fresh(script: str) -> dict[str, object]:
    """Run a Python script in a fresh interpreter (this test process has long imported
    everything) from the project's root; what its last line prints, read as JSON."""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
