"""Read-side SQL: lists page, scope and filter; histories and reminders come in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from domain.model.activities import Activity, ActivityKind
from domain.model.customers import Customer
from domain.model.deals import Deal, DealStatus, StageChange
from domain.model.leads import Lead, LeadStatus
from domain.model.reminders import Reminder, ReminderStatus
from domain.model.users import Role, User
from domain.names import normalise_company
from domain.users import add_user
from storage.queries import SqlQueries
from storage.unit_of_work import SqlUnitOfWork, session_factory

T0 = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)


class World:
    """Builds records directly through the unit of work, with chosen owners and times."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory
        self.users: dict[str, User] = {}
        with SqlUnitOfWork(factory) as uow:
            for name, role, team in [("rep", Role.REP, "east"), ("rep2", Role.REP, "east"),
                                     ("other", Role.REP, "west"), ("mgr", Role.MANAGER, "east")]:
                self.users[name] = add_user(uow, name, role, T0, team=team, locale="en",
                                            timezone="UTC", display_name=name.title())
            uow.commit()

    def uid(self, name: str) -> int:
        return self.users[name].id or 0

    def leads(self, owner: str, *companies: str, status: LeadStatus = LeadStatus.NEW) -> list[int]:
        user = self.users[owner]
        with SqlUnitOfWork(self.factory) as uow:
            made = [Lead(company=c, name_key=normalise_company(c), owner_id=user.id or 0,
                         team=user.team, created_at=T0, status=status) for c in companies]
            for lead in made:
                uow.leads.add(lead)
            uow.commit()
        return [lead.id or 0 for lead in made]

    def customer(self, owner: str, name: str) -> int:
        user = self.users[owner]
        with SqlUnitOfWork(self.factory) as uow:
            customer = Customer(name=name, name_key=normalise_company(name),
                                owner_id=user.id or 0, team=user.team, created_at=T0)
            uow.customers.add(customer)
            uow.commit()
        return customer.id or 0

    def deal(self, owner: str, customer_id: int, title: str, stage: str = "qualification",
             status: DealStatus = DealStatus.OPEN, amount: str | None = None) -> int:
        user = self.users[owner]
        with SqlUnitOfWork(self.factory) as uow:
            deal = Deal(title=title, customer_id=customer_id, owner_id=user.id or 0,
                        team=user.team, stage=stage if status == DealStatus.OPEN else status,
                        probability=10, currency="CNY", created_at=T0, last_activity_at=T0,
                        status=status, amount=Decimal(amount) if amount else None)
            uow.deals.add(deal)
            uow.commit()
        return deal.id or 0

    def queries(self) -> Iterator[SqlQueries]:
        with SqlUnitOfWork(self.factory) as uow:
            yield SqlQueries(uow.session)


@pytest.fixture
def world(engine: Engine) -> World:
    return World(session_factory(engine))


@pytest.fixture
def q(world: World) -> Iterator[SqlQueries]:
    yield from world.queries()


# --------------------------------------------------------------------------- leads

def test_leads_page_newest_first_and_say_whether_more(world: World, q: SqlQueries) -> None:
    ids = world.leads("rep", *[f"Company {i}" for i in range(5)])
    first = q.leads(owner_id=None, team=None, status=None, page=1, per_page=2)
    second = q.leads(owner_id=None, team=None, status=None, page=2, per_page=2)
    last = q.leads(owner_id=None, team=None, status=None, page=3, per_page=2)
    assert [r["id"] for r in first.rows] == [ids[4], ids[3]] and first.has_more
    assert [r["id"] for r in second.rows] == [ids[2], ids[1]] and second.has_more
    assert [r["id"] for r in last.rows] == [ids[0]] and not last.has_more
    assert last.page == 3
    assert first.rows[0]["owner"] == "Rep" and first.rows[0]["company"] == "Company 4"


def test_exactly_full_page_has_no_more(world: World, q: SqlQueries) -> None:
    world.leads("rep", "A", "B")
    full = q.leads(owner_id=None, team=None, status=None, page=1, per_page=2)
    assert len(full.rows) == 2 and not full.has_more
    beyond = q.leads(owner_id=None, team=None, status=None, page=2, per_page=2)
    assert beyond.rows == [] and not beyond.has_more


def test_page_below_one_reads_the_first_page(world: World, q: SqlQueries) -> None:
    world.leads("rep", "A", "B", "C")
    page = q.leads(owner_id=None, team=None, status=None, page=0, per_page=2)
    assert page.page == 1 and [r["company"] for r in page.rows] == ["C", "B"]


def test_leads_scoped_by_owner_team_and_status(world: World, q: SqlQueries) -> None:
    mine = world.leads("rep", "Mine new")
    mine_done = world.leads("rep", "Mine qualified", status=LeadStatus.QUALIFIED)
    teammate = world.leads("rep2", "Teammate")
    west = world.leads("other", "West")

    def ids(owner_id: int | None, team: str | None, status: str | None) -> list[int]:
        page = q.leads(owner_id=owner_id, team=team, status=status, page=1, per_page=20)
        return sorted(r["id"] for r in page.rows)

    assert ids(world.uid("rep"), None, None) == mine + mine_done
    assert ids(world.uid("rep"), None, "new") == mine
    assert ids(None, "east", None) == sorted(mine + mine_done + teammate)
    assert ids(None, "west", None) == west
    assert ids(None, None, "qualified") == mine_done


# --------------------------------------------------------------------------- deals

def test_deals_list_open_deals_only_by_default(world: World, q: SqlQueries) -> None:
    acme = world.customer("rep", "Acme")
    open_deal = world.deal("rep", acme, "Servers", amount="50000.00")
    world.deal("rep", acme, "Won one", status=DealStatus.WON)
    world.deal("rep", acme, "Lost one", status=DealStatus.LOST)
    page = q.deals(owner_id=None, team=None, stage=None, page=1, per_page=20)
    assert [r["id"] for r in page.rows] == [open_deal]
    row = page.rows[0]
    assert (row["title"], row["customer"], row["owner"], row["stage"]) == (
        "Servers", "Acme", "Rep", "qualification")
    assert row["amount"] == Decimal("50000.00")


def test_deals_filtered_by_stage_and_by_won_or_lost(world: World, q: SqlQueries) -> None:
    acme = world.customer("rep", "Acme")
    proposal = world.deal("rep", acme, "P", stage="proposal")
    world.deal("rep", acme, "Q", stage="qualification")
    won = world.deal("rep", acme, "W", status=DealStatus.WON)
    lost = world.deal("rep", acme, "L", status=DealStatus.LOST)

    def ids(stage: str) -> list[int]:
        return [r["id"] for r in q.deals(owner_id=None, team=None, stage=stage, page=1,
                                         per_page=20).rows]

    assert ids("proposal") == [proposal]
    assert ids("won") == [won]
    assert ids("lost") == [lost]
    assert ids("negotiation") == []


def test_deals_scoped_by_owner_and_team(world: World, q: SqlQueries) -> None:
    acme = world.customer("rep", "Acme")
    globex = world.customer("other", "Globex")
    mine = world.deal("rep", acme, "Mine")
    teammate = world.deal("rep2", acme, "Teammate's")
    west = world.deal("other", globex, "West")

    def ids(owner_id: int | None, team: str | None) -> list[int]:
        return [r["id"] for r in q.deals(owner_id=owner_id, team=team, stage=None, page=1,
                                         per_page=20).rows]

    assert ids(world.uid("rep"), None) == [mine]
    assert ids(None, "east") == [teammate, mine]
    assert ids(None, "west") == [west]
    assert ids(world.uid("rep"), "west") == []


def test_deals_page_with_has_more(world: World, q: SqlQueries) -> None:
    acme = world.customer("rep", "Acme")
    ids = [world.deal("rep", acme, f"Deal {i}") for i in range(5)]
    pages = [q.deals(owner_id=None, team="east", stage=None, page=n, per_page=2)
             for n in (1, 2, 3)]
    assert [[r["id"] for r in p.rows] for p in pages] == [ids[4:2:-1], ids[2:0:-1], ids[:1]]
    assert [p.has_more for p in pages] == [True, True, False]


# --------------------------------------------------------------------------- deal history

def test_deal_history_mixes_moves_and_activities_newest_first(world: World,
                                                              q: SqlQueries) -> None:
    acme = world.customer("rep", "Acme")
    deal_id = world.deal("rep", acme, "Servers", stage="proposal")
    other = world.deal("rep", acme, "Another deal")
    rep, mgr = world.uid("rep"), world.uid("mgr")
    with SqlUnitOfWork(world.factory) as uow:
        # Inserted out of time order, so only ORDER BY can put them right.
        uow.activities.add(Activity(kind=ActivityKind.MEETING, text="Demo", user_id=mgr,
                                    at=T0 + timedelta(hours=3), ref_kind="deal", ref_id=deal_id,
                                    customer_id=acme, deal_id=deal_id))
        uow.deals.add_stage_change(StageChange(deal_id=deal_id, from_stage=None,
                                               to_stage="qualification", at=T0, user_id=rep))
        uow.activities.add(Activity(kind=ActivityKind.CALL, text="Intro call", user_id=rep,
                                    at=T0 + timedelta(hours=1), ref_kind="deal", ref_id=deal_id,
                                    customer_id=acme, deal_id=deal_id))
        uow.deals.add_stage_change(StageChange(deal_id=deal_id, from_stage="qualification",
                                               to_stage="proposal", at=T0 + timedelta(hours=2),
                                               user_id=rep))
        uow.activities.add(Activity(kind=ActivityKind.NOTE, text="Not this deal", user_id=rep,
                                    at=T0 + timedelta(hours=9), ref_kind="deal", ref_id=other,
                                    customer_id=acme, deal_id=other))
        uow.commit()
    history = q.deal_history(deal_id, limit=10)
    assert [(r["at"] - T0, r["kind"], r["stage"], r["from_stage"], r["user"]) for r in history] == [
        (timedelta(hours=3), "meeting", None, None, "Mgr"),
        (timedelta(hours=2), None, "proposal", "qualification", "Rep"),
        (timedelta(hours=1), "call", None, None, "Rep"),
        (timedelta(0), None, "qualification", None, "Rep"),
    ]
    assert history[0]["text"] == "Demo" and history[0]["at"].tzinfo is not None
    assert [r["kind"] for r in q.deal_history(deal_id, limit=2)] == ["meeting", None]


# --------------------------------------------------------------------------- reminders

def test_open_reminders_come_by_due_time(world: World, q: SqlQueries) -> None:
    rep, rep2 = world.uid("rep"), world.uid("rep2")
    with SqlUnitOfWork(world.factory) as uow:
        for text, hours, user, status in [
            ("later", 30, rep, ReminderStatus.OPEN), ("soonest", 2, rep, ReminderStatus.OPEN),
            ("done", 1, rep, ReminderStatus.DONE), ("someone else's", 1, rep2,
                                                    ReminderStatus.OPEN),
            ("middle", 5, rep, ReminderStatus.OPEN), ("middle too", 5, rep, ReminderStatus.OPEN),
        ]:
            uow.reminders.add(Reminder(user_id=user, text=text, due_at=T0 + timedelta(hours=hours),
                                       created_at=T0, status=status))
        uow.commit()
    page = q.reminders_open(rep, page=1, per_page=3)
    assert [r["text"] for r in page.rows] == ["soonest", "middle", "middle too"]
    assert page.has_more
    rest = q.reminders_open(rep, page=2, per_page=3)
    assert [r["text"] for r in rest.rows] == ["later"] and not rest.has_more
    assert page.rows[0]["due_at"] == T0 + timedelta(hours=2)


# --------------------------------------------------------------------------- names

def test_named_prefers_the_exact_name(world: World, q: SqlQueries) -> None:
    acme = world.customer("rep", "Acme")
    world.customer("rep", "Acme Trading")
    assert q.named("customer", "ACME", owner_id=None, team=None, limit=5) == [(acme, "Acme")]
    both = q.named("customer", "acm", owner_id=None, team=None, limit=5)
    assert [name for _, name in both] == ["Acme", "Acme Trading"]


def test_named_finds_deals_by_title_within_scope(world: World, q: SqlQueries) -> None:
    acme = world.customer("rep", "Acme")
    mine = world.deal("rep", acme, "Acme servers")
    world.deal("other", acme, "Acme storage")
    assert q.named("deal", "acme", owner_id=world.uid("rep"), team=None, limit=5) == [
        (mine, "Acme servers")]
    assert [n for _, n in q.named("deal", "acme", owner_id=None, team="west", limit=5)] == [
        "Acme storage"]
    assert len(q.named("deal", "acme", owner_id=None, team=None, limit=5)) == 2
    assert len(q.named("deal", "acme", owner_id=None, team=None, limit=1)) == 1


def test_named_treats_percent_and_underscore_literally(world: World, q: SqlQueries) -> None:
    percent = world.customer("rep", "100% Cotton")
    world.customer("rep", "1000 Cotton")
    underscore = world.customer("rep", "A_B Works")
    world.customer("rep", "AXB Works")
    backslash = world.customer("rep", "Back\\slash")
    assert q.named("customer", "100%", owner_id=None, team=None, limit=5) == [
        (percent, "100% Cotton")]
    assert q.named("customer", "a_b", owner_id=None, team=None, limit=5) == [
        (underscore, "A_B Works")]
    assert q.named("customer", "k\\s", owner_id=None, team=None, limit=5) == [
        (backslash, "Back\\slash")]
    assert q.named("customer", "%", owner_id=None, team=None, limit=5) == [
        (percent, "100% Cotton")]


def test_named_matches_chinese_names(world: World, q: SqlQueries) -> None:
    ali = world.customer("rep", "阿里巴巴（中国）有限公司")
    world.customer("rep", "腾讯")
    assert q.named("customer", "阿里", owner_id=None, team=None, limit=5) == [
        (ali, "阿里巴巴（中国）有限公司")]
