"""Amounts of money, quantities and percentages as people type them: 50,000 / 50k / 5万 /
1.5亿 / ¥50,000 / USD 5000 / 12.5万元; 2, 1.5, 1,000; 20, 20%, 20％.

Each function returns a typed value or raises `InvalidInput(key, value=<the text>)`, so the
reply can quote the text back and say how to write it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from domain.errors import InvalidInput
from domain.money import Money, check_currency, quantize
from domain.names import to_simplified
from handlers.command_line import fold_width

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"^(?:{_NUMBER})$")


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


def parse_quantity(text: str) -> Decimal:
    """A positive quantity: "2", "1.5", "1,000"."""
    cleaned = fold_width(text).strip()
    if not _NUMBER_RE.match(cleaned):
        raise InvalidInput("parse.quantity", value=text)
    value = _decimal(cleaned)
    if value <= 0:
        raise InvalidInput("parse.quantity", value=text)
    return value


_PERCENT_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*%?$")


def parse_percent(text: str) -> Decimal:
    """A percentage from 0 to 100: "20", "20%", "12.5", "20％"."""
    match = _PERCENT_RE.match(fold_width(text).strip())
    if match is None:
        raise InvalidInput("parse.percent", value=text)
    value = Decimal(match.group("num"))
    if value > 100:
        raise InvalidInput("parse.percent", value=text)
    return value


# Symbols and words written before the number ("¥" is resolved against the default currency).
_PREFIX_CURRENCY = {
    "US$": "USD", "HK$": "HKD", "NT$": "TWD", "NZ$": "NZD", "S$": "SGD", "A$": "AUD",
    "C$": "CAD", "R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW",
    "¥": "¥", "RMB": "CNY",
}
# Words written after the number.
_SUFFIX_CURRENCY = {
    "块钱": "CNY", "元": "CNY", "块": "CNY", "人民币": "CNY", "RMB": "CNY", "美元": "USD",
    "欧元": "EUR", "英镑": "GBP", "港币": "HKD", "港元": "HKD", "日元": "JPY",
}
_MULTIPLIERS = {
    "K": Decimal(10) ** 3, "M": Decimal(10) ** 6, "MN": Decimal(10) ** 6,
    "B": Decimal(10) ** 9, "BN": Decimal(10) ** 9, "W": Decimal(10) ** 4,
    "百": Decimal(10) ** 2, "千": Decimal(10) ** 3, "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8,
    "百万": Decimal(10) ** 6, "千万": Decimal(10) ** 7, "百亿": Decimal(10) ** 10,
    "千亿": Decimal(10) ** 11, "万亿": Decimal(10) ** 12,
}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation trying longer words first."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered)


_AMOUNT_RE = re.compile(
    rf"^(?:(?P<pre>{_alternation(_PREFIX_CURRENCY)}|[A-Z]{{3}})\s*)?"
    rf"(?P<num>{_NUMBER})\s*"
    rf"(?P<mult>{_alternation(_MULTIPLIERS)})?\s*"
    rf"(?P<suf>{_alternation(_SUFFIX_CURRENCY)}|[A-Z]{{3}})?$"
)


def _currency_word(word: str, table: dict[str, str], default_currency: str) -> str:
    code = table.get(word, word)
    if code == "¥":
        # The yen/yuan sign: JPY for a yen company, otherwise Chinese yuan.
        return "JPY" if default_currency == "JPY" else "CNY"
    return check_currency(code)


def parse_amount(text: str, default_currency: str) -> Money:
    """An amount of money: 50,000 / 50k / 1.2m / 5万 / 1.5亿 / ¥50,000 / USD 5000 / 12.5万元.

    Without a currency the amount is in `default_currency`. The value is exact: an amount
    with more decimals than its currency keeps (12.345 USD) is refused, not rounded.
    """
    cleaned = to_simplified(fold_width(text)).strip().upper()  # 5萬 is 5万
    match = _AMOUNT_RE.match(cleaned)
    if match is None:
        raise InvalidInput("parse.amount", value=text)
    default = check_currency(default_currency)
    pre, suf = match.group("pre"), match.group("suf")
    currencies = {
        _currency_word(word, table, default)
        for word, table in ((pre, _PREFIX_CURRENCY), (suf, _SUFFIX_CURRENCY))
        if word is not None
    }
    if len(currencies) > 1:
        raise InvalidInput("parse.amount", value=text)
    currency = currencies.pop() if currencies else default
    value = _decimal(match.group("num"))
    if match.group("mult"):
        value *= _MULTIPLIERS[match.group("mult")]
    try:
        exact = quantize(value, currency) == value
    except InvalidOperation:
        exact = False
    if not exact:
        raise InvalidInput("parse.amount", value=text)
    return Money(value, currency)
