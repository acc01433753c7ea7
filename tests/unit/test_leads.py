"""Leads: logging with validation and duplicate warnings, qualifying, disqualifying."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.events import LeadCreated, LeadQualified
from domain.leads import NewLead, Qualified, create_lead, disqualify_lead, qualify_lead
from domain.model.customers import Contact, Customer
from domain.model.deals import Deal
from domain.model.leads import LeadStatus
from domain.model.users import Role, User
from domain.money import Money
from domain.names import normalise_company
from domain.settings import Settings
from domain.vocabulary import Choices, Named
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person

SETTINGS = Settings()


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


def _lead_id(uow: FakeUnitOfWork, owner: User, company: str = "Acme Ltd", **fields: Any) -> int:
    lead, _ = create_lead(uow, owner, NewLead(company, **fields), SETTINGS, NOW)
    assert lead.id is not None
    return lead.id


# --------------------------------------------------------------------------- create


def test_create_lead_stores_it_owned_by_the_rep_with_an_id(
    uow: FakeUnitOfWork, rep: User
) -> None:
    lead, similar = create_lead(
        uow, rep, NewLead("  ACME Limited ", contact="Li Lei", phone="+86 138-0000-0000",
                          email="li@acme.cn", source="Referral"), SETTINGS, NOW)
    assert similar == []
    assert uow.leads.get(lead.id or 0) is lead
    assert lead.number == "L-1"
    assert (lead.company, lead.name_key) == ("ACME Limited", "acme")
    assert (lead.owner_id, lead.team, lead.status) == (rep.id, "east", LeadStatus.NEW)
    assert lead.source == "referral"
    assert uow.events == [LeadCreated(1, rep.id or 0, "ACME Limited")]


@pytest.mark.parametrize(
    ("new", "key"),
    [
        (NewLead("   "), "lead.no_company"),
        (NewLead("x" * 201), "field.too_long"),
        (NewLead("Acme", email="li@acme"), "contact.bad_email"),
        (NewLead("Acme", email="li acme@x.cn"), "contact.bad_email"),
        (NewLead("Acme", phone="call me"), "contact.bad_phone"),
        (NewLead("Acme", phone="12"), "contact.bad_phone"),
        (NewLead("Acme", source="tv"), "lead.bad_source"),
    ],
)
def test_create_lead_refuses_bad_input(
    uow: FakeUnitOfWork, rep: User, new: NewLead, key: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_lead(uow, rep, new, SETTINGS, NOW)
    assert caught.value.key == key
    assert uow.leads.name_keys() == []
    assert uow.events == []


def test_unknown_source_error_lists_the_configured_sources(
    uow: FakeUnitOfWork, rep: User
) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_lead(uow, rep, NewLead("Acme", source="tv"), SETTINGS, NOW)
    assert caught.value.params["sources"] == Choices("source", SETTINGS.lead_sources)


def test_finance_cannot_log_a_lead(uow: FakeUnitOfWork) -> None:
    fin = add_person(uow, "fin", Role.FINANCE, None)
    with pytest.raises(Forbidden):
        create_lead(uow, fin, NewLead("Acme"), SETTINGS, NOW)


def test_lead_like_an_open_lead_is_saved_with_a_duplicate_warning(
    uow: FakeUnitOfWork, rep: User
) -> None:
    first = _lead_id(uow, rep, "ACME Limited")
    lead, similar = create_lead(uow, rep, NewLead("Acme Ltd"), SETTINGS, NOW)
    assert lead.id == first + 1
    assert [(m.kind, m.id, m.name) for m in similar] == [("lead", first, "ACME Limited")]


def test_lead_like_a_customer_warns_about_the_customer(uow: FakeUnitOfWork, rep: User) -> None:
    name = "阿里巴巴（中国）有限公司"
    customer = Customer(name=name, name_key=normalise_company(name), owner_id=rep.id or 0,
                        team="east", created_at=NOW)
    uow.customers.add(customer)
    _, similar = create_lead(uow, rep, NewLead("阿里巴巴"), SETTINGS, NOW)
    assert [(m.kind, m.id) for m in similar] == [("customer", customer.id)]


def test_closed_lead_is_not_reported_as_a_duplicate(uow: FakeUnitOfWork, rep: User) -> None:
    old = _lead_id(uow, rep, "Globex Corporation")
    disqualify_lead(uow, rep, old, "no budget", NOW)
    _, similar = create_lead(uow, rep, NewLead("Globex Corp"), SETTINGS, NOW)
    assert similar == []


def test_unrelated_company_gets_no_duplicate_warning(uow: FakeUnitOfWork, rep: User) -> None:
    _lead_id(uow, rep, "ACME Limited")
    _, similar = create_lead(uow, rep, NewLead("Initech"), SETTINGS, NOW)
    assert similar == []


# --------------------------------------------------------------------------- qualify


def test_qualify_creates_customer_contact_and_deal_at_the_first_stage(
    uow: FakeUnitOfWork, rep: User
) -> None:
    lead_id = _lead_id(uow, rep, "ACME Limited", contact="Li Lei", phone="13800000000",
                       email="li@acme.cn", source="event")
    result = qualify_lead(uow, rep, lead_id, SETTINGS, NOW,
                          amount=Money(Decimal(50000), "CNY"), close_date=TODAY)
    assert isinstance(result, Qualified)
    customer, deal, lead = result.customer, result.deal, result.lead
    assert not result.customer_reused
    assert uow.stored(Customer) == [customer]
    assert (customer.name, customer.name_key, customer.owner_id) == ("ACME Limited", "acme",
                                                                      rep.id)
    [contact] = uow.stored(Contact)
    assert (contact.customer_id, contact.name, contact.phone, contact.email) == (
        customer.id, "Li Lei", "13800000000", "li@acme.cn")
    assert uow.stored(Deal) == [deal]
    first = SETTINGS.first_stage
    assert (deal.stage, deal.probability) == (first.key, first.probability)
    assert (deal.customer_id, deal.owner_id, deal.team) == (customer.id, rep.id, "east")
    assert (deal.amount, deal.currency, deal.close_date) == (Decimal(50000), "CNY", TODAY)
    assert (deal.lead_id, deal.source, deal.title) == (lead_id, "event", "ACME Limited")
    [change] = uow.stage_changes
    assert (change.deal_id, change.from_stage, change.to_stage, change.user_id) == (
        deal.id, None, first.key, rep.id)
    assert (lead.status, lead.customer_id, lead.deal_id, lead.closed_at) == (
        LeadStatus.QUALIFIED, customer.id, deal.id, NOW)
    assert uow.events[-1] == LeadQualified(lead_id, deal.id or 0, customer.id or 0)


def test_qualify_without_amount_uses_the_company_currency(
    uow: FakeUnitOfWork, rep: User
) -> None:
    result = qualify_lead(uow, rep, _lead_id(uow, rep), SETTINGS, NOW, title="Big rollout")
    assert isinstance(result, Qualified)
    deal = result.deal
    assert (deal.amount, deal.currency, deal.title) == (None, SETTINGS.currency, "Big rollout")
    assert uow.stored(Contact) == []  # the lead named no contact


def test_qualify_reuses_a_customer_with_the_same_normalised_name(
    uow: FakeUnitOfWork, rep: User
) -> None:
    existing = Customer(name="Acme Ltd", name_key=normalise_company("Acme Ltd"),
                        owner_id=rep.id or 0, team="east", created_at=NOW)
    uow.customers.add(existing)
    result = qualify_lead(uow, rep, _lead_id(uow, rep, "ACME Limited"), SETTINGS, NOW)
    assert isinstance(result, Qualified)
    assert result.customer_reused
    assert result.customer is existing
    assert result.deal.customer_id == existing.id
    assert uow.stored(Customer) == [existing]


def test_a_lead_without_a_contact_person_gives_its_phone_and_email_to_the_customer(
    uow: FakeUnitOfWork, rep: User
) -> None:
    lead_id = _lead_id(uow, rep, "Beta Co", phone="13900001111", email="info@beta.cn")
    result = qualify_lead(uow, rep, lead_id, SETTINGS, NOW)
    assert isinstance(result, Qualified)
    assert (result.customer.phone, result.customer.email) == ("13900001111", "info@beta.cn")
    assert uow.stored(Contact) == []


def test_a_customer_on_file_keeps_its_own_phone_and_gains_a_missing_email(
    uow: FakeUnitOfWork, rep: User
) -> None:
    existing = Customer(name="Beta Co", name_key=normalise_company("Beta Co"),
                        owner_id=rep.id or 0, team="east", created_at=NOW, phone="01088886666")
    uow.customers.add(existing)
    lead_id = _lead_id(uow, rep, "Beta Co", phone="13900001111", email="info@beta.cn")
    result = qualify_lead(uow, rep, lead_id, SETTINGS, NOW)
    assert isinstance(result, Qualified) and result.customer is existing
    assert (existing.phone, existing.email) == ("01088886666", "info@beta.cn")


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_qualify_refuses_a_non_positive_amount(
    uow: FakeUnitOfWork, rep: User, amount: str
) -> None:
    lead_id = _lead_id(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        qualify_lead(uow, rep, lead_id, SETTINGS, NOW, amount=Money(Decimal(amount), "CNY"))
    assert caught.value.key == "deal.bad_amount"
    assert uow.stored(Deal) == []


def test_qualified_lead_cannot_be_qualified_again(uow: FakeUnitOfWork, rep: User) -> None:
    lead_id = _lead_id(uow, rep)
    qualify_lead(uow, rep, lead_id, SETTINGS, NOW)
    with pytest.raises(Conflict) as caught:
        qualify_lead(uow, rep, lead_id, SETTINGS, NOW)
    assert caught.value.key == "lead.closed"
    assert len(uow.stored(Deal)) == 1


def test_unknown_lead_is_not_found(uow: FakeUnitOfWork, rep: User) -> None:
    with pytest.raises(NotFound) as caught:
        qualify_lead(uow, rep, 404, SETTINGS, NOW)
    assert caught.value.params == {"ref": "L-404"}


# --------------------------------------------------------------------------- disqualify


def test_disqualify_closes_the_lead_with_its_reason(uow: FakeUnitOfWork, rep: User) -> None:
    lead = disqualify_lead(uow, rep, _lead_id(uow, rep), "  no budget ", NOW)
    assert (lead.status, lead.reason, lead.closed_at) == (LeadStatus.DISQUALIFIED,
                                                          "no budget", NOW)


def test_disqualify_needs_a_reason(uow: FakeUnitOfWork, rep: User) -> None:
    lead_id = _lead_id(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        disqualify_lead(uow, rep, lead_id, "  ", NOW)
    assert caught.value.key == "lead.reason_required"
    lead = uow.leads.get(lead_id)
    assert lead is not None and lead.status == LeadStatus.NEW


def test_disqualified_lead_cannot_be_qualified(uow: FakeUnitOfWork, rep: User) -> None:
    lead_id = _lead_id(uow, rep)
    disqualify_lead(uow, rep, lead_id, "no budget", NOW)
    with pytest.raises(Conflict) as caught:
        qualify_lead(uow, rep, lead_id, SETTINGS, NOW)
    assert caught.value.key == "lead.closed"
    assert caught.value.params["status"] == Named("lead.status", "disqualified")


# --------------------------------------------------------------------------- who may


def test_rep_cannot_qualify_another_reps_lead(uow: FakeUnitOfWork, rep: User) -> None:
    rep2 = add_person(uow, "rep2", Role.REP, "east")
    lead_id = _lead_id(uow, rep)
    with pytest.raises(Forbidden) as caught:
        qualify_lead(uow, rep2, lead_id, SETTINGS, NOW)
    assert caught.value.key == "access.not_yours"
    with pytest.raises(Forbidden):
        disqualify_lead(uow, rep2, lead_id, "mine now", NOW)
    lead = uow.leads.get(lead_id)
    assert lead is not None and lead.status == LeadStatus.NEW


def test_manager_of_the_team_can_qualify_a_reps_lead(uow: FakeUnitOfWork, rep: User) -> None:
    mgr = add_person(uow, "mgr", Role.MANAGER, "east")
    result = qualify_lead(uow, mgr, _lead_id(uow, rep), SETTINGS, NOW)
    assert isinstance(result, Qualified)
    assert result.deal.owner_id == rep.id  # the deal stays the rep's
    assert uow.stage_changes[0].user_id == mgr.id


def test_manager_of_another_team_cannot_touch_the_lead(uow: FakeUnitOfWork, rep: User) -> None:
    west = add_person(uow, "westmgr", Role.MANAGER, "west")
    lead_id = _lead_id(uow, rep)
    with pytest.raises(Forbidden):
        disqualify_lead(uow, west, lead_id, "not ours", NOW)


def test_finance_reads_but_cannot_qualify_a_lead(uow: FakeUnitOfWork, rep: User) -> None:
    fin = add_person(uow, "fin", Role.FINANCE, None)
    with pytest.raises(Forbidden):
        qualify_lead(uow, fin, _lead_id(uow, rep), SETTINGS, NOW)
