"""Reminders: `/remind` with the date and time said at the start of the text
(明天下午3点给王总打电话, fri 3pm call Li), my open reminders (`/todo`), `/done` and `/snooze`."""

from __future__ import annotations

from datetime import datetime, time

from domain import reminders
from domain.dates import split_when
from domain.errors import InvalidInput
from domain.references import reference
from handlers.arguments import PER_PAGE, need, next_page, page_of, read_args, tokenize, usage_of
from handlers.commands import command
from handlers.context import DEFAULT_REMINDER_TIME, Ctx
from handlers.references import ref_like, ref_of, subject
from handlers.reply import Button, Reply


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


@command("remind", group="sales", samples=("tomorrow call someone", "D-3 tomorrow call"))
def remind(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "remind")
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


@command("todo", group="sales", samples=("",))
def todo(ctx: Ctx, text: str) -> Reply:
    args = read_args(text, "page", usage=usage_of(ctx, "todo"))
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
    lines += next_page(ctx, found.has_more, "/todo", page)
    return Reply("\n".join(lines), buttons)


@command("done", group="sales", samples=("R-1", "R-2"))
def done(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "done")
    ref = ref_of(need(text, "reminder.need_ref", usage).split()[0], "reminder")
    finished = reminders.complete_reminder(ctx.uow, ctx.user, ref.id, ctx.now)
    return Reply(ctx.t("reminder.done", ref=finished.number))


@command("snooze", group="sales", samples=("R-1 mon", "R-2 mon"))
def snooze(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "snooze")
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
