"""/edit: who may correct which record, what each kind takes, and posted documents refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.corrections import correct, refuse_posted
from domain.customers import add_contact
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.leads import NewLead, create_lead
from domain.model.customers import Contact, Customer, NewContact
from domain.model.users import Role, User
from domain.money import Money
from domain.settings import Settings
from tests.unit.fakes import NOW, FakeUnitOfWork, add_person, given_deal

SETTINGS = Settings()


@pytest.fixture
def cast(uow: FakeUnitOfWork) -> dict[str, User]:
    return {name: add_person(uow, name, role, team) for name, role, team in [
        ("rep", Role.REP, "east"), ("rep2", Role.REP, "east"), ("mgr", Role.MANAGER, "east"),
        ("west", Role.MANAGER, "west"), ("fin", Role.FINANCE, None), ("boss", Role.ADMIN, None)]}


@pytest.mark.parametrize("editor, allowed", [
    ("rep", True), ("mgr", True), ("boss", True), ("rep2", False), ("west", False),
    ("fin", False)])
def test_reps_edit_their_own_managers_their_teams_admins_all(
        uow: FakeUnitOfWork, cast: dict[str, User], editor: str, allowed: bool) -> None:
    deal = given_deal(uow, cast["rep"], amount="50000")
    values: dict[str, Any] = {"amount": Money(Decimal(60000), "CNY")}
    if allowed:
        done = correct(uow, cast[editor], "deal", deal.id or 0, values, SETTINGS)
        assert [(c.field, c.before, c.after) for c in done.changes] == [
            ("amount", Decimal(50000), Decimal(60000))]
    else:
        with pytest.raises(Forbidden):
            correct(uow, cast[editor], "deal", deal.id or 0, values, SETTINGS)
        assert deal.amount == Decimal(50000)


def test_each_kind_takes_its_own_fields_and_clears_optional_ones(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    rep = cast["rep"]
    lead, _ = create_lead(uow, rep, NewLead("Acme", contact="Li", phone="13800000000",
                                            note="met at fair"), SETTINGS, NOW)
    done = correct(uow, rep, "lead", lead.id or 0,
                   {"company": "Acme Holdings Ltd", "phone": "+86 139 0000 0000", "note": "",
                    "source": "Referral"}, SETTINGS)
    assert (lead.company, lead.name_key, lead.phone, lead.note, lead.source) == (
        "Acme Holdings Ltd", "acme", "+86 139 0000 0000", None, "referral")
    assert {c.field for c in done.changes} == {"company", "phone", "note", "source"}
    deal = given_deal(uow, rep, title="Acme servers")
    correct(uow, rep, "deal", deal.id or 0, {"close": date(2026, 12, 31), "title": "Servers"},
            SETTINGS)
    assert (deal.close_date, deal.title) == (date(2026, 12, 31), "Servers")
    customer = uow.customers.get(deal.customer_id)
    assert customer is not None
    correct(uow, rep, "customer", customer.id or 0,
            {"tax_id": "91110000ab", "address": "Beijing", "email": "info@acme.cn"}, SETTINGS)
    assert (customer.tax_id, customer.address, customer.email) == (
        "91110000AB", "Beijing", "info@acme.cn")
    contact = add_contact(uow, rep, customer.id or 0, NewContact("Wang"), NOW)
    correct(uow, rep, "contact", contact.id or 0, {"title": "CFO", "email": "w@acme.cn"},
            SETTINGS)
    assert (contact.title, contact.email) == ("CFO", "w@acme.cn")


@pytest.mark.parametrize("kind, values, key", [
    ("deal", {"stage": "won"}, "edit.bad_field"),
    ("deal", {}, "edit.nothing"),
    ("deal", {"title": "  "}, "field.required"),
    ("deal", {"amount": Money(Decimal(-5), "CNY")}, "deal.bad_amount"),
    ("deal", {"amount": Money(Decimal(5), "USD")}, "edit.currency"),
    ("lead", {"email": "li@acme"}, "contact.bad_email"),
    ("lead", {"source": "billboard"}, "lead.bad_source"),
    ("reminder", {"text": "x"}, "edit.bad_kind"),
])
def test_wrong_values_are_refused_and_change_nothing(
        uow: FakeUnitOfWork, cast: dict[str, User], kind: str, values: dict[str, Any],
        key: str) -> None:
    deal = given_deal(uow, cast["rep"], amount="50000")
    lead, _ = create_lead(uow, cast["rep"], NewLead("Acme"), SETTINGS, NOW)
    target = lead.id if kind == "lead" else deal.id
    with pytest.raises(InvalidInput) as refused:
        correct(uow, cast["rep"], kind, target or 0, values, SETTINGS)
    assert refused.value.key == key
    assert (deal.amount, deal.title, lead.email, lead.source) == (
        Decimal(50000), "Acme servers", None, None)


def test_a_customer_cannot_take_the_name_of_another(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    first = given_deal(uow, cast["rep"], title="Acme Ltd")
    second = given_deal(uow, cast["rep"], title="Globex")
    renamed = uow.customers.get(second.customer_id)
    assert renamed is not None
    renamed.name_key = "globex"
    uow.customers.get(first.customer_id).name_key = "acme"  # type: ignore[union-attr]
    with pytest.raises(Conflict) as refused:
        correct(uow, cast["rep"], "customer", renamed.id or 0, {"name": "ACME Limited"},
                SETTINGS)
    assert refused.value.params["ref"] == f"A-{first.customer_id}"
    assert [c.name for c in uow.stored(Customer)] == ["Acme Ltd", "Globex"]


def test_the_same_value_again_is_no_change(uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    deal = given_deal(uow, cast["rep"], title="Acme servers")
    done = correct(uow, cast["rep"], "deal", deal.id or 0, {"title": "Acme servers"}, SETTINGS)
    assert done.changes == []


@pytest.mark.parametrize("kind, key", [
    ("quote", "edit.posted_quote"), ("order", "edit.posted_order"),
    ("invoice", "edit.posted_invoice"), ("payment", "edit.posted_payment")])
def test_posted_documents_are_refused_with_the_way_to_do_it(kind: str, key: str) -> None:
    with pytest.raises(Conflict) as refused:
        refuse_posted(kind, "X-1")
    assert (refused.value.key, refused.value.params) == (key, {"ref": "X-1"})


def test_contacts_are_added_by_who_may_change_the_customer_and_once_each(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    deal = given_deal(uow, cast["rep"])
    customer_id = deal.customer_id
    add_contact(uow, cast["rep"], customer_id, NewContact("Wang", phone="139 1111 2222"), NOW)
    for person in ("rep2", "fin", "west"):
        with pytest.raises(Forbidden):
            add_contact(uow, cast[person], customer_id, NewContact("Zhao"), NOW)
    with pytest.raises(Conflict) as twice:
        add_contact(uow, cast["mgr"], customer_id, NewContact("W. Wang", phone="+8613911112222"),
                    NOW)
    assert twice.value.params["ref"] == "C-1"
    assert [c.name for c in uow.stored(Contact)] == ["Wang"]
