"""Satisfaction (NPS): the question sent when an order is fully delivered, the customer's
answer, and answers a rep writes down from a phone call."""

from __future__ import annotations

from datetime import datetime

from domain.errors import Forbidden, NotFound
from domain.events import SurveyAnswered, SurveyRequested
from domain.model.orders import Order
from domain.model.satisfaction import Survey, checked_comment
from domain.model.users import Role, User
from domain.records import readable
from domain.unit_of_work import UnitOfWork


def ask_after_delivery(uow: UnitOfWork, order: Order, now: datetime) -> list[Survey]:
    """An order fully delivered: each contact of its customer with a chat account is asked
    once about it."""
    if not order.fully_delivered:
        return []
    asked: list[Survey] = []
    for contact in uow.users.of_customer(order.customer_id):
        if uow.surveys.of_order(order.id or 0, contact.id or 0) is not None:
            continue
        survey = Survey(customer_id=order.customer_id, asked_at=now, order_id=order.id,
                        user_id=contact.id)
        uow.surveys.add(survey)
        uow.flush()
        uow.events.append(SurveyRequested(survey.id or 0, order.id or 0, contact.id or 0))
        asked.append(survey)
    return asked


def _answered(uow: UnitOfWork, survey: Survey) -> None:
    customer = uow.customers.get(survey.customer_id)
    assert customer is not None and survey.score is not None
    uow.events.append(SurveyAnswered(survey.id or 0, survey.customer_id, customer.name,
                                     customer.owner_id, survey.score, survey.comment,
                                     survey.source))


def answer_survey(uow: UnitOfWork, actor: User, order_id: int, score: int,
                  comment: str | None, now: datetime) -> Survey:
    """The customer's own answer about one of its orders."""
    if not actor.is_customer:
        raise Forbidden("access.role", role=actor.role.value, allowed=Role.CUSTOMER.value)
    order = uow.orders.get(order_id)
    survey = uow.surveys.of_order(order_id, actor.id or 0) if order else None
    if order is None or not actor.owns_documents_of(order.customer_id) or survey is None:
        raise NotFound("nps.no_survey", ref=f"O-{order_id}")
    if survey.answer(score, checked_comment(comment), now):
        _answered(uow, survey)
    return survey


def comment_latest(uow: UnitOfWork, actor: User, text: str, now: datetime) -> Survey | None:
    """A customer's plain words after scoring: the comment of the survey answered last
    (within a day); None when there is none to comment on."""
    survey = uow.surveys.latest_of_user(actor.id or 0)
    if survey is None or survey.answered_at is None \
            or (now - survey.answered_at).total_seconds() > 86400:
        return None
    survey.add_comment(text)
    return survey


def record_answer(uow: UnitOfWork, actor: User, customer_id: int, score: int,
                  comment: str | None, now: datetime) -> Survey:
    """A rep writes down the score a customer gave on the phone."""
    actor.require(Role.REP, Role.MANAGER)
    readable(uow, actor, "customer", customer_id)
    survey = Survey(customer_id=customer_id, asked_at=now, source="phone", score=score,
                    comment=checked_comment(comment), answered_at=now, recorded_by=actor.id)
    uow.surveys.add(survey)
    uow.flush()
    _answered(uow, survey)
    return survey
