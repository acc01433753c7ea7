"""/history <ref>: who changed what and when, from the audit trail, in the reader's words.

Field names, stages, statuses, people, money, dates and instants are shown in the reader's
language and time zone; bookkeeping columns (comparison keys, ids) are left out.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.history import trail
from domain.records import readable
from domain.users import Role
from handlers.arguments import need, page_of, read_args
from handlers.commands import command, find
from handlers.context import Ctx
from handlers.references import card_command, ref_of
from handlers.reply import Button, Reply
from handlers.sales import stage_name

HISTORY_ROWS = 15
READERS = (Role.REP, Role.MANAGER, Role.FINANCE)
KINDS = ("lead", "customer", "contact", "deal", "quote", "order", "invoice", "payment")
# Columns that say nothing a reader needs: comparison keys, denormalised teams of lines, ...
HIDDEN = {"id", "name_key", "last_activity_at", "amount_ref", "quote_id", "order_id",
          "invoice_id", "payment_id", "credit_note_id", "position", "seq", "created_at"}
MONEY = {"amount", "total", "unit_price"}
PERCENT = {"probability", "discount_pct", "tax_pct", "percent"}
PEOPLE = {"owner_id", "decided_by", "recorded_by", "user_id", "created_by", "used_by"}
REFERENCES = {"customer_id": "A", "deal_id": "D", "lead_id": "L"}
STATUS_KEYS = {"lead": "lead.status.{}", "quote": "quote.status.{}"}


def label(ctx: Ctx, field: str) -> str:
    """A field's name in the reader's language (its own name when there is no word for it)."""
    key = f"field.{field}"
    text = ctx.t(key)
    return field if text == key else text


def _day(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        found = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return found if found.tzinfo else None


def _status(ctx: Ctx, entity: str, value: str) -> str:
    if entity == "deal":
        return ctx.t(f"deal.status.{value}") if value in ("won", "lost") \
            else ctx.t("export.status.open")
    pattern = STATUS_KEYS.get(entity)
    if pattern is None:
        return value
    key = pattern.format(value)
    text = ctx.t(key)
    return value if text == key else text


def value_text(ctx: Ctx, entity: str, field: str, value: Any, currency: str) -> str:
    """A stored value as the reader should see it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return ctx.t("value.yes") if value else ctx.t("value.no")
    if field in MONEY:
        try:
            return ctx.t.money(Decimal(str(value)), currency)
        except InvalidOperation:
            return str(value)
    if field in PERCENT:
        try:
            return ctx.t.percent(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if field == "stage":
        return stage_name(ctx, str(value))
    if field == "status":
        return _status(ctx, entity, str(value))
    if field == "amount_source":
        return ctx.t(f"deal.amount_source.{value}")
    if field in PEOPLE:
        person = ctx.uow.users.get(int(value))
        return person.display_name if person else str(value)
    if field in REFERENCES:
        return f"{REFERENCES[field]}-{value}"
    if field.endswith("_at"):
        moment = _instant(value)
        return ctx.t.when(moment) if moment else str(value)
    if field.endswith(("_on", "_date", "_until")) or field == "close":
        day = _day(value)
        return ctx.t.date(day) if day else str(value)
    return str(value)


def _action(action: str) -> str:
    """The command a change was made by ("/edit"), or what made it ("system")."""
    name = action.split()[0] if action else ""
    return f"/{action}" if name and find(name) is not None else action


def _changes(ctx: Ctx, row: dict[str, Any], currency: str) -> str:
    before, after = row["before"] or {}, row["after"] or {}
    entity = row["entity"]
    parts = []
    for field in after:
        if field in HIDDEN:
            continue
        parts.append(ctx.t("history.change", field=label(ctx, field),
                           before=value_text(ctx, entity, field, before.get(field), currency),
                           after=value_text(ctx, entity, field, after[field], currency)))
    return "; ".join(parts)


def history_line(ctx: Ctx, row: dict[str, Any], kind: str, currency: str) -> str | None:
    """One audit row as a line; None when it changed nothing a reader sees."""
    what = ctx.t(f"history.entity.{row['entity']}")
    if row["before"] is None:
        done = ctx.t("history.created", what=what) if row["entity"] != kind \
            else ctx.t("history.created_record")
    elif row["after"] is None:
        done = ctx.t("history.deleted", what=what)
    else:
        done = _changes(ctx, row, currency)
        if not done:
            return None
        if row["entity"] != kind:
            done = f"{what}: {done}"
    return ctx.t("history.row", when=ctx.t.when(row["at"]), actor=row["actor"] or "—",
                 action=_action(row["action"]), done=done)


@command("history", roles=READERS, group="records")
def history(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.history.usage")
    args = read_args(text, "page", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "history.need_ref",
                      usage), *KINDS)
    record = readable(ctx.uow, ctx.user, ref.kind, ref.id, ref.number)
    page = page_of(args)
    found = ctx.uow.queries.history(trail(record), page, HISTORY_ROWS)
    currency = getattr(record.entity, "currency", None) or ctx.settings.currency
    if record.kind == "customer":
        currency = ctx.settings.currency
    lines = [ctx.t("history.title", ref=record.number, page=page)]
    shown = [line for row in found.rows
             if (line := history_line(ctx, row, record.kind, currency)) is not None]
    lines += ["  " + line for line in shown] or [ctx.t("history.none")]
    if found.has_more:
        lines.append(ctx.t("list.more", command=f"/history {record.number} page={page + 1}"))
    card = card_command(record.number)
    buttons = [[Button(ctx.t("button.open_record", ref=record.number), card)]] if card else []
    return Reply("\n".join(lines), buttons)
