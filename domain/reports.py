"""What a report counts and over which days, the read port the digests' figures come from,
and the ratios made of them.

Every figure is a SQL aggregate (storage implements the port; the report commands read
more of them through the handlers' `Reports`); the domain only divides two of them (a rate,
an average) and decides who sees which scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from domain.errors import Forbidden, InvalidInput
from domain.model.users import Role, User

SCOPES = ("mine", "team", "all")
SECONDS_PER_DAY = Decimal(86400)
SECONDS_PER_HOUR = Decimal(3600)



# --------------------------------------------------------------------------- scope and time


@dataclass(frozen=True)
class Scope:
    """Whose records a report counts: one owner's, one team's, or everyone's."""

    word: str
    owner_id: int | None = None
    team: str | None = None


def report_scope(user: User, word: str | None = None) -> Scope:
    """Reps see their own figures, managers their team's, finance and admins everyone's;
    a customer sees none."""
    if user.role == Role.CUSTOMER:
        raise Forbidden("access.role", role=user.role.value, allowed="rep/manager/finance")
    if word is None:
        word = {Role.REP: "mine", Role.MANAGER: "team"}.get(user.role, "all")
    word = word.strip().lower()
    if word not in SCOPES:
        raise InvalidInput("report.bad_scope", value=word, scopes="|".join(SCOPES))
    if word == "mine":
        return Scope("mine", owner_id=user.id)
    wide = user.role in (Role.FINANCE, Role.ADMIN)
    if user.role == Role.REP or (word == "all" and not wide and user.team is not None):
        allowed = "mine" if user.role == Role.REP else "mine, team"
        raise Forbidden("report.scope_not_allowed", scope=word, allowed=allowed)
    if word == "team" and user.team is not None:
        return Scope("team", team=user.team)
    return Scope("all")


@dataclass(frozen=True)
class Window:
    """A stretch of days [start, end) and the same stretch as UTC instants [since, until)."""

    key: str
    start: date
    end: date
    since: datetime
    until: datetime

    @classmethod
    def of(cls, key: str, start: date, end: date, tz_name: str) -> Window:
        """Days read in a time zone: each boundary is that day's midnight there."""
        tz = ZoneInfo(tz_name)
        return cls(key, start, end,
                   datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC),
                   datetime.combine(end, time(0), tzinfo=tz).astimezone(UTC))

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


# --------------------------------------------------------------------------- ratios


def rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """`part` of `whole` in percent, to one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def average(total: int | Decimal | None, count: int, unit: Decimal = Decimal(1),
            places: str = "0.1") -> Decimal | None:
    """`total / count / unit`, rounded half up to `places`; None without anything to count."""
    if not count or total is None:
        return None
    return (Decimal(total) / Decimal(count) / unit).quantize(Decimal(places), ROUND_HALF_UP)


def net_promoter_score(promoters: int, detractors: int, answered: int) -> Decimal | None:
    """NPS: the share of promoters less the share of detractors, -100 to 100."""
    if not answered:
        return None
    return (Decimal(promoters - detractors) * 100 / answered).quantize(Decimal(1), ROUND_HALF_UP)


def days_sales_outstanding(receivable: Decimal, invoiced: Decimal, days: int) -> Decimal | None:
    """DSO: receivables at the end of the period / what was invoiced in it x its days."""
    if invoiced <= 0:
        return None
    return (receivable / invoiced * days).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --------------------------------------------------------------------------- the read port


class DigestFigures(Protocol):
    """The report aggregates the weekly digests are made of: sums, counts and groups in SQL,
    never row loops (the report commands read more: the handlers' `Reports`).

    Money columns come back as Decimal; `weighted` is the exact sum of amount x probability
    / 100; `seconds` are sums of whole-second differences for an average to divide.
    """

    def forecast(self, scope: Scope, months: Sequence[Window]) -> list[dict[str, Any]]:
        """Per month key and currency: open deals expected to close in it (open_deals,
        open_amount, weighted) and deals won in it (won_deals, won_amount)."""
        ...

    def closed(self, scope: Scope, period: Window) -> dict[str, Any]:
        """Deals closed in the period: won, lost, and for the won ones the seconds from lead
        (or deal) creation to the win (cycle_seconds over cycle_deals; a deal won before it
        was entered, its order signed earlier, has no cycle)."""
        ...

    def won_value(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        """Deals won in the period per currency: deals (with an amount) and amount."""
        ...

    def aging_totals(self, scope: Scope, today: date) -> list[dict[str, Any]]:
        """The same buckets per currency, with customers and total."""
        ...

    def leaderboard(self, scope: Scope, period: Window, currency: str,
                    limit: int) -> list[dict[str, Any]]:
        """Per sales person: won deals and won amount (in `currency`), activities, new leads."""
        ...

    def stale(self, scope: Scope, before: datetime, limit: int) -> list[dict[str, Any]]:
        """Open deals without activity since `before`, the longest silent first."""
        ...

    def stale_count(self, scope: Scope, before: datetime) -> int: ...

    def stage_moves(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        """Moves between open stages in the period, per stage moved to: stage, moves."""
        ...

    def new_deals(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        """Deals created in the period per currency: deals, amount."""
        ...

    def cash_due(self, scope: Scope, today: date, weeks: int) -> list[dict[str, Any]]:
        """Outstanding per currency: overdue, and falling due in each of the next `weeks`
        weeks from today (week_1 ... week_n)."""
        ...

    def overdue_top(self, scope: Scope, today: date, limit: int) -> list[dict[str, Any]]:
        """The overdue invoices with the most outstanding: number, customer, currency,
        outstanding, due_on."""
        ...

    def satisfaction(self, scope: Scope, period: Window) -> dict[str, Any]:
        """Survey answers given in the period (answered, promoters, detractors) and the
        questions asked in chat in it (asked, asked_answered: answered since)."""
        ...

    def detractors(self, scope: Scope, period: Window, limit: int) -> list[dict[str, Any]]:
        """Answers of 0 to 6 given in the period, the lowest first: customer_id, customer,
        score, comment, answered_at."""
        ...

    def queued(self, dedupe_keys: Sequence[str]) -> set[str]:
        """Which of these outbox dedupe keys are already taken."""
        ...
