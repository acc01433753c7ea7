"""An optional assistant (a self-hosted model behind a chat-completions endpoint) that proposes
the command a sentence means. Its proposal is held to the same rules as the local reading: one
known command, records the reader may see, read back by the commands' own grammar, and a
draft with Confirm before anything is written. Any failure (no answer in time, not JSON, a
refusal, an unknown command, a record that does not hold) leaves the sentence to the local
reading.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Protocol

from domain.errors import DomainError
from domain.references import parse_ref
from domain.subjects import KINDS, resolve_subject
from handlers.arguments import tokenize
from handlers.command_line import split_command
from handlers.commands import find
from handlers.context import Ctx
from handlers.sentences.reading import read
from handlers.sentences.records import mentioned
from handlers.sentences.writing import Draft

log = logging.getLogger(__name__)

# The commands an assistant may propose: what a sentence can mean, nothing else.
PROPOSABLE = frozenset({"log", "remind", "lead", "stage", "won", "lost", "paid", "pay",
                        "invoices", "todo", "pipeline", "payments", "deal", "deals", "customer"})
MAX_COMMAND = 600
_REF_RE = re.compile(r"(?<![A-Za-z0-9-])(?:INV-\d{4}-\d+|[LADCQO]-\d{1,9})(?![A-Za-z0-9])")

SYSTEM = """You turn one sentence of a sales rep into one ltcbot chat command.
Answer with JSON only: {"command": "/..."} or {"command": null} when no command fits.
Commands:
/log <ref> <call|meeting|visit|email|wechat|note> <the sentence as written> [next=YYYY-MM-DD]
/remind [<ref>] <YYYY-MM-DD[ HH:MM]> <what to do>
/lead <company> [contact=] [phone=] [email=] [source=<source key>]
/stage <deal ref> <stage key>   /won <deal ref>   /lost <deal ref> [reason="..."]
/paid <customer ref> <amount> [date=YYYY-MM-DD] [method=<method key>] [ref=<bank ref>]
/invoices open|overdue [<customer ref>]   /todo   /pipeline [mine|team|all]
/payments [mine|team|all] period=<YYYY-MM|YYYY-Qn|YYYY>   /deal <deal ref>
Use only the references listed with the sentence. Quote values with spaces."""


class AssistantFailed(Exception):
    """The assistant gave no usable answer (time-out, refusal, malformed reply)."""


class Assistant(Protocol):
    """A chat-completions endpoint: a system and a user message in, the reply's text out."""

    def complete(self, system: str, user: str) -> str:
        """The model's answer; raises AssistantFailed when there is none."""
        ...


def _context(ctx: Ctx, text: str) -> str:
    """The sentence with what the assistant needs: today, the records it names, the keys."""
    reading = read(text, ctx.today, ctx.settings)
    mentions = mentioned(ctx, reading)
    records = [f"{r.kind} {prefix}-{r.id}: {r.name}"
               for prefix, found in (("A", mentions.customers), ("D", mentions.deals),
                                     ("C", mentions.contacts), ("L", mentions.leads))
               for r in found[:5]]
    keys = {kind: ", ".join(t.key for t in ctx.settings.terms(kind))
            for kind in ("stage", "source", "method", "kind")}
    return "\n".join([
        f"Today: {ctx.today.isoformat()} ({ctx.today:%A}), time zone {ctx.user.timezone}.",
        f"Currency: {ctx.settings.currency}. Stage keys: {keys['stage']}. "
        f"Source keys: {keys['source']}. Method keys: {keys['method']}.",
        "Records: " + ("; ".join(records) if records else "none"),
        f"Sentence: {text}",
    ])


def _command_of(answer: str) -> str:
    """The command in the assistant's answer (JSON, perhaps inside a code fence)."""
    body = answer.strip()
    fenced = re.search(r"\{.*\}", body, re.DOTALL)
    try:
        data = json.loads(fenced.group(0) if fenced else body)
    except ValueError as error:
        raise AssistantFailed("not JSON") from error
    command = data.get("command") if isinstance(data, dict) else None
    if not isinstance(command, str) or not command.strip():
        raise AssistantFailed("no command (a refusal)")
    return " ".join(command.split())


def checked(ctx: Ctx, command: str) -> str:
    """The proposal if it holds: one known command that reads, naming records the reader may
    see; AssistantFailed otherwise."""
    parsed = split_command(command)
    if parsed is None or len(command) > MAX_COMMAND:
        raise AssistantFailed("not a command")
    found = find(parsed[0])
    if found is None or found.name not in PROPOSABLE:
        raise AssistantFailed(f"not a command a sentence may mean: {parsed[0][:20]}")
    try:
        tokenize(parsed[1])
        for match in _REF_RE.finditer(command):
            ref = parse_ref(match.group(0))
            if ref.kind in KINDS:
                resolve_subject(ctx.uow, ctx.user, ref.kind, ref.id)
    except DomainError as error:
        raise AssistantFailed(f"does not hold: {error.key}") from error
    return f"/{found.name} {parsed[1]}".strip()


def proposal(ctx: Ctx, assistant: Assistant, text: str) -> Draft | None:
    """The assistant's command for the sentence, checked; None to read it locally."""
    try:
        return Draft(checked(ctx, _command_of(assistant.complete(SYSTEM, _context(ctx, text)))))
    except AssistantFailed as failure:
        log.info("the assistant's proposal was not used (%s); reading locally", failure)
        return None
