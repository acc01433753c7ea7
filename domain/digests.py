"""Reports and weekly digests: who sees which scope, the read port the figures come from,
the ratios made of its sums and counts, and the job that queues one digest per reader.

Every figure is a SQL aggregate behind `Reports`; this module only divides two of them
(a rate, an average) and decides who gets what. A digest is queued as an outbox row with
its figures as JSON and a dedupe key per ISO week and reader, so a second or late run of
the job sends nothing twice; the text is written at send time in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from domain.errors import Forbidden, InvalidInput
from domain.model.users import Role, User
from domain.money import quantize
from domain.outbox import OutboxMessage
from domain.references import reference
from domain.settings import Settings

if TYPE_CHECKING:
    from domain.unit_of_work import UnitOfWork

SCOPES = ("mine", "team", "all")
MANAGER_DIGEST = "notify.digest_manager"
FINANCE_DIGEST = "notify.digest_finance"
DIGEST_TOP = 5
OVERDUE_TOP = 10
CASH_WEEKS = 4
SECONDS_PER_DAY = Decimal(86400)
SECONDS_PER_HOUR = Decimal(3600)
# The columns of each CSV export, in order; `Reports.export` yields its rows this way.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "deals": ("deal", "title", "customer", "owner", "team", "stage", "status", "currency",
              "amount", "probability", "close_date", "source", "created_at", "closed_at",
              "last_activity_at", "lost_reason"),
    "invoices": ("invoice", "customer", "order", "owner", "team", "currency", "total", "paid",
                 "credited", "outstanding", "status", "issued_on", "due_on"),
    "payments": ("payment", "customer", "owner", "currency", "amount", "allocated", "credit",
                 "received_on", "method", "ref", "invoice"),
    "activities": ("activity", "at", "user", "kind", "about", "customer", "text"),
}


# --------------------------------------------------------------------------- scope and time


@dataclass(frozen=True)
class Scope:
    """Whose records a report counts: one owner's, one team's, or everyone's."""

    word: str
    owner_id: int | None = None
    team: str | None = None


def report_scope(user: User, word: str | None = None) -> Scope:
    """Reps see their own figures, managers their team's, finance and admins everyone's."""
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


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_windows(start: date, end: date, tz_name: str) -> list[Window]:
    """The calendar months that touch [start, end), each whole, keyed "YYYY-MM"."""
    months: list[Window] = []
    first = start.replace(day=1)
    while first < end:
        following = add_months(first, 1)
        months.append(Window.of(f"{first:%Y-%m}", first, following, tz_name))
        first = following
    return months


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


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


def days_sales_outstanding(receivable: Decimal, invoiced: Decimal, days: int) -> Decimal | None:
    """DSO: receivables at the end of the period / what was invoiced in it x its days."""
    if invoiced <= 0:
        return None
    return (receivable / invoiced * days).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --------------------------------------------------------------------------- the read port


class Reports(Protocol):
    """Read-side SQL aggregates of the reports: sums, counts and groups, never row loops.

    Money columns come back as Decimal; `weighted` is the exact sum of amount x probability
    / 100; `seconds` are sums of whole-second differences for an average to divide.
    """

    def pipeline(self, scope: Scope, close: Window | None) -> list[dict[str, Any]]:
        """Open deals by stage and currency: stage, currency, deals, amount, weighted
        (optionally only those expected to close within `close`); then one row per currency
        with stage None: its totals."""
        ...

    def forecast(self, scope: Scope, months: Sequence[Window]) -> list[dict[str, Any]]:
        """Per month key and currency: open deals expected to close in it (open_deals,
        open_amount, weighted) and deals won in it (won_deals, won_amount)."""
        ...

    def undated(self, scope: Scope) -> list[dict[str, Any]]:
        """Open deals without an expected close date, per currency: deals, amount, weighted."""
        ...

    def funnel(self, scope: Scope, period: Window, by: str,
               buckets: Sequence[Window] = ()) -> list[dict[str, Any]]:
        """Leads created in the period, grouped `by` "source", "month" (the buckets) or "all":
        key, leads, qualified, quoted, won."""
        ...

    def closed(self, scope: Scope, period: Window) -> dict[str, Any]:
        """Deals closed in the period: won, lost, and for the won ones the seconds from lead
        (or deal) creation to the win (cycle_seconds over cycle_deals; a deal won before it
        was entered, its order signed earlier, has no cycle)."""
        ...

    def won_value(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        """Deals won in the period per currency: deals (with an amount) and amount."""
        ...

    def lead_response(self, scope: Scope, period: Window) -> dict[str, Any]:
        """Leads created in the period: leads, answered (with an activity after creation) and
        the seconds to each one's first activity, summed."""
        ...

    def new_customers(self, period: Window) -> list[dict[str, Any]]:
        """Customers whose first won deal closed in the period, by that deal's lead source."""
        ...

    def spend(self, period: Window) -> list[dict[str, Any]]:
        """Spend booked for the months of the period: source, currency, amount."""
        ...

    def customer_value(self, scope: Scope, until: date) -> list[dict[str, Any]]:
        """Orders signed before `until` per currency: revenue and distinct customers."""
        ...

    def receivables(self, scope: Scope, period: Window) -> list[dict[str, Any]]:
        """Per currency: outstanding at the period's end and net invoiced within it."""
        ...

    def aging(self, scope: Scope, today: date, limit: int) -> list[dict[str, Any]]:
        """Outstanding by customer and currency in buckets current, days_1_30, days_31_60,
        days_61_90, days_90_plus, with total; the largest totals first."""
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

    def spend_of(self, source: str, month: date) -> list[dict[str, Any]]:
        """One source's spend in one month per currency: amount, entries."""
        ...

    def queued(self, dedupe_keys: Sequence[str]) -> set[str]:
        """Which of these outbox dedupe keys are already taken."""
        ...

    def export(self, kind: str, scope: Scope, period: Window | None,
               today: date) -> Iterator[tuple[Any, ...]]:
        """The rows of a CSV export (deals, invoices, payments, activities), fetched from
        the database in batches as the caller reads them."""
        ...


# --------------------------------------------------------------------------- digests


def _money(amount: Decimal | None, currency: str) -> dict[str, str]:
    """A figure as JSON, rounded to its currency (the digest shows it so)."""
    return {"amount": str(quantize(amount or Decimal(0), currency)), "currency": currency}


def digest_week(fired_at: datetime, settings: Settings) -> Window:
    """The seven whole days (company time) before the day the digest goes out, named by the
    ISO week most of them fall in (a Monday digest covers, and is named by, last week)."""
    day = fired_at.astimezone(ZoneInfo(settings.timezone)).date()
    start = day - timedelta(days=7)
    return Window.of(iso_week(start + timedelta(days=3)), start, day, settings.timezone)


def _stage_names(settings: Settings, key: str) -> dict[str, str]:
    stage = settings.stage(key)
    if stage is None:
        return {"stage": key, "name_en": key, "name_zh": key}
    return {"stage": key, "name_en": stage.name_en, "name_zh": stage.name_zh}


def manager_digest(uow: UnitOfWork, settings: Settings, scope: Scope,
                   fired_at: datetime) -> dict[str, Any]:
    """A manager's week: new deals, stage moves, won and lost, forecast, stale deals, leaders."""
    reports = uow.reports
    week = digest_week(fired_at, settings)
    closed = reports.closed(scope, week)
    today = week.end
    months = month_windows(today, add_months(today, 2), settings.timezone)
    forecast = {(r["month"], r["currency"]): r for r in reports.forecast(scope, months)}
    c = settings.currency
    stale_before = fired_at - timedelta(days=settings.stale_after_days)
    return {
        "week": week.key, "from": week.start.isoformat(), "to": week.last_day.isoformat(),
        "scope": scope.word, "team": scope.team or "",
        "new_deals": [{"deals": r["deals"], "amount": _money(r["amount"], r["currency"])}
                      for r in reports.new_deals(scope, week)],
        "moves": [{**_stage_names(settings, r["stage"]), "moves": r["moves"]}
                  for r in reports.stage_moves(scope, week)],
        "won": [{"deals": r["deals"], "amount": _money(r["amount"], r["currency"])}
                for r in reports.won_value(scope, week)],
        "won_deals": closed["won"], "lost_deals": closed["lost"],
        "forecast": [{
            "month": m.key,
            "won": _money(forecast.get((m.key, c), {}).get("won_amount"), c),
            "weighted": _money(forecast.get((m.key, c), {}).get("weighted"), c),
            "target": _money(settings.targets[m.key], c) if m.key in settings.targets else None,
        } for m in months],
        "stale_count": reports.stale_count(scope, stale_before),
        "stale": [{"deal": reference("deal", r["id"]), "title": r["title"], "owner": r["owner"],
                   "days": (fired_at - r["last_activity_at"]).days}
                  for r in reports.stale(scope, stale_before, DIGEST_TOP)],
        "leaders": [{"name": r["name"], "won": r["won"], "amount": _money(r["won_amount"], c),
                     "activities": r["activities"]}
                    for r in reports.leaderboard(scope, week, c, DIGEST_TOP)],
    }


def finance_digest(uow: UnitOfWork, settings: Settings, fired_at: datetime) -> dict[str, Any]:
    """Finance's week: aging, cash expected in the next four weeks, the ten most overdue."""
    reports = uow.reports
    scope = Scope("all")
    today = fired_at.astimezone(ZoneInfo(settings.timezone)).date()
    buckets = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus", "total")
    return {
        "week": digest_week(fired_at, settings).key, "today": today.isoformat(),
        "aging": [{**{b: _money(r[b], r["currency"]) for b in buckets},
                   "customers": r["customers"]} for r in reports.aging_totals(scope, today)],
        "weeks": [(today + timedelta(days=7 * n)).isoformat() for n in range(CASH_WEEKS)],
        "cash": [{"overdue": _money(r["overdue"], r["currency"]),
                  "weeks": [_money(r[f"week_{n + 1}"], r["currency"])
                            for n in range(CASH_WEEKS)]}
                 for r in reports.cash_due(scope, today, CASH_WEEKS)],
        "overdue": [{"invoice": r["number"], "customer": r["customer"],
                     "outstanding": _money(r["outstanding"], r["currency"]),
                     "days": (today - r["due_on"]).days}
                    for r in reports.overdue_top(scope, today, OVERDUE_TOP)],
    }


def digest_for(uow: UnitOfWork, settings: Settings, user: User,
               fired_at: datetime) -> tuple[str, dict[str, Any]]:
    """The digest a user gets (message key and figures): finance the cash one, others theirs."""
    if user.role == Role.FINANCE:
        return FINANCE_DIGEST, finance_digest(uow, settings, fired_at)
    return MANAGER_DIGEST, manager_digest(uow, settings, report_scope(user), fired_at)


def digest_key(fired_at: datetime, settings: Settings, user_id: int) -> str:
    return f"digest:{digest_week(fired_at, settings).key}:u{user_id}"


def queue_digests(uow: UnitOfWork, settings: Settings, fired_at: datetime,
                  now: datetime) -> int:
    """One digest per active manager and finance user for the week of `fired_at`; readers
    who already have this week's digest are skipped, and so is a week that ended before the
    company's first user was added (a fresh install). Returns how many were queued."""
    first = uow.users.first_joined()
    if first is None or first >= digest_week(fired_at, settings).until:
        return 0
    readers = uow.users.with_role(Role.MANAGER, None) + uow.users.with_role(Role.FINANCE, None)
    keys = {u.id or 0: digest_key(fired_at, settings, u.id or 0) for u in readers}
    done = uow.reports.queued(list(keys.values()))
    finance: dict[str, Any] | None = None
    queued = 0
    for user in readers:
        dedupe = keys[user.id or 0]
        if dedupe in done:
            continue
        if user.role == Role.FINANCE:
            finance = finance or finance_digest(uow, settings, fired_at)
            key, params = FINANCE_DIGEST, finance
        else:
            key, params = digest_for(uow, settings, user, fired_at)
        uow.outbox.add(OutboxMessage(recipient_kind="user", recipient=str(user.id), key=key,
                                     params=params, dedupe_key=dedupe, created_at=now,
                                     next_attempt_at=now))
        queued += 1
    return queued
