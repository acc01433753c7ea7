"""Deals: stage moves with probabilities and history, won and lost."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.deals import lose_deal, move_stage, win_deal
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.events import DealLost, DealWon
from domain.model.deals import DealStatus
from domain.model.quotes import LineInput
from domain.model.users import Role, User
from domain.money import Money
from domain.quotes import draft_quote, withdraw_quote
from domain.settings import Settings, Stage
from domain.vocabulary import Choices
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_deal

SETTINGS = Settings()
LATER = NOW + timedelta(hours=3)


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


def test_move_stage_sets_the_stage_probability_and_history(
    uow: FakeUnitOfWork, rep: User
) -> None:
    deal = given_deal(uow, rep)
    move_stage(uow, rep, deal.id or 0, "proposal", SETTINGS, LATER)
    proposal = SETTINGS.stage("proposal")
    assert proposal is not None
    assert (deal.stage, deal.probability, deal.last_activity_at) == (
        "proposal", proposal.probability, LATER)
    [change] = uow.stage_changes
    assert (change.from_stage, change.to_stage, change.at, change.user_id) == (
        SETTINGS.first_stage.key, "proposal", LATER, rep.id)


def test_probability_follows_the_configured_stages(uow: FakeUnitOfWork, rep: User) -> None:
    settings = Settings(stages=(Stage("intro", "Intro", "初步接触", 5),
                                Stage("poc", "Proof of concept", "试点", 40)))
    deal = given_deal(uow, rep, settings=settings)
    move_stage(uow, rep, deal.id or 0, "POC", settings, LATER)
    assert (deal.stage, deal.probability) == ("poc", 40)


@pytest.mark.parametrize("name", ["Negotiation", "商务谈判"])
def test_stage_may_be_named_in_either_language(
    uow: FakeUnitOfWork, rep: User, name: str
) -> None:
    deal = given_deal(uow, rep)
    move_stage(uow, rep, deal.id or 0, name, SETTINGS, LATER)
    assert deal.stage == "negotiation"


def test_unknown_stage_is_refused(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        move_stage(uow, rep, deal.id or 0, "signing", SETTINGS, LATER)
    assert caught.value.key == "deal.bad_stage"
    assert caught.value.params["stages"] == Choices(
        "stage", ("qualification", "proposal", "negotiation"))
    assert uow.stage_changes == []


def test_moving_to_the_same_stage_is_refused(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    with pytest.raises(Conflict) as caught:
        move_stage(uow, rep, deal.id or 0, SETTINGS.first_stage.key, SETTINGS, LATER)
    assert caught.value.key == "deal.same_stage"
    assert uow.stage_changes == []


def test_rep_cannot_move_another_reps_deal(uow: FakeUnitOfWork, rep: User) -> None:
    rep2 = add_person(uow, "rep2", Role.REP, "east")
    deal = given_deal(uow, rep)
    with pytest.raises(Forbidden):
        move_stage(uow, rep2, deal.id or 0, "proposal", SETTINGS, LATER)
    assert deal.stage == SETTINGS.first_stage.key


def test_manager_of_the_team_can_move_a_reps_deal(uow: FakeUnitOfWork, rep: User) -> None:
    mgr = add_person(uow, "mgr", Role.MANAGER, "east")
    deal = given_deal(uow, rep)
    move_stage(uow, mgr, deal.id or 0, "proposal", SETTINGS, LATER)
    assert deal.stage == "proposal"


def test_weighted_value_is_amount_times_probability(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep, amount="80000.50")
    move_stage(uow, rep, deal.id or 0, "negotiation", SETTINGS, LATER)
    assert deal.weighted == Money(Decimal("60000.38"), "CNY")  # 75 % of 80,000.50
    assert given_deal(uow, rep, amount=None).weighted is None


# --------------------------------------------------------------------------- won


def test_win_closes_the_deal_and_records_deal_won(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep, amount="120000")
    win_deal(uow, rep, deal.id or 0, LATER)
    assert (deal.status, deal.stage, deal.probability, deal.closed_at) == (
        DealStatus.WON, "won", 100, LATER)
    assert uow.stage_changes[-1].to_stage == "won"
    assert uow.events == [DealWon(deal.id or 0, rep.id or 0, "east", deal.title,
                                  Decimal(120000), "CNY")]


def test_won_deal_cannot_be_won_lost_or_moved_again(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    win_deal(uow, rep, deal.id or 0, LATER)
    with pytest.raises(Conflict) as caught:
        win_deal(uow, rep, deal.id or 0, LATER)
    assert caught.value.key == "deal.closed"
    with pytest.raises(Conflict):
        lose_deal(uow, rep, deal.id or 0, "changed mind", LATER, TODAY)
    with pytest.raises(Conflict):
        move_stage(uow, rep, deal.id or 0, "proposal", SETTINGS, LATER)
    assert len(uow.events) == 1


# --------------------------------------------------------------------------- lost


def test_lose_closes_the_deal_with_reason_and_records_deal_lost(
    uow: FakeUnitOfWork, rep: User
) -> None:
    deal = given_deal(uow, rep)
    lose_deal(uow, rep, deal.id or 0, " price ", LATER, TODAY)
    assert (deal.status, deal.stage, deal.probability, deal.lost_reason) == (
        DealStatus.LOST, "lost", 0, "price")
    assert uow.events == [DealLost(deal.id or 0, rep.id or 0, "east", deal.title, "price")]


def test_lose_needs_a_reason(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        lose_deal(uow, rep, deal.id or 0, " ", LATER, TODAY)
    assert caught.value.key == "deal.reason_required"
    assert deal.is_open


def _quote(uow: FakeUnitOfWork, rep: User, deal_id: int) -> int:
    quote = draft_quote(uow, rep, deal_id, [LineInput(Decimal(1), "Server",
                                                      Money(Decimal(5000), "CNY"))],
                        SETTINGS, NOW, TODAY)
    return quote.id or 0


def test_lose_is_refused_while_a_quote_is_open(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    quote_id = _quote(uow, rep, deal.id or 0)
    with pytest.raises(Conflict) as caught:
        lose_deal(uow, rep, deal.id or 0, "price", LATER, TODAY)
    assert caught.value.key == "deal.open_quote"
    assert caught.value.params["quotes"] == f"Q-{quote_id}"
    assert deal.is_open


def test_lose_is_allowed_after_the_quote_is_withdrawn(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    withdraw_quote(uow, rep, _quote(uow, rep, deal.id or 0), "customer walked", LATER)
    lose_deal(uow, rep, deal.id or 0, "price", LATER, TODAY)
    assert deal.status == DealStatus.LOST


def test_lose_is_allowed_after_the_quote_expired(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    _quote(uow, rep, deal.id or 0)
    after_expiry = TODAY + timedelta(days=SETTINGS.quote_validity_days + 1)
    lose_deal(uow, rep, deal.id or 0, "price", LATER, after_expiry)
    assert deal.status == DealStatus.LOST


def test_quote_on_its_last_valid_day_still_blocks_losing(
    uow: FakeUnitOfWork, rep: User
) -> None:
    deal = given_deal(uow, rep)
    _quote(uow, rep, deal.id or 0)
    last_day = TODAY + timedelta(days=SETTINGS.quote_validity_days)
    with pytest.raises(Conflict):
        lose_deal(uow, rep, deal.id or 0, "price", LATER, last_day)
