"""A record's fields and values as a reader should see them: names in their language, stages
and statuses in words, people by name, money in its currency, days and instants in their zone.
Used by /history and by the answer to /edit.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.references import reference
from handlers.context import Ctx
from handlers.deals import stage_name

MONEY = {"amount", "total", "unit_price"}
PERCENT = {"probability", "discount_pct", "tax_pct", "percent"}
PEOPLE = {"owner_id", "decided_by", "recorded_by", "user_id", "created_by", "used_by"}
REFERENCES = {"customer_id": "customer", "deal_id": "deal", "lead_id": "lead"}
STATUS_KEYS = {"lead": "lead.status.{}", "quote": "quote.status.{}"}
# Fields whose values are words with a message of their own.
WORDED = {"amount_source": "deal.amount_source.{}", "trigger": "plan.trigger.{}",
          "role": "role.{}"}
# Fields whose values are configured terms with a name per language.
TERMS = {"source": "source", "method": "method", "kind": "kind"}


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
    if field in TERMS:
        return ctx.t.term(TERMS[field], str(value))
    if field in WORDED:
        key = WORDED[field].format(value)
        text = ctx.t(key)
        return str(value) if text == key else text
    if field in PEOPLE:
        person = ctx.uow.users.get(int(value))
        return person.display_name if person else str(value)
    if field in REFERENCES:
        return reference(REFERENCES[field], value)
    if field.endswith("_at"):
        moment = _instant(value)
        return ctx.t.when(moment) if moment else str(value)
    if field.endswith(("_on", "_date", "_until")) or field == "close":
        day = _day(value)
        return ctx.t.date(day) if day else str(value)
    return str(value)
