"""The fake unit of work behaves like the database where the domain tests rely on it."""

from __future__ import annotations

from datetime import timedelta

from domain.invoices import issue_invoice
from domain.model.customers import Customer
from domain.model.users import Role
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, as_unit_of_work, given_order


def _customer(name: str) -> Customer:
    return Customer(name=name, name_key=name.lower(), owner_id=1, team=None, created_at=NOW)


def test_ids_are_assigned_on_flush_in_order() -> None:
    uow = FakeUnitOfWork()
    first, second = _customer("Acme"), _customer("Globex")
    uow.customers.add(first)
    uow.customers.add(second)
    assert first.id is None
    uow.flush()
    assert (first.id, second.id) == (1, 2)


def test_reading_flushes_pending_records_first() -> None:
    uow = FakeUnitOfWork()
    acme = _customer("Acme")
    uow.customers.add(acme)
    assert uow.customers.by_name_key("acme") is acme
    assert acme.id == 1


def test_commit_is_marked_and_leaving_without_commit_is_not() -> None:
    uow = FakeUnitOfWork()
    with uow:
        add_person(uow, "li", Role.REP)
        uow.commit()
    assert uow.committed
    with uow:
        add_person(uow, "wang", Role.REP)
    assert not uow.committed


def test_delivery_is_seen_only_the_second_time() -> None:
    uow = as_unit_of_work(FakeUnitOfWork())
    assert not uow.deliveries.seen("telegram", "42")
    assert uow.deliveries.seen("telegram", "42")
    assert not uow.deliveries.seen("slack", "42")


def test_lines_and_installments_get_ids_with_their_order() -> None:
    uow = FakeUnitOfWork()
    order = given_order(uow, add_person(uow, "rep", Role.REP))
    assert [line.id for line in order.lines] == [1, 2]
    assert [part.id for part in order.installments] == [1, 2, 3]


def test_dunning_log_lists_invoices_due_long_enough_ago_and_keeps_marks() -> None:
    uow = FakeUnitOfWork()
    fin = add_person(uow, "fin", Role.FINANCE)
    order = given_order(uow, add_person(uow, "rep", Role.REP),
                        signed_on=TODAY - timedelta(days=30))
    invoice = issue_invoice(uow, fin, order.id or 0, NOW, TODAY,
                            issued_on=TODAY - timedelta(days=20),
                            due_on=TODAY - timedelta(days=10)).invoice
    dunning = as_unit_of_work(uow).dunning
    assert [i.number for i in dunning.open_invoices(TODAY, 10)] == [invoice.number]
    assert dunning.open_invoices(TODAY, 11) == []
    dunning.mark(invoice.id or 0, 1, TODAY)
    assert dunning.marks([invoice.id or 0]) == {(invoice.id, 1)}
