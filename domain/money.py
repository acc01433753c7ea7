"""Money: a Decimal amount with its ISO 4217 currency, rounded per currency in one place."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import Conflict, InvalidInput

# Currencies whose minor unit is not 2 decimals (ISO 4217).
_MINOR_UNITS = {
    "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
}
KNOWN_CURRENCIES = frozenset(
    {"CNY", "USD", "EUR", "GBP", "HKD", "TWD", "SGD", "AUD", "CAD", "CHF", "NZD", "INR",
     "THB", "MYR", "IDR", "PHP", "RUB", "BRL", "MXN", "ZAR", "SEK", "NOK", "DKK", "PLN",
     "AED", "SAR", "TRY"} | set(_MINOR_UNITS)
)


def minor_units(currency: str) -> int:
    """Number of decimals the currency is kept to."""
    return _MINOR_UNITS.get(currency, 2)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round an amount to the currency's minor unit, half up."""
    exponent = Decimal(1).scaleb(-minor_units(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def check_currency(code: str) -> str:
    """Return the upper-cased code if it is a known ISO 4217 currency."""
    code = code.strip().upper()
    if code not in KNOWN_CURRENCIES:
        raise InvalidInput("money.unknown_currency", currency=code)
    return code


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount of one currency; arithmetic refuses to mix currencies."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")
        object.__setattr__(self, "amount", quantize(self.amount, self.currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise Conflict("money.currency_mismatch", left=self.currency, right=other.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * Decimal(factor), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def percent(self, pct: Decimal) -> Money:
        """`pct` percent of this amount, rounded to the currency."""
        return Money(self.amount * pct / Decimal(100), self.currency)

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"
