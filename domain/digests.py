"""Weekly digests: the figures each manager and finance reader gets, and the job that
queues one digest per reader.

The figures come from `uow.reports` (see `domain.reports`). A digest is queued as an outbox
row with its figures as JSON and a dedupe key per ISO week and reader, so a second or late
run of the job sends nothing twice; the text is written at send time in the reader's
language.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from domain.dates import add_months
from domain.model.users import Role, User
from domain.money import quantize
from domain.outbox import OutboxMessage
from domain.references import reference
from domain.reports import Scope, Window, report_scope
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork

MANAGER_DIGEST = "notify.digest_manager"
FINANCE_DIGEST = "notify.digest_finance"
DIGEST_TOP = 5
OVERDUE_TOP = 10
CASH_WEEKS = 4


# --------------------------------------------------------------------------- months and weeks


def month_windows(start: date, end: date, tz_name: str) -> list[Window]:
    """The calendar months that touch [start, end), each whole, keyed "YYYY-MM": the one
    builder of month buckets (forecasts, funnels by month, digests)."""
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
    months = month_windows(today, add_months(today.replace(day=1), 2), settings.timezone)
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
        "detractors": [{"customer": reference("customer", r["customer_id"]),
                        "name": r["customer"], "score": r["score"]}
                       for r in reports.detractors(scope, week, DIGEST_TOP)],
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
