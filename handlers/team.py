"""Me and the team: linking, language, time zone, invites, users, help."""

from __future__ import annotations

from domain.errors import Conflict, InvalidInput
from domain.outbox import OFF
from domain.users import (
    LINK_CODE_TTL,
    Role,
    create_invite,
    create_link_code,
    parse_role,
    set_language,
    set_quiet_hours,
    set_timezone,
)
from handlers.arguments import need, read_args
from handlers.commands import COMMANDS, command, find
from handlers.context import Ctx
from handlers.i18n import Translator
from handlers.reply import Reply

GROUPS = ("sales", "cash", "reports", "team")


@command("start", group="team", aliases=("link",))
def start(ctx: Ctx, text: str) -> Reply:
    if text.strip():
        raise Conflict("invite.already_linked")
    return Reply(ctx.t("team.welcome", name=ctx.user.display_name,
                       role=ctx.t(f"role.{ctx.user.role}")))


@command("linkcode", group="team")
def linkcode(ctx: Ctx, text: str) -> Reply:
    """A one-time code to use this same account from another chat platform."""
    link = create_link_code(ctx.uow, ctx.user, ctx.now)
    minutes = int(LINK_CODE_TTL.total_seconds() // 60)
    return Reply(ctx.t("team.link_code", code=link.code, minutes=minutes), private=True)


@command("lang", group="team")
def lang(ctx: Ctx, text: str) -> Reply:
    set_language(ctx.user, need(text, "user.need_language", ctx.t("help.lang.usage")))
    t = Translator(ctx.user.locale, ctx.user.timezone, ctx.settings)
    return Reply(t("team.language_set"))


@command("tz", group="team")
def tz(ctx: Ctx, text: str) -> Reply:
    set_timezone(ctx.user, need(text, "user.need_timezone", ctx.t("help.tz.usage")))
    t = Translator(ctx.user.locale, ctx.user.timezone, ctx.settings)
    return Reply(t("team.timezone_set", tz=ctx.user.timezone, now=t.when(ctx.now)))


@command("quiet", group="team")
def quiet(ctx: Ctx, text: str) -> Reply:
    """My quiet hours: no reminders or alerts reach me in this window (my time zone)."""
    value = text.strip().lower()
    if not value:
        window = ctx.user.quiet_hours or ctx.settings.quiet_hours
        shown = ctx.t("team.quiet_none") if window in ("", OFF) else window
        return Reply(ctx.t("team.quiet_is", window=shown))
    set_quiet_hours(ctx.user, value)
    if ctx.user.quiet_hours == OFF:
        return Reply(ctx.t("team.quiet_off"))
    return Reply(ctx.t("team.quiet_set", window=ctx.user.quiet_hours, tz=ctx.user.timezone))


@command("invite", roles=(Role.ADMIN,), group="team")
def invite(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.invite.usage")
    args = read_args(text, "role", "team", usage=usage)
    name = need(args.text, "invite.no_name", usage)
    role = parse_role(need(args.option("role"), "user.need_role", usage))
    created = create_invite(ctx.uow, ctx.user, name, role, args.option("team"), ctx.now)
    return Reply(ctx.t("team.invited", name=created.display_name,
                       role=ctx.t(f"role.{created.role}"), code=created.code))


@command("users", roles=(Role.ADMIN,), group="team")
def users(ctx: Ctx, text: str) -> Reply:
    rows = ctx.uow.queries.users()
    lines = [ctx.t("team.users.title", count=len(rows))]
    for row in rows:
        lines.append(ctx.t("team.users.row", username=row["username"], name=row["display_name"],
                           role=ctx.t(f"role.{row['role']}"), team=row["team"] or "—",
                           lang=row["locale"], tz=row["timezone"], linked=row["linked"]))
    return Reply("\n".join(lines))


@command("help", group="team")
def help_(ctx: Ctx, text: str) -> Reply:
    name = text.strip().lstrip("/").lower()
    if name:
        found = find(name)
        if found is None:
            raise InvalidInput("error.unknown_command", command=name[:30])
        return Reply(ctx.t(found.summary_key) + "\n" + ctx.t(found.usage_key))
    lines = [ctx.t("help.title", role=ctx.t(f"role.{ctx.user.role}"))]
    for group in GROUPS:
        mine = [c for c in COMMANDS.values() if c.group == group and ctx.user.has_role(*c.roles)]
        if not mine:
            continue
        lines.append(ctx.t(f"help.group.{group}"))
        lines += [f"  /{c.name} — {ctx.t(c.summary_key)}" for c in mine]
    lines.append(ctx.t("help.more"))
    return Reply("\n".join(lines))
