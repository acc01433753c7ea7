"""Keeping records true: /edit and /rename, /assign and /handover, /find."""

from __future__ import annotations

from typing import Any

from domain import assignment
from domain.corrections import EDITABLE, Corrected, correct, refuse_posted
from domain.errors import InvalidInput
from domain.products import EDITABLE as PRODUCT_FIELDS
from domain.records import readable
from domain.references import Ref, looks_like_ref, reference
from domain.search import query_tokens
from handlers.arguments import need, next_page, page_of, read_args, usage_of
from handlers.commands import MANAGERS, READERS, SALES, command
from handlers.context import Ctx
from handlers.deals import stage_name
from handlers.field_values import label, value_text
from handlers.option_names import OptionNames
from handlers.products import edit_product, sku_of
from handlers.references import card_command, ref_of
from handlers.reply import Button, Reply

EDIT_KINDS = ("lead", "deal", "customer", "contact", "quote", "order", "invoice", "payment")
RENAMED = {"lead": "company", "deal": "title", "customer": "name", "contact": "name"}
FIND_ROWS = 10
FIND_BUTTONS = 6
CLEAR = ("", "-", "—")


def _open_buttons(ctx: Ctx, number: str) -> list[list[Button]]:
    card = card_command(number)
    row = [Button(ctx.t("button.open_record", ref=number), card)] if card else []
    row.append(Button(ctx.t("button.history"), f"/history {number}"))
    return [row]


# --------------------------------------------------------------------------- /edit, /rename

def _typed(ctx: Ctx, ref: Ref, options: dict[str, str]) -> dict[str, Any]:
    """The options as the domain takes them: a deal's amount as money, its close as a date."""
    values: dict[str, Any] = dict(options)
    if ref.kind == "deal" and ("amount" in values or "close" in values):
        currency = readable(ctx.uow, ctx.user, "deal", ref.id).entity.currency
        if "amount" in values:
            text = values["amount"].strip()
            values["amount"] = None if text in CLEAR else ctx.amount(text, currency)
        if "close" in values:
            text = values["close"].strip()
            values["close"] = None if text in CLEAR else ctx.date(text)
    return values


def _corrected(ctx: Ctx, ref: Ref, done: Corrected) -> Reply:
    if not done.changes:
        return Reply(ctx.t("edit.unchanged", ref=done.number), _open_buttons(ctx, done.number))
    currency = ctx.settings.currency
    if ref.kind == "deal":
        currency = readable(ctx.uow, ctx.user, "deal", ref.id).entity.currency
    lines = [ctx.t("edit.done", ref=done.number)]
    for change in done.changes:
        lines.append("  " + ctx.t("history.change", field=label(ctx, change.field),
                                  before=value_text(ctx, done.kind, change.field, change.before,
                                                    currency),
                                  after=value_text(ctx, done.kind, change.field, change.after,
                                                   currency)))
    if done.similar:
        found = ctx.t("list.sep").join(
            ctx.t("lead.similar_item", ref=reference(m.kind, m.id),
                  name=m.name, kind=ctx.t(f"kind.{m.kind}")) for m in done.similar)
        lines.append(ctx.t("lead.similar", matches=found))
    return Reply("\n".join(lines), _open_buttons(ctx, done.number))


def _edit_ref(ctx: Ctx, first: str | None, usage: str) -> Ref:
    ref = ref_of(need(first, "edit.need_ref", usage), *EDIT_KINDS)
    if ref.kind not in EDITABLE:
        record = readable(ctx.uow, ctx.user, ref.kind, ref.id, ref.number)
        refuse_posted(ref.kind, record.number)
    ctx.user.require(*SALES)
    return ref


@command("edit", roles=READERS, group="records",
         samples=("D-2 amount=30k", "L-3 note=hi", "A-3 phone=13900000000", "O-1 total=1",
                  "SRV-1 price=900"))
def edit(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "edit")
    first = text.split()[0] if text.split() else None
    sku = sku_of(first) if first is not None and not looks_like_ref(first) else None
    if sku is not None and ctx.uow.products.by_sku(sku) is not None:
        args = read_args(text, *PRODUCT_FIELDS, usage=usage)
        if len(args.positional) > 1:
            raise InvalidInput("edit.need_options", ref=sku,
                               fields=OptionNames(PRODUCT_FIELDS), usage=usage)
        if not args.options:
            raise InvalidInput("edit.nothing", fields=OptionNames(PRODUCT_FIELDS))
        return edit_product(ctx, sku, args.options)
    ref = _edit_ref(ctx, first, usage)
    args = read_args(text, *EDITABLE[ref.kind], usage=usage)
    fields = OptionNames(EDITABLE[ref.kind])
    if len(args.positional) > 1:
        raise InvalidInput("edit.need_options", ref=ref.number, fields=fields, usage=usage)
    if not args.options:
        raise InvalidInput("edit.nothing", fields=fields)
    done = correct(ctx.uow, ctx.user, ref.kind, ref.id, _typed(ctx, ref, args.options),
                   ctx.settings)
    return _corrected(ctx, ref, done)


@command("rename", roles=READERS, group="records",
         samples=("A-2 Renamed Co", "D-3 Other Title", "Q-1 New"))
def rename(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "rename")
    first, _, rest = text.strip().partition(" ")
    ref = _edit_ref(ctx, first or None, usage)
    name = need(rest.strip().strip('"“” '), "rename.need_name", usage)
    done = correct(ctx.uow, ctx.user, ref.kind, ref.id, {RENAMED[ref.kind]: name}, ctx.settings)
    return _corrected(ctx, ref, done)


# --------------------------------------------------------------------------- /assign, /handover

def _handed(ctx: Ctx, key: str, done: assignment.Handed, **params: Any) -> Reply:
    shown = ", ".join(done.refs[:20]) + (" …" if len(done.refs) > 20 else "")
    lines = [ctx.t(key, to=done.to.display_name, username=done.to.username,
                   count=len(done.refs), refs=shown or "—", **params)]
    if done.reminders:
        lines.append(ctx.t("assign.reminders", count=done.reminders))
    card = card_command(done.refs[0]) if done.refs else None
    buttons = [[Button(ctx.t("button.open_record", ref=done.refs[0]), card)]] if card else []
    return Reply("\n".join(lines), buttons)


@command("assign", roles=MANAGERS, group="records", samples=("D-2 rep2", "A-3 rep"))
def assign(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "assign")
    args = read_args(text, usage=usage)
    if len(args.positional) != 2:
        raise InvalidInput("assign.need_parts", usage=usage)
    ref = ref_of(args.positional[0], *assignment.ASSIGNABLE)
    done = assignment.assign(ctx.uow, ctx.user, ref.kind, ref.id, args.positional[1])
    return _handed(ctx, "assign.done", done, ref=ref.number)


@command("handover", roles=MANAGERS, group="records", samples=("rep2 rep", "other rep"))
def handover(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "handover")
    args = read_args(text, usage=usage)
    if len(args.positional) != 2:
        raise InvalidInput("handover.need_parts", usage=usage)
    giver, taker = args.positional
    done = assignment.hand_over(ctx.uow, ctx.user, giver, taker)
    if not done.refs and not done.reminders:
        return Reply(ctx.t("handover.nothing", username=giver))
    return _handed(ctx, "handover.done", done, giver=giver.lstrip("@"))


# --------------------------------------------------------------------------- /find

def _found_row(ctx: Ctx, row: dict[str, Any]) -> str:
    kind = row["kind"]
    reach = " · ".join(v for v in (row["phone"], row["email"]) if v)
    reach = f" · {reach}" if reach else ""
    if kind == "customer":
        return ctx.t("find.customer", ref=reference("customer", row["id"]), name=row["name"],
                     reach=reach,
                     owner=row["owner"] or "—")
    if kind == "contact":
        title = ctx.t("contact.title_part", title=row["title"]) if row["title"] else ""
        return ctx.t("find.contact", ref=reference("contact", row["id"]), name=row["name"],
                     title=title, reach=reach,
                     customer=f"{reference('customer', row['customer_id'])} {row['customer']}")
    if kind == "lead":
        return ctx.t("find.lead", ref=reference("lead", row["id"]), name=row["name"],
                     status=ctx.t(f"lead.status.{row['lead_status']}"),
                     contact=row["contact"] or "—", reach=reach, owner=row["owner"] or "—")
    return ctx.t("find.deal", ref=reference("deal", row["id"]), name=row["name"],
                 customer=f"{reference('customer', row['customer_id'])} {row['customer']}",
                 stage=stage_name(ctx, row["stage"]),
                 amount=ctx.t.money(row["amount"], row["currency"]), owner=row["owner"] or "—")


@command("find", roles=READERS, group="records", samples=("alpha", "beta", "13800000001", "gamma"))
def find_records(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "find")
    args = read_args(text, "page", usage=usage)
    wanted = need(args.text, "find.need_text", usage)
    tokens = query_tokens(wanted)
    owner_id, team = ctx.user.read_filters()
    page = page_of(args)
    found = ctx.uow.queries.find(tokens, owner_id=owner_id, team=team, page=page,
                                 per_page=FIND_ROWS)
    if not found.rows:
        return Reply(ctx.t("find.none", text=wanted))
    lines = [ctx.t("find.title", text=wanted, page=page)]
    lines += [_found_row(ctx, row) for row in found.rows]
    lines += next_page(ctx, found.has_more, f"/find {wanted}", page)
    if found.capped:
        lines.append(ctx.t("find.narrow"))
    refs = [reference(row["kind"], row["id"]) for row in found.rows[:FIND_BUTTONS]]
    buttons = [Button(ref, card) for ref in refs if (card := card_command(ref))]
    return Reply("\n".join(lines), [buttons[i:i + 3] for i in range(0, len(buttons), 3)])
