"""Turn what the user typed (a reference or an unambiguous name) into a record id."""

from __future__ import annotations

import re

from domain.errors import InvalidInput, NotFound
from domain.model.subjects import Subject
from domain.references import EXAMPLE, PREFIX, Ref, looks_like_ref, parse_ref, reference
from domain.subjects import resolve_subject
from handlers.context import Ctx


def ref_of(text: str, *kinds: str) -> Ref:
    """A reference of one of `kinds`; "Q-3" where a deal is wanted is a clear error."""
    ref = parse_ref(text)
    if ref.kind not in kinds:
        raise InvalidInput("ref.wrong_kind", value=ref.number,
                           kinds=", ".join(EXAMPLE[k] for k in kinds))
    return ref


# The command that shows a record of each kind as a card.
_CARD = {"lead": "/lead", "customer": "/customer", "contact": "/contact", "deal": "/deal",
         "quote": "/quote", "order": "/order"}


def card_command(number: str) -> str | None:
    """"D-7" -> "/deal D-7": the command that shows the record, if it has a card."""
    try:
        ref = parse_ref(number)
    except InvalidInput:
        return None
    command = _CARD.get(ref.kind)
    return f"{command} {ref.number}" if command else None


def by_name(ctx: Ctx, kind: str, text: str) -> int:
    """The one customer or open deal whose name matches `text`."""
    owner_id, team = ctx.user.read_filters()
    found = ctx.uow.queries.named(kind, text.strip(), owner_id=owner_id, team=team, limit=6)
    if not found:
        raise NotFound("ref.no_match", value=text)
    if len(found) > 1:
        listed = "; ".join(f"{reference(kind, i)} {name}" for i, name in found[:5])
        raise InvalidInput("ref.ambiguous", value=text, matches=listed)
    return found[0][0]


def deal_id(ctx: Ctx, text: str) -> int:
    if looks_like_ref(text):
        return ref_of(text, "deal").id
    return by_name(ctx, "deal", text)


def customer_id(ctx: Ctx, text: str) -> int:
    if looks_like_ref(text):
        return ref_of(text, "customer").id
    return by_name(ctx, "customer", text)


def subject(ctx: Ctx, text: str) -> Subject:
    """A lead, customer, deal, quote or order by reference, or a customer/deal by name."""
    if looks_like_ref(text):
        ref = ref_of(text, "lead", "customer", "deal", "quote", "order")
        return resolve_subject(ctx.uow, ctx.user, ref.kind, ref.id)
    owner_id, team = ctx.user.read_filters()
    for kind in ("deal", "customer"):
        found = ctx.uow.queries.named(kind, text.strip(), owner_id=owner_id, team=team, limit=2)
        if len(found) == 1:
            return resolve_subject(ctx.uow, ctx.user, kind, found[0][0])
    raise NotFound("ref.no_match", value=text)


# A first word shaped like a reference to what a reminder can be about (any id, even one no
# record has), so that it is read as a reference and refused as one, never as text.
_SUBJECT_RE = re.compile(
    rf"^(?i:[{''.join(PREFIX[k] for k in ('lead', 'customer', 'deal', 'quote', 'order'))}])"
    r"[-‐–—]?\d+$")


def ref_like(word: str) -> bool:
    """True for L-3, a5, D-07, Q-3, O-12: a lead, customer, deal, quote or order reference."""
    return bool(_SUBJECT_RE.match(word))
