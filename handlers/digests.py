"""The weekly digests' text and chart, written at send time in the reader's language.

A digest is queued with its figures as JSON (`domain.digests`); the outbox renders it here
for each reader, so this module stays small to load: no report commands, and the chart
library is loaded only when a chart is drawn.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.digests import FINANCE_DIGEST, MANAGER_DIGEST
from domain.reports import rate
from handlers import charts
from handlers.i18n import Translator
from handlers.reply import Attachment, Reply
from handlers.report_text import AGING_BUCKETS, compact, percent_or_dash, png, scope_name


def _m(t: Translator, value: dict[str, str] | None) -> str:
    if value is None:
        return "—"
    return t.money(Decimal(value["amount"]), value["currency"])


def _d(t: Translator, value: str) -> str:
    return t.date(date.fromisoformat(value))


def _scope(params: dict[str, Any], t: Translator) -> str:
    return scope_name(t, params["scope"], params["team"])


def _manager_text(params: dict[str, Any], t: Translator) -> list[str]:
    lines = [t(MANAGER_DIGEST, week=params["week"], start=_d(t, params["from"]),
               end=_d(t, params["to"]), scope=_scope(params, t))]
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
            line += t("report.forecast.target", target=_m(t, month["target"]),
                      attained=percent_or_dash(t, rate(
                          Decimal(month["won"]["amount"]) + Decimal(month["weighted"]["amount"]),
                          Decimal(month["target"]["amount"]))))
        lines.append(line)
    lines.append(t("digest.stale", count=params["stale_count"]))
    lines += [t("digest.stale_row", deal=s["deal"], title=s["title"], owner=s["owner"],
                days=s["days"]) for s in params["stale"]]
    lines.append(t("digest.leaders"))
    lines += [t("digest.leader_row", place=n, name=r["name"], won=r["won"],
                amount=_m(t, r["amount"]), activities=r["activities"])
              for n, r in enumerate(params["leaders"], start=1)] or [t("report.leaderboard.none")]
    if params.get("detractors"):  # digests queued before surveys existed have none
        lines.append(t("digest.detractors", items="; ".join(
            f"{d['customer']} {d['name']} {d['score']}/10" for d in params["detractors"])))
    return lines


def _manager_chart(params: dict[str, Any], t: Translator) -> Attachment | None:
    months = params["forecast"]
    if not months:
        return None
    currency = months[0]["won"]["currency"]
    rows = [(m["month"], Decimal(m["won"]["amount"]), Decimal(m["weighted"]["amount"]),
             Decimal(m["target"]["amount"]) if m["target"] else None) for m in months]
    return png("forecast.png", charts.forecast_chart(
        t("report.forecast.chart", scope=_scope(params, t), currency=currency), rows,
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
    return png("aging.png", charts.aging_chart(
        t("report.aging.chart", scope=t("report.scope.all"), currency=currency),
        [charts.Bar(t(f"report.aging.{b}"), Decimal(row[b]["amount"])) for b in AGING_BUCKETS],
        compact(t, currency)))


def digest_reply(key: str, params: dict[str, Any], t: Translator) -> Reply:
    """A digest's figures written for one reader, with its chart."""
    if key == FINANCE_DIGEST:
        lines, chart = _finance_text(params, t), _finance_chart(params, t)
    else:
        lines, chart = _manager_text(params, t), _manager_chart(params, t)
    return Reply("\n".join(lines), files=[chart] if chart else [])
