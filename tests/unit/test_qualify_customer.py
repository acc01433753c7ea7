"""Qualifying a lead whose company looks like a customer on file asks which one, and writes
nothing until answered."""

from __future__ import annotations

import pytest

from domain.errors import Forbidden
from domain.leads import (
    NEW_CUSTOMER,
    CustomerQuestion,
    NewLead,
    Qualified,
    create_lead,
    qualify_lead,
)
from domain.model.customers import Contact, Customer
from domain.model.deals import Deal
from domain.model.users import Role, User
from domain.settings import Settings
from tests.unit.fakes import NOW, FakeUnitOfWork, add_person

SETTINGS = Settings()


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP)


def _qualified(uow: FakeUnitOfWork, user: User, company: str, **kw: object) -> Qualified:
    lead, _ = create_lead(uow, user, NewLead(company, contact="Li", phone="13800000000"),
                          SETTINGS, NOW)
    done = qualify_lead(uow, user, lead.id or 0, SETTINGS, NOW, **kw)  # type: ignore[arg-type]
    assert isinstance(done, Qualified)
    return done


def test_a_look_alike_customer_brings_a_question_and_nothing_is_written(
        uow: FakeUnitOfWork, rep: User) -> None:
    first = _qualified(uow, rep, "北京华为技术有限公司")
    lead, _ = create_lead(uow, rep, NewLead("华为技术"), SETTINGS, NOW)
    asked = qualify_lead(uow, rep, lead.id or 0, SETTINGS, NOW)
    assert isinstance(asked, CustomerQuestion)
    assert [(m.customer.id, m.usable) for m in asked.look_alikes] == [(first.customer.id, True)]
    assert len(uow.stored(Customer)) == 1 and len(uow.stored(Deal)) == 1
    assert lead.status == "new"


def test_the_answer_files_the_deal_under_the_customer_or_makes_a_new_one(
        uow: FakeUnitOfWork, rep: User) -> None:
    first = _qualified(uow, rep, "北京华为技术有限公司")
    again = _qualified(uow, rep, "华为技术", customer_id=first.customer.id)
    assert (again.customer is first.customer, again.customer_reused) == (True, True)
    fresh = _qualified(uow, rep, "华为技术", customer_id=NEW_CUSTOMER)
    assert fresh.customer is not first.customer and not fresh.customer_reused
    assert [c.name for c in uow.stored(Customer)] == ["北京华为技术有限公司", "华为技术"]


def test_the_same_name_is_the_same_customer_without_asking(
        uow: FakeUnitOfWork, rep: User) -> None:
    first = _qualified(uow, rep, "Acme Ltd")
    again = _qualified(uow, rep, "ACME Limited")
    assert again.customer is first.customer
    # The lead's contact person is on file already: not added twice.
    assert [c.name for c in uow.stored(Contact)] == ["Li"]


def test_someone_elses_customer_is_shown_but_cannot_be_used(
        uow: FakeUnitOfWork, rep: User) -> None:
    other = add_person(uow, "other", Role.REP, "west")
    theirs = _qualified(uow, other, "Acme Ltd")
    lead, _ = create_lead(uow, rep, NewLead("Acme"), SETTINGS, NOW)
    asked = qualify_lead(uow, rep, lead.id or 0, SETTINGS, NOW)
    assert isinstance(asked, CustomerQuestion)
    assert [(m.customer.id, m.usable) for m in asked.look_alikes] == [(theirs.customer.id, False)]
    with pytest.raises(Forbidden):
        qualify_lead(uow, rep, lead.id or 0, SETTINGS, NOW, customer_id=theirs.customer.id)
