"""Reading what was delivered: "4 x Server; 2 x #2", full-width and Chinese separators."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidInput
from domain.model.deliveries import DeliveryInput
from handlers.deliveries import parse_delivery_items


@pytest.mark.parametrize(("text", "expected"), [
    ("4 x Server", [("Server", "4")]),
    ("4x Server; 1.5 × Install", [("Server", "4"), ("Install", "1.5")]),
    ("2 x #1；3 ｘ 机架\n1 服务器", [("#1", "2"), ("机架", "3"), ("服务器", "1")]),
    ("1,000 x Cable", [("Cable", "1000")]),
])
def test_delivery_lines_are_read(text: str, expected: list[tuple[str, str]]) -> None:
    assert parse_delivery_items(text) == [DeliveryInput(item, Decimal(qty))
                                          for item, qty in expected]


@pytest.mark.parametrize(("text", "key"), [("Server", "delivery.bad_line"),
                                            ("x Server", "delivery.bad_line"),
                                            ("0 x Server", "parse.quantity")])
def test_unreadable_delivery_line_is_refused(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_delivery_items(text)
    assert caught.value.key == key
