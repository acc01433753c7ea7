"""People of the company: roles and who may read or change what, chat accounts, invites,
link codes, and each person's own language, time zone and quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import Conflict, Forbidden, InvalidInput
from domain.outbox import OFF, QuietHours

LANGUAGES = ("en", "zh")
MAX_TEAM = 64


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    FINANCE = "finance"
    ADMIN = "admin"
    CUSTOMER = "customer"  # a person at a customer account: sees its own documents only


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInput("user.bad_role", value=text) from None


def parse_locale(language: str) -> str:
    """The locale a language name means: en, or zh (zh_Hans_CN, zh-CN, cn, 中文); any other
    is refused, never taken for English."""
    word = language.strip().lower().replace("-", "_")
    if word in ("zh", "cn", "zh_cn", "zh_hans", "zh_hans_cn", "中文", "简体中文", "chinese"):
        return "zh_Hans_CN"
    if word in ("en", "english", "en_us", "en_gb", "英文", "英语"):
        return "en"
    raise InvalidInput("user.bad_language", value=language.strip().lower())


def check_timezone(tz_name: str) -> str:
    """The IANA name if the time zone exists."""
    try:
        ZoneInfo(tz_name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("user.bad_timezone", value=tz_name) from None
    return tz_name.strip()


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
    customer_id: int | None = None  # the account a customer-role user belongs to
    contact_id: int | None = None
    id: int | None = None

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER

    def owns_documents_of(self, customer_id: int | None) -> bool:
        """A customer-role user reads the documents of its own account and no other."""
        return self.is_customer and self.customer_id is not None \
            and customer_id == self.customer_id

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
        """Reps read their own records, managers their team's, finance and admins all;
        a customer reads no internal record (its documents are checked by
        `owns_documents_of`)."""
        if self.role == Role.CUSTOMER:
            return False
        if self.role in (Role.ADMIN, Role.FINANCE):
            return True
        if self.role == Role.MANAGER:
            return self.team is None or team == self.team
        return owner_id == self.id

    def read_filters(self) -> tuple[int | None, str | None]:
        """(owner id, team) a list must be narrowed to so it shows what `can_read` allows."""
        if self.role in (Role.REP, Role.CUSTOMER):
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

    def set_language(self, language: str) -> None:
        self.locale = parse_locale(language)

    def set_timezone(self, tz_name: str) -> None:
        self.timezone = check_timezone(tz_name)

    def set_quiet_hours(self, text: str) -> None:
        """"22:00-07:30" in the user's own zone, or "off"."""
        if text.strip().lower() in ("off", "none", "关闭", "无"):
            self.quiet_hours = OFF
            return
        window = QuietHours.parse(text)
        self.quiet_hours = f"{window.start:%H:%M}-{window.end:%H:%M}"

    def activate(self) -> None:
        """Take back a person who had left."""
        if self.active:
            raise Conflict("user.already_active", username=self.username)
        self.active = True

    def deactivate(self, by: User | None, other_admins: int) -> None:
        """A person leaves: refused at the door from then on; never the one who asks, nor
        the last active admin (`other_admins`: how many others there are)."""
        if not self.active:
            raise Conflict("user.already_inactive", username=self.username)
        if by is not None and by.id == self.id:
            raise Conflict("user.not_yourself")
        self._keep_an_admin(other_admins)
        self.active = False

    def change_role(self, role: Role, other_admins: int) -> None:
        """A new role; the last active admin keeps theirs."""
        if self.role == role:
            raise Conflict("user.same_role", username=self.username, role=role.value)
        if Role.CUSTOMER in (role, self.role):  # a customer's people never become staff
            raise Conflict("user.customer_role_fixed", username=self.username)
        if role != Role.ADMIN:
            self._keep_an_admin(other_admins)
        self.role = role

    def join_team(self, team: str | None) -> None:
        """Move to another team ("-" or empty: no team)."""
        team = team.strip() if team and team.strip() not in ("-", "") else None
        if team is not None and len(team) > MAX_TEAM:
            raise InvalidInput("field.too_long", field="team", limit=MAX_TEAM)
        if self.team == team:
            raise Conflict("user.same_team", username=self.username, team=team or "—")
        self.team = team

    def _keep_an_admin(self, other_admins: int) -> None:
        if self.role == Role.ADMIN and self.active and not other_admins:
            raise Conflict("user.last_admin", username=self.username)


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
    customer_id: int | None = None  # an invite of a customer's contact (role customer)
    contact_id: int | None = None
    id: int | None = None

    def use(self, user_id: int, now: datetime) -> None:
        """The code made this user; it works no more."""
        self.used_by = user_id
        self.used_at = now


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

    def use(self, platform: str, external_id: str, now: datetime) -> None:
        """Link the account; a code works once, and only until it expires."""
        if self.used_at is not None:
            raise Conflict("invite.used", code=self.code)
        if now >= self.expires_at:
            raise Conflict("link.expired", code=self.code)
        self.used_at = now
        self.used_by = f"{platform}:{external_id}"[:80]
