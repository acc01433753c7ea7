"""Lead scoring, assignment by rules and in turn, and the public pool's rules, on the fakes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain import pool
from domain.activities import log_activity
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.events import LeadRouted, PoolReclaimed, PoolWarning
from domain.leads import NewLead, checked_lead, create_lead, take_in_lead
from domain.model.activities import ActivityKind
from domain.model.customers import Customer
from domain.model.users import Role, User
from domain.notifications import queue_notifications
from domain.routing import Router
from domain.scoring import score_of
from domain.settings import (
    AmountBand,
    Assignment,
    KeywordRule,
    Pool,
    RoutingRule,
    Scoring,
    Settings,
)
from domain.subjects import resolve_subject
from domain.users import set_active
from tests.unit.fakes import NOW, FakeUnitOfWork, add_person, given_deal

SCORING = Scoring(sources={"referral": 30, "website": 10}, phone=10, email=5,
                  amount_bands=(AmountBand(Decimal(100000), 15), AmountBand(Decimal(1000000), 30)),
                  keywords=(KeywordRule(("预算", "urgent"), 15),), recent_activity_days=7,
                  recent_activity=10, hot=60, warm=30)
SETTINGS = Settings(scoring=SCORING, assignment=Assignment(round_robin=True),
                    pool=Pool(reclaim_after_days=30, warn_days=3, max_owned=3,
                              reclaim_cooldown_days=7))


@pytest.fixture
def cast(uow: FakeUnitOfWork) -> dict[str, User]:
    return {name: add_person(uow, name, role, team) for name, role, team in [
        ("li", Role.REP, "east"), ("wang", Role.REP, "east"), ("zhao", Role.REP, "east"),
        ("mgr", Role.MANAGER, "east"), ("west", Role.REP, "west"),
        ("boss", Role.ADMIN, None)]}


# --------------------------------------------------------------------------- scoring


def test_a_lead_scores_each_rule_with_its_reason() -> None:
    lead = checked_lead(NewLead("华为 urgent", phone="13800000000", email="li@hw.cn",
                                source="referral", amount=Decimal(200000),
                                note="今年有预算"), SETTINGS, NOW)
    reasons = {(r["rule"], r["value"]): r["points"] for r in lead.score_reasons or []}
    assert reasons == {("source", "referral"): 30, ("phone", ""): 10, ("email", ""): 5,
                       ("amount", "100000"): 15, ("keyword", "预算"): 15}
    assert lead.score == 75 and SCORING.band(lead.score) == "hot"


def test_only_the_highest_amount_band_counts() -> None:
    lead = checked_lead(NewLead("Acme", amount=Decimal(2000000)), SETTINGS, NOW)
    assert lead.score == 30


def test_a_bare_lead_scores_nothing_and_is_cold() -> None:
    lead = checked_lead(NewLead("Acme"), SETTINGS, NOW)
    assert (lead.score, lead.score_reasons, SCORING.band(0)) == (0, [], "cold")


def test_recent_activity_raises_the_score_and_fades(uow: FakeUnitOfWork,
                                                    cast: dict[str, User]) -> None:
    lead, _ = create_lead(uow, cast["li"], NewLead("Acme", source="website"), SETTINGS, NOW)
    subject = resolve_subject(uow, cast["li"], "lead", lead.id or 0)
    log_activity(uow, cast["li"], subject, ActivityKind.CALL, "hello", NOW + timedelta(hours=2),
                 settings=SETTINGS)
    assert lead.score == 20 and lead.first_activity_at == NOW + timedelta(hours=2)
    later, _ = score_of(lead, SCORING, NOW + timedelta(days=10))
    assert later == 10


def test_a_negative_amount_is_refused_as_the_chat_refuses_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_lead(NewLead("Acme", amount=Decimal(-5)), SETTINGS, NOW)
    assert refused.value.key == "deal.bad_amount"


# --------------------------------------------------------------------------- assignment


def _arrive(uow: FakeUnitOfWork, creator: User | None, fallback: User, settings: Settings,
            **fields: object) -> User:
    router = Router(uow, settings)
    lead = checked_lead(NewLead(str(fields.pop("company", "Acme")), **fields),  # type: ignore[arg-type]
                        settings, NOW)
    take_in_lead(uow, router, creator, lead, fallback)
    router.save_turns()
    owner = uow.users.get(lead.owner_id)
    assert owner is not None
    return owner


def test_round_robin_takes_the_creators_team_in_turn_and_skips_inactive(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    set_active(uow, cast["boss"], "wang", False)
    owners = [_arrive(uow, cast["mgr"], cast["boss"], SETTINGS, company=f"Co {n}").username
              for n in range(4)]
    assert owners == ["li", "zhao", "li", "zhao"]


def test_a_rule_by_source_gives_the_lead_to_a_person(uow: FakeUnitOfWork,
                                                     cast: dict[str, User]) -> None:
    settings = Settings(assignment=Assignment(rules=(
        RoutingRule(source="partner", user="west"),)))
    assert _arrive(uow, cast["mgr"], cast["boss"], settings, source="partner").username == \
        "west"
    assert _arrive(uow, cast["mgr"], cast["boss"], settings, source="event").username == "mgr"


def test_rules_by_region_and_keyword_send_the_lead_to_a_team_in_turn(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    settings = Settings(assignment=Assignment(rules=(
        RoutingRule(region="广东", team="west"), RoutingRule(keyword="医院", team="east"))))
    assert _arrive(uow, None, cast["boss"], settings, region="广东省深圳").username == "west"
    assert _arrive(uow, None, cast["boss"], settings, company="人民医院").username == "li"
    assert _arrive(uow, None, cast["boss"], settings, company="第二医院").username == "wang"


def test_a_rule_naming_an_inactive_person_falls_through(uow: FakeUnitOfWork,
                                                        cast: dict[str, User]) -> None:
    set_active(uow, cast["boss"], "west", False)
    settings = Settings(assignment=Assignment(round_robin=True, rules=(
        RoutingRule(source="partner", user="west"),)), )
    assert _arrive(uow, cast["li"], cast["boss"], settings, source="partner").username == "li"


def test_a_rep_at_the_limit_is_skipped_while_a_colleague_has_room(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    for n in range(3):
        create_lead(uow, cast["li"], NewLead(f"Held {n}"), SETTINGS, NOW)
    set_active(uow, cast["boss"], "zhao", False)
    owners = {_arrive(uow, cast["mgr"], cast["boss"], SETTINGS, company=f"New {n}").username
              for n in range(2)}
    assert owners == {"wang"}


def test_without_rules_or_turns_the_lead_goes_to_the_fallback(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    assert _arrive(uow, None, cast["boss"], Settings()).username == "boss"


def test_the_assignee_is_told_with_the_leads_card(uow: FakeUnitOfWork,
                                                  cast: dict[str, User]) -> None:
    _arrive(uow, None, cast["boss"], SETTINGS, company="Globex", phone="13800000001",
            source="website")
    routed = [e for e in uow.events if isinstance(e, LeadRouted)]
    assert len(routed) == 1 and routed[0].card["company"] == "Globex"
    assert routed[0].card["score"] == 20
    queue_notifications(uow, SETTINGS, NOW)
    assert [m.key for m in uow.messages] == ["notify.lead_assigned"]


# --------------------------------------------------------------------------- the pool


def _pooled_lead(uow: FakeUnitOfWork, owner: User) -> int:
    lead, _ = create_lead(uow, owner, NewLead("Pooled Co"), SETTINGS, NOW)
    pool.release(uow, owner, "lead", lead.id or 0, "no answer", SETTINGS, NOW)
    return lead.id or 0


def test_a_released_lead_can_be_claimed_by_a_teammate(uow: FakeUnitOfWork,
                                                      cast: dict[str, User]) -> None:
    lead_id = _pooled_lead(uow, cast["li"])
    taken = pool.claim(uow, cast["wang"], "lead", lead_id, SETTINGS, NOW)
    assert (taken.owner_id, taken.in_pool, taken.previous_owner_id) == \
        (cast["wang"].id, False, cast["li"].id)


def test_the_previous_owner_waits_out_the_cooldown(uow: FakeUnitOfWork,
                                                   cast: dict[str, User]) -> None:
    lead_id = _pooled_lead(uow, cast["li"])
    with pytest.raises(Conflict) as refused:
        pool.claim(uow, cast["li"], "lead", lead_id, SETTINGS, NOW + timedelta(days=6))
    assert refused.value.key == "pool.cooldown"
    taken = pool.claim(uow, cast["li"], "lead", lead_id, SETTINGS, NOW + timedelta(days=7))
    assert taken.owner_id == cast["li"].id


def test_a_claim_above_the_limit_is_refused(uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    lead_id = _pooled_lead(uow, cast["li"])
    for n in range(3):
        create_lead(uow, cast["wang"], NewLead(f"Mine {n}"), SETTINGS, NOW)
    with pytest.raises(Conflict) as refused:
        pool.claim(uow, cast["wang"], "lead", lead_id, SETTINGS, NOW)
    assert refused.value.key == "pool.max_owned"
    assert uow.leads.get(lead_id).in_pool  # type: ignore[union-attr]


def test_another_teams_pool_is_not_yours(uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    lead_id = _pooled_lead(uow, cast["li"])
    with pytest.raises(Forbidden):
        pool.claim(uow, cast["west"], "lead", lead_id, SETTINGS, NOW)


def test_release_needs_a_reason_and_the_owner(uow: FakeUnitOfWork,
                                              cast: dict[str, User]) -> None:
    lead, _ = create_lead(uow, cast["li"], NewLead("Acme"), SETTINGS, NOW)
    with pytest.raises(InvalidInput):
        pool.release(uow, cast["li"], "lead", lead.id or 0, " ", SETTINGS, NOW)
    with pytest.raises(Forbidden):
        pool.release(uow, cast["wang"], "lead", lead.id or 0, "mine now", SETTINGS, NOW)
    assert not lead.in_pool


def test_a_pooled_lead_cannot_be_worked_before_it_is_claimed(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    lead_id = _pooled_lead(uow, cast["li"])
    with pytest.raises(Forbidden) as refused:
        pool.release(uow, cast["li"], "lead", lead_id, "again", SETTINGS, NOW)
    assert refused.value.key == "pool.claim_first"


def test_the_job_warns_then_takes_back_neglected_leads_and_customers(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    lead, _ = create_lead(uow, cast["li"], NewLead("Quiet Co"), SETTINGS, NOW)
    customer = Customer(name="Sleepy", name_key="sleepy", owner_id=cast["li"].id or 0,
                        team="east", created_at=NOW, touched_at=NOW)
    uow.customers.add(customer)
    uow.flush()
    done = pool.sweep(uow, SETTINGS, NOW + timedelta(days=26))
    assert (done.warned, done.reclaimed) == (0, 0)
    done = pool.sweep(uow, SETTINGS, NOW + timedelta(days=28))
    warnings = [e for e in uow.events if isinstance(e, PoolWarning)]
    assert (done.warned, done.reclaimed) == (2, 0) and len(warnings) == 1
    assert set(warnings[0].refs) == {lead.number, customer.number}
    uow.events.clear()
    done = pool.sweep(uow, SETTINGS, NOW + timedelta(days=31))
    assert done.reclaimed == 2 and lead.in_pool and customer.in_pool
    assert [e for e in uow.events if isinstance(e, PoolReclaimed)][0].owner_id == cast["li"].id


def test_work_on_a_record_starts_its_clock_again(uow: FakeUnitOfWork,
                                                 cast: dict[str, User]) -> None:
    lead, _ = create_lead(uow, cast["li"], NewLead("Busy Co"), SETTINGS, NOW)
    subject = resolve_subject(uow, cast["li"], "lead", lead.id or 0)
    log_activity(uow, cast["li"], subject, ActivityKind.CALL, "hi", NOW + timedelta(days=20))
    assert pool.sweep(uow, SETTINGS, NOW + timedelta(days=31)).reclaimed == 0


def test_a_customer_with_an_order_never_goes_back(uow: FakeUnitOfWork,
                                                  cast: dict[str, User]) -> None:
    from tests.unit.fakes import given_order
    order = given_order(uow, cast["li"])
    customer = uow.customers.get(order.customer_id)
    assert customer is not None
    pool.sweep(uow, SETTINGS, NOW + timedelta(days=400))
    assert not customer.in_pool


def test_a_pooled_customers_deals_are_frozen_then_go_to_the_claimer(
        uow: FakeUnitOfWork, cast: dict[str, User]) -> None:
    deal = given_deal(uow, cast["li"])
    customer = uow.customers.get(deal.customer_id)
    assert customer is not None
    pool.release(uow, cast["li"], "customer", customer.id or 0, "moved", SETTINGS, NOW)
    from domain.deals import move_stage
    with pytest.raises(Forbidden):
        move_stage(uow, cast["li"], deal.id or 0, "proposal", SETTINGS, NOW)
    pool.claim(uow, cast["wang"], "customer", customer.id or 0, SETTINGS, NOW)
    assert (customer.owner_id, deal.owner_id) == (cast["wang"].id, cast["wang"].id)
