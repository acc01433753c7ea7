"""Sentences: a message without a slash is read as the command it means.

`今天拜访了阿里张总，聊了报价，下周三再跟进` becomes the draft of `/log A-2 visit … next=2026-12-02`
with Confirm / Edit / Cancel; nothing is written until Confirm sends the command itself. A
question (`华为还欠多少钱`) is answered at once by the command it means (`/invoices open A-1`),
which only reads. The reading is local and deterministic (`reading`, `records`, `writing`); an
optional assistant (a chat-completions endpoint) may propose the command instead, checked the
same way, and the local reading takes over whenever it fails.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from domain.errors import DomainError
from domain.references import reference
from domain.users import Role
from handlers import drafts
from handlers.command_line import split_command
from handlers.commands import find
from handlers.context import Ctx
from handlers.drafts import draft
from handlers.outgoing import PERSONAL
from handlers.reply import Button, Reply
from handlers.sentences.assistant import Assistant, proposal
from handlers.sentences.nearest import not_understood
from handlers.sentences.reading import Reading, read
from handlers.sentences.records import best, contacts_of, mentioned
from handlers.sentences.writing import Choice, Draft, Meaning, Problem, compose

log = logging.getLogger(__name__)

# Commands that only read: a sentence that means one of them is answered at once.
READS = frozenset({"todo", "pipeline", "payments", "invoices", "deal", "deals", "customer",
                   "find", "leads"})
ANSWER_MARK = "› "
CONTACT_NAMED = 0.75  # a contact whose name the sentence says (张总, Bill Lumbergh)


def meaning(ctx: Ctx, reading: Reading) -> Meaning:
    """The command (or choice of commands) the sentence means, read locally."""
    if reading.intent == "unknown":
        return Problem("sentence.unknown")
    mentions = mentioned(ctx, reading)
    named = mentions.customers or mentions.deals or mentions.contacts or mentions.leads \
        or mentions.refs
    if reading.intent == "log" and reading.kind == "note" and not named:
        return Problem("sentence.unknown")  # nothing done and nobody named: not a record
    found = compose(ctx, reading, mentions)
    if not isinstance(found, Draft) or reading.intent not in ("log", "remind"):
        return found
    people = [c for c in best(mentions.contacts) if c.score >= CONTACT_NAMED] or contacts_of(
        ctx, reading, [c.id for c in best(mentions.customers)], 0.5)
    contacts = tuple((reference("contact", c.id), c.name) for c in best(people))
    return replace(found, contacts=contacts) if contacts else found


def interpret(ctx: Ctx, text: str, assistant: Assistant | None = None) -> Meaning:
    """What a sentence means: the assistant's proposal when one is configured and it holds,
    else the local reading."""
    reading = read(text, ctx.today, ctx.settings)
    if assistant is not None:
        proposed = proposal(ctx, assistant, reading.text)
        if proposed is not None:
            return proposed
    return meaning(ctx, reading)


def _is_read(command_text: str) -> bool:
    parsed = split_command(command_text)
    found = find(parsed[0]) if parsed else None
    return found is not None and found.name in READS


def understand(ctx: Ctx, assistant: Assistant | None = None) -> Reply | tuple[str, str]:
    """A sentence's answer: a draft, a choice, a helpful refusal, or the (name, rest) of a
    command that only reads, for the dispatcher to run now as if it had been typed."""
    text = ctx.incoming.text.strip()
    try:
        found = interpret(ctx, text, assistant)
    except DomainError as error:  # a date or amount that reads but cannot be: say so
        return Reply(ctx.t(error.key, **error.params), ok=False)
    if isinstance(found, Problem):
        if found.key == "sentence.unknown":
            return not_understood(ctx, text)
        return not_understood(ctx, text, found.key) if not found.params \
            else Reply(ctx.t(found.key, **found.params), ok=False)
    if isinstance(found, Choice):
        reads = all(_is_read(command) for _, command in found.options)
        buttons = [[Button(label[:40], command if reads else f"/draft {command}")]
                   for label, command in found.options]
        return Reply(ctx.t("sentence.choose"), [*buttons, [Button(ctx.t("button.cancel"),
                                                                  drafts.CANCEL)]])
    if _is_read(found.command):
        parsed = split_command(found.command)
        assert parsed is not None
        return parsed
    try:
        return draft(ctx, found.command, [ctx.t("draft.contact", ref=ref, name=name)
                                          for ref, name in found.contacts])
    except DomainError as error:  # what Confirm would refuse, said now, under the command
        return refused(ctx, found.command, error)


def refused(ctx: Ctx, command: str, error: DomainError) -> Reply:
    """A draft its command would refuse: the command, why, and a button to change it."""
    params: dict[str, object] = {}
    for key, value in error.params.items():
        if key in ("role", "allowed") and isinstance(value, str) \
                and set(value.split("/")) <= {r.value for r in Role}:
            value = " / ".join(ctx.t(f"role.{part}") for part in value.split("/"))
        params[key] = "" if value is None else value
    return Reply(f"{ANSWER_MARK}{command}\n{ctx.t(error.key, **params)}",
                 [[Button(ctx.t("button.edit"), f"{drafts.EDIT} {command}")]], ok=False)


def shown(name: str, rest: str) -> str:
    """The line above a question's answer: the command it ran, so the reader learns it."""
    return f"{ANSWER_MARK}/{name} {rest}".rstrip()


def answered(ctx: Ctx, name: str, reply: Reply, said: str) -> Reply:
    """A question's answer under the command it ran; an answer about the asker alone goes to
    them privately, as the command's own would."""
    return replace(reply, text=said + reply.text, private=reply.private or name in PERSONAL)


__all__ = ["Assistant", "Draft", "answered", "interpret", "shown", "understand"]
