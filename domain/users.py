"""Joining and leaving: users made from invites or by the command line, chat accounts linked,
people deactivated and given other roles."""

from __future__ import annotations

import secrets
from datetime import datetime

from domain.errors import Conflict, InvalidInput, NotFound
from domain.model.users import LINK_CODE_TTL, Identity, Invite, LinkCode, Role, User
from domain.records import writable
from domain.unit_of_work import UnitOfWork


def _username_from(name: str) -> str:
    base = "".join(ch for ch in name.lower() if ch.isalnum() or ch in "._-") or "user"
    return base[:40]


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
    customer_id: int | None = None,
    contact_id: int | None = None,
) -> User:
    """Create a user; the username must be free. A customer-role user belongs to exactly one
    customer account; nobody else belongs to one."""
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise InvalidInput("user.bad_username", value=username)
    if uow.users.by_username(username) is not None:
        raise Conflict("user.exists", username=username)
    if (role == Role.CUSTOMER) != (customer_id is not None):
        raise InvalidInput("user.customer_account")
    if customer_id is not None and uow.customers.get(customer_id) is None:
        raise NotFound("ref.not_found", ref=f"A-{customer_id}")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        team=None if role == Role.CUSTOMER else team,
        locale=locale,
        timezone=timezone,
        created_at=now,
        customer_id=customer_id,
        contact_id=contact_id,
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
    if role == Role.CUSTOMER:
        raise InvalidInput("invite.customer_by_contact")
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


def invite_customer_contact(uow: UnitOfWork, actor: User, contact_id: int,
                            now: datetime) -> Invite:
    """A one-time code for a customer's contact: linked with /start, it makes a customer-role
    user that sees its own account's orders, invoices and documents only. Whoever may change
    the customer may invite its people."""
    contact = writable(uow, actor, "contact", contact_id).entity
    invite = Invite(
        code=secrets.token_hex(4).upper(), display_name=contact.name, role=Role.CUSTOMER,
        team=None, created_by=actor.id or 0, created_at=now,
        customer_id=contact.customer_id, contact_id=contact.id,
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
        customer_id=invite.customer_id, contact_id=invite.contact_id,
    )
    uow.flush()
    invite.use(user.id or 0, now)
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
    link.use(platform, external_id, now)
    user = uow.users.get(link.user_id)
    if user is None or not user.active:
        raise NotFound("invite.unknown", code=code)
    uow.identities.add(
        Identity(platform=platform, external_id=external_id, user_id=user.id or 0, created_at=now)
    )
    return user


def _admin_change(uow: UnitOfWork, actor: User | None, username: str) -> User:
    """The user an admin (or the command line, `actor` None) is about to change."""
    if actor is not None:
        actor.require(Role.ADMIN)
    user = uow.users.by_username(username.strip().lstrip("@"))
    if user is None:
        raise NotFound("user.unknown", username=username)
    return user


def _other_admins(uow: UnitOfWork, user: User) -> int:
    return sum(1 for u in uow.users.with_role(Role.ADMIN, None) if u.id != user.id)


def set_active(uow: UnitOfWork, actor: User | None, username: str, active: bool) -> User:
    """Deactivate a person who leaves (they are refused at the door from then on) or take
    them back; their records stay theirs until handed over."""
    user = _admin_change(uow, actor, username)
    if active:
        user.activate()
    else:
        user.deactivate(actor, _other_admins(uow, user))
    return user


def set_role(uow: UnitOfWork, actor: User | None, username: str, role: Role) -> User:
    user = _admin_change(uow, actor, username)
    user.change_role(role, _other_admins(uow, user))
    return user
