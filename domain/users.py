"""Users, their roles, chat identities and invites; who may do what."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.outbox import OFF, QuietHours
from domain.unit_of_work import UnitOfWork

LANGUAGES = ("en", "zh")


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    FINANCE = "finance"
    ADMIN = "admin"


@dataclass(eq=False)
class User:
    """A person of the company; `locale` is "en" or "zh"."""

    username: str
    display_name: str
    role: Role
    team: str | None
    locale: str
    timezone: str
    created_at: datetime
    quiet_hours: str | None = None
    active: bool = True
    id: int | None = None

    @property
    def language(self) -> str:
        return "zh" if self.locale.startswith("zh") else "en"

    def has_role(self, *roles: Role) -> bool:
        """Admins may do everything; others only what their role allows."""
        return self.role == Role.ADMIN or self.role in roles

    def require(self, *roles: Role) -> None:
        if not self.has_role(*roles):
            raise Forbidden("access.role", role=self.role.value, allowed="/".join(r for r in roles))

    def can_read(self, owner_id: int | None, team: str | None) -> bool:
        """Reps read their own records, managers their team's, finance and admins all."""
        if self.role in (Role.ADMIN, Role.FINANCE):
            return True
        if self.role == Role.MANAGER:
            return self.team is None or team == self.team
        return owner_id == self.id

    def read_filters(self) -> tuple[int | None, str | None]:
        """(owner id, team) a list must be narrowed to so it shows what `can_read` allows."""
        if self.role == Role.REP:
            return self.id, None
        if self.role == Role.MANAGER:
            return None, self.team
        return None, None

    def can_write(self, owner_id: int | None, team: str | None) -> bool:
        """Sales records are changed by their owner, the team's manager or an admin."""
        if self.role == Role.ADMIN:
            return True
        if self.role == Role.MANAGER:
            return self.team is None or team == self.team
        if self.role == Role.REP:
            return owner_id == self.id
        return False


@dataclass(eq=False)
class Identity:
    """A chat account (platform + external id) linked to a user."""

    platform: str
    external_id: str
    user_id: int
    created_at: datetime
    id: int | None = None


@dataclass(eq=False)
class Invite:
    """A one-time code an admin hands to a new colleague."""

    code: str
    display_name: str
    role: Role
    team: str | None
    created_by: int
    created_at: datetime
    used_by: int | None = None
    used_at: datetime | None = None
    id: int | None = None


LINK_CODE_TTL = timedelta(minutes=15)


@dataclass(eq=False)
class LinkCode:
    """A one-time code an existing user makes to link one more chat account to themselves."""

    code: str
    user_id: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_by: str | None = None  # "platform:external id" of the account it linked
    id: int | None = None


def _username_from(name: str) -> str:
    base = "".join(ch for ch in name.lower() if ch.isalnum() or ch in "._-") or "user"
    return base[:40]


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInput("user.bad_role", value=text) from None


def add_user(
    uow: UnitOfWork,
    username: str,
    role: Role,
    now: datetime,
    *,
    display_name: str | None = None,
    team: str | None = None,
    locale: str,
    timezone: str,
) -> User:
    """Create a user; the username must be free."""
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise InvalidInput("user.bad_username", value=username)
    if uow.users.by_username(username) is not None:
        raise Conflict("user.exists", username=username)
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        team=team,
        locale=locale,
        timezone=timezone,
        created_at=now,
    )
    uow.users.add(user)
    return user


def create_invite(
    uow: UnitOfWork, actor: User, name: str, role: Role, team: str | None, now: datetime
) -> Invite:
    """Admin: a one-time code that links a chat account to a new user."""
    actor.require(Role.ADMIN)
    if not name.strip():
        raise InvalidInput("invite.no_name")
    invite = Invite(
        code=secrets.token_hex(4).upper(),
        display_name=name.strip(),
        role=role,
        team=team or actor.team,
        created_by=actor.id or 0,
        created_at=now,
    )
    uow.invites.add(invite)
    return invite


def redeem_invite(
    uow: UnitOfWork,
    code: str,
    platform: str,
    external_id: str,
    now: datetime,
    *,
    locale: str,
    timezone: str,
) -> User:
    """Link a chat account with an invite code; the code works once."""
    invite = uow.invites.by_code(code.strip().upper())
    if invite is None:
        raise NotFound("invite.unknown", code=code)
    if uow.identities.find(platform, external_id) is not None:
        raise Conflict("invite.already_linked")
    if invite.used_by is not None:
        user = uow.users.get(invite.used_by)
        if user is None:
            raise NotFound("invite.unknown", code=code)
        raise Conflict("invite.used", code=invite.code)
    username = _username_from(invite.display_name)
    candidate, n = username, 1
    while uow.users.by_username(candidate) is not None:
        n += 1
        candidate = f"{username}{n}"
    user = add_user(
        uow, candidate, invite.role, now, display_name=invite.display_name,
        team=invite.team, locale=locale, timezone=timezone,
    )
    uow.flush()
    invite.used_by = user.id
    invite.used_at = now
    uow.identities.add(
        Identity(platform=platform, external_id=external_id, user_id=user.id or 0, created_at=now)
    )
    return user


def create_link_code(uow: UnitOfWork, actor: User, now: datetime) -> LinkCode:
    """A code, valid once for LINK_CODE_TTL, that links another chat account to `actor`."""
    # Ten characters, so a link code never equals an eight-character invite code.
    link = LinkCode(code=secrets.token_hex(5).upper(), user_id=actor.id or 0, created_at=now,
                    expires_at=now + LINK_CODE_TTL)
    uow.link_codes.add(link)
    return link


def link_chat_account(
    uow: UnitOfWork,
    code: str,
    platform: str,
    external_id: str,
    now: datetime,
    *,
    locale: str,
    timezone: str,
) -> User:
    """`/start <code>`: a link code adds this chat account to its existing user; any other
    code is read as an invite, which makes a new user."""
    link = uow.link_codes.by_code(code.strip().upper())
    if link is None:
        return redeem_invite(uow, code, platform, external_id, now, locale=locale,
                             timezone=timezone)
    if uow.identities.find(platform, external_id) is not None:
        raise Conflict("invite.already_linked")
    if link.used_at is not None:
        raise Conflict("invite.used", code=link.code)
    if now >= link.expires_at:
        raise Conflict("link.expired", code=link.code)
    user = uow.users.get(link.user_id)
    if user is None or not user.active:
        raise NotFound("invite.unknown", code=code)
    link.used_at = now
    link.used_by = f"{platform}:{external_id}"[:80]
    uow.identities.add(
        Identity(platform=platform, external_id=external_id, user_id=user.id or 0, created_at=now)
    )
    return user


def parse_locale(language: str) -> str:
    """The locale a language name means: en, or zh (zh_Hans_CN, zh-CN, cn, 中文); any other
    is refused, never taken for English."""
    word = language.strip().lower().replace("-", "_")
    if word in ("zh", "cn", "zh_cn", "zh_hans", "zh_hans_cn", "中文", "简体中文", "chinese"):
        return "zh_Hans_CN"
    if word in ("en", "english", "en_us", "en_gb", "英文", "英语"):
        return "en"
    raise InvalidInput("user.bad_language", value=language.strip().lower())


def set_language(user: User, language: str) -> None:
    user.locale = parse_locale(language)


def check_timezone(tz_name: str) -> str:
    """The IANA name if the time zone exists."""
    try:
        ZoneInfo(tz_name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("user.bad_timezone", value=tz_name) from None
    return tz_name.strip()


def set_timezone(user: User, tz_name: str) -> None:
    user.timezone = check_timezone(tz_name)


def set_quiet_hours(user: User, text: str) -> None:
    """"22:00-07:30" in the user's own zone, or "off"."""
    if text.strip().lower() in ("off", "none", "关闭", "无"):
        user.quiet_hours = OFF
        return
    window = QuietHours.parse(text)
    user.quiet_hours = f"{window.start:%H:%M}-{window.end:%H:%M}"


def _admin_change(uow: UnitOfWork, actor: User | None, username: str) -> User:
    """The user an admin (or the command line, `actor` None) is about to change."""
    if actor is not None:
        actor.require(Role.ADMIN)
    user = uow.users.by_username(username.strip().lstrip("@"))
    if user is None:
        raise NotFound("user.unknown", username=username)
    return user


def _keep_an_admin(uow: UnitOfWork, user: User) -> None:
    """The last active admin may not be deactivated or given another role."""
    others = [u for u in uow.users.with_role(Role.ADMIN, None) if u.id != user.id]
    if user.role == Role.ADMIN and user.active and not others:
        raise Conflict("user.last_admin", username=user.username)


def set_active(uow: UnitOfWork, actor: User | None, username: str, active: bool) -> User:
    """Deactivate a person who leaves (they are refused at the door from then on) or take
    them back; their records stay theirs until handed over."""
    user = _admin_change(uow, actor, username)
    if user.active and active:
        raise Conflict("user.already_active", username=user.username)
    if not user.active and not active:
        raise Conflict("user.already_inactive", username=user.username)
    if not active:
        if actor is not None and user.id == actor.id:
            raise Conflict("user.not_yourself")
        _keep_an_admin(uow, user)
    user.active = active
    return user


def set_role(uow: UnitOfWork, actor: User | None, username: str, role: Role) -> User:
    user = _admin_change(uow, actor, username)
    if user.role == role:
        raise Conflict("user.same_role", username=user.username, role=role.value)
    if role != Role.ADMIN:
        _keep_an_admin(uow, user)
    user.role = role
    return user
