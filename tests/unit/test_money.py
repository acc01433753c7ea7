"""Money: exact Decimal amounts, rounded per currency, never mixing currencies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import Conflict, InvalidInput
from domain.money import Money, check_currency, minor_units, quantize


def test_cny_amount_is_rounded_half_up_to_two_decimals() -> None:
    assert Money(Decimal("1.005"), "CNY").amount == Decimal("1.01")
    assert Money(Decimal("2.675"), "CNY").amount == Decimal("2.68")  # a float would say 2.67
    assert Money(Decimal("2.674"), "CNY").amount == Decimal("2.67")


def test_jpy_amount_has_no_decimals() -> None:
    yen = Money(Decimal("100.5"), "JPY")
    assert yen.amount == Decimal("101")
    assert str(yen) == "JPY 101"
    assert minor_units("JPY") == 0


def test_three_decimal_currency_keeps_three_decimals() -> None:
    assert Money(Decimal("1.2345"), "KWD").amount == Decimal("1.235")
    assert quantize(Decimal("1.2345"), "BHD") == Decimal("1.235")


def test_negative_amount_rounds_half_away_from_zero() -> None:
    assert Money(Decimal("-1.005"), "CNY").amount == Decimal("-1.01")


def test_float_amount_is_refused() -> None:
    with pytest.raises(TypeError):
        Money(1.1, "CNY")  # type: ignore[arg-type]


def test_addition_and_subtraction_are_exact() -> None:
    total = Money(Decimal("0.10"), "CNY") + Money(Decimal("0.20"), "CNY")
    assert total == Money(Decimal("0.30"), "CNY")
    assert total - Money(Decimal("0.30"), "CNY") == Money.zero("CNY")
    assert (total - Money(Decimal("0.30"), "CNY")).is_zero


def test_multiplying_rounds_to_the_currency() -> None:
    assert (Money(Decimal("19.99"), "CNY") * 3).amount == Decimal("59.97")
    assert (Money(Decimal("33.33"), "CNY") * Decimal("0.5")).amount == Decimal("16.67")


@pytest.mark.parametrize("operation", ["add", "sub", "lt", "le"])
def test_mixing_currencies_is_refused(operation: str) -> None:
    cny, usd = Money(Decimal(1), "CNY"), Money(Decimal(1), "USD")
    with pytest.raises(Conflict) as caught:
        if operation == "add":
            cny + usd
        elif operation == "sub":
            cny - usd
        elif operation == "lt":
            _ = cny < usd
        else:
            _ = cny <= usd
    assert caught.value.key == "money.currency_mismatch"
    assert caught.value.params == {"left": "CNY", "right": "USD"}


def test_comparison_within_one_currency() -> None:
    assert Money(Decimal("9.99"), "CNY") < Money(Decimal(10), "CNY")
    assert Money(Decimal(10), "CNY") <= Money(Decimal(10), "CNY")
    assert not Money(Decimal("10.01"), "CNY") <= Money(Decimal(10), "CNY")


def test_percent_is_rounded_to_the_currency() -> None:
    assert Money(Decimal("199.99"), "CNY").percent(Decimal(13)) == Money(Decimal("26.00"), "CNY")
    assert Money(Decimal("45359.98"), "CNY").percent(Decimal(13)).amount == Decimal("5896.80")
    assert Money(Decimal(1000), "JPY").percent(Decimal("8.5")).amount == Decimal("85")
    assert Money(Decimal(999), "JPY").percent(Decimal(10)).amount == Decimal("100")


def test_negation_keeps_the_currency() -> None:
    assert -Money(Decimal("5.50"), "USD") == Money(Decimal("-5.50"), "USD")


def test_known_currency_code_is_upper_cased() -> None:
    assert check_currency(" usd ") == "USD"
    assert check_currency("jpy") == "JPY"


def test_unknown_currency_code_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_currency("xyz")
    assert caught.value.key == "money.unknown_currency"
    assert caught.value.params == {"currency": "XYZ"}
