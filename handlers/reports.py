"""Report commands: pipeline, forecast, funnel, KPIs, aging, leaderboard, stale deals, the
digest preview, CSV exports and marketing spend; and the digests' text at send time.

The figures come from `uow.reports` (SQL aggregates); this module picks the scope the asker
may see, reads the period, divides where a figure is a rate or an average, and writes the
lines and charts in the reader's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_compact_currency

from domain.digests import (
    FINANCE_DIGEST,
    MANAGER_DIGEST,
    add_months,
    digest_for,
    finance_digest,
    manager_digest,
    month_windows,
)
from domain.errors import InvalidInput
from domain.model.users import Role
from domain.references import reference
from domain.reports import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    Scope,
    Window,
    average,
    days_sales_outstanding,
    rate,
    report_scope,
)
from domain.spend import record_spend
from handlers.arguments import need, read_args
from handlers.charts import Bar, aging_chart, forecast_chart, pipeline_chart
from handlers.commands import command
from handlers.context import Ctx
from handlers.i18n import Translator
from handlers.option_names import shown_option
from handlers.parsing import Args
from handlers.periods import Period, parse_period
from handlers.reply import Attachment, Button, Reply
from handlers.unit_of_work import EXPORT_COLUMNS

READERS = (Role.REP, Role.MANAGER, Role.FINANCE)
DIGEST_READERS = (Role.MANAGER, Role.FINANCE)
SPENDERS = (Role.FINANCE, Role.MANAGER)
SCOPE_WORDS = {"mine": "mine", "my": "mine", "我的": "mine", "team": "team", "团队": "team",
               "all": "all", "全部": "all", "所有": "all"}
AGING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus")
FUNNEL_BY = ("source", "month")
LIST_ROWS = 20
PNG = "image/png"
CSV = "text/csv"

Format = Callable[[Decimal], str]


# --------------------------------------------------------------------------- shared parts


def _usage(ctx: Ctx, name: str) -> str:
    return ctx.t(f"help.{name}.usage")


def _scope(ctx: Ctx, args: Args, usage: str, *, first: int = 0) -> Scope:
    """The scope word among the positional words (or the role's default); nothing else."""
    words = args.positional[first:]
    word: str | None = None
    if words and words[0].lower() in SCOPE_WORDS:
        word = SCOPE_WORDS[words.pop(0).lower()]
    if words:
        raise InvalidInput("report.extra_words", value=" ".join(words), usage=usage)
    return report_scope(ctx.user, word)


def _period(ctx: Ctx, args: Args, default: str | None) -> Period | None:
    text = args.option("period")
    if text is None:
        return parse_period(default, ctx.today) if default else None
    return parse_period(text, ctx.today)


def _who(ctx: Ctx, scope: Scope) -> str:
    if scope.word == "mine":
        return ctx.t("report.scope.mine")
    if scope.word == "team":
        return ctx.t("report.scope.team", team=scope.team or "")
    return ctx.t("report.scope.all")


def _window(ctx: Ctx, period: Period) -> Window:
    return period.window(ctx.user.timezone)


def _pct(t: Translator, value: Decimal | None) -> str:
    return "—" if value is None else t.percent(value)


def compact(t: Translator, currency: str) -> Format:
    """Short amounts for chart axes and bars: CN¥1.2M, ¥12.5万."""
    return lambda amount: format_compact_currency(amount, currency, locale=t.babel_locale,
                                                  fraction_digits=1)


def _stage_name(ctx: Ctx, key: str) -> str:
    return ctx.t.stage(key)


def _stage_order(ctx: Ctx, key: str | None) -> int:
    keys = [s.key for s in ctx.settings.stages]
    return keys.index(key) if key in keys else len(keys)


def _png(name: str, data: bytes) -> Attachment:
    return Attachment(name=name, data=data, mime=PNG)


# --------------------------------------------------------------------------- /pipeline


@command("pipeline", roles=READERS, group="reports")
def pipeline(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "pipeline")
    args = read_args(text, "period", usage=usage)
    scope = _scope(ctx, args, usage)
    period = _period(ctx, args, None)
    rows = ctx.uow.reports.pipeline(scope, _window(ctx, period) if period else None)
    closing = ctx.t("report.pipeline.closing", period=period.key) if period else ""
    if not rows:
        return Reply(ctx.t("report.pipeline.none", scope=_who(ctx, scope), closing=closing))
    t = ctx.t
    lines = [t("report.pipeline.title", scope=_who(ctx, scope), closing=closing)]
    stages = sorted((r for r in rows if r["stage"] is not None),
                    key=lambda r: (r["currency"], _stage_order(ctx, r["stage"])))
    for row in stages:
        c = row["currency"]
        lines.append(t("report.pipeline.row", stage=_stage_name(ctx, row["stage"]),
                       deals=row["deals"], amount=t.money(row["amount"], c),
                       weighted=t.money(row["weighted"], c)))
    for row in (r for r in rows if r["stage"] is None):
        c = row["currency"]
        lines.append(t("report.pipeline.total", currency=c, deals=row["deals"],
                       amount=t.money(row["amount"], c), weighted=t.money(row["weighted"], c)))
    currency = ctx.settings.currency
    chart_rows = [r for r in stages if r["currency"] == currency]
    files = []
    if chart_rows:
        files.append(_png("pipeline.png", pipeline_chart(
            t("report.pipeline.chart", scope=_who(ctx, scope), currency=currency),
            [Bar(_stage_name(ctx, r["stage"]), r["amount"], r["weighted"]) for r in chart_rows],
            t("report.chart.amount"), t("report.chart.weighted"), compact(t, currency))))
    return Reply("\n".join(lines), files=files)


# --------------------------------------------------------------------------- /forecast


def _forecast_months(ctx: Ctx, period: Period | None) -> list[Window]:
    if period is None:
        first = ctx.today.replace(day=1)
        return month_windows(first, add_months(first, 3), ctx.user.timezone)
    return month_windows(period.start, period.end, ctx.user.timezone)


@command("forecast", roles=READERS, group="reports")
def forecast(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "forecast")
    args = read_args(text, "period", usage=usage)
    scope = _scope(ctx, args, usage)
    months = _forecast_months(ctx, _period(ctx, args, None))
    if len(months) > 24:
        raise InvalidInput("report.too_many_months", count=len(months), limit=24)
    t, currency = ctx.t, ctx.settings.currency
    found = {(r["month"], r["currency"]): r for r in ctx.uow.reports.forecast(scope, months)}
    lines = [t("report.forecast.title", scope=_who(ctx, scope), first=months[0].key,
               last=months[-1].key)]
    chart: list[tuple[str, Decimal, Decimal, Decimal | None]] = []
    for month in months:
        row = found.get((month.key, currency), {})
        won, weighted = row.get("won_amount", Decimal(0)), row.get("weighted", Decimal(0))
        target = ctx.settings.targets.get(month.key)
        expected = won + weighted
        line = t("report.forecast.row", month=month.key, won=t.money(won, currency),
                 weighted=t.money(weighted, currency), expected=t.money(expected, currency),
                 deals=row.get("open_deals", 0))
        if target is not None:
            line += t("report.forecast.target", target=t.money(target, currency),
                      attained=_pct(t, rate(expected, target)))
        lines.append(line)
        chart.append((month.key, won, weighted, target))
    others = sorted(k for k in found if k[1] != currency)
    for key in others:
        row = found[key]
        lines.append(t("report.forecast.other", month=key[0], currency=key[1],
                       won=t.money(row["won_amount"], key[1]),
                       weighted=t.money(row["weighted"], key[1])))
    for row in ctx.uow.reports.undated(scope):
        lines.append(t("report.forecast.undated", deals=row["deals"],
                       weighted=t.money(row["weighted"], row["currency"])))
    if scope.word != "all" and ctx.settings.targets:
        lines.append(t("report.forecast.company_targets"))
    files = [_png("forecast.png", forecast_chart(
        t("report.forecast.chart", scope=_who(ctx, scope), currency=currency), chart,
        t("report.chart.won"), t("report.chart.weighted"), t("report.chart.target"),
        compact(t, currency)))]
    return Reply("\n".join(lines), files=files)


# --------------------------------------------------------------------------- /funnel


def _funnel_line(t: Translator, key: str, label: str, row: dict[str, Any]) -> str:
    return t(key, label=label, leads=row["leads"], qualified=row["qualified"],
             quoted=row["quoted"], won=row["won"],
             to_qualified=_pct(t, rate(row["qualified"], row["leads"])),
             to_quoted=_pct(t, rate(row["quoted"], row["qualified"])),
             to_won=_pct(t, rate(row["won"], row["quoted"])),
             overall=_pct(t, rate(row["won"], row["leads"])))


@command("funnel", roles=READERS, group="reports")
def funnel(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "funnel")
    args = read_args(text, "period", "by", usage=usage)
    scope = _scope(ctx, args, usage)
    period = _period(ctx, args, "this-quarter")
    assert period is not None
    by = (args.option("by") or "source").lower()
    by = {"来源": "source", "月份": "month", "月": "month"}.get(by, by)
    if by not in FUNNEL_BY:
        raise InvalidInput("report.bad_by", value=by, allowed="|".join(
            shown_option(word, ctx.t.language) for word in FUNNEL_BY))
    window = _window(ctx, period)
    reports, t = ctx.uow.reports, ctx.t
    total = reports.funnel(scope, window, "all")
    if not total:
        return Reply(t("report.funnel.none", scope=_who(ctx, scope), period=period.key))
    lines = [t("report.funnel.title", scope=_who(ctx, scope), period=period.key),
             _funnel_line(t, "report.funnel.total", t("report.funnel.all"), total[0]),
             t(f"report.funnel.by_{by}")]
    buckets = month_windows(period.start, period.end, ctx.user.timezone) if by == "month" \
        else []
    for row in reports.funnel(scope, window, by, buckets):
        label = (t.term("source", row["key"]) if by == "source" else row["key"]) \
            if row["key"] else t("report.funnel.no_source")
        lines.append(_funnel_line(t, "report.funnel.row", label, row))
    return Reply("\n".join(lines))


# --------------------------------------------------------------------------- /kpi


def _kpi_sales(ctx: Ctx, scope: Scope, window: Window) -> list[str]:
    reports, t = ctx.uow.reports, ctx.t
    closed = reports.closed(scope, window)
    lines = [t("report.kpi.win_rate", rate=_pct(t, rate(closed["won"],
                                                       closed["won"] + closed["lost"])),
               won=closed["won"], lost=closed["lost"])]
    sizes = reports.won_value(scope, window)
    if not sizes:
        lines.append(t("report.kpi.deal_size_none"))
    for row in sizes:
        size = average(row["amount"], row["priced"], places="0.01")
        lines.append(t("report.kpi.deal_size", amount=t.money(size, row["currency"]),
                       deals=row["priced"]))
    cycle = average(closed["cycle_seconds"], closed["cycle_deals"], SECONDS_PER_DAY)
    lines.append(t("report.kpi.cycle", days=t.number(cycle), deals=closed["cycle_deals"])
                 if cycle is not None else t("report.kpi.cycle_none"))
    response = reports.lead_response(scope, window)
    hours = average(response["seconds"], response["answered"], SECONDS_PER_HOUR)
    lines.append(t("report.kpi.response", hours=t.number(hours), answered=response["answered"],
                   leads=response["leads"])
                 if hours is not None else t("report.kpi.response_none", leads=response["leads"]))
    return lines


def _kpi_money(ctx: Ctx, scope: Scope, window: Window) -> list[str]:
    reports, t = ctx.uow.reports, ctx.t
    lines = [t("report.kpi.cac_title") if scope.word == "all"
             else t("report.kpi.cac_title_company")]
    customers = {r["source"]: r["customers"] for r in reports.new_customers(window)}
    spent = reports.spend(window)
    for row in spent:
        won = customers.get(row["source"], 0)
        cac = average(row["amount"], won, places="0.01")
        lines.append(t("report.kpi.cac", source=t.term("source", row["source"]),
                       cac=t.money(cac, row["currency"]) if cac is not None else "—",
                       spend=t.money(row["amount"], row["currency"]), customers=won))
    unspent = (s for s in customers if s not in {r["source"] for r in spent})
    for source in sorted(unspent, key=lambda s: (s is None, s or "")):  # no source: last
        lines.append(t("report.kpi.cac_no_spend",
                       source=t.term("source", source) if source else t("report.funnel.no_source"),
                       customers=customers[source]))
    if len(lines) == 1:
        lines.append(t("report.kpi.cac_none"))
    for row in reports.customer_value(scope, window.end):
        clv = average(row["revenue"], row["customers"], places="0.01")
        lines.append(t("report.kpi.clv", amount=t.money(clv, row["currency"]),
                       customers=row["customers"]))
    for row in reports.receivables(scope, window):
        dso = days_sales_outstanding(row["outstanding"], row["invoiced"], window.days)
        c = row["currency"]
        lines.append(t("report.kpi.dso", days=t.number(dso) if dso is not None else "—",
                       receivable=t.money(row["outstanding"], c),
                       invoiced=t.money(row["invoiced"], c), period_days=window.days))
    return lines


@command("kpi", roles=READERS, group="reports")
def kpi(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "kpi")
    args = read_args(text, "period", usage=usage)
    scope = _scope(ctx, args, usage)
    period = _period(ctx, args, "this-quarter")
    assert period is not None
    window = _window(ctx, period)
    lines = [ctx.t("report.kpi.title", scope=_who(ctx, scope), period=period.key)]
    lines += _kpi_sales(ctx, scope, window)
    lines += _kpi_money(ctx, scope, window)
    return Reply("\n".join(lines))


# --------------------------------------------------------------------------- /aging


def _aging_parts(t: Translator, row: dict[str, Any], currency: str) -> dict[str, str]:
    return {bucket: t.money(row[bucket], currency) for bucket in (*AGING_BUCKETS, "total")}


@command("aging", roles=READERS, group="reports")
def aging(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "aging")
    args = read_args(text, usage=usage)
    scope = _scope(ctx, args, usage)
    reports, t = ctx.uow.reports, ctx.t
    totals = reports.aging_totals(scope, ctx.today)
    if not totals:
        return Reply(t("report.aging.none", scope=_who(ctx, scope)))
    lines = [t("report.aging.title", scope=_who(ctx, scope), date=t.date(ctx.today))]
    for row in reports.aging(scope, ctx.today, LIST_ROWS):
        lines.append(t("report.aging.row",
                       customer=f"{reference('customer', row['customer_id'])} {row['customer']}",
                       currency=row["currency"], **_aging_parts(t, row, row["currency"])))
    for row in totals:
        lines.append(t("report.aging.total", currency=row["currency"],
                       customers=row["customers"], **_aging_parts(t, row, row["currency"])))
    chart_row = next((r for r in totals if r["currency"] == ctx.settings.currency), totals[0])
    currency = chart_row["currency"]
    chart = aging_chart(t("report.aging.chart", scope=_who(ctx, scope), currency=currency),
                        [Bar(t(f"report.aging.{b}"), chart_row[b]) for b in AGING_BUCKETS],
                        compact(t, currency))
    return Reply("\n".join(lines), [[Button(t("report.aging.button"), "/invoices overdue")]],
                 files=[_png("aging.png", chart)])


# --------------------------------------------------------------------------- /leaderboard


@command("leaderboard", roles=READERS, group="reports")
def leaderboard(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "leaderboard")
    args = read_args(text, "period", usage=usage)
    scope = _scope(ctx, args, usage)
    period = _period(ctx, args, "this-month")
    assert period is not None
    currency, t = ctx.settings.currency, ctx.t
    rows = ctx.uow.reports.leaderboard(scope, _window(ctx, period), currency, LIST_ROWS)
    lines = [t("report.leaderboard.title", scope=_who(ctx, scope), period=period.key)]
    for place, row in enumerate(rows, start=1):
        lines.append(t("report.leaderboard.row", place=place, name=row["name"], won=row["won"],
                       amount=t.money(row["won_amount"], currency),
                       activities=row["activities"], leads=row["leads"]))
    if not rows:
        lines.append(t("report.leaderboard.none"))
    return Reply("\n".join(lines))


# --------------------------------------------------------------------------- /stale


def _days_option(args: Args, default: int) -> int:
    raw = args.option("days")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 3650:
        raise InvalidInput("report.bad_days", value=raw)
    return int(raw)


@command("stale", roles=READERS, group="reports")
def stale(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "stale")
    args = read_args(text, "days", usage=usage)
    scope = _scope(ctx, args, usage)
    days = _days_option(args, ctx.settings.stale_after_days)
    before = ctx.now - timedelta(days=days)
    reports, t = ctx.uow.reports, ctx.t
    count = reports.stale_count(scope, before)
    if not count:
        return Reply(t("report.stale.none", scope=_who(ctx, scope), days=days))
    lines = [t("report.stale.title", scope=_who(ctx, scope), days=days, count=count)]
    rows = reports.stale(scope, before, LIST_ROWS)
    for row in rows:
        lines.append(t("report.stale.row", deal=reference("deal", row["id"]), title=row["title"],
                       customer=row["customer"], owner=row["owner"],
                       stage=_stage_name(ctx, row["stage"]),
                       amount=t.money(row["amount"], row["currency"]),
                       silent=(ctx.now - row["last_activity_at"]).days))
    if count > len(rows):
        lines.append(t("report.stale.more", count=count - len(rows)))
    buttons = [[Button(t("report.stale.button", ref=reference("deal", r["id"])),
                       f"/deal {reference('deal', r['id'])}")
                for r in rows[:3]]]
    return Reply("\n".join(lines), buttons)


# --------------------------------------------------------------------------- /digest


@command("digest", roles=DIGEST_READERS, group="reports")
def digest(ctx: Ctx, text: str) -> Reply:
    """What this week's digest would say now; an admin sees both, for the whole company."""
    read_args(text, usage=_usage(ctx, "digest"))
    if ctx.user.role == Role.ADMIN:
        parts = [(MANAGER_DIGEST, manager_digest(ctx.uow, ctx.settings, Scope("all"), ctx.now)),
                 (FINANCE_DIGEST, finance_digest(ctx.uow, ctx.settings, ctx.now))]
    else:
        parts = [digest_for(ctx.uow, ctx.settings, ctx.user, ctx.now)]
    replies = [digest_reply(key, params, ctx.t) for key, params in parts]
    return Reply("\n\n".join(r.text for r in replies),
                 files=[f for r in replies for f in r.files])


# --------------------------------------------------------------------------- digests' text


def _m(t: Translator, value: dict[str, str] | None) -> str:
    if value is None:
        return "—"
    return t.money(Decimal(value["amount"]), value["currency"])


def _d(t: Translator, value: str) -> str:
    return t.date(date.fromisoformat(value))


def _manager_text(params: dict[str, Any], t: Translator) -> list[str]:
    lines = [t(MANAGER_DIGEST, week=params["week"], start=_d(t, params["from"]),
               end=_d(t, params["to"]), scope=_digest_scope(params, t))]
    news = params["new_deals"]
    lines.append(t("digest.new_deals", deals=" · ".join(
        t("digest.deals_amount", deals=n["deals"], amount=_m(t, n["amount"])) for n in news))
        if news else t("digest.no_new_deals"))
    moves = params["moves"]
    name = "name_zh" if t.language == "zh" else "name_en"
    lines.append(t("digest.moves", moves=" · ".join(f"{m[name]} {m['moves']}" for m in moves))
                 if moves else t("digest.no_moves"))
    won = " · ".join(t("digest.deals_amount", deals=w["deals"], amount=_m(t, w["amount"]))
                     for w in params["won"]) or "0"
    lines.append(t("digest.won_lost", won=won, lost=params["lost_deals"]))
    lines.append(t("digest.forecast"))
    for month in params["forecast"]:
        line = t("digest.forecast_row", month=month["month"], won=_m(t, month["won"]),
                 weighted=_m(t, month["weighted"]))
        if month["target"] is not None:
            line += t("report.forecast.target", target=_m(t, month["target"]), attained=_pct(
                t, rate(Decimal(month["won"]["amount"]) + Decimal(month["weighted"]["amount"]),
                        Decimal(month["target"]["amount"]))))
        lines.append(line)
    lines.append(t("digest.stale", count=params["stale_count"]))
    lines += [t("digest.stale_row", deal=s["deal"], title=s["title"], owner=s["owner"],
                days=s["days"]) for s in params["stale"]]
    lines.append(t("digest.leaders"))
    lines += [t("digest.leader_row", place=n, name=r["name"], won=r["won"],
                amount=_m(t, r["amount"]), activities=r["activities"])
              for n, r in enumerate(params["leaders"], start=1)] or [t("report.leaderboard.none")]
    return lines


def _digest_scope(params: dict[str, Any], t: Translator) -> str:
    return {"mine": t("report.scope.mine"), "all": t("report.scope.all")}.get(
        params["scope"], t("report.scope.team", team=params["team"]))


def _manager_chart(params: dict[str, Any], t: Translator) -> Attachment | None:
    months = params["forecast"]
    if not months:
        return None
    currency = months[0]["won"]["currency"]
    rows = [(m["month"], Decimal(m["won"]["amount"]), Decimal(m["weighted"]["amount"]),
             Decimal(m["target"]["amount"]) if m["target"] else None) for m in months]
    return _png("forecast.png", forecast_chart(
        t("report.forecast.chart", scope=_digest_scope(params, t), currency=currency), rows,
        t("report.chart.won"), t("report.chart.weighted"), t("report.chart.target"),
        compact(t, currency)))


def _finance_text(params: dict[str, Any], t: Translator) -> list[str]:
    lines = [t(FINANCE_DIGEST, week=params["week"], date=_d(t, params["today"]))]
    for row in params["aging"]:
        lines.append(t("digest.aging", currency=row["current"]["currency"],
                       customers=row["customers"],
                       **{b: _m(t, row[b]) for b in (*AGING_BUCKETS, "total")}))
    if not params["aging"]:
        lines.append(t("digest.no_receivables"))
    weeks = [_d(t, w) for w in params["weeks"]]
    for row in params["cash"]:
        parts = " · ".join(t("digest.cash_week", week=w, amount=_m(t, a))
                           for w, a in zip(weeks, row["weeks"], strict=True))
        lines.append(t("digest.cash", overdue=_m(t, row["overdue"]), weeks=parts))
    lines.append(t("digest.overdue_top", count=len(params["overdue"])))
    lines += [t("digest.overdue_row", place=n, invoice=r["invoice"], customer=r["customer"],
                amount=_m(t, r["outstanding"]), days=r["days"])
              for n, r in enumerate(params["overdue"], start=1)] or [t("digest.no_overdue")]
    return lines


def _finance_chart(params: dict[str, Any], t: Translator) -> Attachment | None:
    if not params["aging"]:
        return None
    row = params["aging"][0]
    currency = row["total"]["currency"]
    return _png("aging.png", aging_chart(
        t("report.aging.chart", scope=t("report.scope.all"), currency=currency),
        [Bar(t(f"report.aging.{b}"), Decimal(row[b]["amount"])) for b in AGING_BUCKETS],
        compact(t, currency)))


def digest_reply(key: str, params: dict[str, Any], t: Translator) -> Reply:
    """A digest's figures written for one reader, with its chart."""
    if key == FINANCE_DIGEST:
        lines, chart = _finance_text(params, t), _finance_chart(params, t)
    else:
        lines, chart = _manager_text(params, t), _manager_chart(params, t)
    return Reply("\n".join(lines), files=[chart] if chart else [])


# --------------------------------------------------------------------------- /export


# A text cell starting with one of these is read by spreadsheets as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any, t: Translator) -> str:
    """A value as Excel reads it: plain numbers, ISO dates, instants in the reader's zone;
    text that would start a formula gets a leading apostrophe, so it stays text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(t.tz).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


Label = Callable[[Any], Any]


def _labels(ctx: Ctx, kind: str) -> dict[int, Label]:
    """Codes written in the reader's words: stages, statuses, methods, kinds of activity."""
    t = ctx.t

    def deal_status(value: Any) -> str:
        return t(f"deal.status.{value}") if value in ("won", "lost") else t("export.status.open")

    def stage(value: Any) -> str:
        return deal_status(value) if value in ("won", "lost") else _stage_name(ctx, str(value))

    by_name: dict[str, Label] = {
        "deals.stage": stage, "deals.status": deal_status,
        "invoices.status": lambda v: t(f"invoice.status.{v}"),
        "deals.source": lambda v: t.term("source", v) if v else "",
        "payments.method": lambda v: t.term("method", v),
        "activities.kind": lambda v: t.term("kind", v),
    }
    return {i: by_name[f"{kind}.{column}"] for i, column in enumerate(EXPORT_COLUMNS[kind])
            if f"{kind}.{column}" in by_name}


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], t: Translator,
              out: io.BytesIO, labels: dict[int, Label] | None = None) -> int:
    """UTF-8 with a byte order mark (so Excel reads Chinese); returns the data rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(header)
    count = 0
    labels = labels or {}
    for row in rows:
        writer.writerow([_cell(labels[i](v) if i in labels and v is not None else v, t)
                         for i, v in enumerate(row)])
        count += 1
    text.flush()
    text.detach()
    return count


@command("export", roles=READERS, group="reports")
def export(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "export")
    args = read_args(text, "period", usage=usage)
    kind = need(args.positional[0] if args.positional else None, "export.need_kind", usage)
    kind = kind.lower()
    if kind not in EXPORT_COLUMNS:
        raise InvalidInput("export.bad_kind", value=kind, kinds="|".join(EXPORT_COLUMNS))
    scope = _scope(ctx, args, usage, first=1)
    period = _period(ctx, args, None)
    t = ctx.t
    header = [t(f"export.{kind}.{column}") for column in EXPORT_COLUMNS[kind]]
    rows = ctx.uow.reports.export(kind, scope, _window(ctx, period) if period else None,
                                  ctx.today)
    buffer = io.BytesIO()
    count = write_csv(header, rows, t, buffer, _labels(ctx, kind))
    name = f"{kind}-{period.key if period else 'all'}-{ctx.today.isoformat()}.csv"
    return Reply(t("export.done", kind=t(f"export.kind.{kind}"), scope=_who(ctx, scope),
                   period=period.key if period else t("export.all_time"), rows=count,
                   file=name),
                 private=True, files=[Attachment(name=name, data=buffer.getvalue(), mime=CSV)])


# --------------------------------------------------------------------------- /spend


def _spend_month(ctx: Ctx, args: Args) -> date:
    text = args.option("month")
    if text is None:
        return ctx.today.replace(day=1)
    period = parse_period(text, ctx.today)
    if period.start.day != 1 or period.end != add_months(period.start, 1):
        raise InvalidInput("spend.bad_month", value=text)
    return period.start


@command("spend", roles=SPENDERS, group="reports")
def spend(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "spend")
    args = read_args(text, "month", "note", usage=usage)
    source = need(args.positional[0] if args.positional else None, "spend.need_source", usage)
    amount = ctx.amount(need(" ".join(args.positional[1:]), "spend.need_amount", usage))
    month = _spend_month(ctx, args)
    booked = record_spend(ctx.uow, ctx.user, source, amount, month, ctx.settings, ctx.now,
                          note=args.option("note"))
    t = ctx.t
    lines = [t("spend.booked", source=t.term("source", booked.source), amount=t.money(booked.amount,
                                                                     booked.currency),
               month=f"{booked.month:%Y-%m}")]
    for row in ctx.uow.reports.spend_of(booked.source, booked.month):
        lines.append(t("spend.month_total", source=t.term("source", booked.source),
                       month=f"{booked.month:%Y-%m}",
                       amount=t.money(row["amount"], row["currency"]), entries=row["entries"]))
    return Reply("\n".join(lines))
