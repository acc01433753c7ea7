"""The grammar of report periods: `period=2026-Q4`, `2026-11`, `2026`, `last-30d`, `this-month`.

A period is a run of whole days [start, end) read in the user's time zone; `key` is how the
reply names it. Written forms:

- a year `2026` (`2026年`), a half `2026-H1`, a quarter `2026-Q4` (`2026Q4`, `Q4` this year,
  `2026年Q4`, `2026年第4季度`), a month `2026-11` (`2026年11月`, `11月` this year), an ISO week
  `2026-W48`, a day `2026-11-23`, a range `2026-10-01..2026-12-31` (both days included);
- around today: `today`, `yesterday`, `this-week|month|quarter|year` (the whole calendar
  week, month, ... today is in), `last-week|month|quarter|year` (the one before), `ytd`,
  `qtd`, `mtd` (from its start up to today), `last-30d`, `last-8w`, `last-6m`, `last-1y`
  (that many days, weeks, months or years up to and including today);
- the same in Chinese: 今天, 昨天, 本周, 上周, 本月, 上月, 本季度, 上季度, 今年, 去年, 年初至今,
  近30天 (最近30天, 过去30天), 近3个月, 近2周, 近1年.

`-`, `_` and spaces are the same inside the words (`this month`, `this_month`, `lastmonth`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from domain.dates import add_months
from domain.errors import InvalidInput
from domain.reports import Window

EXAMPLES = "2026-Q4, 2026-11, 2026, last-30d, this-month"
MAX_DAYS = 366 * 20


@dataclass(frozen=True)
class Period:
    """Whole days [start, end); `key` names it in replies."""

    key: str
    start: date
    end: date

    def window(self, tz_name: str) -> Window:
        """The period's days as UTC instants, each day beginning at midnight in `tz_name`."""
        return Window.of(self.key, self.start, self.end, tz_name)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def _year(year: int) -> Period:
    return Period(f"{year}", date(year, 1, 1), date(year + 1, 1, 1))


def _half(year: int, half: int) -> Period:
    start = date(year, 1 + 6 * (half - 1), 1)
    return Period(f"{year}-H{half}", start, add_months(start, 6))


def _quarter(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    return Period(f"{year}-Q{quarter}", start, add_months(start, 3))


def _month(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period(f"{start:%Y-%m}", start, add_months(start, 1))


def _week(year: int, week: int) -> Period:
    start = date.fromisocalendar(year, week, 1)
    return Period(f"{year}-W{week:02d}", start, start + timedelta(days=7))


def _day(day: date) -> Period:
    return Period(day.isoformat(), day, day + timedelta(days=1))


def _quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _previous_quarter(day: date) -> tuple[int, int]:
    year, quarter = _quarter_of(day)
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _this(unit: str, today: date) -> Period:
    if unit == "week":
        return _week(*today.isocalendar()[:2])
    if unit == "month":
        return _month(today.year, today.month)
    if unit == "quarter":
        return _quarter(*_quarter_of(today))
    return _year(today.year)


def _last(unit: str, today: date) -> Period:
    if unit == "week":
        return _week(*(today - timedelta(days=7)).isocalendar()[:2])
    if unit == "month":
        before = add_months(today.replace(day=1), -1)
        return _month(before.year, before.month)
    if unit == "quarter":
        return _quarter(*_previous_quarter(today))
    return _year(today.year - 1)


def _to_date(unit: str, today: date) -> Period:
    """From the start of the unit (year, quarter, month) up to and including today."""
    start = _this(unit, today).start
    return Period(f"{unit[0]}td", start, today + timedelta(days=1))


def _recent(count: int, unit: str, today: date) -> Period:
    """`count` days, weeks, months or years ending with today."""
    end = today + timedelta(days=1)
    if unit == "d":
        start = end - timedelta(days=count)
    elif unit == "w":
        start = end - timedelta(days=7 * count)
    else:
        first = add_months(end.replace(day=1), -count * (12 if unit == "y" else 1))
        try:
            start = first.replace(day=end.day)
        except ValueError:  # no such day in that month (31st, 29th of February): the next 1st
            start = add_months(first, 1)
    return Period(f"last-{count}{unit}", start, end)


_UNITS = {"week": "week", "wk": "week", "month": "month", "mon": "month", "quarter": "quarter",
          "qtr": "quarter", "q": "quarter", "year": "year", "yr": "year"}
_ZH_NAMED = {
    "今天": "today", "今日": "today", "昨天": "yesterday", "昨日": "yesterday",
    "本周": "this-week", "这周": "this-week", "上周": "last-week",
    "本月": "this-month", "这个月": "this-month", "上月": "last-month", "上个月": "last-month",
    "本季度": "this-quarter", "本季": "this-quarter", "这个季度": "this-quarter",
    "上季度": "last-quarter", "上个季度": "last-quarter", "上季": "last-quarter",
    "今年": "this-year", "本年": "this-year", "本年度": "this-year", "去年": "last-year",
    "年初至今": "ytd", "本年至今": "ytd", "季初至今": "qtd", "月初至今": "mtd",
}
_ZH_UNITS = {"天": "d", "日": "d", "周": "w", "星期": "w", "个月": "m", "月": "m", "年": "y"}

_YEAR_RE = re.compile(r"^(\d{4})年?$")
_HALF_RE = re.compile(r"^(\d{4})-?h([12])$")
_QUARTER_RE = re.compile(r"^(?:(\d{4})(?:-|年)?)?(?:q([1-4])|第([1-4一二三四])季度?)$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$|^(?:(\d{4})年)?(\d{1,2})月(?:份)?$")
_WEEK_RE = re.compile(r"^(\d{4})-?w(\d{1,2})$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RANGE_RE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\.\.|~|至|到)(\d{4}-\d{1,2}-\d{1,2})$")
_RELATIVE_RE = re.compile(r"^(this|last|past|prev|previous)-?(week|wk|month|mon|quarter|qtr|q"
                          r"|year|yr)$")
_RECENT_RE = re.compile(r"^(?:last|past)-?(\d{1,4})-?(d|days?|w|weeks?|m|months?|y|years?)$")
_ZH_RECENT_RE = re.compile(r"^(?:近|最近|过去)(\d{1,4})(天|日|周|星期|个月|月|年)$")
_ZH_QUARTER_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def _clean(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s_]+", "-", folded)


def _named(word: str, today: date) -> Period | None:
    word = _ZH_NAMED.get(word, word)
    if word == "today":
        return _day(today)
    if word == "yesterday":
        return _day(today - timedelta(days=1))
    if word in ("ytd", "qtd", "mtd"):
        return _to_date({"y": "year", "q": "quarter", "m": "month"}[word[0]], today)
    match = _RELATIVE_RE.match(word)
    if match:
        which, unit = match.group(1), _UNITS[match.group(2)]
        return _this(unit, today) if which == "this" else _last(unit, today)
    match = _RECENT_RE.match(word)
    if match:
        return _recent(int(match.group(1)), match.group(2)[0], today)
    match = _ZH_RECENT_RE.match(word)
    if match:
        return _recent(int(match.group(1)), _ZH_UNITS[match.group(2)], today)
    return None


def _calendar(word: str, today: date) -> Period | None:
    match = _YEAR_RE.match(word)
    if match:
        return _year(int(match.group(1)))
    match = _HALF_RE.match(word)
    if match:
        return _half(int(match.group(1)), int(match.group(2)))
    match = _QUARTER_RE.match(word)
    if match:
        year = int(match.group(1)) if match.group(1) else today.year
        digit = match.group(2) or match.group(3)
        return _quarter(year, _ZH_QUARTER_DIGITS.get(digit) or int(digit))
    match = _MONTH_RE.match(word)
    if match:
        if match.group(1):
            return _month(int(match.group(1)), int(match.group(2)))
        year = int(match.group(3)) if match.group(3) else today.year
        return _month(year, int(match.group(4)))
    match = _WEEK_RE.match(word)
    if match:
        return _week(int(match.group(1)), int(match.group(2)))
    match = _DAY_RE.match(word)
    if match:
        return _day(date(*(int(g) for g in match.groups())))
    match = _RANGE_RE.match(word)
    if match:
        first, last = (date.fromisoformat(_padded(g)) for g in match.groups())
        if last < first:
            raise ValueError("a range ends before it starts")
        return Period(f"{first.isoformat()}..{last.isoformat()}", first,
                      last + timedelta(days=1))
    return None


def _padded(day: str) -> str:
    year, month, dom = day.split("-")
    return f"{year}-{int(month):02d}-{int(dom):02d}"


def parse_period(text: str, today: date) -> Period:
    """A period as written in `period=...`; `today` is the user's date in their time zone."""
    word = _clean(text)
    if not word:
        raise InvalidInput("period.bad", value=text, examples=EXAMPLES)
    try:
        found = _named(word, today) or _calendar(word, today)
    except ValueError:
        found = None
    if found is None or not 0 < (found.end - found.start).days <= MAX_DAYS \
            or found.start.year < 1970:
        raise InvalidInput("period.bad", value=text, examples=EXAMPLES)
    return found
