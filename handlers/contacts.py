"""A customer's contact people: /contact to add one or show one, /contacts to list them."""

from __future__ import annotations

from domain.customers import add_contact, get_customer
from domain.errors import InvalidInput
from domain.model.customers import Contact, NewContact
from domain.records import readable
from domain.references import reference
from handlers.arguments import need, read_args
from handlers.commands import READERS, SALES, command
from handlers.context import Ctx
from handlers.references import customer_id, ref_of
from handlers.reply import Button, Reply

LISTED = 30


def contact_line(ctx: Ctx, contact: Contact) -> str:
    """C-3 Wang (CFO) · 139 1111 2222 · wang@acme.cn"""
    title = ctx.t("contact.title_part", title=contact.title) if contact.title else ""
    reach = " · ".join(v for v in (contact.phone, contact.email) if v)
    return ctx.t("contact.row", ref=contact.number, name=contact.name, title=title,
                 reach=f" · {reach}" if reach else "")


def _card(ctx: Ctx, contact_ref: int) -> Reply:
    record = readable(ctx.uow, ctx.user, "contact", contact_ref)
    contact: Contact = record.entity
    customer = ctx.uow.customers.get(contact.customer_id)
    lines = [ctx.t("contact.card.title", ref=contact.number, name=contact.name,
                   customer=f"{reference('customer', contact.customer_id)} "
                            f"{customer.name if customer else ''}"),
             ctx.t("contact.card.details", title=contact.title or "—",
                   phone=contact.phone or "—", email=contact.email or "—")]
    if contact.note:
        lines.append(ctx.t("contact.card.note", note=contact.note))
    return Reply("\n".join(lines), [[
        Button(ctx.t("button.open_customer"),
               f"/customer {reference('customer', contact.customer_id)}"),
        Button(ctx.t("button.history"), f"/history {contact.number}")]])


@command("contact", roles=READERS, group="records",
         samples=("A-1 name=Zhao phone=13911112222", "A-3 name=Spy", "C-1"))
def contact(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.contact.usage")
    args = read_args(text, "name", "title", "phone", "email", "note", usage=usage)
    first = need(args.positional[0] if args.positional else None, "contact.need_ref", usage)
    ref = ref_of(first, "customer", "contact")
    if ref.kind == "contact":
        return _card(ctx, ref.id)
    ctx.user.require(*SALES)
    # The name may follow the customer without name= (/contact A-5 Wang Wei title=CFO).
    name = args.option("name") or " ".join(args.positional[1:])
    new = NewContact(name=need(name, "contact.need_name", usage), title=args.option("title"),
                     phone=args.option("phone"), email=args.option("email"),
                     note=args.option("note"))
    added = add_contact(ctx.uow, ctx.user, ref.id, new, ctx.now)
    return Reply(ctx.t("contact.added", ref=added.number, name=added.name,
                       customer=reference("customer", added.customer_id))
                 + "\n" + contact_line(ctx, added),
                 [[Button(ctx.t("button.contacts"),
                          f"/contacts {reference('customer', added.customer_id)}")]])


@command("contacts", roles=READERS, group="records", samples=("A-1", "A-3"))
def contacts(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.contacts.usage")
    args = read_args(text, usage=usage)
    if not args.text:
        raise InvalidInput("customer.need_ref", usage=usage)
    found = get_customer(ctx.uow, ctx.user, customer_id(ctx, args.text))
    people = ctx.uow.contacts.of_customer(found.id or 0)
    if not people:
        return Reply(ctx.t("contacts.none", ref=found.number, name=found.name),
                     [[Button(ctx.t("button.open_customer"), f"/customer {found.number}")]])
    lines = [ctx.t("contacts.title", ref=found.number, name=found.name, count=len(people))]
    lines += ["  " + contact_line(ctx, person) for person in people[:LISTED]]
    if len(people) > LISTED:
        lines.append(ctx.t("contacts.more", count=len(people) - LISTED))
    return Reply("\n".join(lines),
                 [[Button(ctx.t("button.open_customer"), f"/customer {found.number}")]])
