"""Me and the team: linking, language, time zone, invites, users, help."""

from __future__ import annotations

from domain.assignment import OpenRecords, change_team, open_records
from domain.errors import Conflict, InvalidInput
from domain.model.users import LINK_CODE_TTL, Role, User, parse_role
from domain.outbox import OFF
from domain.users import (
    create_invite,
    create_link_code,
    set_active,
    set_role,
)
from handlers.arguments import need, read_args
from handlers.commands import COMMANDS, EVERYONE, command, find
from handlers.context import Ctx
from handlers.i18n import Translator
from handlers.reply import Button, Reply

GROUPS = ("sales", "records", "cash", "reports", "team")


@command("start", roles=EVERYONE, group="team", aliases=("link",), samples=("NOCODE1",))
def start(ctx: Ctx, text: str) -> Reply:
    if text.strip():
        raise Conflict("invite.already_linked")
    return Reply(ctx.t("team.welcome", name=ctx.user.display_name,
                       role=ctx.t(f"role.{ctx.user.role}")))


@command("linkcode", group="team", samples=("",))
def linkcode(ctx: Ctx, text: str) -> Reply:
    """A one-time code to use this same account from another chat platform."""
    link = create_link_code(ctx.uow, ctx.user, ctx.now)
    minutes = int(LINK_CODE_TTL.total_seconds() // 60)
    return Reply(ctx.t("team.link_code", code=link.code, minutes=minutes), private=True)


@command("lang", roles=EVERYONE, group="team", samples=("en",))
def lang(ctx: Ctx, text: str) -> Reply:
    ctx.user.set_language(need(text, "user.need_language", ctx.t("help.lang.usage")))
    t = Translator(ctx.user.locale, ctx.user.timezone, ctx.settings)
    return Reply(t("team.language_set"))


@command("tz", group="team", samples=("Asia/Shanghai",))
def tz(ctx: Ctx, text: str) -> Reply:
    ctx.user.set_timezone(need(text, "user.need_timezone", ctx.t("help.tz.usage")))
    t = Translator(ctx.user.locale, ctx.user.timezone, ctx.settings)
    return Reply(t("team.timezone_set", tz=ctx.user.timezone, now=t.when(ctx.now)))


@command("quiet", group="team", samples=("22:00-07:30",))
def quiet(ctx: Ctx, text: str) -> Reply:
    """My quiet hours: no reminders or alerts reach me in this window (my time zone)."""
    value = text.strip().lower()
    if not value:
        window = ctx.user.quiet_hours or ctx.settings.quiet_hours
        shown = ctx.t("team.quiet_none") if window in ("", OFF) else window
        return Reply(ctx.t("team.quiet_is", window=shown))
    ctx.user.set_quiet_hours(value)
    if ctx.user.quiet_hours == OFF:
        return Reply(ctx.t("team.quiet_off"))
    return Reply(ctx.t("team.quiet_set", window=ctx.user.quiet_hours, tz=ctx.user.timezone))


@command("invite", roles=(Role.ADMIN,), group="team", samples=("Newbie role=rep team=east",))
def invite(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.invite.usage")
    args = read_args(text, "role", "team", usage=usage)
    name = need(args.text, "invite.no_name", usage)
    role = parse_role(need(args.option("role"), "user.need_role", usage))
    created = create_invite(ctx.uow, ctx.user, name, role, args.option("team"), ctx.now)
    return Reply(ctx.t("team.invited", name=created.display_name,
                       role=ctx.t(f"role.{created.role}"), code=created.code))


def _user_list(ctx: Ctx) -> Reply:
    rows = ctx.uow.queries.users()
    lines = [ctx.t("team.users.title", count=len(rows))]
    for row in rows:
        line = ctx.t("team.users.row", username=row["username"], name=row["display_name"],
                     role=ctx.t(f"role.{row['role']}"), team=row["team"] or "—",
                     lang=row["locale"], tz=row["timezone"], linked=row["linked"])
        lines.append(line if row["active"] else line + ctx.t("team.users.inactive"))
    return Reply("\n".join(lines))


def open_records_lines(ctx: Ctx, held: OpenRecords) -> list[str]:
    """What a person still has open, to be handed over."""
    refs = held.refs
    shown = ", ".join(refs[:20]) + (" …" if len(refs) > 20 else "")
    return [ctx.t("users.open_records", customers=len(held.customers), deals=len(held.deals),
                  leads=len(held.leads), reminders=len(held.reminders), refs=shown or "—")]


def _deactivated(ctx: Ctx, user: User) -> Reply:
    held = open_records(ctx.uow, user)
    lines = [ctx.t("users.deactivated", username=user.username, name=user.display_name)]
    buttons: list[list[Button]] = []
    if not held.empty:
        lines += open_records_lines(ctx, held)
        lines.append(ctx.t("users.hand_over_how", username=user.username))
        takers = [u for role in (Role.MANAGER, Role.REP)
                  for u in ctx.uow.users.with_role(role, user.team)
                  if u.id != user.id and (user.team is None or u.team == user.team)]
        buttons = [[Button(ctx.t("button.hand_over_to", name=u.display_name),
                           f"/handover {user.username} {u.username}")] for u in takers[:3]]
    return Reply("\n".join(lines), buttons)


# The /users actions in Chinese.
_USER_ACTIONS = {"列表": "list", "停用": "deactivate", "启用": "activate", "角色": "role",
                 "团队": "team"}


@command("users", roles=(Role.ADMIN,), group="team",
         samples=("", "role rep2 manager", "deactivate rep2"))
def users(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.users.usage")
    words = text.split()
    action, rest = (_USER_ACTIONS.get(words[0], words[0].lower()), words[1:]) if words \
        else ("list", [])
    if action == "list":
        return _user_list(ctx)
    if action in ("deactivate", "activate") and len(rest) == 1:
        user = set_active(ctx.uow, ctx.user, rest[0], action == "activate")
        if action == "deactivate":
            return _deactivated(ctx, user)
        return Reply(ctx.t("users.activated", username=user.username, name=user.display_name))
    if action == "role" and len(rest) == 2:
        user = set_role(ctx.uow, ctx.user, rest[0], parse_role(rest[1]))
        return Reply(ctx.t("users.role_set", username=user.username,
                           role=ctx.t(f"role.{user.role}")))
    if action == "team" and len(rest) in (1, 2):
        user, moved = change_team(ctx.uow, ctx.user, rest[0], rest[1] if len(rest) == 2 else None)
        return Reply(ctx.t("users.team_set", username=user.username, team=user.team or "—",
                           moved=moved))
    raise InvalidInput("users.bad_action", value=text, usage=usage)


@command("help", roles=EVERYONE, group="team", samples=("", "quote", "status"))
def help_(ctx: Ctx, text: str) -> Reply:
    name = text.strip().lstrip("/").lower()
    if name:
        found = find(name)
        if found is None or (ctx.user.is_customer and not ctx.user.has_role(*found.roles)):
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
