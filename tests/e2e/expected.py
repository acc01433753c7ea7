"""Expected values worked out here, independently of the code under test."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")
FRIDAY = 4
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ZH_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def today_in(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def next_weekday(now: datetime, timezone: str, weekday: int) -> date:
    """The next such weekday strictly after today in `timezone`."""
    today = today_in(now, timezone)
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def at_nine(day: date, timezone: str) -> datetime:
    """09:00 on `day` in `timezone`, the time a reminder without a time gets."""
    return datetime.combine(day, time(9), tzinfo=ZoneInfo(timezone))


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def quote_total(quantity: int, price: Decimal, discount_pct: Decimal, tax_pct: Decimal) -> Decimal:
    subtotal = quantity * price
    net = subtotal - cents(subtotal * discount_pct / 100)
    return net + cents(net * tax_pct / 100)


def plan_amounts(total: Decimal, percents: list[int]) -> list[Decimal]:
    """Each installment rounded to the cent; the last takes what is left."""
    parts = [cents(total * pct / 100) for pct in percents[:-1]]
    return [*parts, total - sum(parts)]


def en_money(amount: Decimal) -> str:
    return f"CN¥{amount:,.2f}"


def zh_money(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def en_date(day: date) -> str:
    return f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}"


def en_weekday_date(day: date) -> str:
    return f"{EN_WEEKDAYS[day.weekday()]}, {en_date(day)}"


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def amounts_in(text: str, symbol: str) -> list[Decimal]:
    """Every amount written with this currency symbol ("CN¥" or "¥") in `text`."""
    guard = "(?<![A-Z])" if symbol == "¥" else ""
    return [Decimal(m.replace(",", ""))
            for m in re.findall(guard + re.escape(symbol) + r"([\d,]+\.\d{2})", text)]
