"""Reminders: set in the future, done or snoozed only by their owner, queued when due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.model.reminders import MAX_TEXT, Reminder, ReminderStatus
from domain.model.users import Role, User
from domain.reminders import add_reminder, complete_reminder, queue_due_reminders, snooze_reminder
from tests.unit.fakes import NOW, FakeUnitOfWork, add_person

IN_AN_HOUR = NOW + timedelta(hours=1)


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


def _reminder(uow: FakeUnitOfWork, user: User, due: timedelta = timedelta(hours=1),
              text: str = "call Li") -> Reminder:
    return add_reminder(uow, user, None, NOW + due, text, NOW)


def test_reminder_is_stored_for_the_actor(uow: FakeUnitOfWork, rep: User) -> None:
    reminder = _reminder(uow, rep)
    assert uow.reminders.get(reminder.id or 0) is reminder
    assert (reminder.user_id, reminder.due_at, reminder.status) == (rep.id, IN_AN_HOUR,
                                                                    ReminderStatus.OPEN)
    assert reminder.ref_number is None


@pytest.mark.parametrize("due", [timedelta(0), timedelta(minutes=-5)])
def test_reminder_now_or_in_the_past_is_refused(
    uow: FakeUnitOfWork, rep: User, due: timedelta
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _reminder(uow, rep, due)
    assert caught.value.key == "reminder.in_past"
    assert uow.stored(Reminder) == []


def test_reminder_needs_text(uow: FakeUnitOfWork, rep: User) -> None:
    with pytest.raises(InvalidInput) as caught:
        _reminder(uow, rep, text=" ")
    assert caught.value.key == "reminder.no_text"


def test_long_reminder_text_is_shortened(uow: FakeUnitOfWork, rep: User) -> None:
    reminder = _reminder(uow, rep, text="x" * (MAX_TEXT + 50))
    assert len(reminder.text) == MAX_TEXT
    assert reminder.text.endswith("…")


def test_owner_completes_a_reminder(uow: FakeUnitOfWork, rep: User) -> None:
    reminder = _reminder(uow, rep)
    complete_reminder(uow, rep, reminder.id or 0, NOW)
    assert (reminder.status, reminder.done_at) == (ReminderStatus.DONE, NOW)


def test_reminder_done_twice_is_refused(uow: FakeUnitOfWork, rep: User) -> None:
    reminder = _reminder(uow, rep)
    complete_reminder(uow, rep, reminder.id or 0, NOW)
    with pytest.raises(Conflict) as caught:
        complete_reminder(uow, rep, reminder.id or 0, IN_AN_HOUR)
    assert caught.value.key == "reminder.done_already"
    assert reminder.done_at == NOW


def test_someone_else_cannot_complete_or_snooze_my_reminder(
    uow: FakeUnitOfWork, rep: User
) -> None:
    reminder = _reminder(uow, rep)
    for other in (add_person(uow, "rep2", Role.REP, "east"),
                  add_person(uow, "mgr", Role.MANAGER, "east"),
                  add_person(uow, "boss", Role.ADMIN, None)):
        with pytest.raises(Forbidden):
            complete_reminder(uow, other, reminder.id or 0, NOW)
        with pytest.raises(Forbidden):
            snooze_reminder(uow, other, reminder.id or 0, NOW + timedelta(days=1), NOW)
    assert (reminder.status, reminder.due_at) == (ReminderStatus.OPEN, IN_AN_HOUR)


def test_unknown_reminder_is_not_found(uow: FakeUnitOfWork, rep: User) -> None:
    with pytest.raises(NotFound) as caught:
        complete_reminder(uow, rep, 77, NOW)
    assert caught.value.params == {"ref": "R-77"}


def test_snooze_moves_the_reminder_and_lets_it_be_sent_again(
    uow: FakeUnitOfWork, rep: User
) -> None:
    reminder = _reminder(uow, rep)
    reminder.notified_at = IN_AN_HOUR
    tomorrow = NOW + timedelta(days=1)
    snooze_reminder(uow, rep, reminder.id or 0, tomorrow, IN_AN_HOUR)
    assert (reminder.due_at, reminder.notified_at) == (tomorrow, None)


def test_snooze_into_the_past_is_refused(uow: FakeUnitOfWork, rep: User) -> None:
    reminder = _reminder(uow, rep)
    with pytest.raises(InvalidInput) as caught:
        snooze_reminder(uow, rep, reminder.id or 0, NOW, NOW)
    assert caught.value.key == "reminder.in_past"
    assert reminder.due_at == IN_AN_HOUR


def test_done_reminder_cannot_be_snoozed(uow: FakeUnitOfWork, rep: User) -> None:
    reminder = _reminder(uow, rep)
    complete_reminder(uow, rep, reminder.id or 0, NOW)
    with pytest.raises(Conflict):
        snooze_reminder(uow, rep, reminder.id or 0, NOW + timedelta(days=1), NOW)


def test_due_reminders_are_queued_once(uow: FakeUnitOfWork, rep: User) -> None:
    due = _reminder(uow, rep, timedelta(minutes=30), "call Li")
    _reminder(uow, rep, timedelta(hours=5), "later")
    at = NOW + timedelta(minutes=31)
    assert queue_due_reminders(uow, at) == 1
    [message] = uow.messages
    assert (message.recipient_kind, message.recipient, message.key) == (
        "user", str(rep.id), "notify.reminder_due")
    assert message.params["reminder"] == due.number
    assert message.params["text"] == "call Li"
    assert due.notified_at == at
    assert queue_due_reminders(uow, at + timedelta(minutes=1)) == 0
    assert len(uow.messages) == 1


def test_snoozed_reminder_is_queued_again_at_its_new_time(
    uow: FakeUnitOfWork, rep: User
) -> None:
    reminder = _reminder(uow, rep, timedelta(minutes=30))
    first = NOW + timedelta(minutes=31)
    queue_due_reminders(uow, first)
    snooze_reminder(uow, rep, reminder.id or 0, first + timedelta(hours=1), first)
    assert queue_due_reminders(uow, first + timedelta(hours=1)) == 1
    assert len({m.dedupe_key for m in uow.messages}) == 2


def test_done_reminder_is_not_queued(uow: FakeUnitOfWork, rep: User) -> None:
    reminder = _reminder(uow, rep, timedelta(minutes=30))
    complete_reminder(uow, rep, reminder.id or 0, NOW)
    assert queue_due_reminders(uow, NOW + timedelta(hours=1)) == 0
    assert uow.messages == []
