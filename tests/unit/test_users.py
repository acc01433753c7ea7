"""Users: roles, who may read and write what, invites, language and time zone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.model.users import Role, User, check_timezone, parse_role
from domain.users import (
    add_user,
    create_invite,
    create_link_code,
    link_chat_account,
    redeem_invite,
)
from tests.unit.fakes import NOW, FakeUnitOfWork, add_person


@pytest.fixture
def people(uow: FakeUnitOfWork) -> dict[str, User]:
    return {
        "rep": add_person(uow, "rep", Role.REP, "east"),
        "rep2": add_person(uow, "rep2", Role.REP, "east"),
        "mgr": add_person(uow, "mgr", Role.MANAGER, "east"),
        "west_mgr": add_person(uow, "westmgr", Role.MANAGER, "west"),
        "head": add_person(uow, "head", Role.MANAGER, None),
        "fin": add_person(uow, "fin", Role.FINANCE, None),
        "boss": add_person(uow, "boss", Role.ADMIN, None),
    }


# --------------------------------------------------------------------------- roles


def test_admin_has_every_role() -> None:
    boss = User("boss", "Boss", Role.ADMIN, None, "en", "UTC", NOW, id=1)
    assert boss.has_role(Role.REP)
    assert boss.has_role(Role.FINANCE)


def test_require_refuses_a_role_not_listed() -> None:
    fin = User("fin", "Fin", Role.FINANCE, None, "en", "UTC", NOW, id=1)
    fin.require(Role.FINANCE)
    with pytest.raises(Forbidden) as caught:
        fin.require(Role.REP, Role.MANAGER)
    assert caught.value.key == "access.role"
    assert caught.value.params == {"role": "finance", "allowed": "rep/manager"}


def test_parse_role_reads_any_case() -> None:
    assert parse_role(" Manager ") is Role.MANAGER


def test_parse_role_refuses_an_unknown_role() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_role("boss")
    assert caught.value.key == "user.bad_role"


# --------------------------------------------------------------------------- read and write


def test_rep_reads_and_writes_only_own_records(people: dict[str, User]) -> None:
    rep, rep2 = people["rep"], people["rep2"]
    assert rep.can_read(rep.id, "east")
    assert rep.can_write(rep.id, "east")
    assert not rep.can_read(rep2.id, "east")
    assert not rep.can_write(rep2.id, "east")


def test_manager_reads_and_writes_the_own_team_only(people: dict[str, User]) -> None:
    mgr, rep = people["mgr"], people["rep"]
    assert mgr.can_read(rep.id, "east")
    assert mgr.can_write(rep.id, "east")
    assert not mgr.can_read(99, "west")
    assert not mgr.can_write(99, "west")


def test_manager_without_team_reads_and_writes_every_team(people: dict[str, User]) -> None:
    head = people["head"]
    assert head.can_read(99, "west")
    assert head.can_write(99, "west")


def test_finance_reads_everything_but_writes_no_sales_record(people: dict[str, User]) -> None:
    fin, rep = people["fin"], people["rep"]
    assert fin.can_read(rep.id, "east")
    assert fin.can_read(99, "west")
    assert not fin.can_write(rep.id, "east")
    assert not fin.can_write(fin.id, None)


def test_admin_reads_and_writes_everything(people: dict[str, User]) -> None:
    boss = people["boss"]
    assert boss.can_read(99, "west")
    assert boss.can_write(99, "west")


# --------------------------------------------------------------------------- users


def test_add_user_refuses_a_taken_username(uow: FakeUnitOfWork) -> None:
    add_user(uow, "li", Role.REP, NOW, locale="en", timezone="UTC")
    with pytest.raises(Conflict) as caught:
        add_user(uow, "li", Role.MANAGER, NOW, locale="en", timezone="UTC")
    assert caught.value.key == "user.exists"
    assert uow.users.count() == 1


@pytest.mark.parametrize("name", ["", "two words", "x" * 65])
def test_add_user_refuses_a_bad_username(uow: FakeUnitOfWork, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_user(uow, name, Role.REP, NOW, locale="en", timezone="UTC")
    assert caught.value.key == "user.bad_username"


# --------------------------------------------------------------------------- invites


def test_only_an_admin_creates_invites(uow: FakeUnitOfWork, people: dict[str, User]) -> None:
    with pytest.raises(Forbidden):
        create_invite(uow, people["mgr"], "Wang Fang", Role.REP, "east", NOW)


def test_invite_needs_a_name(uow: FakeUnitOfWork, people: dict[str, User]) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_invite(uow, people["boss"], "  ", Role.REP, "east", NOW)
    assert caught.value.key == "invite.no_name"


def test_redeem_invite_creates_the_user_and_links_the_chat_account(
    uow: FakeUnitOfWork, people: dict[str, User]
) -> None:
    invite = create_invite(uow, people["boss"], "Wang Fang", Role.REP, "west", NOW)
    user = redeem_invite(uow, invite.code.lower(), "telegram", "4242", NOW,
                         locale="zh_Hans_CN", timezone="Asia/Shanghai")
    assert user.id is not None
    assert (user.username, user.display_name) == ("wangfang", "Wang Fang")
    assert (user.role, user.team, user.locale) == (Role.REP, "west", "zh_Hans_CN")
    identity = uow.identities.find("telegram", "4242")
    assert identity is not None and identity.user_id == user.id
    assert invite.used_by == user.id and invite.used_at == NOW


def test_invite_works_only_once(uow: FakeUnitOfWork, people: dict[str, User]) -> None:
    invite = create_invite(uow, people["boss"], "Wang Fang", Role.REP, "east", NOW)
    redeem_invite(uow, invite.code, "telegram", "1", NOW, locale="en", timezone="UTC")
    with pytest.raises(Conflict) as caught:
        redeem_invite(uow, invite.code, "slack", "U2", NOW, locale="en", timezone="UTC")
    assert caught.value.key == "invite.used"
    assert uow.identities.find("slack", "U2") is None


def test_linked_chat_account_cannot_redeem_another_invite(
    uow: FakeUnitOfWork, people: dict[str, User]
) -> None:
    first = create_invite(uow, people["boss"], "Wang Fang", Role.REP, "east", NOW)
    second = create_invite(uow, people["boss"], "Zhao Lei", Role.REP, "east", NOW)
    redeem_invite(uow, first.code, "telegram", "1", NOW, locale="en", timezone="UTC")
    with pytest.raises(Conflict) as caught:
        redeem_invite(uow, second.code, "telegram", "1", NOW, locale="en", timezone="UTC")
    assert caught.value.key == "invite.already_linked"
    assert second.used_by is None


def test_unknown_invite_code_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound) as caught:
        redeem_invite(uow, "NOPE", "telegram", "1", NOW, locale="en", timezone="UTC")
    assert caught.value.key == "invite.unknown"


def test_redeemed_username_avoids_a_taken_one(
    uow: FakeUnitOfWork, people: dict[str, User]
) -> None:
    invite = create_invite(uow, people["boss"], "Rep", Role.REP, "east", NOW)
    user = redeem_invite(uow, invite.code, "slack", "U9", NOW, locale="en", timezone="UTC")
    assert user.username == "rep3"  # "rep" and "rep2" are taken
    assert uow.users.by_username(user.username) is user


# --------------------------------------------------------------------------- link codes


def test_link_code_adds_a_second_chat_account_to_the_same_user(
    uow: FakeUnitOfWork, people: dict[str, User]
) -> None:
    rep = people["rep"]
    link = create_link_code(uow, rep, NOW)
    user = link_chat_account(uow, link.code.lower(), "slack", "U7", NOW + timedelta(minutes=1),
                             locale="en", timezone="UTC")
    assert user is rep
    identity = uow.identities.find("slack", "U7")
    assert identity is not None and identity.user_id == rep.id
    assert link.used_by == "slack:U7"
    assert uow.users.count() == len(people)  # no new user


def test_link_code_works_once(uow: FakeUnitOfWork, people: dict[str, User]) -> None:
    link = create_link_code(uow, people["rep"], NOW)
    link_chat_account(uow, link.code, "slack", "U7", NOW, locale="en", timezone="UTC")
    with pytest.raises(Conflict) as caught:
        link_chat_account(uow, link.code, "telegram", "8", NOW, locale="en", timezone="UTC")
    assert caught.value.key == "invite.used"
    assert uow.identities.find("telegram", "8") is None


def test_expired_link_code_is_refused(uow: FakeUnitOfWork, people: dict[str, User]) -> None:
    link = create_link_code(uow, people["rep"], NOW)
    with pytest.raises(Conflict) as caught:
        link_chat_account(uow, link.code, "slack", "U7", link.expires_at, locale="en",
                          timezone="UTC")
    assert caught.value.key == "link.expired"


def test_code_that_is_no_link_code_is_read_as_an_invite(
    uow: FakeUnitOfWork, people: dict[str, User]
) -> None:
    invite = create_invite(uow, people["boss"], "Zhao Lei", Role.FINANCE, None, NOW)
    user = link_chat_account(uow, invite.code, "slack", "U8", NOW, locale="en", timezone="UTC")
    assert (user.username, user.role) == ("zhaolei", Role.FINANCE)


# --------------------------------------------------------------------------- language, zone


@pytest.mark.parametrize("text", ["zh", "中文", "ZH_CN", " cn "])
def test_set_language_to_chinese(text: str) -> None:
    user = User("li", "Li", Role.REP, None, "en", "UTC", NOW)
    user.set_language(text)
    assert user.locale == "zh_Hans_CN"
    assert user.language == "zh"


def test_set_language_to_english() -> None:
    user = User("li", "Li", Role.REP, None, "zh_Hans_CN", "UTC", NOW)
    user.set_language("English")
    assert (user.locale, user.language) == ("en", "en")


def test_set_language_refuses_an_unknown_language() -> None:
    user = User("li", "Li", Role.REP, None, "en", "UTC", NOW)
    with pytest.raises(InvalidInput) as caught:
        user.set_language("fr")
    assert caught.value.key == "user.bad_language"
    assert user.locale == "en"


def test_check_timezone_accepts_an_iana_name() -> None:
    assert check_timezone(" Europe/Berlin ") == "Europe/Berlin"


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "../../etc/passwd", ""])
def test_check_timezone_refuses_an_unknown_zone(name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_timezone(name)
    assert caught.value.key == "user.bad_timezone"


def test_set_timezone_keeps_the_old_zone_when_refused() -> None:
    user = User("li", "Li", Role.REP, None, "en", "Asia/Shanghai", NOW)
    with pytest.raises(InvalidInput):
        user.set_timezone("Nowhere/Land")
    assert user.timezone == "Asia/Shanghai"
    user.set_timezone("America/New_York")
    assert user.timezone == "America/New_York"
