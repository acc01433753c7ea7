"""Subjects: what an activity or reminder points at, loaded only for those who may read it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import Forbidden, InvalidInput, NotFound
from domain.model.quotes import LineInput
from domain.model.users import Role
from domain.money import Money
from domain.quotes import draft_quote
from domain.settings import Settings
from domain.subjects import resolve_subject
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_deal


def test_deal_subject_carries_its_customer_and_owner() -> None:
    uow = FakeUnitOfWork()
    rep = add_person(uow, "rep", Role.REP, "east")
    deal = given_deal(uow, rep, title="Acme servers")
    subject = resolve_subject(uow, rep, "deal", deal.id or 0)
    assert (subject.number, subject.title, subject.owner_id, subject.team) == (
        deal.number, "Acme servers", rep.id, "east")
    assert (subject.customer_id, subject.deal_id) == (deal.customer_id, deal.id)


def test_quote_subject_points_at_its_deal() -> None:
    uow = FakeUnitOfWork()
    rep = add_person(uow, "rep", Role.REP, "east")
    deal = given_deal(uow, rep)
    quote = draft_quote(uow, rep, deal.id or 0,
                        [LineInput(Decimal(1), "Server", Money(Decimal(100), "CNY"))],
                        Settings(), NOW, TODAY)
    subject = resolve_subject(uow, rep, "quote", quote.id or 0)
    assert (subject.number, subject.deal_id, subject.customer_id) == (
        quote.number, deal.id, deal.customer_id)


def test_unknown_record_is_not_found() -> None:
    uow = FakeUnitOfWork()
    rep = add_person(uow, "rep", Role.REP, "east")
    with pytest.raises(NotFound) as caught:
        resolve_subject(uow, rep, "order", 9)
    assert caught.value.params == {"ref": "O-9"}


def test_rep_cannot_point_at_another_reps_record() -> None:
    uow = FakeUnitOfWork()
    rep = add_person(uow, "rep", Role.REP, "east")
    other = add_person(uow, "other", Role.REP, "west")
    deal = given_deal(uow, rep)
    with pytest.raises(Forbidden) as caught:
        resolve_subject(uow, other, "deal", deal.id or 0)
    assert caught.value.key == "access.not_yours"
    assert resolve_subject(uow, add_person(uow, "fin", Role.FINANCE, None), "deal",
                           deal.id or 0).id == deal.id


def test_unknown_kind_is_refused() -> None:
    uow = FakeUnitOfWork()
    rep = add_person(uow, "rep", Role.REP, "east")
    with pytest.raises(InvalidInput) as caught:
        resolve_subject(uow, rep, "invoice_line", 1)
    assert caught.value.key == "ref.wrong_kind"
