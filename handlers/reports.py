"""Report commands: pipeline, forecast, funnel, KPIs, aging, leaderboard, stale deals and the
digest preview.

The figures come from `uow.reports` (SQL aggregates); this module picks the scope the asker
may see, reads the period, divides where a figure is a rate or an average, and writes the
lines and charts in the reader's language. The digests' own text is `handlers.digests`,
CSV exports `handlers.export`, marketing spend `handlers.spend`.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from domain.dates import add_months
from domain.digests import (
    FINANCE_DIGEST,
    MANAGER_DIGEST,
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
    net_promoter_score,
    rate,
)
from handlers import charts
from handlers.arguments import Args, read_args, usage_of
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.digests import digest_reply
from handlers.i18n import Translator
from handlers.option_names import shown_option
from handlers.reply import Button, Reply
from handlers.report_scope import read_period, read_scope, who
from handlers.report_text import AGING_BUCKETS, compact, percent_or_dash, png

DIGEST_READERS = (Role.MANAGER, Role.FINANCE)
FUNNEL_BY = ("source", "month")
FORECAST_MONTHS = 3  # this month and the next two, when no period is given
LIST_ROWS = 20


def _stage_order(ctx: Ctx, key: str | None) -> int:
    keys = [s.key for s in ctx.settings.stages]
    return keys.index(key) if key in keys else len(keys)


# --------------------------------------------------------------------------- /pipeline


@command("pipeline", roles=READERS, group="reports", samples=("", "all", "team"))
def pipeline(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "pipeline")
    args = read_args(text, "period", usage=usage)
    scope = read_scope(ctx, args, usage)
    period = read_period(ctx, args, None)
    rows = ctx.uow.reports.pipeline(scope, period.window(ctx.user.timezone) if period else None)
    closing = ctx.t("report.pipeline.closing", period=period.key) if period else ""
    if not rows:
        return Reply(ctx.t("report.pipeline.none", scope=who(ctx, scope), closing=closing))
    t = ctx.t
    lines = [t("report.pipeline.title", scope=who(ctx, scope), closing=closing)]
    stages = sorted((r for r in rows if r["stage"] is not None),
                    key=lambda r: (r["currency"], _stage_order(ctx, r["stage"])))
    for row in stages:
        c = row["currency"]
        lines.append(t("report.pipeline.row", stage=ctx.t.stage(row["stage"]),
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
        files.append(png("pipeline.png", charts.pipeline_chart(
            t("report.pipeline.chart", scope=who(ctx, scope), currency=currency),
            [charts.Bar(ctx.t.stage(r["stage"]), r["amount"], r["weighted"]) for r in chart_rows],
            t("report.chart.amount"), t("report.chart.weighted"), compact(t, currency))))
    return Reply("\n".join(lines), files=files)


# --------------------------------------------------------------------------- /forecast


@command("forecast", roles=READERS, group="reports", samples=("", "all"))
def forecast(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "forecast")
    args = read_args(text, "period", usage=usage)
    scope = read_scope(ctx, args, usage)
    period = read_period(ctx, args, None)
    first = ctx.today.replace(day=1)
    start, end = (period.start, period.end) if period \
        else (first, add_months(first, FORECAST_MONTHS))
    months = month_windows(start, end, ctx.user.timezone)
    if len(months) > 24:
        raise InvalidInput("report.too_many_months", count=len(months), limit=24)
    t, currency = ctx.t, ctx.settings.currency
    found = {(r["month"], r["currency"]): r for r in ctx.uow.reports.forecast(scope, months)}
    lines = [t("report.forecast.title", scope=who(ctx, scope), first=months[0].key,
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
                      attained=percent_or_dash(t, rate(expected, target)))
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
    files = [png("forecast.png", charts.forecast_chart(
        t("report.forecast.chart", scope=who(ctx, scope), currency=currency), chart,
        t("report.chart.won"), t("report.chart.weighted"), t("report.chart.target"),
        compact(t, currency)))]
    return Reply("\n".join(lines), files=files)


# --------------------------------------------------------------------------- /funnel


def _funnel_line(t: Translator, key: str, label: str, row: dict[str, Any]) -> str:
    return t(key, label=label, leads=row["leads"], qualified=row["qualified"],
             quoted=row["quoted"], won=row["won"],
             to_qualified=percent_or_dash(t, rate(row["qualified"], row["leads"])),
             to_quoted=percent_or_dash(t, rate(row["quoted"], row["qualified"])),
             to_won=percent_or_dash(t, rate(row["won"], row["quoted"])),
             overall=percent_or_dash(t, rate(row["won"], row["leads"])))


@command("funnel", roles=READERS, group="reports", samples=("", "all"))
def funnel(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "funnel")
    args = read_args(text, "period", "by", usage=usage)
    scope = read_scope(ctx, args, usage)
    period = read_period(ctx, args, "this-quarter")
    assert period is not None
    by = (args.option("by") or "source").lower()
    by = {"来源": "source", "月份": "month", "月": "month"}.get(by, by)
    if by not in FUNNEL_BY:
        raise InvalidInput("report.bad_by", value=by, allowed="|".join(
            shown_option(word, ctx.t.language) for word in FUNNEL_BY))
    window = period.window(ctx.user.timezone)
    reports, t = ctx.uow.reports, ctx.t
    total = reports.funnel(scope, window, "all")
    if not total:
        return Reply(t("report.funnel.none", scope=who(ctx, scope), period=period.key))
    lines = [t("report.funnel.title", scope=who(ctx, scope), period=period.key),
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
    lines = [t("report.kpi.win_rate", rate=percent_or_dash(t, rate(closed["won"],
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


@command("kpi", roles=READERS, group="reports", samples=("", "all"))
def kpi(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "kpi")
    args = read_args(text, "period", usage=usage)
    scope = read_scope(ctx, args, usage)
    period = read_period(ctx, args, "this-quarter")
    assert period is not None
    window = period.window(ctx.user.timezone)
    lines = [ctx.t("report.kpi.title", scope=who(ctx, scope), period=period.key)]
    lines += _kpi_sales(ctx, scope, window)
    lines += _kpi_money(ctx, scope, window)
    lines += _kpi_satisfaction(ctx, scope, window)
    return Reply("\n".join(lines))


def _kpi_satisfaction(ctx: Ctx, scope: Scope, window: Window) -> list[str]:
    """NPS of the answers given in the period and the share of questions answered."""
    t = ctx.t
    row = ctx.uow.reports.satisfaction(scope, window)
    if not row["answered"] and not row["asked"]:
        return [t("report.kpi.nps_none")]
    nps = net_promoter_score(row["promoters"], row["detractors"], row["answered"])
    answered = rate(row["asked_answered"], row["asked"])
    return [t("report.kpi.nps", nps=t.number(nps) if nps is not None else "—",
              answered=row["answered"], promoters=row["promoters"],
              detractors=row["detractors"],
              rate=t.percent(answered) if answered is not None else "—")]


# --------------------------------------------------------------------------- /aging


def _aging_parts(t: Translator, row: dict[str, Any], currency: str) -> dict[str, str]:
    return {bucket: t.money(row[bucket], currency) for bucket in (*AGING_BUCKETS, "total")}


@command("aging", roles=READERS, group="reports", samples=("", "all"))
def aging(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "aging")
    args = read_args(text, usage=usage)
    scope = read_scope(ctx, args, usage)
    reports, t = ctx.uow.reports, ctx.t
    totals = reports.aging_totals(scope, ctx.today)
    if not totals:
        return Reply(t("report.aging.none", scope=who(ctx, scope)))
    lines = [t("report.aging.title", scope=who(ctx, scope), date=t.date(ctx.today))]
    for row in reports.aging(scope, ctx.today, LIST_ROWS):
        lines.append(t("report.aging.row",
                       customer=f"{reference('customer', row['customer_id'])} {row['customer']}",
                       currency=row["currency"], **_aging_parts(t, row, row["currency"])))
    for row in totals:
        lines.append(t("report.aging.total", currency=row["currency"],
                       customers=row["customers"], **_aging_parts(t, row, row["currency"])))
    chart_row = next((r for r in totals if r["currency"] == ctx.settings.currency), totals[0])
    currency = chart_row["currency"]
    chart = charts.aging_chart(t("report.aging.chart", scope=who(ctx, scope), currency=currency),
                        [charts.Bar(t(f"report.aging.{b}"), chart_row[b]) for b in AGING_BUCKETS],
                        compact(t, currency))
    return Reply("\n".join(lines), [[Button(t("report.aging.button"), "/invoices overdue")]],
                 files=[png("aging.png", chart)])


# --------------------------------------------------------------------------- /leaderboard


@command("leaderboard", roles=READERS, group="reports", samples=("", "all"))
def leaderboard(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "leaderboard")
    args = read_args(text, "period", usage=usage)
    scope = read_scope(ctx, args, usage)
    period = read_period(ctx, args, "this-month")
    assert period is not None
    currency, t = ctx.settings.currency, ctx.t
    rows = ctx.uow.reports.leaderboard(scope, period.window(ctx.user.timezone), currency, LIST_ROWS)
    lines = [t("report.leaderboard.title", scope=who(ctx, scope), period=period.key)]
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


@command("stale", roles=READERS, group="reports", samples=("all",))
def stale(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "stale")
    args = read_args(text, "days", usage=usage)
    scope = read_scope(ctx, args, usage)
    days = _days_option(args, ctx.settings.stale_after_days)
    before = ctx.now - timedelta(days=days)
    reports, t = ctx.uow.reports, ctx.t
    count = reports.stale_count(scope, before)
    if not count:
        return Reply(t("report.stale.none", scope=who(ctx, scope), days=days))
    lines = [t("report.stale.title", scope=who(ctx, scope), days=days, count=count)]
    rows = reports.stale(scope, before, LIST_ROWS)
    for row in rows:
        lines.append(t("report.stale.row", deal=reference("deal", row["id"]), title=row["title"],
                       customer=row["customer"], owner=row["owner"],
                       stage=ctx.t.stage(row["stage"]),
                       amount=t.money(row["amount"], row["currency"]),
                       silent=(ctx.now - row["last_activity_at"]).days))
    if count > len(rows):
        lines.append(t("report.stale.more", count=count - len(rows)))
    buttons = [[Button(t("report.stale.button", ref=reference("deal", r["id"])),
                       f"/deal {reference('deal', r['id'])}")
                for r in rows[:3]]]
    return Reply("\n".join(lines), buttons)


# --------------------------------------------------------------------------- /digest


@command("digest", roles=DIGEST_READERS, group="reports", samples=("",))
def digest(ctx: Ctx, text: str) -> Reply:
    """What this week's digest would say now; an admin sees both, for the whole company."""
    read_args(text, usage=usage_of(ctx, "digest"))
    if ctx.user.role == Role.ADMIN:
        parts = [(MANAGER_DIGEST, manager_digest(ctx.uow, ctx.settings, Scope("all"), ctx.now)),
                 (FINANCE_DIGEST, finance_digest(ctx.uow, ctx.settings, ctx.now))]
    else:
        parts = [digest_for(ctx.uow, ctx.settings, ctx.user, ctx.now)]
    replies = [digest_reply(key, params, ctx.t) for key, params in parts]
    return Reply("\n\n".join(r.text for r in replies),
                 files=[f for r in replies for f in r.files])
