"""Days as people write them: 2026-12-01, 12-01, 12月1日, tomorrow, fri, 下周五, 3天后, 月底,
下个月5号, end of month, the 5th. Only the rules this project writes itself; the spelled-out
rest ("December 1") is left to dateparser by `domain.dates.when`."""

from __future__ import annotations

import re
from datetime import date, timedelta

from domain.dates.calendar_steps import add_months, day_of_month, month_end, shift, weekday_of
from domain.dates.text import EN_NUMBERS, ZH_NUMBER, zh_int

_EN_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
                "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_NAMED_DAYS = {
    "today": 0, "tod": 0, "今天": 0, "今日": 0, "今儿": 0,
    "tomorrow": 1, "tmr": 1, "tmrw": 1, "tomorow": 1, "明天": 1, "明日": 1, "明儿": 1,
    "day after tomorrow": 2, "the day after tomorrow": 2, "后天": 2, "大后天": 3,
    "yesterday": -1, "昨天": -1, "昨日": -1, "前天": -2,
}
# 下 = next, 下下 = the one after; 这/本 = this; 上 = last.
_ZH_WHICH = r"(?P<which>下下个?|下个?|这个?|本|上个?)?"
_ZH_WEEK = "(?:周|星期|礼拜)"

_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_ZH_FULL_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_MONTH_DAY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})$|^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_EN_WEEKDAY_RE = re.compile(
    rf"^(?:(?P<which>next|this|coming)\s+)?(?P<day>{'|'.join(_EN_WEEKDAYS)})$")
_ZH_WEEKDAY_RE = re.compile(rf"^{_ZH_WHICH}{_ZH_WEEK}(?P<day>[一二三四五六日天七1-7])$")
_EN_NEXT_RE = re.compile(r"^next\s+(?P<unit>week|month|year)$")
_ZH_NEXT_RE = re.compile(rf"^(?P<which>下下个?|下个?){_ZH_WEEK}$|^(?P<mwhich>下下个|下个|下)月$"
                         r"|^(?P<year>明年|后年)$")
_EN_RELATIVE_RE = re.compile(
    r"^(?:in\s+)?(?P<n>\d+|" + "|".join(EN_NUMBERS) + r")\s*"
    r"(?P<unit>days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?|y)"
    r"(?:\s+(?P<dir>from\s+now|later|ago))?$"
)
_EN_COMPACT_UNITS = {"d": "day", "w": "week", "wk": "week", "mo": "month", "y": "year",
                     "yr": "year"}
_ZH_RELATIVE_RE = re.compile(
    rf"^(?P<n>{ZH_NUMBER}|半)\s*(?:(?P<day>天|日)|个?\s*(?P<week>周|星期|礼拜)|个\s*(?P<month>月)"
    r"|(?P<year>年))\s*(?P<dir>以后|之后|后|以前|之前|前)$"
)
# 5号, 下个月5号, 本月20日, 月底, 下个月底, 月初
_ZH_MONTH_DAY_RE = re.compile(
    r"^(?:(?P<which>下下个|下个|下|这个|本|上个|上)?(?P<month>月)的?)?"
    r"(?:(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[号日]|(?P<end>底|末)|(?P<start>初))$"
)
_MONTH_WHICH = {None: 0, "下下个": 2, "下个": 1, "下": 1, "这个": 0, "本": 0, "上个": -1, "上": -1}
_ZH_YEAR_END_RE = re.compile(r"^(?P<which>今年|明年)?年(?P<end>底|末)$")
_EN_PERIOD_EDGE_RE = re.compile(
    r"^(?P<edge>end|start|beginning)\s+of\s+(?:the\s+)?(?P<which>this\s+|next\s+)?"
    r"(?P<unit>month|week|year)$"
)
_EN_ORDINAL_RE = re.compile(
    r"^(?:(?P<which>next month|this month)\s+(?:on\s+)?(?:the\s+)?|the\s+)?"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(?P<which2>next month|this month))?$"
)


def _en_unit(word: str) -> str:
    word = word.rstrip("s") if len(word) > 2 else word
    return _EN_COMPACT_UNITS.get(word, word)


def _weeks_ahead(which: str | None) -> int | None:
    if which is None:
        return None
    if which.startswith("下下"):
        return 2
    if which.startswith("下") or which == "next":
        return 1
    if which.startswith("上"):
        return -1
    return 0  # 这, 这个, 本


def _month_edges(today: date, match: re.Match[str]) -> date | None:
    said = match.group("month") is not None
    ahead = _MONTH_WHICH[match.group("which")] if said else None
    if match.group("end") or match.group("start"):
        if not said:
            return None  # 底 alone is not a date
        first = add_months(today.replace(day=1), ahead or 0)
        if match.group("end"):
            return month_end(first)
        if match.group("which") is None and first < today:
            first = add_months(first, 1)  # 月初 said after the 1st: next month's
        return first
    number = zh_int(match.group("day"))
    if number is None:
        raise ValueError(match.group(0))
    return day_of_month(today, ahead, number)


def rule_date(cleaned: str, today: date) -> date | None:
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
        for year in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
        raise ValueError(cleaned)
    match = _EN_WEEKDAY_RE.match(cleaned)
    if match:
        which = match.group("which")
        ahead = 1 if which == "next" else None
        day = _EN_WEEKDAYS[match.group("day")]
        if which == "this":
            return today + timedelta(days=(day - today.weekday()) % 7)
        return weekday_of(today, day, ahead)
    match = _ZH_WEEKDAY_RE.match(cleaned)
    if match:
        return weekday_of(today, _ZH_WEEKDAYS[match.group("day")],
                          _weeks_ahead(match.group("which")))
    match = _EN_NEXT_RE.match(cleaned)
    if match:
        return shift(today, 1, match.group("unit"))
    match = _ZH_NEXT_RE.match(cleaned)
    if match:
        if match.group("year"):
            return shift(today, 1 if match.group("year") == "明年" else 2, "year")
        if match.group("mwhich"):
            return shift(today, 2 if match.group("mwhich") == "下下个" else 1, "month")
        return shift(today, _weeks_ahead(match.group("which")) or 1, "week")
    match = _ZH_MONTH_DAY_RE.match(cleaned)
    if match:
        return _month_edges(today, match)
    match = _ZH_YEAR_END_RE.match(cleaned)
    if match:
        return date(today.year + (1 if match.group("which") == "明年" else 0), 12, 31)
    match = _EN_PERIOD_EDGE_RE.match(cleaned)
    if match:
        return _period_edge(today, match.group("edge"), match.group("which"), match.group("unit"))
    if cleaned in ("eom", "月末"):
        return month_end(today)
    if cleaned in ("eoy",):
        return date(today.year, 12, 31)
    if cleaned in ("周末", "weekend", "this weekend"):
        return today + timedelta(days=(5 - today.weekday()) % 7)
    match = _EN_ORDINAL_RE.match(cleaned)
    if match:
        which = match.group("which") or match.group("which2")
        ahead = None if which is None else (1 if which.startswith("next") else 0)
        return day_of_month(today, ahead, int(match.group("day")))
    match = _EN_RELATIVE_RE.match(cleaned)
    if match:
        word = match.group("n")
        n = int(word) if word.isdigit() else EN_NUMBERS[word]
        sign = -1 if match.group("dir") == "ago" else 1
        return shift(today, sign * n, _en_unit(match.group("unit")))
    match = _ZH_RELATIVE_RE.match(cleaned)
    if match:
        return _zh_relative(today, match)
    return None


def _period_edge(today: date, edge: str, which: str | None, unit: str) -> date:
    ahead = 1 if which and which.strip() == "next" else 0
    if unit == "month":
        first = add_months(today.replace(day=1), ahead)
        return month_end(first) if edge == "end" else first
    if unit == "year":
        year = today.year + ahead
        return date(year, 12, 31) if edge == "end" else date(year, 1, 1)
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7 * ahead)
    return monday + timedelta(days=4) if edge == "end" else monday  # a working week ends Friday


def _zh_relative(today: date, match: re.Match[str]) -> date | None:
    unit = next(u for u in ("day", "week", "month", "year") if match.group(u))
    sign = -1 if match.group("dir").endswith("前") else 1
    if match.group("n") == "半":
        days = {"day": 0, "week": 3, "month": 15, "year": 182}[unit]
        return today + timedelta(days=sign * days) if days else None
    number = zh_int(match.group("n"))
    if number is None:
        return None
    return shift(today, sign * number, unit)
