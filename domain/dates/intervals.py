"""How often, as the settings file and people write it: 30s, 1m, 5 min, 1h, 5分钟, 1小时;
and the short form it is written back in."""

from __future__ import annotations

import re
from datetime import timedelta

from domain.dates.text import clean

_INTERVAL_RE = re.compile(
    r"^(?:every\s+|每)?(?P<n>\d+)\s*(?P<unit>s|secs?|seconds?|秒钟?|m|mins?|minutes?|分钟?"
    r"|h|hrs?|hours?|小时|个小时)$"
)


def parse_interval(text: str) -> timedelta | None:
    """How often: 30s, 1m, 5 min, 1h, 5分钟, 1小时; None if not an interval (or zero)."""
    match = _INTERVAL_RE.match(clean(text))
    if match is None or int(match.group("n")) == 0:
        return None
    unit = match.group("unit")
    n = int(match.group("n"))
    if unit.startswith(("s", "秒")):
        return timedelta(seconds=n)
    if unit.startswith(("h", "小", "个")):
        return timedelta(hours=n)
    return timedelta(minutes=n)


def interval_text(step: timedelta) -> str:
    """An interval written the short way the settings file uses: 30s, 5m, 1h."""
    seconds = int(step.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"
