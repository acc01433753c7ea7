"""Drafts: a command shown with what it would do, and Confirm / Edit / Cancel buttons.

The draft reads the command with the commands' own grammar and looks up the records it names
(only as far as the reader may see them), so a mistake shows before anything is written and the
reader sees which customer, deal or contact is meant. Nothing is written: Confirm sends the
command itself, which then runs as if it had been typed (roles, checks, audit, notifications).

`/draft <command>` shows the draft of any command (the choice buttons of an ambiguous sentence
use it); `/draft edit <command>` gives the command back to change and send; `/draft cancel`
drops it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain import deals
from domain.customers import get_customer
from domain.dates import parse_when, split_when
from domain.invoices import get_invoice
from domain.model.activities import parse_kind
from domain.payments import check_payment
from domain.references import looks_like_ref, parse_ref, reference
from domain.vocabulary import resolve
from handlers.arguments import Args, need, tokenize, unquote, usage_of
from handlers.command_line import split_command
from handlers.commands import command, find
from handlers.context import Ctx
from handlers.references import customer_id, deal_id, subject
from handlers.reply import Button, Reply

EDIT = "/draft edit"
CANCEL = "/draft cancel"
Describe = Callable[[Ctx, Args, str], list[str]]


def _customer_name(ctx: Ctx, customer_id: int) -> str:
    """"A-5 Acme" for a customer the reader may see, else only its reference."""
    customer = ctx.uow.customers.get(customer_id)
    if customer is None or not ctx.user.can_read(customer.owner_id, customer.team):
        return reference("customer", customer_id)
    return f"{customer.number} {customer.name}"


def _subject_line(ctx: Ctx, ref: str) -> str:
    about = subject(ctx, ref)
    line = ctx.t("draft.about", ref=about.number, name=about.title)
    if about.kind != "customer" and about.customer_id:
        line += ctx.t("draft.of_customer", customer=_customer_name(ctx, about.customer_id))
    return line


def _deal_line(ctx: Ctx, ref: str) -> str:
    deal = deals.get_deal(ctx.uow, ctx.user, deal_id(ctx, ref))
    return ctx.t("draft.deal", ref=deal.number, title=deal.title,
                 stage=ctx.t.stage(deal.stage), customer=_customer_name(ctx, deal.customer_id))


def _part(ctx: Ctx, args: Args, index: int, key: str, name: str) -> str:
    """A positional part the command needs; missing, the command's own refusal."""
    found = args.positional[index] if len(args.positional) > index else None
    return need(found, key, usage_of(ctx, name))


def _log(ctx: Ctx, args: Args, text: str) -> list[str]:
    head, _, body = args.text.partition(" ")
    kind_word, _, note = body.partition(" ")
    need(note, "activity.need_parts", usage_of(ctx, "log"))
    lines = [_subject_line(ctx, head),
             ctx.t("draft.activity", kind=ctx.t.term("kind", parse_kind(kind_word, ctx.settings)),
                   note=unquote(note))]
    if args.option("next"):
        lines.append(ctx.t("draft.follow_up", when=ctx.t.when(ctx.instant(args.options["next"]))))
    return lines


def _remind(ctx: Ctx, args: Args, text: str) -> list[str]:
    words = args.positional
    _part(ctx, args, 0, "reminder.need_parts", "remind")
    lines = []
    if words and looks_like_ref(words[0]):
        lines.append(_subject_line(ctx, words[0]))
        words = words[1:]
    found = split_when(" ".join(words), ctx.today)
    when, rest = found if found is not None else (parse_when(" ".join(words), ctx.today), "")
    lines.insert(0, ctx.t("draft.reminder", when=ctx.t.when(ctx.at(when)), text=rest))
    return lines


def _lead(ctx: Ctx, args: Args, text: str) -> list[str]:
    source = args.option("source")
    shown = ctx.t.term("source", resolve(ctx.settings.terms("source"), source, "source")) \
        if source else "—"
    company = need(unquote(args.text), "lead.no_company", usage_of(ctx, "lead"))
    return [ctx.t("draft.lead", company=company,
                  contact=args.option("contact") or "—", phone=args.option("phone") or "—",
                  email=args.option("email") or "—", source=shown)]


def _stage(ctx: Ctx, args: Args, text: str) -> list[str]:
    deal = _part(ctx, args, 0, "deal.need_ref", "stage")
    _part(ctx, args, 1, "deal.need_stage", "stage")
    target = resolve(ctx.settings.terms("stage"), " ".join(args.positional[1:]), "stage")
    return [_deal_line(ctx, deal), ctx.t("draft.stage", stage=ctx.t.stage(target))]


def _won(ctx: Ctx, args: Args, text: str) -> list[str]:
    return [_deal_line(ctx, _part(ctx, args, 0, "deal.need_ref", "won")), ctx.t("draft.won")]


def _lost(ctx: Ctx, args: Args, text: str) -> list[str]:
    deal = _part(ctx, args, 0, "deal.need_ref", "lost")
    reason = args.option("reason") or " ".join(args.positional[1:])
    return [_deal_line(ctx, deal),
            ctx.t("draft.lost", reason=reason) if reason else ctx.t("draft.lost_ask")]


def _payment(ctx: Ctx, args: Args, text: str) -> list[str]:
    target = _part(ctx, args, 0, "payment.which", "paid")
    _part(ctx, args, 1, "payment.need_amount", "paid")
    invoice, customer = None, None
    if looks_like_ref(target) and parse_ref(target).kind == "invoice":
        invoice = get_invoice(ctx.uow, ctx.user, parse_ref(target).number)
        who = invoice.number
    else:
        customer = get_customer(ctx.uow, ctx.user, customer_id(ctx, target))
        who = f"{customer.number} {customer.name}"
    amount = ctx.amount(" ".join(args.positional[1:]))
    day = ctx.date(args.options["date"]) if "date" in args.options else ctx.today
    check_payment(ctx.uow, ctx.user, amount, ctx.today,
                  invoice_number=invoice.number if invoice else None,
                  customer_id=customer.id if customer else None, received_on=day,
                  ref=args.option("ref"))
    lines = [ctx.t("draft.payment", amount=ctx.t.money(amount.amount, amount.currency),
                   customer=who, date=ctx.t.date(day))]
    if args.option("method"):
        lines.append(ctx.t("draft.method", method=ctx.t.term(
            "method", resolve(ctx.settings.terms("method"), args.options["method"], "method"))))
    if args.option("ref"):
        lines.append(ctx.t("draft.bank_ref", ref=args.options["ref"]))
    return lines


DESCRIBE: dict[str, Describe] = {
    "log": _log, "remind": _remind, "lead": _lead, "stage": _stage, "won": _won, "lost": _lost,
    "paid": _payment, "pay": _payment,
}


def draft(ctx: Ctx, text: str, extra: Sequence[str] = ()) -> Reply:
    """The draft of a command: what it would do (and `extra` lines the sentence said, such
    as the contact person), with Confirm / Edit / Cancel."""
    parsed = split_command(text)
    found = find(parsed[0]) if parsed else None
    if parsed is None or found is None:
        return Reply(ctx.t("draft.not_a_command", command=text[:80]), ok=False)
    ctx.user.require(*found.roles)
    name, rest = found.name, parsed[1]
    lines = [ctx.t("draft.title_paid") if name == "paid" else ctx.t("draft.title"), f"  {text}"]
    describe = DESCRIBE.get(name)
    if describe is not None:
        args = tokenize(rest, ("next", "reason", "contact", "phone", "email", "source", "note",
                               "date", "ref", "method"))
        lines += ["  " + line for line in describe(ctx, args, rest)]
    lines += ["  " + line for line in extra]
    lines.append(ctx.t("draft.nothing_yet"))
    return Reply("\n".join(lines), [[Button(ctx.t("button.confirm"), text),
                                     Button(ctx.t("button.edit"), f"{EDIT} {text}"),
                                     Button(ctx.t("button.cancel"), CANCEL)]])


@command("draft", group="team",
         samples=("/log D-2 call hello", "/won D-3", "/paid A-3 10", "edit /won D-3", "cancel"))
def draft_command(ctx: Ctx, text: str) -> Reply:
    """Show a command's draft, give it back to edit, or drop it; never writes."""
    first, _, rest = text.strip().partition(" ")
    if first.lower() == "cancel":
        return Reply(ctx.t("draft.cancelled"))
    if first.lower() == "edit" and rest.strip().startswith(("/", "／")):
        return Reply(ctx.t("draft.edit", command=rest.strip()))
    inner = split_command(text.strip())
    if inner is None or inner[0] == "draft":
        return Reply(ctx.t("draft.usage", usage=ctx.t("help.draft.usage")), ok=False)
    return draft(ctx, text.strip())
