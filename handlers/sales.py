"""Sales commands: leads, deals, stages, activities, reminders, quotes and approvals."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from domain import activities, deals, leads, quotes, reminders
from domain.dates import split_when
from domain.errors import InvalidInput
from domain.model.activities import ActivityKind, parse_kind
from domain.model.deals import AmountSource, Deal, DealStatus
from domain.model.leads import LeadStatus
from domain.model.quotes import LineInput, Quote, QuoteStatus
from domain.model.users import Role
from domain.orders import accept_quote
from domain.references import Ref, looks_like_ref, parse_ref, reference
from domain.vocabulary import Ambiguous, resolve
from handlers.arguments import PER_PAGE, need, page_of, read_args
from handlers.commands import command
from handlers.context import DEFAULT_REMINDER_TIME, Ctx
from handlers.installments import terms_text, trigger_text
from handlers.parsing import (
    Args,
    parse_percent,
    parse_quote_lines,
    tokenize,
    unquote,
)
from handlers.references import deal_id, ref_of, subject
from handlers.reply import Button, Reply

SALES = (Role.REP, Role.MANAGER)
READERS = (Role.REP, Role.MANAGER, Role.FINANCE)


def _usage(ctx: Ctx, name: str) -> str:
    return ctx.t(f"help.{name}.usage")


def _more(ctx: Ctx, has_more: bool, command_text: str, page: int) -> list[str]:
    return [ctx.t("list.more", command=f"{command_text} page={page + 1}")] if has_more else []


def stage_name(ctx: Ctx, key: str) -> str:
    """A stage (or won/lost) in the reader's language."""
    return ctx.t.stage(key)


# Words for the lists of deals beside the stages themselves.
_DEAL_SCOPES = {"我的": "mine", "my": "mine", "团队": "team", "赢单": "won", "已赢单": "won",
                "输单": "lost", "已输单": "lost"}
_LEAD_SCOPES = {"我的": "mine", "my": "mine", "全部": "all", "所有": "all", "新": "new",
                "新线索": "new"}


def _stage_scope(ctx: Ctx, word: str) -> str:
    """`/deals 谈判`: the stage a word names; otherwise say which lists there are."""
    try:
        return resolve(ctx.settings.terms("stage"), word, "stage")
    except Ambiguous:
        raise
    except InvalidInput:
        keys = tuple(s.key for s in ctx.settings.stages)
        scopes = "|".join([ctx.t("list.scope.mine"), ctx.t("list.scope.team"),
                           *(ctx.t.stage(key) for key in (*keys, "won", "lost"))])
        raise InvalidInput("list.bad_scope", value=word, scopes=scopes) from None


# --------------------------------------------------------------------------- leads

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
    if found.note:
        lines.append(ctx.t("lead.card.note", note=found.note))
    if found.reason:
        lines.append(ctx.t("lead.card.reason", reason=found.reason))
    buttons: list[list[Button]] = []
    if found.deal_id:
        lines.append(ctx.t("lead.card.became", customer=reference("customer", found.customer_id),
                           deal=reference("deal", found.deal_id)))
        buttons = [[Button(ctx.t("button.open_deal"), f"/deal {reference('deal', found.deal_id)}")]]
    elif found.status == LeadStatus.NEW and ctx.user.can_write(found.owner_id, found.team):
        buttons = [[Button(ctx.t("button.qualify"), f"/qualify {found.number}"),
                    Button(ctx.t("button.disqualify"), f"/disqualify {found.number} reason=")]]
    buttons.append([Button(ctx.t("button.history"), f"/history {found.number}")])
    return Reply("\n".join(lines), buttons)


def _reference_alone(args: Args) -> Ref | None:
    """`/lead L-6`: a single unquoted reference, not a company's name."""
    if args.options or len(args.positional) != 1 or args.text != args.positional[0]:
        return None
    return parse_ref(args.text) if looks_like_ref(args.text) else None


@command("lead", roles=READERS, group="sales")
def lead(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "lead")
    args = read_args(text, "contact", "phone", "email", "source", "note", usage=usage)
    shown = _reference_alone(args)
    if shown is not None:
        if shown.kind != "lead":
            raise InvalidInput("lead.ref_not_company", value=shown.number)
        return lead_card(ctx, shown.id)
    ctx.user.require(*SALES)
    company = need(unquote(args.text), "lead.no_company", usage)
    new = leads.NewLead(company=company, contact=args.option("contact"),
                        phone=args.option("phone"), email=args.option("email"),
                        source=args.option("source"), note=args.option("note"))
    created, similar = leads.create_lead(ctx.uow, ctx.user, new, ctx.settings, ctx.now)
    lines = [ctx.t("lead.created", ref=created.number, company=created.company)]
    if similar:
        found = ctx.t("list.sep").join(
            ctx.t("lead.similar_item", ref=reference(m.kind, m.id),
                  name=m.name, kind=ctx.t(f"kind.{m.kind}"))
            for m in similar
        )
        lines.append(ctx.t("lead.similar", matches=found))
    return Reply("\n".join(lines), [[Button(ctx.t("button.qualify"),
                                            f"/qualify {created.number}")]])


@command("leads", roles=SALES, group="sales")
def leads_list(ctx: Ctx, text: str) -> Reply:
    args = read_args(text, "page", usage=_usage(ctx, "leads"))
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
                                  per_page=PER_PAGE)
    if not found.rows:
        return Reply(ctx.t("leads.none"))
    lines = [ctx.t("leads.title", page=page)]
    for row in found.rows:
        lines.append(ctx.t("leads.row", ref=reference("lead", row["id"]), company=row["company"],
                           contact=row["contact"] or "—", phone=row["phone"] or "—",
                           source=ctx.t.term("source", row["source"]),
                           status=ctx.t(f"lead.status.{row['status']}"),
                           owner=row["owner"],
                           date=ctx.t.date(row["created_at"].astimezone(ctx.tz).date())))
    lines += _more(ctx, found.has_more, f"/leads {scope}", page)
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


@command("qualify", roles=SALES, group="sales")
def qualify(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "qualify")
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


@command("disqualify", roles=SALES, group="sales")
def disqualify(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "disqualify")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "lead.need_ref", usage),
                 "lead")
    reason = need(args.option("reason") or " ".join(args.positional[1:]),
                  "lead.reason_required", usage)
    closed = leads.disqualify_lead(ctx.uow, ctx.user, ref.id, reason, ctx.now)
    return Reply(ctx.t("lead.disqualified", ref=closed.number, company=closed.company))


# --------------------------------------------------------------------------- deals

def _stage_buttons(ctx: Ctx, deal: Deal) -> list[list[Button]]:
    if not deal.is_open:
        return []
    moves = [Button(s.name(ctx.t.language), f"/stage {deal.number} {s.name(ctx.t.language)}")
             for s in ctx.settings.stages if s.key != deal.stage]
    rows = [moves[i:i + 3] for i in range(0, len(moves), 3)]
    rows.append([Button(ctx.t("button.won"), f"/won {deal.number}"),
                 Button(ctx.t("button.lost"), f"/lost {deal.number} reason=")])
    return rows


def _history_line(ctx: Ctx, row: dict[str, Any]) -> str:
    when = ctx.t.when(row["at"])
    if row["kind"] is not None:
        return ctx.t("deal.history.activity", when=when, user=row["user"],
                     kind=ctx.t.term("kind", row["kind"]), text=row["text"][:120])
    if row["from_stage"] is None:
        return ctx.t("deal.history.created", when=when, user=row["user"],
                     stage=stage_name(ctx, row["stage"]))
    return ctx.t("deal.history.stage", when=when, user=row["user"],
                 old=stage_name(ctx, row["from_stage"]), new=stage_name(ctx, row["stage"]))


@command("deal", roles=READERS, group="sales")
def deal_card(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "deal")
    the_deal = deals.get_deal(ctx.uow, ctx.user, deal_id(ctx, need(text, "deal.need_ref", usage)))
    customer = ctx.uow.customers.get(the_deal.customer_id)
    owner = ctx.uow.users.get(the_deal.owner_id)
    weighted = the_deal.weighted
    lines = [
        ctx.t("deal.card.title", ref=the_deal.number, title=the_deal.title),
        ctx.t("deal.card.customer", ref=reference("customer", the_deal.customer_id),
              name=customer.name if customer else "—"),
        ctx.t("deal.card.stage", stage=stage_name(ctx, the_deal.stage),
              probability=ctx.t.percent(the_deal.probability)),
        ctx.t("deal.card.amount", amount=ctx.t.money(the_deal.amount, the_deal.currency),
              source=amount_source(ctx, the_deal),
              weighted=ctx.t.money(weighted.amount if weighted else None, the_deal.currency)),
        ctx.t("deal.card.close", date=ctx.t.date(the_deal.close_date)),
        ctx.t("deal.card.owner", owner=owner.display_name if owner else "—"),
        ctx.t("deal.card.next", next=the_deal.next_step or "—"),
    ]
    if the_deal.status == DealStatus.WON and the_deal.closed_at is not None:
        lines.append(ctx.t("deal.card.won_on",
                           date=ctx.t.date(the_deal.closed_at.astimezone(ctx.tz).date())))
    if the_deal.lost_reason:
        lines.append(ctx.t("deal.card.lost_reason", reason=the_deal.lost_reason))
    for q in ctx.uow.queries.quotes_of_deal(the_deal.id or 0):
        lines.append(ctx.t("deal.card.quote", ref=reference("quote", q["id"]),
                           status=ctx.t(f"quote.status.{q['status']}"),
                           total=ctx.t.money(q["total"], q["currency"])))
    history = ctx.uow.queries.deal_history(the_deal.id or 0, limit=10)
    if history:
        lines.append(ctx.t("deal.card.history"))
        lines += ["  " + _history_line(ctx, row) for row in history]
    buttons = _stage_buttons(ctx, the_deal)
    buttons.append([Button(ctx.t("button.history"), f"/history {the_deal.number}")])
    return Reply("\n".join(lines), buttons)


def amount_source(ctx: Ctx, deal: Deal) -> str:
    """Where the amount comes from, as the card says it: " (from Q-2)", " (set by hand)"."""
    if deal.amount_source is None or deal.amount is None:
        return ""
    ref = {AmountSource.QUOTE: reference("quote", deal.amount_ref),
           AmountSource.ORDER: reference("order", deal.amount_ref),
           }.get(deal.amount_source, "")
    return ctx.t(f"deal.amount_from.{deal.amount_source}", ref=ref)


@command("deals", roles=READERS, group="sales")
def deals_list(ctx: Ctx, text: str) -> Reply:
    args = read_args(text, "page", usage=_usage(ctx, "deals"))
    scope = " ".join(args.positional).lower() if args.positional else "mine"
    scope = _DEAL_SCOPES.get(scope, scope)
    stage = None
    if scope not in ("mine", "team"):
        stage = scope if scope in ("won", "lost") else _stage_scope(ctx, scope)
        scope = stage
    owner_id, team = ctx.user.read_filters()
    if scope == "mine" and ctx.user.role == Role.MANAGER:
        owner_id = ctx.user.id
    page = page_of(args)
    found = ctx.uow.queries.deals(owner_id=owner_id, team=team, stage=stage, page=page,
                                  per_page=PER_PAGE)
    if not found.rows:
        return Reply(ctx.t("deals.none"))
    lines = [ctx.t("deals.title", page=page)]
    for row in found.rows:
        lines.append(ctx.t("deals.row", ref=reference("deal", row["id"]), title=row["title"],
                           customer=row["customer"], stage=stage_name(ctx, row["stage"]),
                           amount=ctx.t.money(row["amount"], row["currency"]),
                           owner=row["owner"]))
    lines += _more(ctx, found.has_more, f"/deals {scope}", page)
    return Reply("\n".join(lines))


@command("stage", roles=SALES, group="sales")
def stage(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "stage")
    args = read_args(text, usage=usage)
    if len(args.positional) < 2:
        raise InvalidInput("deal.need_stage", usage=usage)
    target = " ".join(args.positional[1:])
    moved = deals.move_stage(ctx.uow, ctx.user, deal_id(ctx, args.positional[0]), target,
                             ctx.settings, ctx.now)
    return Reply(ctx.t("deal.moved", ref=moved.number, stage=stage_name(ctx, moved.stage),
                       probability=ctx.t.percent(moved.probability)),
                 _stage_buttons(ctx, moved))


@command("won", roles=SALES, group="sales")
def won(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "won")
    closed = deals.win_deal(ctx.uow, ctx.user, deal_id(ctx, need(text, "deal.need_ref", usage)),
                            ctx.now)
    return Reply(ctx.t("deal.won", ref=closed.number, title=closed.title,
                       amount=ctx.t.money(closed.amount, closed.currency)))


@command("lost", roles=SALES, group="sales")
def lost(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "lost")
    args = read_args(text, "reason", usage=usage)
    ref = need(args.positional[0] if args.positional else None, "deal.need_ref", usage)
    reason = need(args.option("reason") or " ".join(args.positional[1:]),
                  "deal.reason_required", usage)
    closed = deals.lose_deal(ctx.uow, ctx.user, deal_id(ctx, ref), reason, ctx.now, ctx.today)
    return Reply(ctx.t("deal.lost", ref=closed.number, title=closed.title, reason=reason))


# --------------------------------------------------------------------------- activities

def _split_when(ctx: Ctx, text: str, default: time = DEFAULT_REMINDER_TIME
                ) -> tuple[datetime, str]:
    """The longest start of the text that reads as a date (and time), and the rest:
    "明天下午3点给王总打电话", "fri 3pm call Li", "tomorrow 15:00 call Li"."""
    found = split_when(text, ctx.today)
    if found is None:
        try:
            return ctx.instant(text, default), ""
        except InvalidInput:
            raise InvalidInput("parse.date", value=" ".join(text.split()[:3])) from None
    when, rest = found
    return ctx.at(when, default), rest


_GLUE = " ,:;、"


def _kind_and_text(ctx: Ctx, text: str, usage: str) -> tuple[ActivityKind, str]:
    """"call talked to Li", and as phones type it: "电话：沟通了价格", "电话沟通了价格"."""
    first, _, rest = text.partition(" ")
    try:
        kind = parse_kind(first, ctx.settings)
    except Ambiguous:
        raise
    except InvalidInput as refused:
        said = text.casefold()
        glued = sorted(((word, term.key) for term in ctx.settings.terms("kind")
                        for word in term.words
                        if said.startswith(word.casefold()) and len(said) > len(word)
                        and (not word.isascii() or said[len(word)] in _GLUE)),
                       key=lambda found: -len(found[0]))
        if not glued:
            raise refused from None
        word, key = glued[0]
        kind, rest = ActivityKind(key), text[len(word):]
    rest = rest.strip(_GLUE)
    if not rest:
        raise InvalidInput("activity.need_parts", usage=usage)
    return kind, rest


@command("log", roles=READERS, group="sales")
def log(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "log")
    args = read_args(text, "next", usage=usage)
    parts = args.text.split(None, 1)
    if len(parts) < 2:
        raise InvalidInput("activity.need_parts", usage=usage)
    about = subject(ctx, args.positional[0])
    kind, body = _kind_and_text(ctx, parts[1], usage)
    next_at = ctx.instant(args.options["next"]) if "next" in args.options else None
    activity, reminder = activities.log_activity(ctx.uow, ctx.user, about, kind, unquote(body),
                                                 ctx.now, next_at)
    lines = [ctx.t("activity.logged", kind=ctx.t.term("kind", activity.kind),
                   ref=about.number, title=about.title)]
    buttons: list[list[Button]] = []
    if reminder is not None:
        lines.append(ctx.t("reminder.set", ref=reminder.number, when=ctx.t.when(reminder.due_at)))
        buttons = [[Button(ctx.t("button.todo"), "/todo")]]
    return Reply("\n".join(lines), buttons)


@command("remind", group="sales")
def remind(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "remind")
    args = read_args(text, usage=usage)
    words = list(args.positional)
    if len(words) < 2 and not (words and not ref_like(words[0])):
        raise InvalidInput("reminder.need_parts", usage=usage)
    about = None
    if ref_like(words[0]):
        about = subject(ctx, words[0])
        words = words[1:]
    due_at, rest = _split_when(ctx, " ".join(words))
    created = reminders.add_reminder(ctx.uow, ctx.user, about, due_at, rest, ctx.now)
    return Reply(ctx.t("reminder.set", ref=created.number, when=ctx.t.when(created.due_at)),
                 [[Button(ctx.t("button.todo"), "/todo")]])


def ref_like(word: str) -> bool:
    return bool(re.match(r"^(?i:[LADQO])[-‐–—]?\d+$", word))


@command("todo", group="sales")
def todo(ctx: Ctx, text: str) -> Reply:
    args = read_args(text, "page", usage=_usage(ctx, "todo"))
    page = page_of(args)
    found = ctx.uow.queries.reminders_open(ctx.user.id or 0, page, PER_PAGE)
    if not found.rows:
        return Reply(ctx.t("todo.none"))
    lines = [ctx.t("todo.title")]
    buttons: list[list[Button]] = []
    for row in found.rows:
        mark = ctx.t("todo.overdue_mark") if row["due_at"] <= ctx.now else ""
        lines.append(mark + ctx.t("todo.row", ref=reference("reminder", row["id"]),
                                  when=ctx.t.when(row["due_at"]),
                                  about=row["ref_number"] or "", text=row["text"][:120]))
        if len(buttons) < 5:
            buttons.append([Button(ctx.t("button.done", ref=reference("reminder", row["id"])),
                                   f"/done {reference('reminder', row['id'])}"),
                            Button(ctx.t("button.snooze"),
                                   f"/snooze {reference('reminder', row['id'])} tomorrow")])
    lines += _more(ctx, found.has_more, "/todo", page)
    return Reply("\n".join(lines), buttons)


@command("done", group="sales")
def done(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "done")
    ref = ref_of(need(text, "reminder.need_ref", usage).split()[0], "reminder")
    finished = reminders.complete_reminder(ctx.uow, ctx.user, ref.id, ctx.now)
    return Reply(ctx.t("reminder.done", ref=finished.number))


@command("snooze", group="sales")
def snooze(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "snooze")
    words = tokenize(need(text, "reminder.need_ref", usage)).positional
    if not words:
        raise InvalidInput("reminder.need_ref", usage=usage)
    ref = ref_of(words[0], "reminder")
    if len(words) < 2:
        raise InvalidInput("reminder.need_date", usage=usage)
    # A new day without a time keeps the reminder's own time of day.
    current = ctx.uow.reminders.get(ref.id)
    keep = current.due_at.astimezone(ctx.tz).time().replace(tzinfo=None) \
        if current is not None else DEFAULT_REMINDER_TIME
    due_at, rest = _split_when(ctx, " ".join(words[1:]), keep)
    if rest:
        raise InvalidInput("parse.date", value=" ".join(words[1:]))
    moved = reminders.snooze_reminder(ctx.uow, ctx.user, ref.id, due_at, ctx.now)
    return Reply(ctx.t("reminder.snoozed", ref=moved.number, when=ctx.t.when(moved.due_at)))


# --------------------------------------------------------------------------- quotes

def quote_text(ctx: Ctx, quote: Quote) -> str:
    money = ctx.t.money
    c = quote.currency
    lines = [ctx.t("quote.card.title", ref=quote.number, deal=reference("deal", quote.deal_id),
                   status=ctx.t(f"quote.status.{quote.status}"))]
    for line in quote.lines:
        lines.append(ctx.t("quote.card.line", qty=ctx.t.number(line.quantity.normalize()),
                           item=line.item, price=money(line.unit_price, c),
                           amount=money(line.amount(c).amount, c)))
    lines.append(ctx.t("quote.card.subtotal", amount=money(quote.subtotal.amount, c)))
    if quote.discount_pct:
        lines.append(ctx.t("quote.card.discount", pct=ctx.t.percent(quote.discount_pct),
                           amount=money(quote.discount.amount, c)))
    lines.append(ctx.t("quote.card.tax", pct=ctx.t.percent(quote.tax_pct),
                       amount=money(quote.tax.amount, c)))
    lines.append(ctx.t("quote.card.total", amount=money(quote.grand_total.amount, c)))
    lines.append(ctx.t("quote.card.valid", date=ctx.t.date(quote.valid_until)))
    if quote.decision_note:
        lines.append(ctx.t("quote.card.note", note=quote.decision_note))
    return "\n".join(lines)


def _quote_buttons(ctx: Ctx, quote: Quote) -> list[list[Button]]:
    if quote.status == QuoteStatus.PENDING and ctx.user.has_role(Role.MANAGER) \
            and quote.owner_id != ctx.user.id:
        return [[Button(ctx.t("button.approve"), f"/approve {quote.number}"),
                 Button(ctx.t("button.reject"), f"/reject {quote.number} reason=")]]
    if quote.status in (QuoteStatus.DRAFT, QuoteStatus.APPROVED):
        return [[Button(ctx.t("button.accept"), f"/accept {quote.number}")]]
    return []


@command("quote", roles=READERS, group="sales")
def quote(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "quote")
    # Lines typed one per line (a chat message) mean lines joined with ";"; the tokenizer
    # below would otherwise run them together. A deal alone on the first line stays the deal.
    text = re.sub(r"^(\S+);", r"\1", re.sub(r"[ \t]*\n\s*", "; ", text.strip()))
    args = read_args(text, "discount", "tax", "valid", usage=usage)
    head = need(args.text, "quote.need_parts", usage)
    first, _, rest = head.partition(" ")
    if ref_like(first) and first.upper().startswith("Q"):
        shown = quotes.get_quote(ctx.uow, ctx.user, ref_of(first, "quote").id)
        return Reply(quote_text(ctx, shown), _quote_buttons(ctx, shown))
    ctx.user.require(*SALES)
    the_deal = deals.get_deal(ctx.uow, ctx.user, deal_id(ctx, first))
    if not rest.strip():
        raise InvalidInput("quote.no_lines", usage=usage)
    lines = [LineInput(quantity=ln.quantity, item=ln.item,
                       unit_price=ctx.amount(ln.price, the_deal.currency))
             for ln in parse_quote_lines(rest)]
    discount = parse_percent(args.options["discount"]) if "discount" in args.options else None
    tax = parse_percent(args.options["tax"]) if "tax" in args.options else None
    valid = ctx.date(args.options["valid"]) if "valid" in args.options else None
    drafted = quotes.draft_quote(ctx.uow, ctx.user, the_deal.id or 0, lines, ctx.settings,
                                 ctx.now, ctx.today, discount=discount, tax=tax,
                                 valid_until=valid)
    note = ctx.t("quote.needs_approval", pct=ctx.t.percent(ctx.settings.approval_discount)) \
        if drafted.status == QuoteStatus.PENDING else ctx.t("quote.ready")
    return Reply(quote_text(ctx, drafted) + "\n" + note, _quote_buttons(ctx, drafted))


@command("approve", roles=(Role.MANAGER,), group="sales")
def approve(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "approve")
    ref = ref_of(need(text, "quote.need_ref", usage).split()[0], "quote")
    decided = quotes.approve_quote(ctx.uow, ctx.user, ref.id, ctx.now, ctx.today)
    return Reply(ctx.t("quote.approved", ref=decided.number))


@command("reject", roles=(Role.MANAGER,), group="sales")
def reject(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "reject")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "quote.need_ref", usage),
                 "quote")
    reason = need(args.option("reason") or " ".join(args.positional[1:]),
                  "quote.reason_required", usage)
    decided = quotes.reject_quote(ctx.uow, ctx.user, ref.id, reason, ctx.now, ctx.today)
    return Reply(ctx.t("quote.rejected", ref=decided.number, reason=reason))


@command("withdraw", roles=SALES, group="sales")
def withdraw(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "withdraw")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "quote.need_ref", usage),
                 "quote")
    reason = args.option("reason") or " ".join(args.positional[1:])
    taken = quotes.withdraw_quote(ctx.uow, ctx.user, ref.id, reason, ctx.now)
    return Reply(ctx.t("quote.withdrawn", ref=taken.number))


@command("accept", roles=SALES, group="sales")
def accept(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "accept")
    args = read_args(text, "signed", "plan", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "quote.need_ref", usage),
                 "quote")
    signed = ctx.date(args.options["signed"]) if "signed" in args.options else None
    order = accept_quote(ctx.uow, ctx.user, ref.id, ctx.settings, ctx.now, ctx.today,
                         signed_on=signed, plan=args.option("plan"))
    lines = [ctx.t("order.created", ref=order.number, quote=ref.number,
                   deal=reference("deal", order.deal_id),
                   total=ctx.t.money(order.total, order.currency),
                   date=ctx.t.date(order.signed_on))]
    for part in order.installments:
        lines.append(ctx.t("order.installment", seq=part.seq, pct=ctx.t.percent(part.percent),
                           amount=ctx.t.money(part.amount, order.currency),
                           trigger=trigger_text(ctx, part), terms=terms_text(ctx, part)
                           ).rstrip())
    return Reply("\n".join(lines))

