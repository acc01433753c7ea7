"""/history <ref>: who changed what and when, from the audit trail, in the reader's words.

Bookkeeping columns (comparison keys, ids of lines) are left out; the rest is written by
handlers/field_values.py in the reader's language and time zone.
"""

from __future__ import annotations

from typing import Any

from domain.history import trail
from domain.records import readable
from handlers.arguments import need, next_page, page_of, read_args
from handlers.commands import READERS, command, find
from handlers.context import Ctx
from handlers.field_values import label, value_text
from handlers.references import card_command, ref_of
from handlers.reply import Button, Reply

HISTORY_ROWS = 15
KINDS = ("lead", "customer", "contact", "deal", "quote", "order", "invoice", "payment")
# Columns that say nothing a reader needs: comparison keys, ids and positions of lines, ...
HIDDEN = {"id", "name_key", "last_activity_at", "touched_at", "score_reasons", "amount_ref",
          "quote_id", "order_id", "invoice_id", "payment_id", "credit_note_id", "position",
          "seq", "created_at"}
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
    return ctx.t("list.sep").join(parts)


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


@command("history", roles=READERS, group="records", samples=("D-1", "D-3", "INV-2026-0002", "C-1"))
def history(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.history.usage")
    args = read_args(text, "page", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "history.need_ref",
                      usage), *KINDS)
    record = readable(ctx.uow, ctx.user, ref.kind, ref.id, ref.number)
    page = page_of(args)
    found = ctx.uow.queries.history(trail(ctx.uow, record), page, HISTORY_ROWS)
    currency = getattr(record.entity, "currency", None) or ctx.settings.currency
    if record.kind == "customer":
        currency = ctx.settings.currency
    lines = [ctx.t("history.title", ref=record.number, page=page)]
    shown = [line for row in found.rows
             if (line := history_line(ctx, row, record.kind, currency)) is not None]
    lines += ["  " + line for line in shown] or [ctx.t("history.none")]
    lines += next_page(ctx, found.has_more, f"/history {record.number}", page)
    card = card_command(record.number)
    buttons = [[Button(ctx.t("button.open_record", ref=record.number), card)]] if card else []
    return Reply("\n".join(lines), buttons)
