"""From what a sentence says to the exact command it means: `/log D-1 visit … next=2026-12-02`.

The command is the text a person could type: references for records (never names, so it means
the same whoever reads it later), configured keys for stages, sources and methods, dates as
ISO dates (and 24-hour times), amounts as plain numbers. A record the sentence leaves open
(two customers called 中信, a customer with two open deals) becomes a choice of commands.

Which record an activity or a reminder is about: the deal the sentence names, else the named
customer's only open deal (so the deal's last activity is kept), else the customer, else an
open lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from domain.errors import InvalidInput
from domain.references import reference
from domain.users import Role
from handlers.arguments import tokenize
from handlers.choices import typed_name
from handlers.context import Ctx
from handlers.sentences.leads import read_lead
from handlers.sentences.reading import Reading, Span
from handlers.sentences.records import Mentions, Record, best

DEAL_NAMED = 0.75  # a deal's title said this fully names the deal, not only its customer


@dataclass(frozen=True)
class Draft:
    """One command the sentence means; `contacts` are the people it names (reference, name),
    shown with the draft though the command does not carry them."""

    command: str
    contacts: tuple[tuple[str, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Choice:
    """The sentence fits several records: one command per record, with the record's name."""

    options: list[tuple[str, str]]


@dataclass(frozen=True)
class Problem:
    """The sentence is understood but something is missing; a message key and its values."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


Meaning = Draft | Choice | Problem


# --------------------------------------------------------------------------- values


def quoted(value: str, allowed: tuple[str, ...] = ()) -> str:
    """A value as a command reads it back unchanged: bare when it is one plain word, else in
    quotes that do not occur in it."""
    simple = " ".join(value.split()) == value and '"' not in value and "“" not in value
    if simple:
        try:
            args = tokenize(value, allowed)
        except InvalidInput:
            args = None
        if args is not None and not args.options and args.positional == [value]:
            return value
    if '"' not in value:
        return f'"{value}"'
    if "”" not in value and "“" not in value:
        return f"“{value}”"
    return '"' + value.replace('"', "'") + '"'


def free_text(value: str, allowed: tuple[str, ...] = ()) -> str:
    """Words at the end of a command (a note): bare while they read back as the same words."""
    try:
        args = tokenize(value, allowed)
    except InvalidInput:
        args = None
    if args is not None and not args.options and args.text == value and '"' not in value \
            and not any(q in value for q in "“”「」『』„＂"):
        return value
    return quoted(value, allowed)


def term_word(ctx: Ctx, kind: str, key: str) -> str:
    """A stage, source, method or kind of activity as the reader writes it: the key for an
    English reader, the name in the reader's words otherwise (a Chinese reader sees no key)."""
    return key if ctx.t.language == "en" else typed_name(ctx.t, kind, key)


def when_text(ctx: Ctx, reading: Reading) -> str:
    """The date (and time, if said) in the reader's zone: 2026-12-02, 2026-11-24 15:00."""
    assert reading.when is not None
    instant = ctx.at(reading.when).astimezone(ctx.tz)
    if reading.when.at is None:
        return instant.date().isoformat()
    return f"{instant:%Y-%m-%d %H:%M}"


def amount_text(ctx: Ctx, reading: Reading) -> str:
    assert reading.amount is not None
    number = f"{reading.amount.amount.normalize():f}"
    currency = reading.amount.currency
    return number if currency == ctx.settings.currency else f"{number} {currency}"


def _cut(text: str, spans: list[Span]) -> str:
    """The text without the parts at `spans` (overlapping ones cut once)."""
    keep = [True] * len(text)
    for span in spans:
        for i in range(max(span.start, 0), min(span.end, len(text))):
            keep[i] = False
    return " ".join("".join(ch if k else " " for ch, k in zip(text, keep, strict=True)).split())


_SEPARATORS = r"[\s,;:.!?。、]+"
_FILLERS = (r"了|的|单子|单|项目|the deal|deal|the|is|was|now|to|because of|because|due to"
            r"|因为|原因是|原因|是|为")


def _strip(text: str, words: str, *, end: bool = False) -> str:
    """The text without separators and these words at its start (or end)."""
    word = rf"(?:{words})(?![a-z])" if not end else rf"(?<![a-z])(?:{words})"
    pattern = re.compile(rf"^(?:{_SEPARATORS}|{word})" if not end
                         else rf"(?:{_SEPARATORS}|{word})$", re.I)
    while True:
        match = pattern.search(text)
        if match is None or not match.group(0):
            return text.strip()
        text = text[:match.start()] + text[match.end():]


# --------------------------------------------------------------------------- records


def _visible_open_deals(ctx: Ctx, customer_id: int) -> list[int]:
    return [d.id for d in ctx.uow.deals.open_of_customer(customer_id)
            if d.id is not None and ctx.user.can_read(d.owner_id, d.team)]


def _customers(m: Mentions) -> list[Record]:
    """The customers the sentence names (a named contact decides between look-alikes)."""
    customers = best(m.customers)
    contacts = best(m.contacts)
    if contacts and customers:
        narrowed = [c for c in customers if any(p.customer_id == c.id for p in contacts)]
        return narrowed or customers
    if contacts and not customers:
        ids = list(dict.fromkeys(p.customer_id for p in contacts if p.customer_id))
        return [Record("customer", i, next(p.name for p in contacts if p.customer_id == i),
                       contacts[0].score, None) for i in ids]
    return customers


def _named_deals(m: Mentions, customers: list[Record], open_only: bool) -> list[Record]:
    deals = [d for d in m.deals if d.open or not open_only]
    top = customers[0].score if customers else 0.0
    return [d for d in best(deals) if d.score >= DEAL_NAMED and d.score >= top]


def _explicit(m: Mentions, *kinds: str) -> str | None:
    return next((r.number for r in m.refs if r.kind in kinds), None)


def about(ctx: Ctx, m: Mentions) -> list[tuple[str, str]]:
    """What an activity or reminder is about: (reference, name) per candidate (see the module
    docstring); none when the sentence names no record."""
    ref = _explicit(m, "lead", "customer", "deal", "quote", "order")
    if ref:
        return [(ref, ref)]
    customers = _customers(m)
    deals = _named_deals(m, customers, open_only=False)
    if deals:
        return [(reference("deal", d.id), d.name) for d in deals]
    leads = best(m.leads)
    if leads and (not customers or leads[0].score > customers[0].score):
        return [(reference("lead", lead.id), lead.name) for lead in leads]
    found = []
    for customer in customers:
        open_deals = _visible_open_deals(ctx, customer.id)
        ref = reference("deal", open_deals[0]) if len(open_deals) == 1 \
            else reference("customer", customer.id)
        found.append((ref, customer.name))
    return found


def deal_of(ctx: Ctx, m: Mentions, *, open_only: bool = True) -> list[tuple[str, str]] | Problem:
    """The deal a sentence is about: named, or the only open deal of the named customer."""
    ref = _explicit(m, "deal")
    if ref:
        return [(ref, ref)]
    customers = _customers(m)
    deals = _named_deals(m, customers, open_only)
    if deals:
        return [(reference("deal", d.id), d.name) for d in deals]
    if not customers:
        return Problem("sentence.which_deal")
    found: list[tuple[str, str]] = []
    for customer in customers:
        for deal_id in _visible_open_deals(ctx, customer.id):
            deal = ctx.uow.deals.get(deal_id)
            found.append((reference("deal", deal_id), deal.title if deal else customer.name))
    if not found:
        return Problem("sentence.no_open_deal",
                       {"customer": f"{reference('customer', customers[0].id)} "
                                    f"{customers[0].name}"})
    return found


def customer_of(m: Mentions) -> list[tuple[str, str]]:
    ref = _explicit(m, "customer")
    if ref:
        return [(ref, ref)]
    return [(reference("customer", c.id), c.name) for c in _customers(m)]


# --------------------------------------------------------------------------- commands


def _choose(found: list[tuple[str, str]], build: Any) -> Meaning:
    if len(found) == 1:
        return Draft(build(found[0][0]))
    return Choice([(f"{ref} {name}", build(ref)) for ref, name in found[:6]])


def _reason(reading: Reading, m: Mentions) -> str:
    if reading.keyword is None:
        return ""
    after = reading.keyword.end
    spans = [r.span for r in (*m.customers, *m.deals) if r.span and r.span.start >= after]
    rest = _cut(reading.text[after:], [Span(s.start - after, s.end - after) for s in spans])
    rest = _strip(rest, _FILLERS)
    return _strip(rest, "了", end=True)


_REMIND_LEAD = "to|that|about|on|at|by|in|在|于|要"


def _reminder_text(reading: Reading, trigger: Span | None) -> str:
    spans = [s for s in (trigger, reading.when_span) if s is not None]
    rest = _strip(_cut(reading.text, spans), _REMIND_LEAD)
    return _strip(rest, "on|at|by|in|在", end=True)


def _lead(ctx: Ctx, reading: Reading) -> Meaning:
    parts = read_lead(reading.text, ctx.settings)
    if not parts.company:
        return Problem("sentence.lead_company")
    words = ["/lead", quoted(parts.company)]
    for key in ("contact", "phone", "email"):
        value = getattr(parts, key)
        if value:
            words.append(f"{key}={quoted(value)}")
    if parts.source:
        words.append(f"source={term_word(ctx, 'source', parts.source)}")
    return Draft(" ".join(words))


def _paid(ctx: Ctx, reading: Reading, m: Mentions) -> Meaning:
    name = "pay" if ctx.user.role == Role.FINANCE else "paid"
    invoice = _explicit(m, "invoice")
    found = [(invoice, invoice)] if invoice else customer_of(m)
    if not found:
        return Problem("sentence.which_customer")
    options = []
    if reading.paid_on is not None:
        options.append(f"date={reading.paid_on.isoformat()}")
    if reading.bank_ref:
        options.append(f"ref={quoted(reading.bank_ref)}")
    if reading.method:
        options.append(f"method={term_word(ctx, 'method', reading.method)}")
    tail = " ".join([amount_text(ctx, reading), *options])
    return _choose(found, lambda ref: f"/{name} {ref} {tail}")


def compose(ctx: Ctx, reading: Reading, m: Mentions) -> Meaning:
    """The command (or the choice of commands) the sentence means."""
    intent = reading.intent
    if intent == "lead":
        return _lead(ctx, reading)
    if intent == "log":
        found = about(ctx, m)
        if not found:
            return Problem("sentence.which_record")
        note = free_text(reading.text, ("next",))
        follow = f" next={quoted(when_text(ctx, reading))}" if reading.when else ""
        kind = term_word(ctx, "kind", reading.kind)
        return _choose(found, lambda ref: f"/log {ref} {kind} {note}{follow}")
    if intent == "remind":
        if reading.when is None:
            return Problem("sentence.remind_when")
        text = _reminder_text(reading, reading.keyword)
        if not text:
            return Problem("sentence.remind_what")
        body = f"{when_text(ctx, reading)} {free_text(text)}"
        found = about(ctx, m)
        if not found:
            return Draft(f"/remind {body}")
        return _choose(found, lambda ref: f"/remind {ref} {body}")
    if intent in ("won", "lost", "stage"):
        deals = deal_of(ctx, m)
        if isinstance(deals, Problem):
            return deals
        reason = _reason(reading, m) if intent == "lost" else ""
        stage = term_word(ctx, "stage", reading.stage) if reading.stage else ""
        tail = {"won": "", "stage": f" {stage}",
                "lost": f" reason={quoted(reason)}" if reason else ""}[intent]
        return _choose(deals, lambda ref: f"/{intent} {ref}{tail}")
    if intent == "paid":
        return _paid(ctx, reading, m)
    return _question(ctx, reading, m)


def _question(ctx: Ctx, reading: Reading, m: Mentions) -> Meaning:
    intent = reading.intent
    if intent == "todo":
        return Draft("/todo")
    if intent == "pipeline":
        return Draft(" ".join(["/pipeline", *([reading.scope] if reading.scope else [])]))
    if intent == "payments":
        return Draft(" ".join(["/payments", *([reading.scope] if reading.scope else []),
                               f"period={reading.period}"]))
    if intent == "owes":
        scope = "overdue" if reading.overdue else "open"
        found = customer_of(m)
        if not found:
            return Draft(f"/invoices {scope}")
        return _choose(found, lambda ref: f"/invoices {scope} {ref}")
    if intent == "deal":
        deals = deal_of(ctx, m)
        if isinstance(deals, Problem):
            customers = customer_of(m)
            if customers:
                return _choose(customers, lambda ref: f"/customer {ref}")
            return Draft("/deals")
        return _choose(deals, lambda ref: f"/deal {ref}")
    return Problem("sentence.unknown")
