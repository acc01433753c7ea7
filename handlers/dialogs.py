"""Multi-step dialogs: a command written without its parts asks for them, one at a time.

`/lead` alone asks the company, then the contact, then the source; `/quote` asks the deal and
the lines; `/reject Q-3`, `/lost D-7` and `/disqualify L-12` ask the reason. Each answer is
checked when it is given; the last one turns the answers into the full command, which then
runs as if it had been typed. The state lives in the database (platform + chat + user), so
any instance continues the dialog, also after a restart. `/cancel` (or its button) stops it.
Another command typed in the middle sets the draft aside, says so, and `/resume` picks it up
at the question it had reached.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from domain.errors import DomainError, InvalidInput
from domain.model.users import Role
from domain.references import looks_like_ref, reference
from domain.vocabulary import resolve
from handlers.amounts import parse_amount
from handlers.arguments import need, tokenize
from handlers.command_line import split_command
from handlers.commands import SALES, command
from handlers.context import Ctx
from handlers.item_lines import parse_quote_lines
from handlers.option_names import CHINESE, option_key
from handlers.references import deal_id, ref_of
from handlers.reply import Button, Reply
from handlers.unit_of_work import DialogState

DIALOG_TTL = timedelta(hours=1)  # an answer (or /resume) after this long starts afresh
SKIP = "-"
CANCEL = "/cancel"
RESUME = "/resume"
MAX_ANSWER = 1000

Answers = dict[str, str]


@dataclass(frozen=True)
class Step:
    """One question: where the answer goes, how it is checked, which buttons help."""

    field: str
    read: Callable[[Ctx, str, Answers], str]
    optional: bool = False
    choices: Callable[[Ctx], list[Button]] | None = None

    def prompt_key(self, dialog: str) -> str:
        return f"dialog.{dialog}.{self.field}"


@dataclass(frozen=True)
class Dialog:
    """A command's questions; `begin` reads what was already written (None: nothing is
    missing, run the command), `finish` writes the complete command."""

    name: str
    steps: tuple[Step, ...]
    begin: Callable[[Ctx, str], Answers | None]
    finish: Callable[[Answers], str]
    roles: tuple[Role, ...] = ()


# --------------------------------------------------------------------------- answers

def _line(text: str) -> str:
    """A one-line answer: whitespace folded, not too long."""
    folded = " ".join(text.split())
    if len(folded) > MAX_ANSWER:
        raise InvalidInput("dialog.too_long", limit=MAX_ANSWER)
    return folded


def _quoted(value: str) -> str:
    """A value the command grammar reads back whole, spaces and all."""
    if '"' not in value:
        return f'"{value}"'
    if "”" not in value:
        return f"“{value}”"
    return '"' + value.replace('"', "'") + '"'


def _read_text(ctx: Ctx, text: str, answers: Answers) -> str:
    return _line(text)


def _read_source(ctx: Ctx, text: str, answers: Answers) -> str:
    return resolve(ctx.settings.terms("source"), _line(text), "source")


def _source_buttons(ctx: Ctx) -> list[Button]:
    return [Button(ctx.t.term("source", key), ctx.t.term("source", key))
            for key in ctx.settings.lead_sources]


def _read_deal(ctx: Ctx, text: str, answers: Answers) -> str:
    return reference("deal", deal_id(ctx, _line(text)))


_QUOTE_OPTIONS = ("discount", "tax", "valid")
_QUOTE_OPTION_RE = re.compile(
    r"(?i)(?<![^\s,;、\u3400-\u9fff])("
    + "|".join([*_QUOTE_OPTIONS, *(n for n, k in CHINESE.items() if k in _QUOTE_OPTIONS)])
    + r")[=＝:：](\"[^\"]*\"|“[^”]*”|\S+)")


def _read_lines(ctx: Ctx, text: str, answers: Answers) -> str:
    """Quote lines, one per line or separated by ";"; options may follow on any line."""
    options = [f"{option_key(m.group(1)) or m.group(1).lower()}={m.group(2)}"
               for m in _QUOTE_OPTION_RE.finditer(text)]
    body = _QUOTE_OPTION_RE.sub("", text)
    lines = parse_quote_lines(body)
    if not lines:
        raise InvalidInput("quote.no_lines", usage=ctx.t("help.quote.usage"))
    for line in lines:
        parse_amount(line.price, ctx.settings.currency)
    written = "; ".join(
        f"{line.quantity.normalize():f} x {line.item} @ {line.price}" for line in lines
    )
    return " ".join([written, *options])


# --------------------------------------------------------------------------- the dialogs

def _begin_lead(ctx: Ctx, rest: str) -> Answers | None:
    return {} if not rest.strip() else None


def _finish_lead(answers: Answers) -> str:
    parts = ["/lead", _quoted(answers["company"])]
    if answers.get("contact"):
        parts.append(f"contact={_quoted(answers['contact'])}")
    if answers.get("source"):
        parts.append(f"source={answers['source']}")
    return " ".join(parts)


def _begin_quote(ctx: Ctx, rest: str) -> Answers | None:
    try:
        args = tokenize(rest)
    except InvalidInput:
        return None  # the command itself explains the mistake
    if len(args.positional) > 1:
        return None
    options = " ".join(f"{k}={_quoted(v) if ' ' in v else v}" for k, v in args.options.items())
    answers: Answers = {"options": options} if options else {}
    if not args.positional:
        return answers
    first = args.positional[0]
    if looks_like_ref(first) and first.upper().startswith("Q"):
        return None  # /quote Q-3 shows the quote
    answers["deal"] = _read_deal(ctx, first, answers)
    return answers


def _finish_quote(answers: Answers) -> str:
    return " ".join(p for p in ("/quote", answers["deal"], answers["lines"],
                                answers.get("options", "")) if p)


def _begin_reason(kind: str) -> Callable[[Ctx, str], Answers | None]:
    """`/reject Q-3` or `/reject Q-3 reason=` (a button): only the reason is missing."""

    def begin(ctx: Ctx, rest: str) -> Answers | None:
        try:
            args = tokenize(rest)
        except InvalidInput:
            return None
        if len(args.positional) != 1 or args.option("reason"):
            return None
        ref = ref_of(args.positional[0], kind)
        return {"ref": ref.number}

    return begin


def _finish_reason(name: str) -> Callable[[Answers], str]:
    def finish(answers: Answers) -> str:
        return f"/{name} {answers['ref']} reason={_quoted(answers['reason'])}"

    return finish



DIALOGS: dict[str, Dialog] = {
    dialog.name: dialog for dialog in (
        Dialog("lead", (
            Step("company", _read_text),
            Step("contact", _read_text, optional=True),
            Step("source", _read_source, optional=True, choices=_source_buttons),
        ), _begin_lead, _finish_lead, roles=SALES),
        Dialog("quote", (
            Step("deal", _read_deal),
            Step("lines", _read_lines),
        ), _begin_quote, _finish_quote, roles=SALES),
        Dialog("reject", (Step("reason", _read_text),),
               _begin_reason("quote"), _finish_reason("reject")),
        Dialog("lost", (Step("reason", _read_text),),
               _begin_reason("deal"), _finish_reason("lost")),
        Dialog("disqualify", (Step("reason", _read_text),),
               _begin_reason("lead"), _finish_reason("disqualify")),
    )
}


# --------------------------------------------------------------------------- running them

def _key(ctx: Ctx) -> tuple[str, str, int]:
    return ctx.incoming.platform, ctx.incoming.chat_id, ctx.user.id or 0


def open_dialog(ctx: Ctx) -> DialogState | None:
    """The user's unfinished dialog in this chat (perhaps set aside), unless it has gone stale."""
    state = ctx.uow.dialogs.get(*_key(ctx))
    if state is None:
        return None
    if state.name not in DIALOGS or ctx.now - state.updated_at > DIALOG_TTL:
        ctx.uow.dialogs.delete(*_key(ctx))
        return None
    return state


def _prompt(ctx: Ctx, state: DialogState, problem: str = "") -> Reply:
    dialog = DIALOGS[state.name]
    step = dialog.steps[state.step]
    text = ctx.t(step.prompt_key(dialog.name), **state.answers)
    if step.optional:
        text += "\n" + ctx.t("dialog.skip_hint", skip=SKIP)
    text += "\n" + ctx.t("dialog.cancel_hint", cancel=CANCEL)
    buttons: list[list[Button]] = []
    if step.choices is not None:
        choices = step.choices(ctx)
        buttons += [choices[i:i + 3] for i in range(0, len(choices), 3)]
    last = [Button(ctx.t("button.skip"), SKIP)] if step.optional else []
    buttons.append([*last, Button(ctx.t("button.cancel"), CANCEL)])
    shown = f"{problem}\n{text}" if problem else text
    return Reply(shown, buttons, ok=not problem, asks=True)


def _first_missing(dialog: Dialog, answers: Answers, start: int = 0) -> int:
    step = start
    while step < len(dialog.steps) and dialog.steps[step].field in answers:
        step += 1
    return step


def start_if_incomplete(ctx: Ctx, name: str, rest: str) -> Reply | None:
    """A command written without its parts starts its dialog; None: run the command."""
    dialog = DIALOGS.get(name)
    if dialog is None:
        return None
    answers = dialog.begin(ctx, rest)
    if answers is None:
        return None
    if dialog.roles:
        ctx.user.require(*dialog.roles)
    step = _first_missing(dialog, answers)
    if step >= len(dialog.steps):
        return None
    earlier = ctx.uow.dialogs.get(*_key(ctx))
    state = DialogState(platform=ctx.incoming.platform, chat_id=ctx.incoming.chat_id,
                        user_id=ctx.user.id or 0, name=name, step=step, answers=answers,
                        updated_at=ctx.now)
    ctx.uow.dialogs.save(state)
    reply = _prompt(ctx, state)
    if earlier is not None and earlier.set_aside:
        # One draft per chat: the new one takes the place of the one set aside.
        note = ctx.t("dialog.replaced", command=f"/{earlier.name}")
        return Reply(f"{note}\n{reply.text}", reply.buttons, ok=reply.ok, asks=True)
    return reply


def take_turn(ctx: Ctx, parsed: tuple[str, str] | None) -> Reply | tuple[str, str] | None:
    """Before a message runs: a plain answer continues the open dialog (a Reply with the next
    question, or the finished command as (name, rest)); another command sets the draft aside
    (`set_aside_note` then says so under the command's reply)."""
    state = open_dialog(ctx)
    if parsed is not None:
        if state is not None and not state.set_aside and parsed[0] not in ("cancel", "resume"):
            state.set_aside = True
            state.updated_at = ctx.now
            ctx.uow.dialogs.save(state)
        return parsed
    if state is None:
        return None
    if state.set_aside:
        return Reply(ctx.t("dialog.set_aside_waiting", command=f"/{state.name}"), [[
            Button(ctx.t("button.resume"), RESUME), Button(ctx.t("button.cancel"), CANCEL)]],
            ok=False)
    dialog = DIALOGS[state.name]
    step = dialog.steps[state.step]
    answer = ctx.incoming.text.strip()
    try:
        if step.optional and answer == SKIP:
            value = ""
        else:
            value = step.read(ctx, need(answer, "dialog.empty", ""), state.answers)
    except DomainError as error:
        return _prompt(ctx, state, problem=ctx.t(error.key, **error.params))
    state.answers[step.field] = value
    state.step = _first_missing(dialog, state.answers, state.step + 1)
    state.updated_at = ctx.now
    if state.step < len(dialog.steps):
        ctx.uow.dialogs.save(state)
        return _prompt(ctx, state)
    ctx.uow.dialogs.delete(*_key(ctx))
    return split_command(dialog.finish(state.answers))


def set_aside_note(ctx: Ctx, reply: Reply) -> Reply:
    """The reply to a command that interrupted a dialog, with how to go back to the draft."""
    state = ctx.uow.dialogs.get(*_key(ctx))
    if state is None or not state.set_aside or state.updated_at != ctx.now or reply.asks:
        return reply
    note = ctx.t("dialog.set_aside", command=f"/{state.name}", resume=RESUME, cancel=CANCEL)
    text = f"{reply.text}\n\n{note}" if reply.text else note
    return Reply(text, [*reply.buttons, [Button(ctx.t("button.resume"), RESUME)]], ok=reply.ok,
                 private=reply.private, files=reply.files)


@command("cancel", group="team", samples=("",))
def cancel(ctx: Ctx, text: str) -> Reply:
    if open_dialog(ctx) is None:
        return Reply(ctx.t("dialog.nothing_to_cancel"))
    ctx.uow.dialogs.delete(*_key(ctx))
    return Reply(ctx.t("dialog.cancelled"))


@command("resume", group="team", samples=("",))
def resume(ctx: Ctx, text: str) -> Reply:
    """Pick up a draft that another command set aside, at the question it had reached."""
    state = open_dialog(ctx)
    if state is None:
        return Reply(ctx.t("dialog.nothing_to_resume"))
    if state.set_aside:
        state.set_aside = False
        state.updated_at = ctx.now
        ctx.uow.dialogs.save(state)
    return _prompt(ctx, state)
