"""Satisfaction with the in-memory unit of work: the question after the last delivery, the
customer's answer and comment, a rep's answer from a call, the detractor alert."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.deliveries import record_delivery
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.model.deliveries import DeliveryInput
from domain.model.orders import Order
from domain.model.satisfaction import checked_score
from domain.model.users import Role, User
from domain.notifications import queue_notifications
from domain.satisfaction import answer_survey, comment_latest, record_answer
from domain.settings import Settings
from domain.users import add_user
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_order


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP)


@pytest.fixture
def order(uow: FakeUnitOfWork, rep: User) -> Order:
    return given_order(uow, rep)


def _contact(uow: FakeUnitOfWork, customer_id: int, name: str = "li") -> User:
    user = add_user(uow, name, Role.CUSTOMER, NOW, locale="zh_Hans_CN",
                    timezone="Asia/Shanghai", customer_id=customer_id)
    uow.flush()
    return user


def test_the_last_delivery_asks_each_linked_contact_once(
        uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    li = _contact(uow, order.customer_id)
    wang = _contact(uow, order.customer_id, "wang")
    record_delivery(uow, rep, order.id or 0, None, NOW, TODAY)
    queue_notifications(uow, Settings(company_name="Acme"), NOW)
    asked = [m for m in uow.outbox if m.key == "notify.nps_ask"]
    assert sorted(m.recipient for m in asked) == sorted([str(li.id), str(wang.id)])
    assert asked[0].params == {"order": order.number, "company": "Acme"}
    assert len(uow.surveys.all()) == 2


def test_a_partial_delivery_asks_nothing(uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    _contact(uow, order.customer_id)
    record_delivery(uow, rep, order.id or 0, [DeliveryInput("Server", Decimal(1))], NOW, TODAY)
    assert uow.surveys.all() == []


def test_the_customer_answers_and_a_detractor_alerts_the_owner(
        uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    li = _contact(uow, order.customer_id)
    record_delivery(uow, rep, order.id or 0, None, NOW, TODAY)
    queue_notifications(uow, Settings(), NOW)
    uow.outbox.clear()
    survey = answer_survey(uow, li, order.id or 0, 4, None, NOW)
    assert survey.score == 4 and survey.comment is None
    assert comment_latest(uow, li, "  late   delivery ", NOW + timedelta(minutes=5)) is survey
    assert survey.comment == "late delivery"
    queue_notifications(uow, Settings(), NOW)
    [alert] = [m for m in uow.outbox if m.key == "notify.nps_detractor"]
    assert alert.recipient == str(rep.id)
    assert alert.params["score"] == 4


def test_a_promoter_alerts_nobody(uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    li = _contact(uow, order.customer_id)
    record_delivery(uow, rep, order.id or 0, None, NOW, TODAY)
    queue_notifications(uow, Settings(), NOW)
    uow.outbox.clear()
    answer_survey(uow, li, order.id or 0, 9, "great", NOW)
    queue_notifications(uow, Settings(), NOW)
    assert [m.key for m in uow.outbox] == []


def test_a_contact_answers_only_about_its_own_orders(
        uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    other = given_order(uow, rep)
    stranger = _contact(uow, other.customer_id, "zhao")
    _contact(uow, order.customer_id)
    record_delivery(uow, rep, order.id or 0, None, NOW, TODAY)
    with pytest.raises(NotFound):
        answer_survey(uow, stranger, order.id or 0, 10, None, NOW)


def test_an_answer_may_be_changed_the_same_day_only(
        uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    li = _contact(uow, order.customer_id)
    record_delivery(uow, rep, order.id or 0, None, NOW, TODAY)
    answer_survey(uow, li, order.id or 0, 5, None, NOW)
    assert answer_survey(uow, li, order.id or 0, 7, None, NOW + timedelta(hours=2)).score == 7
    with pytest.raises(Conflict):
        answer_survey(uow, li, order.id or 0, 9, None, NOW + timedelta(days=2))


def test_words_without_a_recent_answer_are_no_comment(
        uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    li = _contact(uow, order.customer_id)
    assert comment_latest(uow, li, "hello", NOW) is None


@pytest.mark.parametrize("text", ["11", "-1", "7.5", "ten", ""])
def test_a_score_is_a_whole_number_from_0_to_10(text: str) -> None:
    with pytest.raises(InvalidInput):
        checked_score(text)


def test_a_rep_writes_down_an_answer_from_a_call(
        uow: FakeUnitOfWork, rep: User, order: Order) -> None:
    survey = record_answer(uow, rep, order.customer_id, 2, "no callback", NOW)
    assert (survey.source, survey.score, survey.recorded_by) == ("phone", 2, rep.id)
    queue_notifications(uow, Settings(), NOW)
    assert [m.key for m in uow.outbox] == ["notify.nps_detractor"]


def test_a_rep_may_not_answer_for_another_reps_customer(
        uow: FakeUnitOfWork, order: Order) -> None:
    other = add_person(uow, "other", Role.REP, "west")
    with pytest.raises(Forbidden):
        record_answer(uow, other, order.customer_id, 9, None, NOW)
    assert uow.surveys.all() == []
