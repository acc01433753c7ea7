"""The outbox: messages waiting to be sent, when to try one, when to retry, when to give up,
quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from domain.dates import parse_time_range
from domain.errors import InvalidInput


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    PARKED = "parked"


@dataclass(eq=False)
class OutboxMessage:
    """A message to send later: to a user ("user", id) or a logical channel ("channel", name)."""

    recipient_kind: str
    recipient: str
    key: str
    params: dict[str, Any]
    dedupe_key: str
    created_at: datetime
    next_attempt_at: datetime
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    id: int | None = None


# Retry a failed send after these delays; after the last one the message is parked.
BACKOFF = (
    timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10),
    timedelta(minutes=30), timedelta(hours=2),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claimed message not marked sent within this time is tried again (its sender died).
LEASE = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta | None:
    """Delay before the next try after `attempts` failed tries; None means park it."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


OFF = "00:00-00:00"  # an empty window: a user who wants no quiet hours


@dataclass(frozen=True)
class QuietHours:
    """A daily window in the reader's own time zone when nothing is sent to them."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """"22:00-07:30", "22:00~7:30", "晚上10点到早上7点半", "10pm to 7am"."""
        window = parse_time_range(text)
        if window is None:
            raise InvalidInput("quiet.bad", value=text)
        return cls(*window)

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_allowed(self, instant: datetime, tz_name: str) -> datetime:
        """`instant` if outside the window, else the window's end in the reader's zone (UTC)."""
        tz = ZoneInfo(tz_name)
        local = instant.astimezone(tz)
        if not self.contains(local.time().replace(tzinfo=None)):
            return instant
        day = local.date()
        if self.start > self.end and local.time().replace(tzinfo=None) >= self.start:
            day = day + timedelta(days=1)
        # Wall-clock arithmetic in the reader's zone, so a DST change keeps "08:00" at 08:00.
        end = datetime.combine(day, self.end, tzinfo=tz)
        return end.astimezone(instant.tzinfo)
