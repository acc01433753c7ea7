"""What a command handler gets: the user, the unit of work, settings, time and translator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.dates import When, parse_date, parse_when
from domain.model.users import User
from domain.money import Money
from domain.settings import Settings
from handlers.amounts import parse_amount
from handlers.i18n import Translator
from handlers.incoming import Incoming
from handlers.unit_of_work import ChatUnitOfWork

DEFAULT_REMINDER_TIME = time(9, 0)


@dataclass
class Ctx:
    uow: ChatUnitOfWork
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

    def instant(self, text: str, default: time = DEFAULT_REMINDER_TIME) -> datetime:
        """A date (and optional time) in the user's zone -> an aware instant.

        "tomorrow 15:00", "明天下午3点", "fri", "2026-12-01 9:30"; without a time, `default`.
        """
        return self.at(parse_when(text, self.today), default)

    def at(self, when: When, default: time = DEFAULT_REMINDER_TIME) -> datetime:
        """The instant a parsed day and time mean in the user's zone."""
        local = datetime.combine(when.day, when.at or default, tzinfo=self.tz)
        if not when.said_day and local <= self.now:
            return local + timedelta(days=1)  # "15:00" said at 16:00 means tomorrow's
        if when.at is None and when.day == self.today and local <= self.now:
            # "today" said after 09:00 means later today, not a time already gone.
            return (self.now + timedelta(hours=1)).replace(second=0, microsecond=0)
        return local
