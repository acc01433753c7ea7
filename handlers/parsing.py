"""The grammar of chat command text: commands, options, amounts, dates, times and references.

Every function here reads what a person typed in a chat and either returns a typed value or
raises `InvalidInput(key, value=<the text>, ...)`, so the reply can quote the text back and
say how to write it. Nothing here touches storage or time zones: callers pass the user's
`today` already computed in the user's own zone.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

import dateparser

from domain.errors import InvalidInput
from domain.money import Money, check_currency, quantize

MAX_TEXT = 4000


def check_length(text: str) -> None:
    """Refuse a message longer than MAX_TEXT characters."""
    if len(text) > MAX_TEXT:
        raise InvalidInput("parse.too_long", limit=MAX_TEXT)


def _nfkc(text: str) -> str:
    """Fold full-width digits, letters and signs (５, ＄, ％, ：) into their plain forms."""
    return unicodedata.normalize("NFKC", text)


# --------------------------------------------------------------------------- commands

_COMMAND_RE = re.compile(
    r"^\s*[/／](?P<name>[A-Za-z][A-Za-z0-9_]*)(?:@[A-Za-z0-9_]+)?(?:\s+(?P<rest>.*?))?\s*$",
    re.DOTALL,
)


def split_command(text: str) -> tuple[str, str] | None:
    """Split "/lead@bot Acme Ltd" into ("lead", "Acme Ltd"); None if not a slash command."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return None
    return match.group("name").lower(), (match.group("rest") or "").strip()


# --------------------------------------------------------------------------- tokens

# Opening quote -> closing quote.
_QUOTES = {'"': '"', "“": "”", "＂": "＂"}
_OPTION_RE = re.compile(r"^(?P<key>[A-Za-z_]+)[=＝]")


@dataclass(frozen=True)
class Args:
    """Command arguments: positional words, key=value options, and the text without options."""

    positional: list[str]
    options: dict[str, str]
    text: str

    def option(self, key: str) -> str | None:
        """The value of option `key` (any case), or None when it was not given."""
        return self.options.get(key.lower())


def _scan(text: str) -> list[tuple[str, str]]:
    """Split into (raw, unquoted) tokens on whitespace, keeping quoted runs together."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        plain: list[str] = []
        while i < n and not text[i].isspace():
            ch = text[i]
            closing = _QUOTES.get(ch)
            if closing is None:
                plain.append(ch)
                i += 1
                continue
            end = text.find(closing, i + 1)
            if end < 0:
                raise InvalidInput("parse.quote", value=text)
            plain.append(text[i + 1 : end])
            i = end + 1
        tokens.append((text[start:i], "".join(plain)))
    return tokens


def tokenize(text: str) -> Args:
    """Read `Acme "Big Deal" amount=5k note="call back"` into positional words and options."""
    positional: list[str] = []
    options: dict[str, str] = {}
    kept: list[str] = []
    for raw, plain in _scan(text):
        match = _OPTION_RE.match(raw)
        if match is not None:
            key = match.group("key")
            options[key.lower()] = plain[len(key) + 1 :]
        else:
            positional.append(plain)
            kept.append(raw)
    return Args(positional=positional, options=options, text=" ".join(kept))


# --------------------------------------------------------------------------- numbers

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"^(?:{_NUMBER})$")


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


def parse_quantity(text: str) -> Decimal:
    """A positive quantity: "2", "1.5", "1,000"."""
    cleaned = _nfkc(text).strip()
    if not _NUMBER_RE.match(cleaned):
        raise InvalidInput("parse.quantity", value=text)
    value = _decimal(cleaned)
    if value <= 0:
        raise InvalidInput("parse.quantity", value=text)
    return value


_PERCENT_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*%?$")


def parse_percent(text: str) -> Decimal:
    """A percentage from 0 to 100: "20", "20%", "12.5", "20％"."""
    match = _PERCENT_RE.match(_nfkc(text).strip())
    if match is None:
        raise InvalidInput("parse.percent", value=text)
    value = Decimal(match.group("num"))
    if value > 100:
        raise InvalidInput("parse.percent", value=text)
    return value


# --------------------------------------------------------------------------- amounts

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
    cleaned = _nfkc(text).strip().upper()
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


# --------------------------------------------------------------------------- dates

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
               "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
               "twelve": 12}
_ZH_NUMBER = "[0-9零〇一二两三四五六七八九十]+"


def _zh_int(word: str) -> int | None:
    """Read 3, 12, 三, 两, 十, 十二, 二十, 二十五 (up to 99); None otherwise."""
    if word.isdigit():
        return int(word)
    if len(word) > 1 and word[0] in "零〇":
        word = word[1:]  # 零五 (as in 十点零五分) is 5
    if "十" in word:
        tens, _, ones = word.partition("十")
        if (tens and tens not in _ZH_DIGITS) or (ones and ones not in _ZH_DIGITS) or "十" in ones:
            return None
        return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)
    if len(word) == 1 and word in _ZH_DIGITS:
        return _ZH_DIGITS[word]
    return None


_EN_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
                "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_NAMED_DAYS = {
    "today": 0, "tod": 0, "今天": 0, "今日": 0,
    "tomorrow": 1, "tmr": 1, "tmrw": 1, "明天": 1, "明日": 1,
    "day after tomorrow": 2, "the day after tomorrow": 2, "后天": 2, "大后天": 3,
    "yesterday": -1, "昨天": -1, "昨日": -1, "前天": -2,
}
_UNIT_DAYS = {"day": 1, "week": 7}

_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_ZH_FULL_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_MONTH_DAY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})$|^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_EN_WEEKDAY_RE = re.compile(rf"^(?:(?P<which>next|this)\s+)?(?P<day>{'|'.join(_EN_WEEKDAYS)})$")
_ZH_WEEKDAY_RE = re.compile(
    r"^(?P<which>下个?|这个?|本)?(?:周|星期|礼拜)(?P<day>[一二三四五六日天七1-7])$"
)
_EN_NEXT_RE = re.compile(r"^next\s+(?P<unit>week|month|year)$")
_ZH_NEXT_RE = re.compile(r"^下个?(?P<unit>周|星期|礼拜|月)$|^(?P<year>明年)$")
_EN_RELATIVE_RE = re.compile(
    r"^(?:in\s+)?(?P<n>\d+|" + "|".join(_EN_NUMBERS) + r")\s*"
    r"(?P<unit>days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?|y)"
    r"(?:\s+(?P<dir>from\s+now|later|ago))?$"
)
_EN_COMPACT_UNITS = {"d": "day", "w": "week", "wk": "week", "mo": "month", "y": "year",
                     "yr": "year"}
_ZH_RELATIVE_RE = re.compile(
    rf"^(?P<n>{_ZH_NUMBER})\s*(?:(?P<day>天|日)|个?\s*(?P<week>周|星期|礼拜)|个\s*(?P<month>月)"
    r"|(?P<year>年))\s*(?P<dir>以后|之后|后|以前|之前|前)$"
)


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _shift(today: date, n: int, unit: str) -> date:
    if unit == "month":
        return _add_months(today, n)
    if unit == "year":
        return _add_months(today, 12 * n)
    return today + timedelta(days=n * _UNIT_DAYS[unit])


def _weekday(today: date, weekday: int, which: str | None) -> date:
    monday = today - timedelta(days=today.weekday())
    if which in ("next", "下", "下个"):
        return monday + timedelta(days=7 + weekday)
    if which in ("这", "这个", "本"):
        return monday + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7
    if which == "this":
        return today + timedelta(days=ahead)
    return today + timedelta(days=ahead or 7)


def _en_unit(word: str) -> str:
    word = word.rstrip("s") if len(word) > 2 else word
    return _EN_COMPACT_UNITS.get(word, word)


def _rules(cleaned: str, today: date) -> date | None:
    """The dates this module reads itself; None when no rule applies."""
    if cleaned in _NAMED_DAYS:
        return today + timedelta(days=_NAMED_DAYS[cleaned])
    match = _ISO_RE.match(cleaned) or _ZH_FULL_RE.match(cleaned)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    match = _MONTH_DAY_RE.match(cleaned)
    if match:
        month, day = (int(g) for g in match.groups() if g is not None)
        for year in (today.year, today.year + 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
        raise ValueError(cleaned)
    match = _EN_WEEKDAY_RE.match(cleaned)
    if match:
        return _weekday(today, _EN_WEEKDAYS[match.group("day")], match.group("which"))
    match = _ZH_WEEKDAY_RE.match(cleaned)
    if match:
        return _weekday(today, _ZH_WEEKDAYS[match.group("day")], match.group("which"))
    match = _EN_NEXT_RE.match(cleaned)
    if match:
        return _shift(today, 1, match.group("unit"))
    match = _ZH_NEXT_RE.match(cleaned)
    if match:
        unit = "year" if match.group("year") else "month" if match.group("unit") == "月" else "week"
        return _shift(today, 1, unit)
    match = _EN_RELATIVE_RE.match(cleaned)
    if match:
        word = match.group("n")
        n = int(word) if word.isdigit() else _EN_NUMBERS[word]
        sign = -1 if match.group("dir") == "ago" else 1
        return _shift(today, sign * n, _en_unit(match.group("unit")))
    match = _ZH_RELATIVE_RE.match(cleaned)
    if match:
        number = _zh_int(match.group("n"))
        if number is None:
            return None
        unit = next(u for u in ("day", "week", "month", "year") if match.group(u))
        sign = -1 if match.group("dir").endswith("前") else 1
        return _shift(today, sign * number, unit)
    return None


def parse_date(text: str, today: date) -> date:
    """A calendar date: 2026-12-01, 12-01, 12月1日, tomorrow, fri, next week, 30d, 下周五, 3天后.

    `today` is the user's date in the user's time zone. Weekday names mean the next such day
    strictly after today; "next fri" and 下周五 mean that day of next week (weeks start
    Monday); a month and day without a year mean the next time that date comes round.
    """
    cleaned = re.sub(r"\s+", " ", _nfkc(text).strip().lower())
    if not cleaned:
        raise InvalidInput("parse.date", value=text)
    try:
        found = _rules(cleaned, today)
    except (ValueError, OverflowError):
        raise InvalidInput("parse.date", value=text) from None
    if found is not None:
        return found
    if re.fullmatch(r"[\d\s.,]+", cleaned):
        # A bare number is not a date; dateparser would guess a month or a day from it.
        raise InvalidInput("parse.date", value=text)
    try:
        parsed = dateparser.parse(
            cleaned,
            languages=["en", "zh"],
            settings={
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": datetime.combine(today, time()),
            },
        )
    except (ValueError, OverflowError, TypeError):
        parsed = None
    if parsed is None:
        raise InvalidInput("parse.date", value=text)
    return parsed.date()


# --------------------------------------------------------------------------- times

_CLOCK_RE = re.compile(
    r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$"
)
_ZH_TIME_RE = re.compile(
    rf"^(?P<period>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)?\s*(?P<h>{_ZH_NUMBER})\s*[点點时]"
    rf"\s*(?:(?P<half>半)|(?P<quarter>一刻)|(?P<three>三刻)|(?P<m>{_ZH_NUMBER})\s*分?)?\s*钟?$"
)
_NAMED_TIMES = {"noon": time(12), "midday": time(12), "midnight": time(0), "中午": time(12)}


def _clock(hour: int, minute: int) -> time | None:
    if 0 <= hour <= 23 and 0 <= minute <= 59:
        return time(hour, minute)
    return None


def parse_time(text: str) -> time | None:
    """A time of day: 15:00, 9:30, 3pm, 3:30 pm, 下午3点, 上午10点半; None if not a time."""
    cleaned = re.sub(r"\s+", " ", _nfkc(text).strip().lower())
    if cleaned in _NAMED_TIMES:
        return _NAMED_TIMES[cleaned]
    match = _CLOCK_RE.match(cleaned)
    if match:
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        ampm = match.group("ampm")
        if ampm is None:
            # A bare number is not a time; "15:00" is.
            return _clock(hour, minute) if match.group("m") else None
        if not 1 <= hour <= 12:
            return None
        hour %= 12
        return _clock(hour + 12 if ampm.startswith("p") else hour, minute)
    match = _ZH_TIME_RE.match(cleaned)
    if match:
        hour_or_none = _zh_int(match.group("h"))
        if hour_or_none is None:
            return None
        hour = hour_or_none
        if match.group("half"):
            mins: int | None = 30
        elif match.group("quarter"):
            mins = 15
        elif match.group("three"):
            mins = 45
        else:
            mins = _zh_int(match.group("m")) if match.group("m") else 0
        if mins is None:
            return None
        period = match.group("period")
        if period in ("下午", "傍晚", "晚上", "夜里") and 1 <= hour < 12:
            hour += 12
        elif period in ("晚上", "夜里") and hour == 12:
            hour = 0
        elif period == "中午" and 1 <= hour < 11:
            hour += 12
        return _clock(hour, mins)
    return None


# --------------------------------------------------------------------------- references

_REF_KINDS = {"L": "lead", "A": "customer", "C": "contact", "D": "deal", "Q": "quote",
              "O": "order", "P": "payment", "R": "reminder"}
_DASH = "[-‐‑–—]"
_REF_RE = re.compile(rf"^(?P<prefix>[LACDQOPR]){_DASH}?(?P<id>\d{{1,18}})$")
_INVOICE_RE = re.compile(rf"^INV{_DASH}?(?P<year>\d{{4}}){_DASH}(?P<seq>\d{{1,18}})$")


@dataclass(frozen=True)
class Ref:
    """A record reference as printed: L-12, A-5, C-3, D-7, Q-3, O-3, INV-2026-0007, P-9, R-4."""

    kind: str
    id: int
    number: str


def parse_ref(text: str) -> Ref:
    """Read a reference such as "L-12", "l12" or "inv-2026-7" into its canonical form."""
    cleaned = _nfkc(text).strip().upper()
    match = _INVOICE_RE.match(cleaned)
    if match:
        seq = int(match.group("seq"))
        if seq > 0:
            return Ref("invoice", 0, f"INV-{match.group('year')}-{seq:04d}")
    match = _REF_RE.match(cleaned)
    if match:
        prefix, ident = match.group("prefix"), int(match.group("id"))
        if ident > 0:
            return Ref(_REF_KINDS[prefix], ident, f"{prefix}-{ident}")
    raise InvalidInput("parse.ref", value=text)


def looks_like_ref(text: str) -> bool:
    """True when `text` reads as a record reference."""
    try:
        parse_ref(text)
    except InvalidInput:
        return False
    return True


# --------------------------------------------------------------------------- quote lines

_LINE_SPLIT_RE = re.compile(r"[;；\r\n]")
_QUOTE_LINE_RE = re.compile(
    r"^(?P<qty>\S+?)\s*(?:[xXｘＸ]\s+|[×*＊]\s*)(?P<item>.+)\s*[@＠]\s*(?P<price>[^@＠]+)$"
)


@dataclass(frozen=True)
class QuoteLineText:
    """One quote line as written: quantity read, item as text, price still unparsed."""

    quantity: Decimal
    item: str
    price: str


def parse_quote_lines(text: str) -> list[QuoteLineText]:
    """Read "10 x Cloud Server @ 5,000; 2 x Install @ 1k" into lines, one per ";" or newline."""
    lines: list[QuoteLineText] = []
    for raw in _LINE_SPLIT_RE.split(text):
        line = raw.strip()
        if not line:
            continue
        match = _QUOTE_LINE_RE.match(line)
        if match is None:
            raise InvalidInput("parse.quote_line", value=line)
        item, price = match.group("item").strip(), match.group("price").strip()
        try:
            quantity = parse_quantity(match.group("qty"))
        except InvalidInput:
            if re.match(r"^[-+−]?[\d.,]+$", match.group("qty")):
                raise  # a number, but zero or negative: say so about the quantity
            raise InvalidInput("parse.quote_line", value=line) from None
        if not item or not price:
            raise InvalidInput("parse.quote_line", value=line)
        lines.append(QuoteLineText(quantity=quantity, item=item, price=price))
    if not lines:
        raise InvalidInput("parse.quote_line", value=text)
    return lines
