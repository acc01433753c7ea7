"""The price list and the stock with the in-memory unit of work: products, receipts, free
stock checked when an order is signed, stock taken out by deliveries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.deliveries import record_delivery
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.events import StockShort
from domain.model.deliveries import DeliveryInput
from domain.model.products import Product, StockMoveKind, clean_sku
from domain.model.quotes import LineInput
from domain.model.users import Role, User
from domain.money import Money
from domain.notifications import queue_notifications
from domain.orders import accept_quote
from domain.products import (
    ProductRow,
    add_product,
    edit_product,
    import_products,
    order_shortages,
    receive_stock,
)
from domain.quotes import draft_quote
from domain.settings import Settings
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_deal


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP)


@pytest.fixture
def keeper(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "fin", Role.FINANCE, None)


def _product(uow: FakeUnitOfWork, keeper: User, sku: str = "SRV-1", stock: str = "5",
             **extra: object) -> Product:
    return add_product(uow, keeper, sku, "Cloud Server", Money(Decimal(4800), "CNY"), NOW,
                       stock=Decimal(stock), **extra)  # type: ignore[arg-type]


def _order(uow: FakeUnitOfWork, rep: User, *lines: tuple[str, Product | str]) -> int:
    deal = given_deal(uow, rep)
    inputs = [LineInput(Decimal(qty), f"{p.sku} {p.name}" if isinstance(p, Product) else p,
                        Money(Decimal(100), "CNY"),
                        product_id=p.id if isinstance(p, Product) else None)
              for qty, p in lines]
    quote = draft_quote(uow, rep, deal.id or 0, inputs, Settings(), NOW, TODAY)
    return accept_quote(uow, rep, quote.id or 0, Settings(), NOW, TODAY, plan="100").id or 0


@pytest.mark.parametrize(("typed", "stored"), [("srv-1", "SRV-1"), (" ＳＲＶ－１ ", "SRV-1"),
                                                ("a.b/c_d", "A.B/C_D")])
def test_a_sku_is_stored_upper_case_and_width_folded(typed: str, stored: str) -> None:
    assert clean_sku(typed) == stored


@pytest.mark.parametrize(("typed", "key"), [("D-1", "product.sku_is_ref"),
                                             ("INV-2026-1", "product.sku_is_ref"),
                                             ("two words", "product.bad_sku"),
                                             ("", "product.bad_sku")])
def test_a_sku_that_reads_as_a_reference_or_is_malformed_is_refused(typed: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_sku(typed)
    assert caught.value.key == key


def test_a_new_product_opens_its_stock_with_a_receipt(uow: FakeUnitOfWork, keeper: User) -> None:
    product = _product(uow, keeper, stock="20")
    assert product.on_hand == Decimal(20)
    [move] = uow.products.stock_moves
    assert (move.kind, move.quantity, move.product_id) == (StockMoveKind.RECEIPT, Decimal(20),
                                                           product.id)


def test_the_same_sku_twice_is_refused(uow: FakeUnitOfWork, keeper: User) -> None:
    _product(uow, keeper)
    with pytest.raises(Conflict) as caught:
        _product(uow, keeper, sku="srv-1")
    assert caught.value.key == "product.exists"


def test_a_rep_may_not_keep_the_price_list(uow: FakeUnitOfWork, rep: User) -> None:
    with pytest.raises(Forbidden):
        _product(uow, rep)
    assert uow.products.all() == []


def test_receiving_and_correcting_move_the_stock_never_below_zero(
        uow: FakeUnitOfWork, keeper: User) -> None:
    _product(uow, keeper, stock="5")
    assert receive_stock(uow, keeper, "srv-1", Decimal(50), NOW, "container").on_hand == 55
    assert receive_stock(uow, keeper, "SRV-1", Decimal(-5), NOW).on_hand == 50
    with pytest.raises(Conflict) as caught:
        receive_stock(uow, keeper, "SRV-1", Decimal(-51), NOW)
    assert caught.value.key == "stock.below_zero"
    assert [m.kind for m in uow.products.stock_moves] == ["receipt", "receipt", "correction"]
    assert uow.products.locks[-1] == [1]


def test_an_order_beyond_the_free_stock_is_short_and_finance_and_ops_are_told(
        uow: FakeUnitOfWork, keeper: User, rep: User) -> None:
    server = _product(uow, keeper, stock="10")
    _order(uow, rep, ("6", server))  # holds 6 of the 10
    uow.events.clear()
    second = _order(uow, rep, ("7", server), ("1", "Cable"))
    order = uow.orders.get(second)
    assert order is not None
    [short] = order_shortages(uow, order)
    assert (short.sku, short.wanted, short.free) == ("SRV-1", Decimal(7), Decimal(4))
    assert [e for e in uow.events if isinstance(e, StockShort)][0].items == (
        ("SRV-1", "Cloud Server", Decimal(7), Decimal(4)),)
    queue_notifications(uow, Settings(stock_channel="warehouse"), NOW)
    told = {(m.recipient_kind, m.recipient) for m in uow.outbox
            if m.key == "notify.stock_short"}
    assert told == {("channel", "finance"), ("channel", "warehouse"), ("user", str(rep.id))}


def test_an_order_within_the_free_stock_is_not_short(
        uow: FakeUnitOfWork, keeper: User, rep: User) -> None:
    server = _product(uow, keeper, stock="10")
    _order(uow, rep, ("10", server))
    assert not [e for e in uow.events if isinstance(e, StockShort)]


def test_a_delivery_takes_the_stock_out_and_refuses_to_go_below_zero(
        uow: FakeUnitOfWork, keeper: User, rep: User) -> None:
    server = _product(uow, keeper, stock="4")
    order_id = _order(uow, rep, ("6", server), ("1", "Cable"))
    record_delivery(uow, keeper, order_id, [DeliveryInput("Cloud", Decimal(3))], NOW, TODAY)
    assert server.on_hand == Decimal(1)
    assert uow.products.stock_moves[-1].quantity == Decimal(-3)
    assert uow.products.stock_moves[-1].order_id == order_id
    with pytest.raises(Conflict) as caught:
        record_delivery(uow, keeper, order_id, [DeliveryInput("Cloud", Decimal(2))], NOW, TODAY)
    assert caught.value.key == "stock.not_enough"
    assert caught.value.params["on_hand"] == "1"


def test_backorders_allowed_let_the_stock_go_below_zero(
        uow: FakeUnitOfWork, keeper: User, rep: User) -> None:
    server = _product(uow, keeper, stock="1")
    order_id = _order(uow, rep, ("3", server))
    record_delivery(uow, keeper, order_id, None, NOW, TODAY, allow_backorder=True)
    assert server.on_hand == Decimal(-2)


def test_a_product_whose_stock_is_not_kept_is_never_short_nor_taken_out(
        uow: FakeUnitOfWork, keeper: User, rep: User) -> None:
    service = _product(uow, keeper, sku="INS-1", stock="0", stocked=False)
    order_id = _order(uow, rep, ("5", service))
    assert not [e for e in uow.events if isinstance(e, StockShort)]
    record_delivery(uow, keeper, order_id, None, NOW, TODAY)
    assert service.on_hand == 0
    assert uow.products.low(10) == []
    with pytest.raises(Conflict) as caught:
        receive_stock(uow, keeper, "INS-1", Decimal(1), NOW)
    assert caught.value.key == "product.not_stocked"


def test_low_stock_lists_free_stock_at_or_below_the_minimum(
        uow: FakeUnitOfWork, keeper: User, rep: User) -> None:
    server = _product(uow, keeper, stock="10", min_stock=Decimal(3))
    _product(uow, keeper, sku="RACK-1", stock="50", min_stock=Decimal(3))
    _order(uow, rep, ("8", server))
    assert [(p.sku, free) for p, free in uow.products.low(10)] == [("SRV-1", Decimal(2))]


def test_editing_a_product_reports_what_changed(uow: FakeUnitOfWork, keeper: User) -> None:
    _product(uow, keeper)
    product, changes = edit_product(uow, keeper, "SRV-1",
                                    {"price": Money(Decimal(4500), "CNY"), "tax": Decimal(13),
                                     "name": "Cloud Server"})
    assert product.price == 4500 and product.tax_pct == 13
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("price", Decimal(4800), Decimal(4500)), ("tax", None, Decimal(13))]
    with pytest.raises(InvalidInput) as caught:
        edit_product(uow, keeper, "SRV-1", {"price": Money(Decimal(1), "USD")})
    assert caught.value.key == "product.currency_mismatch"


def test_an_import_adds_new_skus_updates_known_ones_and_names_bad_rows(
        uow: FakeUnitOfWork, keeper: User) -> None:
    _product(uow, keeper, stock="5")
    price = Money(Decimal(10), "CNY")
    result = import_products(uow, [
        ProductRow(2, "SRV-1", "Cloud Server II", Money(Decimal(4700), "CNY"),
                   stock=Decimal(99)),
        ProductRow(3, "CBL-1", "Cable", price, unit="m", tax=Decimal(13), stock=Decimal(100)),
        ProductRow(4, "cbl-1", "Cable again", price),
        ProductRow(5, "NEW-2", "No price", None),
    ], NOW)
    assert (result.added, result.updated) == (["CBL-1"], ["SRV-1"])
    assert [(line, e.key) for line, e in result.errors] == [(4, "product.import_twice"),
                                                            (5, "product.import_no_price")]
    server = uow.products.by_sku("SRV-1")
    assert server is not None and server.name == "Cloud Server II" and server.price == 4700
    assert server.on_hand == 5  # stock of a known product moves through /stock only
    cable = uow.products.by_sku("CBL-1")
    assert cable is not None and cable.on_hand == 100 and cable.unit == "m"


def test_a_delivery_names_a_product_line_by_its_sku_even_when_another_starts_alike(
        uow: FakeUnitOfWork, keeper: User, rep: User) -> None:
    one = _product(uow, keeper, sku="PRD-1", stock="10")
    ten = _product(uow, keeper, sku="PRD-10", stock="10")
    order_id = _order(uow, rep, ("2", one), ("3", ten))
    record_delivery(uow, keeper, order_id, [DeliveryInput("prd-1", Decimal(2))], NOW, TODAY)
    assert (one.on_hand, ten.on_hand) == (Decimal(8), Decimal(10))
