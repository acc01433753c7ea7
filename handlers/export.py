"""`/export`: deals, invoices, payments or activities as a CSV file that Excel opens as it is
(UTF-8 with a byte order mark, instants in the reader's zone, codes in the reader's words,
no cell read as a formula)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.errors import InvalidInput
from handlers.arguments import need, read_args, usage_of
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.i18n import Translator
from handlers.reply import Attachment, Reply
from handlers.report_scope import read_period, read_scope, who
from handlers.unit_of_work import EXPORT_COLUMNS

CSV = "text/csv"
# A text cell starting with one of these is read by spreadsheets as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Label = Callable[[Any], Any]


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


def _labels(ctx: Ctx, kind: str) -> dict[int, Label]:
    """Codes written in the reader's words: stages, statuses, methods, kinds of activity."""
    t = ctx.t

    def deal_status(value: Any) -> str:
        return t(f"deal.status.{value}") if value in ("won", "lost") else t("export.status.open")

    def stage(value: Any) -> str:
        return deal_status(value) if value in ("won", "lost") else t.stage(str(value))

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


@command("export", roles=READERS, group="reports",
         samples=("deals", "invoices all", "payments", "activities team"))
def export(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "export")
    args = read_args(text, "period", usage=usage)
    kind = need(args.positional[0] if args.positional else None, "export.need_kind", usage)
    kind = kind.lower()
    if kind not in EXPORT_COLUMNS:
        raise InvalidInput("export.bad_kind", value=kind, kinds="|".join(EXPORT_COLUMNS))
    scope = read_scope(ctx, args, usage, first=1)
    period = read_period(ctx, args, None)
    t = ctx.t
    header = [t(f"export.{kind}.{column}") for column in EXPORT_COLUMNS[kind]]
    rows = ctx.uow.reports.export(kind, scope,
                                  period.window(ctx.user.timezone) if period else None,
                                  ctx.today)
    buffer = io.BytesIO()
    count = write_csv(header, rows, t, buffer, _labels(ctx, kind))
    name = f"{kind}-{period.key if period else 'all'}-{ctx.today.isoformat()}.csv"
    return Reply(t("export.done", kind=t(f"export.kind.{kind}"), scope=who(ctx, scope),
                   period=period.key if period else t("export.all_time"), rows=count,
                   file=name),
                 private=True, files=[Attachment(name=name, data=buffer.getvalue(), mime=CSV)])
