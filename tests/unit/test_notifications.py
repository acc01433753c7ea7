"""The notification policy: domain events become outbox messages with dedupe keys."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.deals import lose_deal, win_deal
from domain.events import DealWon, LeadCreated, OrderCreated, QuoteApproved, QuoteRejected
from domain.model.quotes import LineInput, Quote
from domain.model.users import Role, User
from domain.money import Money
from domain.notifications import queue_notifications
from domain.outbox import OutboxMessage, OutboxStatus
from domain.quotes import draft_quote
from domain.settings import Settings
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_deal

SETTINGS = Settings()
WITH_WINS = Settings(channels=frozenset({"wins"}))
WITH_MANAGERS = Settings(channels=frozenset({"managers"}))


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


def _pending_quote(uow: FakeUnitOfWork, owner: User) -> Quote:
    deal = given_deal(uow, owner)
    return draft_quote(uow, owner, deal.id or 0,
                       [LineInput(Decimal(10), "Server", Money(Decimal(5000), "CNY"))],
                       SETTINGS, NOW, TODAY, discount=Decimal(20))


def _to(messages: list[OutboxMessage]) -> list[tuple[str, str]]:
    return [(m.recipient_kind, m.recipient) for m in messages]


def test_quote_needing_approval_goes_to_the_teams_managers(
    uow: FakeUnitOfWork, rep: User
) -> None:
    mgr = add_person(uow, "mgr", Role.MANAGER, "east")
    head = add_person(uow, "head", Role.MANAGER, None)
    add_person(uow, "westmgr", Role.MANAGER, "west")
    add_person(uow, "rep2", Role.REP, "east")
    quote = _pending_quote(uow, rep)
    assert queue_notifications(uow, SETTINGS, NOW) == 2
    assert _to(uow.messages) == [("user", str(mgr.id)), ("user", str(head.id))]
    first = uow.messages[0]
    assert first.key == "notify.quote_needs_approval"
    assert first.dedupe_key == f"quote-approval:{quote.id}:u{mgr.id}"
    assert first.params == {"quote": quote.number, "deal": f"D-{quote.deal_id}",
                            "discount": "20",
                            "total": {"amount": str(quote.total), "currency": "CNY"}}
    assert (first.status, first.attempts, first.next_attempt_at) == (OutboxStatus.PENDING, 0,
                                                                     NOW)


def test_managers_own_quote_is_not_sent_to_that_manager(uow: FakeUnitOfWork) -> None:
    mgr = add_person(uow, "mgr", Role.MANAGER, "east")
    other = add_person(uow, "mgr2", Role.MANAGER, "east")
    _pending_quote(uow, mgr)
    queue_notifications(uow, SETTINGS, NOW)
    assert _to(uow.messages) == [("user", str(other.id))]


def test_inactive_manager_is_not_asked(uow: FakeUnitOfWork, rep: User) -> None:
    gone = add_person(uow, "gone", Role.MANAGER, "east")
    gone.active = False
    mgr = add_person(uow, "mgr", Role.MANAGER, "east")
    _pending_quote(uow, rep)
    queue_notifications(uow, SETTINGS, NOW)
    assert _to(uow.messages) == [("user", str(mgr.id))]


def test_approval_without_a_manager_goes_to_the_managers_channel(
    uow: FakeUnitOfWork, rep: User
) -> None:
    quote = _pending_quote(uow, rep)
    queue_notifications(uow, SETTINGS, NOW)
    assert _to(uow.messages) == [("channel", "managers")]
    assert uow.messages[0].dedupe_key == f"quote-approval:{quote.id}:cmanagers"


def test_approval_also_goes_to_a_configured_managers_channel(
    uow: FakeUnitOfWork, rep: User
) -> None:
    mgr = add_person(uow, "mgr", Role.MANAGER, "east")
    _pending_quote(uow, rep)
    queue_notifications(uow, WITH_MANAGERS, NOW)
    assert _to(uow.messages) == [("user", str(mgr.id)), ("channel", "managers")]


def test_deal_won_goes_to_the_wins_channel_when_configured(
    uow: FakeUnitOfWork, rep: User
) -> None:
    deal = given_deal(uow, rep, amount="120000")
    win_deal(uow, rep, deal.id or 0, NOW)
    queue_notifications(uow, WITH_WINS, NOW)
    [message] = uow.messages
    assert (message.recipient_kind, message.recipient, message.key) == (
        "channel", "wins", "notify.deal_won")
    assert message.dedupe_key == f"deal-won:{deal.id}:cwins"
    assert message.params == {"deal": deal.number, "title": deal.title,
                              "amount": {"amount": "120000.00", "currency": "CNY"}}


def test_deal_won_goes_to_managers_without_a_wins_channel(
    uow: FakeUnitOfWork, rep: User
) -> None:
    deal = given_deal(uow, rep, amount=None)
    win_deal(uow, rep, deal.id or 0, NOW)
    queue_notifications(uow, SETTINGS, NOW)
    [message] = uow.messages
    assert (message.recipient, message.params["amount"]) == ("managers", None)


def test_deal_lost_goes_to_managers_with_the_reason(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    lose_deal(uow, rep, deal.id or 0, "price", NOW, TODAY)
    queue_notifications(uow, SETTINGS, NOW)
    [message] = uow.messages
    assert (message.recipient, message.key, message.params["reason"]) == (
        "managers", "notify.deal_lost", "price")


def test_decisions_go_back_to_the_quote_owner(uow: FakeUnitOfWork) -> None:
    uow.events += [QuoteApproved(3, 7, 2), QuoteRejected(4, 7, 2, "too deep")]
    queue_notifications(uow, SETTINGS, NOW)
    assert [(m.recipient, m.key, m.params) for m in uow.messages] == [
        ("7", "notify.quote_approved", {"quote": "Q-3"}),
        ("7", "notify.quote_rejected", {"quote": "Q-4", "reason": "too deep"}),
    ]


def test_new_order_goes_to_finance(uow: FakeUnitOfWork) -> None:
    uow.events.append(OrderCreated(5, 9, 7, Decimal("51256.78"), "CNY"))
    queue_notifications(uow, SETTINGS, NOW)
    [message] = uow.messages
    assert (message.recipient, message.key, message.dedupe_key) == (
        "finance", "notify.order_created", "order-created:5:cfinance")
    assert message.params["total"] == {"amount": "51256.78", "currency": "CNY"}


def test_events_without_a_notification_queue_nothing(uow: FakeUnitOfWork) -> None:
    uow.events.append(LeadCreated(1, 7, "Acme"))
    assert queue_notifications(uow, SETTINGS, NOW) == 0
    assert uow.messages == []


def test_events_are_cleared_after_queueing(uow: FakeUnitOfWork, rep: User) -> None:
    uow.events.append(DealWon(1, rep.id or 0, "east", "Acme", Decimal(10), "CNY"))
    assert queue_notifications(uow, SETTINGS, NOW) == 1
    assert uow.events == []
    assert queue_notifications(uow, SETTINGS, NOW + timedelta(minutes=1)) == 0
    assert len(uow.messages) == 1


def test_same_event_gives_the_same_dedupe_keys_every_time(rep: User) -> None:
    won = DealWon(1, rep.id or 0, "east", "Acme", Decimal(10), "CNY")
    keys = []
    for minute in (0, 5):
        run = FakeUnitOfWork()
        run.events.append(won)
        queue_notifications(run, SETTINGS, NOW + timedelta(minutes=minute))
        keys.append([m.dedupe_key for m in run.messages])
    assert keys[0] == keys[1] == ["deal-won:1:cmanagers"]
