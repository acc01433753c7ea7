"""The public pool (公海): `/pool` lists what nobody works, `/claim` takes one, `/release`
gives one back. The rules are in domain/pool.py."""

from __future__ import annotations

from domain import pool
from domain.errors import InvalidInput
from domain.leads import check_source
from domain.model.users import Role
from domain.references import reference
from handlers.arguments import PER_PAGE, need, next_page, page_of, read_args, usage_of
from handlers.commands import SALES, command
from handlers.context import Ctx
from handlers.references import card_command, ref_of
from handlers.reply import Button, Reply

MAX_BUTTONS = 5


@command("pool", roles=SALES, group="sales", samples=("", "source=website", "page=2"))
def pool_list(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "pool")
    args = read_args(text, "source", "page", usage=usage)
    if args.positional:
        raise InvalidInput("pool.bad_words", value=args.text, usage=usage)
    source = check_source(args.option("source"), ctx.settings)
    team = None if ctx.user.role == Role.ADMIN or ctx.user.team is None else ctx.user.team
    page = page_of(args)
    found = ctx.uow.queries.pool(team=team, source=source, page=page, per_page=PER_PAGE)
    if not found.rows:
        return Reply(ctx.t("pool.empty"))
    lines = [ctx.t("pool.title", page=page, limit=ctx.settings.pool.max_owned,
                   held=ctx.uow.pool.owned(ctx.user.id or 0))]
    buttons: list[list[Button]] = []
    for row in found.rows:
        ref = reference(row["kind"], row["id"])
        why = row["pool_reason"] or ctx.t("pool.neglected")
        lines.append(ctx.t("pool.row", ref=ref, name=row["name"],
                           source=ctx.t.term("source", row["source"]) if row["source"]
                           else "—", score=row["score"] if row["kind"] == "lead" else "—",
                           previous=row["previous"] or "—", why=why,
                           date=ctx.t.date(row["pooled_at"].astimezone(ctx.tz).date())
                           if row["pooled_at"] else "—"))
        if len(buttons) < MAX_BUTTONS:
            buttons.append([Button(ctx.t("button.claim_ref", ref=ref), f"/claim {ref}")])
    more = "/pool" + (f" source={source}" if source else "")
    lines += next_page(ctx, found.has_more, more, page)
    return Reply("\n".join(lines), buttons)


@command("claim", roles=SALES, group="sales", samples=("L-1", "A-1"))
def claim(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "claim")
    args = read_args(text, usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "pool.need_ref", usage),
                 "lead", "customer")
    taken = pool.claim(ctx.uow, ctx.user, ref.kind, ref.id, ctx.settings, ctx.now)
    card = card_command(taken.number)
    buttons = [[Button(ctx.t("button.open_record", ref=taken.number), card)]] if card else []
    return Reply(ctx.t("pool.claimed", ref=taken.number, name=getattr(taken, "company", None)
                       or getattr(taken, "name", "")), buttons)


@command("release", roles=SALES, group="sales",
         samples=('L-1 reason="no answer"', 'A-1 reason="moved away"', "L-3"))
def release(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "release")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "pool.need_ref", usage),
                 "lead", "customer")
    reason = args.option("reason") or " ".join(args.positional[1:])
    given = pool.release(ctx.uow, ctx.user, ref.kind, ref.id, reason, ctx.settings, ctx.now)
    return Reply(ctx.t("pool.released", ref=given.number,
                       days=ctx.settings.pool.reclaim_cooldown_days))
