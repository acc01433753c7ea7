"""What a command handler gets: the user, the unit of work, settings, time and translator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.money import Money
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.users import User
from handlers.i18n import Translator
from handlers.incoming import Incoming
from handlers.parsing import parse_amount, parse_date, parse_time

DEFAULT_REMINDER_TIME = time(9, 0)


@dataclass
class Ctx:
    uow: UnitOfWork
    user: User
    settings: Settings
    now: datetime
    t: Translator
    incoming: Incoming

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.user.timezone)

    @property
    def today(self) -> date:
        """Today in the user's time zone."""
        return self.now.astimezone(self.tz).date()

    def date(self, text: str) -> date:
        return parse_date(text, self.today)

    def amount(self, text: str, currency: str | None = None) -> Money:
        return parse_amount(text, currency or self.settings.currency)

    def instant(self, text: str) -> datetime:
        """A date (and optional time) in the user's zone -> an aware instant.

        "tomorrow 15:00", "fri", "2026-12-01 9:30"; without a time, 09:00.
        """
        words = text.split()
        at = parse_time(words[-1]) if len(words) > 1 else None
        day_text = " ".join(words[:-1]) if at else text
        day = self.date(day_text)
        local = datetime.combine(day, at or DEFAULT_REMINDER_TIME, tzinfo=self.tz)
        if at is None and day == self.today and local <= self.now:
            # "today" said after 09:00 means later today, not a time already gone.
            return (self.now + timedelta(hours=1)).replace(second=0, microsecond=0)
        return local
