"""Leads: logged, checked for duplicates, qualified into customer + deal, or disqualified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import InvalidInput
from domain.events import LeadCreated, LeadQualified
from domain.model.customers import (
    MAX_NOTE,
    Contact,
    Customer,
    NewContact,
    optional_email,
    optional_phone,
    text_field,
)
from domain.model.deals import AmountSource, Deal
from domain.model.leads import MAX_NAME, Lead
from domain.model.users import Role, User
from domain.money import Money
from domain.names import NameMatch, fragments, normalise_company, similar_names
from domain.records import readable, writable
from domain.routing import Router, tell_assignee
from domain.scoring import rescore
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import resolve


@dataclass(frozen=True)
class NewLead:
    company: str
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    source: str | None = None
    note: str | None = None
    amount: Decimal | None = None
    region: str | None = None
    external_id: str | None = None


MAX_REGION = 100
MAX_EXTERNAL_ID = 100


def check_source(text: str | None, settings: Settings) -> str | None:
    """The key of a configured lead source (by key, name or another word), or None when not
    given."""
    return resolve(settings.terms("source"), text, "source") if text and text.strip() else None


def similar_customers(uow: UnitOfWork, company: str, settings: Settings) -> list[NameMatch]:
    """Customers whose names resemble `company`, the closest first."""
    key = normalise_company(company)
    candidates = [("customer", i, k, n)
                  for i, k, n in uow.customers.look_alikes(key, fragments(key))]
    return similar_names(key, candidates, settings.duplicate_threshold)


def find_similar(uow: UnitOfWork, company: str, settings: Settings) -> list[NameMatch]:
    """Open leads and customers whose names resemble `company`."""
    key = normalise_company(company)
    pieces = fragments(key)
    candidates = [("lead", i, k, n) for i, k, n in uow.leads.look_alikes(key, pieces)]
    candidates += [("customer", i, k, n) for i, k, n in uow.customers.look_alikes(key, pieces)]
    return similar_names(key, candidates, settings.duplicate_threshold)


def checked_lead(new: NewLead, settings: Settings, now: datetime) -> Lead:
    """A lead from what was typed, imported or posted, checked and scored; no owner yet.
    The one set of checks every way a lead comes in passes."""
    company = " ".join(new.company.split())
    if not company:
        raise InvalidInput("lead.no_company")
    if len(company) > MAX_NAME:
        raise InvalidInput("field.too_long", field="company", limit=MAX_NAME)
    if new.amount is not None and new.amount <= 0:
        raise InvalidInput("deal.bad_amount", value=str(new.amount))
    lead = Lead(
        company=company,
        name_key=normalise_company(company),
        owner_id=0,
        team=None,
        created_at=now,
        contact=text_field(new.contact, "contact", MAX_NAME),
        phone=optional_phone(new.phone),
        email=optional_email(new.email),
        source=check_source(new.source, settings),
        note=text_field(new.note, "note", MAX_NOTE),
        amount=new.amount,
        region=text_field(new.region, "region", MAX_REGION),
        external_id=text_field(new.external_id, "external_id", MAX_EXTERNAL_ID),
        touched_at=now,
    )
    rescore(lead, settings.scoring, now)
    return lead


def _added(uow: UnitOfWork, lead: Lead) -> Lead:
    uow.leads.add(lead)
    uow.flush()
    uow.events.append(LeadCreated(lead.id or 0, lead.owner_id, lead.company))
    return lead


def create_lead(
    uow: UnitOfWork, actor: User, new: NewLead, settings: Settings, now: datetime
) -> tuple[Lead, list[NameMatch]]:
    """Log a lead owned by the actor; returns it with look-alikes already on file."""
    actor.require(Role.REP, Role.MANAGER)
    lead = checked_lead(new, settings, now)
    similar = find_similar(uow, lead.company, settings)
    lead.owner_id = actor.id or 0
    lead.team = actor.team
    return _added(uow, lead), similar


def take_in_lead(uow: UnitOfWork, router: Router, creator: User | None, lead: Lead,
                 fallback: User, owner: User | None = None) -> Lead:
    """A checked lead that arrived by import or from a website form: given to `owner` when
    the file names one, else by the assignment rules (else `fallback`); the assignee is told.
    The caller saves the router's turns once it is done."""
    if owner is not None:
        router.give(lead, owner)
    else:
        router.route(lead, creator, fallback)
    _added(uow, lead)
    tell_assignee(uow, lead, creator)
    return lead


def get_lead(uow: UnitOfWork, actor: User, lead_id: int) -> Lead:
    lead: Lead = readable(uow, actor, "lead", lead_id).entity
    return lead


def _writable_open_lead(uow: UnitOfWork, actor: User, lead_id: int) -> Lead:
    lead: Lead = writable(uow, actor, "lead", lead_id).entity
    lead.check_open()
    return lead


@dataclass(frozen=True)
class Qualified:
    lead: Lead
    customer: Customer
    deal: Deal
    customer_reused: bool


@dataclass(frozen=True)
class LookAlike:
    """A customer whose name resembles the lead's, and whether the actor may use it."""

    customer: Customer
    usable: bool


@dataclass(frozen=True)
class CustomerQuestion:
    """Qualifying waits for an answer: use one of these customers, or make a new one."""

    lead: Lead
    look_alikes: list[LookAlike]


NEW_CUSTOMER = 0  # `customer_id` meaning: make a new customer even if look-alikes exist


def _customer_for(uow: UnitOfWork, actor: User, lead: Lead, settings: Settings,
                  customer_id: int | None) -> Customer | CustomerQuestion | None:
    """The customer the deal goes to, a question when look-alikes exist, or None: make one."""
    if customer_id == NEW_CUSTOMER:
        return None
    if customer_id is not None:
        named: Customer = readable(uow, actor, "customer", customer_id).entity
        return named
    same = uow.customers.by_name_key(lead.name_key)
    if same is not None and actor.can_read(same.owner_id, same.team):
        return same
    found = [uow.customers.get(m.id) for m in similar_customers(uow, lead.company, settings)]
    if same is not None and all(c is not same for c in found):
        found.insert(0, same)
    look_alikes = [LookAlike(c, actor.can_read(c.owner_id, c.team)) for c in found if c]
    return CustomerQuestion(lead, look_alikes) if look_alikes else None


def _carry_contact(uow: UnitOfWork, lead: Lead, customer: Customer, now: datetime) -> None:
    """The lead's contact person joins the customer's contacts, unless already there; a lead
    that names no person gives its phone and e-mail to the company itself."""
    customer_id = customer.id or 0
    if not lead.contact:
        customer.fill_in(lead.phone, lead.email)
        return
    person = NewContact(lead.contact, phone=lead.phone, email=lead.email)
    if any(known.same_person(person) for known in uow.contacts.of_customer(customer_id)):
        return
    uow.contacts.add(Contact(customer_id=customer_id, name=lead.contact, created_at=now,
                             phone=lead.phone, email=lead.email))


def qualify_lead(
    uow: UnitOfWork,
    actor: User,
    lead_id: int,
    settings: Settings,
    now: datetime,
    *,
    amount: Money | None = None,
    close_date: date | None = None,
    title: str | None = None,
    customer_id: int | None = None,
) -> Qualified | CustomerQuestion:
    """Lead -> customer + contact + deal.

    The customer is the one named by `customer_id` (NEW_CUSTOMER: a new one), else the one
    whose normalised name is the lead's, else a new one; when only look-alike names are on
    file, nothing is written and the question which one is returned.
    """
    lead = _writable_open_lead(uow, actor, lead_id)
    if amount is not None and amount.amount <= 0:
        raise InvalidInput("deal.bad_amount", value=str(amount.amount))
    chosen = _customer_for(uow, actor, lead, settings, customer_id)
    if isinstance(chosen, CustomerQuestion):
        return chosen
    customer = chosen
    reused = customer is not None
    if customer is None:
        customer = Customer(
            name=lead.company, name_key=lead.name_key, owner_id=lead.owner_id,
            team=lead.team, created_at=now,
        )
        uow.customers.add(customer)
        uow.flush()
    customer_id = customer.id or 0
    _carry_contact(uow, lead, customer, now)
    stage = settings.first_stage
    deal = Deal(
        title=(title or lead.company).strip()[:MAX_NAME],
        customer_id=customer_id,
        owner_id=lead.owner_id,
        team=lead.team,
        stage=stage.key,
        probability=stage.probability,
        currency=amount.currency if amount else settings.currency,
        amount=amount.amount if amount else None,
        amount_source=AmountSource.TYPED if amount else None,
        close_date=close_date,
        created_at=now,
        last_activity_at=now,
        lead_id=lead.id,
        source=lead.source,
    )
    uow.deals.add(deal)
    uow.flush()
    uow.deals.add_stage_change(deal.opening(actor.id or 0, now))
    lead.qualify(customer_id, deal.id or 0, now)
    uow.events.append(LeadQualified(lead.id or 0, deal.id or 0, customer_id))
    return Qualified(lead, customer, deal, reused)


def disqualify_lead(
    uow: UnitOfWork, actor: User, lead_id: int, reason: str, now: datetime
) -> Lead:
    """Close a lead that will not buy; a reason is required."""
    reason = Lead.checked_reason(reason)  # answered before the lead is looked up
    lead = _writable_open_lead(uow, actor, lead_id)
    lead.disqualify(reason, now)
    return lead
