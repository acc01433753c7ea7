"""Lead commands: a new lead (or a lead's card), the lists of leads, qualifying a lead into a
customer and a deal (asking which customer when one looks alike), and closing a lead."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain import leads
from domain.errors import InvalidInput
from domain.model.leads import LeadStatus
from domain.references import Ref, looks_like_ref, parse_ref, reference
from handlers.arguments import (
    PER_PAGE,
    Args,
    need,
    next_page,
    page_of,
    read_args,
    unquote,
    usage_of,
)
from handlers.commands import READERS, SALES, command
from handlers.context import Ctx
from handlers.deals import stage_name
from handlers.references import ref_of
from handlers.reply import Button, Reply

# Words for the lists of leads.
_LEAD_SCOPES = {"我的": "mine", "my": "mine", "全部": "all", "所有": "all", "新": "new",
                "新线索": "new"}


def lead_card(ctx: Ctx, lead_id: int) -> Reply:
    """A lead's card: company, contact person, where it came from, what became of it."""
    found = leads.get_lead(ctx.uow, ctx.user, lead_id)
    owner = ctx.uow.users.get(found.owner_id)
    lines = [ctx.t("lead.card.title", ref=found.number, company=found.company,
                   status=ctx.t(f"lead.status.{found.status}")),
             ctx.t("lead.card.contact", contact=found.contact or "—", phone=found.phone or "—",
                   email=found.email or "—"),
             ctx.t("lead.card.source", source=ctx.t.term("source", found.source),
                   owner=owner.display_name if owner else "—",
                   date=ctx.t.date(found.created_at.astimezone(ctx.tz).date()))]
    if found.amount is not None or found.region:
        lines.append(ctx.t("lead.card.amount", amount=ctx.t.money(found.amount, ctx.settings
                                                                  .currency)
                           if found.amount is not None else "—", region=found.region or "—"))
    lines.append(score_line(ctx, found.score, found.score_reasons or []))
    if found.note:
        lines.append(ctx.t("lead.card.note", note=found.note))
    if found.in_pool:
        lines.append(ctx.t("lead.card.in_pool", date=ctx.t.date(
            (found.pooled_at or ctx.now).astimezone(ctx.tz).date())))
    if found.reason:
        lines.append(ctx.t("lead.card.reason", reason=found.reason))
    buttons: list[list[Button]] = []
    if found.deal_id:
        lines.append(ctx.t("lead.card.became", customer=reference("customer", found.customer_id),
                           deal=reference("deal", found.deal_id)))
        buttons = [[Button(ctx.t("button.open_deal"), f"/deal {reference('deal', found.deal_id)}")]]
    elif found.status == LeadStatus.NEW and found.in_pool:
        buttons = [[Button(ctx.t("button.claim"), f"/claim {found.number}")]]
    elif found.status == LeadStatus.NEW and ctx.user.can_write(found.owner_id, found.team):
        buttons = [[Button(ctx.t("button.qualify"), f"/qualify {found.number}"),
                    Button(ctx.t("button.disqualify"), f"/disqualify {found.number} reason=")],
                   [Button(ctx.t("button.log_call"), f"/log {found.number} call "),
                    Button(ctx.t("button.release"), f"/release {found.number} reason=")]]
    buttons.append([Button(ctx.t("button.history"), f"/history {found.number}")])
    return Reply("\n".join(lines), buttons)


def score_line(ctx: Ctx, score: int, reasons: list[dict[str, Any]]) -> str:
    """The score, its band and why: "Score 45 (warm): referral +30, phone +10, e-mail +5"."""
    rules = ctx.settings.scoring
    why = ctx.t("list.sep").join(reason_text(ctx, r) for r in reasons) or "—"
    return ctx.t("lead.card.score", score=score, band=ctx.t(f"lead.band_word.{rules.band(score)}"),
                 reasons=why)


def reason_text(ctx: Ctx, reason: dict[str, Any]) -> str:
    rule, value, points = reason["rule"], reason.get("value") or "", int(reason["points"])
    if rule == "source":
        value = ctx.t.term("source", value)
    elif rule == "amount":
        value = ctx.t.money(Decimal(value), ctx.settings.currency)
    return ctx.t(f"lead.reason.{rule}", value=value, points=f"{points:+d}")


def _reference_alone(args: Args) -> Ref | None:
    """`/lead L-6`: a single unquoted reference, not a company's name."""
    if args.options or len(args.positional) != 1 or args.text != args.positional[0]:
        return None
    return parse_ref(args.text) if looks_like_ref(args.text) else None


@command("lead", roles=READERS, group="sales", samples=("Fresh Lead Co contact=Wu", "", "L-1"))
def lead(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "lead")
    args = read_args(text, "contact", "phone", "email", "source", "note", "amount", "region",
                     usage=usage)
    shown = _reference_alone(args)
    if shown is not None:
        if shown.kind != "lead":
            raise InvalidInput("lead.ref_not_company", value=shown.number)
        return lead_card(ctx, shown.id)
    ctx.user.require(*SALES)
    company = need(unquote(args.text), "lead.no_company", usage)
    new = leads.NewLead(company=company, contact=args.option("contact"),
                        phone=args.option("phone"), email=args.option("email"),
                        source=args.option("source"), note=args.option("note"),
                        amount=_lead_amount(ctx, args.option("amount")),
                        region=args.option("region"))
    created, similar = leads.create_lead(ctx.uow, ctx.user, new, ctx.settings, ctx.now)
    lines = [ctx.t("lead.created", ref=created.number, company=created.company)]
    if created.score:  # without scoring rules every lead scores 0: nothing to say
        lines[0] += " " + ctx.t("lead.created_score", score=created.score, band=ctx.t(
            f"lead.band_word.{ctx.settings.scoring.band(created.score)}"))
    if similar:
        found = ctx.t("list.sep").join(
            ctx.t("lead.similar_item", ref=reference(m.kind, m.id),
                  name=m.name, kind=ctx.t(f"kind.{m.kind}"))
            for m in similar
        )
        lines.append(ctx.t("lead.similar", matches=found))
    return Reply("\n".join(lines), [[Button(ctx.t("button.qualify"),
                                            f"/qualify {created.number}")]])


def _lead_amount(ctx: Ctx, text: str | None) -> Decimal | None:
    """A lead's amount, in the company currency (the scoring bands are in it)."""
    if text is None:
        return None
    money = ctx.amount(text)
    if money.currency != ctx.settings.currency:
        raise InvalidInput("lead.amount_currency", currency=ctx.settings.currency)
    return money.amount


@command("leads", roles=SALES, group="sales", samples=("", "all", "all sort=score"))
def leads_list(ctx: Ctx, text: str) -> Reply:
    args = read_args(text, "page", "sort", usage=usage_of(ctx, "leads"))
    sort = (args.option("sort") or "date").lower()
    sort = {"评分": "score", "分数": "score", "时间": "date", "日期": "date"}.get(sort, sort)
    if sort not in ("score", "date"):
        raise InvalidInput("leads.bad_sort", value=sort)
    scope = (args.positional[0].lower() if args.positional else "new")
    scope = _LEAD_SCOPES.get(scope, scope)
    if scope not in ("mine", "all", "new"):
        raise InvalidInput("list.bad_scope", value=scope, scopes="|".join(
            ctx.t(f"list.scope.{word}") for word in ("mine", "all", "new")))
    owner_id, team = ctx.user.read_filters()
    if scope == "mine":
        owner_id = ctx.user.id
    status = "new" if scope == "new" else None
    page = page_of(args)
    found = ctx.uow.queries.leads(owner_id=owner_id, team=team, status=status, page=page,
                                  per_page=PER_PAGE, by_score=sort == "score")
    if not found.rows:
        return Reply(ctx.t("leads.none"))
    lines = [ctx.t("leads.title", page=page)]
    for row in found.rows:
        lines.append(ctx.t("leads.row", ref=reference("lead", row["id"]), company=row["company"],
                           contact=row["contact"] or "—", phone=row["phone"] or "—",
                           source=ctx.t.term("source", row["source"]),
                           status=ctx.t(f"lead.status.{row['status']}"),
                           owner=row["owner"], score=row["score"],
                           date=ctx.t.date(row["created_at"].astimezone(ctx.tz).date())))
    more = f"/leads {scope}" + (" sort=score" if sort == "score" else "")
    lines += next_page(ctx, found.has_more, more, page)
    return Reply("\n".join(lines))


def _customer_choice(text: str | None) -> int | None:
    """customer=A-1 (that customer) or customer=new (a new one); None when not given."""
    if text is None:
        return None
    if text.strip().lower() in ("new", "新", "新建", "新客户"):
        return leads.NEW_CUSTOMER
    return ref_of(text, "customer").id


def _ask_customer(ctx: Ctx, question: leads.CustomerQuestion, text: str) -> Reply:
    """Which customer the qualified lead goes to: each look-alike, or a new one."""
    lead_ref = question.lead.number
    rest = " ".join(w for w in text.split()[1:] if not w.lower().startswith("customer="))
    lines = [ctx.t("lead.which_customer", ref=lead_ref, company=question.lead.company)]
    buttons: list[list[Button]] = []
    for match in question.look_alikes:
        customer = match.customer
        owner = ctx.uow.users.get(customer.owner_id)
        lines.append(ctx.t("lead.look_alike", ref=customer.number, name=customer.name,
                           owner=owner.display_name if owner else "—"))
        if match.usable:
            short = customer.name if len(customer.name) <= 24 else customer.name[:23] + "…"
            buttons.append([Button(ctx.t("button.use_customer", ref=customer.number,
                                         name=short),
                                   f"/qualify {lead_ref} customer={customer.number} {rest}"
                                   .strip())])
    lines.append(ctx.t("lead.which_customer_how", ref=lead_ref))
    buttons.append([Button(ctx.t("button.new_customer"),
                           f"/qualify {lead_ref} customer=new {rest}".strip())])
    return Reply("\n".join(lines), buttons, ok=True)


@command("qualify", roles=SALES, group="sales", samples=("L-3 amount=1", "L-4"))
def qualify(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "qualify")
    args = read_args(text, "amount", "close", "title", "customer", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "lead.need_ref", usage),
                 "lead")
    amount = ctx.amount(args.options["amount"]) if "amount" in args.options else None
    close = ctx.date(args.options["close"]) if "close" in args.options else None
    done = leads.qualify_lead(ctx.uow, ctx.user, ref.id, ctx.settings, ctx.now, amount=amount,
                              close_date=close, title=args.option("title"),
                              customer_id=_customer_choice(args.option("customer")))
    if isinstance(done, leads.CustomerQuestion):
        return _ask_customer(ctx, done, text)
    deal = done.deal
    text_out = ctx.t("lead.qualified", lead=done.lead.number, customer=done.customer.number,
                     name=done.customer.name, deal=deal.number, title=deal.title,
                     stage=stage_name(ctx, deal.stage))
    if done.customer_reused:
        text_out += "\n" + ctx.t("lead.customer_reused", customer=done.customer.number)
    return Reply(text_out, [[Button(ctx.t("button.open_deal"), f"/deal {deal.number}")]])


@command("disqualify", roles=SALES, group="sales",
         samples=('L-4 reason="no budget"', 'L-3 reason="no budget"'))
def disqualify(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "disqualify")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "lead.need_ref", usage),
                 "lead")
    reason = need(args.option("reason") or " ".join(args.positional[1:]),
                  "lead.reason_required", usage)
    closed = leads.disqualify_lead(ctx.uow, ctx.user, ref.id, reason, ctx.now)
    return Reply(ctx.t("lead.disqualified", ref=closed.number, company=closed.company))
