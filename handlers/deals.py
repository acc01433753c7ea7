"""Deal commands: a deal's card, the lists of deals, moving a deal through the stages, and
closing it won or lost."""

from __future__ import annotations

from typing import Any

from domain import deals
from domain.errors import InvalidInput
from domain.model.deals import AmountSource, Deal, DealStatus
from domain.model.users import Role
from domain.references import reference
from domain.vocabulary import Ambiguous, resolve
from handlers.arguments import PER_PAGE, need, next_page, page_of, read_args, usage_of
from handlers.commands import READERS, SALES, command
from handlers.context import Ctx
from handlers.references import deal_id
from handlers.reply import Button, Reply


def stage_name(ctx: Ctx, key: str) -> str:
    """A stage (or won/lost) in the reader's language."""
    return ctx.t.stage(key)


# Words for the lists of deals beside the stages themselves.
_DEAL_SCOPES = {"我的": "mine", "my": "mine", "团队": "team", "赢单": "won", "已赢单": "won",
                "输单": "lost", "已输单": "lost"}


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


@command("deal", roles=READERS, group="sales", samples=("D-1", "D-3", "Beta"))
def deal_card(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "deal")
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


@command("deals", roles=READERS, group="sales", samples=("", "team", "won"))
def deals_list(ctx: Ctx, text: str) -> Reply:
    args = read_args(text, "page", usage=usage_of(ctx, "deals"))
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
    lines += next_page(ctx, found.has_more, f"/deals {scope}", page)
    return Reply("\n".join(lines))


@command("stage", roles=SALES, group="sales", samples=("D-2 proposal", "D-3 proposal"))
def stage(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "stage")
    args = read_args(text, usage=usage)
    if len(args.positional) < 2:
        raise InvalidInput("deal.need_stage", usage=usage)
    target = " ".join(args.positional[1:])
    moved = deals.move_stage(ctx.uow, ctx.user, deal_id(ctx, args.positional[0]), target,
                             ctx.settings, ctx.now)
    return Reply(ctx.t("deal.moved", ref=moved.number, stage=stage_name(ctx, moved.stage),
                       probability=ctx.t.percent(moved.probability)),
                 _stage_buttons(ctx, moved))


@command("won", roles=SALES, group="sales", samples=("D-3",))
def won(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "won")
    closed = deals.win_deal(ctx.uow, ctx.user, deal_id(ctx, need(text, "deal.need_ref", usage)),
                            ctx.now)
    return Reply(ctx.t("deal.won", ref=closed.number, title=closed.title,
                       amount=ctx.t.money(closed.amount, closed.currency)))


@command("lost", roles=SALES, group="sales", samples=('D-3 reason="price"',))
def lost(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "lost")
    args = read_args(text, "reason", usage=usage)
    ref = need(args.positional[0] if args.positional else None, "deal.need_ref", usage)
    reason = need(args.option("reason") or " ".join(args.positional[1:]),
                  "deal.reason_required", usage)
    closed = deals.lose_deal(ctx.uow, ctx.user, deal_id(ctx, ref), reason, ctx.now, ctx.today)
    return Reply(ctx.t("deal.lost", ref=closed.number, title=closed.title, reason=reason))
