"""Activities: logging calls and visits on a record, with a follow-up when asked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.activities import log_activity
from domain.errors import InvalidInput
from domain.leads import NewLead, create_lead
from domain.model.activities import Activity, ActivityKind, parse_kind
from domain.model.reminders import Reminder
from domain.model.users import Role, User
from domain.settings import Settings
from domain.subjects import resolve_subject
from domain.vocabulary import Choices
from tests.unit.fakes import NOW, FakeUnitOfWork, add_person, given_deal

LATER = NOW + timedelta(hours=2)
TOMORROW = NOW + timedelta(days=1)


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


@pytest.mark.parametrize(
    ("text", "kind"),
    [("call", ActivityKind.CALL), ("Visit", ActivityKind.VISIT), ("电话", ActivityKind.CALL),
     ("拜访", ActivityKind.VISIT), ("微信", ActivityKind.WECHAT), (" note ", ActivityKind.NOTE)],
)
def test_parse_kind_reads_english_and_chinese(text: str, kind: ActivityKind) -> None:
    assert parse_kind(text) is kind


def test_parse_kind_refuses_an_unknown_kind() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_kind("fax")
    assert caught.value.key == "activity.bad_kind"
    assert caught.value.params["kinds"] == Choices(
        "kind", ("call", "meeting", "visit", "email", "wechat", "note"))


def test_activity_on_a_deal_updates_its_last_activity(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    subject = resolve_subject(uow, rep, "deal", deal.id or 0)
    activity, reminder = log_activity(uow, rep, subject, ActivityKind.CALL, " talked price ",
                                      LATER)
    assert reminder is None
    assert uow.stored(Activity) == [activity]
    assert (activity.kind, activity.text, activity.user_id, activity.at) == (
        ActivityKind.CALL, "talked price", rep.id, LATER)
    assert (activity.ref_kind, activity.ref_id, activity.deal_id, activity.customer_id) == (
        "deal", deal.id, deal.id, deal.customer_id)
    assert deal.last_activity_at == LATER
    assert deal.next_step is None
    assert uow.stored(Reminder) == []


def test_activity_with_next_sets_a_reminder_and_the_next_step(
    uow: FakeUnitOfWork, rep: User
) -> None:
    deal = given_deal(uow, rep)
    subject = resolve_subject(uow, rep, "deal", deal.id or 0)
    _, reminder = log_activity(uow, rep, subject, ActivityKind.VISIT, "send the draft contract",
                               LATER, next_at=TOMORROW)
    assert reminder is not None
    assert uow.stored(Reminder) == [reminder]
    assert (reminder.user_id, reminder.due_at, reminder.text) == (rep.id, TOMORROW,
                                                                  "send the draft contract")
    assert (reminder.ref_kind, reminder.ref_id, reminder.ref_number) == (
        "deal", deal.id, deal.number)
    assert reminder.number == "R-1"
    assert deal.next_step == "send the draft contract"
    assert deal.last_activity_at == LATER


def test_activity_with_next_in_the_past_is_refused(uow: FakeUnitOfWork, rep: User) -> None:
    deal = given_deal(uow, rep)
    subject = resolve_subject(uow, rep, "deal", deal.id or 0)
    with pytest.raises(InvalidInput) as caught:
        log_activity(uow, rep, subject, ActivityKind.CALL, "call back", LATER,
                     next_at=LATER - timedelta(minutes=1))
    assert caught.value.key == "reminder.in_past"
    assert uow.stored(Reminder) == []


def test_activity_on_a_lead_links_the_lead(uow: FakeUnitOfWork, rep: User) -> None:
    lead, _ = create_lead(uow, rep, NewLead("Acme"), Settings(), NOW)
    subject = resolve_subject(uow, rep, "lead", lead.id or 0)
    activity, _ = log_activity(uow, rep, subject, ActivityKind.EMAIL, "sent brochure", LATER)
    assert (activity.ref_kind, activity.lead_id, activity.deal_id) == ("lead", lead.id, None)


@pytest.mark.parametrize(("text", "key"), [("   ", "activity.no_text"),
                                           ("x" * 2001, "field.too_long")])
def test_activity_text_must_be_given_and_not_too_long(
    uow: FakeUnitOfWork, rep: User, text: str, key: str
) -> None:
    deal = given_deal(uow, rep)
    subject = resolve_subject(uow, rep, "deal", deal.id or 0)
    with pytest.raises(InvalidInput) as caught:
        log_activity(uow, rep, subject, ActivityKind.NOTE, text, LATER)
    assert caught.value.key == key
    assert uow.stored(Activity) == []
    assert deal.last_activity_at == NOW
