"""Dates, times of day and intervals as people write them, in English and Chinese.

The one grammar of "when" in the project: chat options and reminders (`明天下午3点`,
`fri 15:00`, `下下周一`, `月底`, `in 3 days`), quiet hours (`22:00-07:30`, `晚上10点-早上7点`),
the settings file (`dunning_at = "09:00"`, `reminders_every = "1m"`) and the scheduler all read
their text here. Nothing here knows time zones: callers pass the reader's `today`, and turn a
date and a time of day into an instant in the reader's own zone.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import dateparser

from domain.errors import InvalidInput

MAX_WHEN = 24  # characters a date and time can take at the start of a reminder's text
# The characters a Chinese date or time can end with (天, 号, 五, 点, 半, 底, 后, 晚, ...).
_LAST_CHARS = frozenset("天日号周一二三四五六七八九十两点分半刻钟底末初后前晚早午上下年月")


def _clean(text: str) -> str:
    """Width-folded, lower-case, single-spaced, without surrounding quotes or a full stop."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    cleaned = cleaned.strip("\"“”„「」『』'‘’ ")
    cleaned = re.sub(r"[。.,，!！]+$", "", cleaned) if not re.search(r"\d[.,]$", cleaned) \
        else cleaned
    return re.sub(r"\s+", " ", cleaned).strip()


# --------------------------------------------------------------------------- numbers

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
               "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
               "twelve": 12}
_ZH_NUMBER = "[0-9零〇一二两三四五六七八九十]+"


def zh_int(word: str) -> int | None:
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


# --------------------------------------------------------------------------- calendar steps

def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _shift(today: date, n: int, unit: str) -> date:
    if unit == "month":
        return add_months(today, n)
    if unit == "year":
        return add_months(today, 12 * n)
    return today + timedelta(days=n * (7 if unit == "week" else 1))


def _weekday(today: date, weekday: int, weeks_ahead: int | None) -> date:
    """`weekday` of the week `weeks_ahead` from this one; None: the next one after today."""
    if weeks_ahead is None:
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=7 * weeks_ahead + weekday)


def _day_of_month(today: date, months_ahead: int | None, day: int) -> date:
    """Day `day` of the month `months_ahead` from this one; None: the next time it comes."""
    if months_ahead is not None:
        first = add_months(today.replace(day=1), months_ahead)
        return first.replace(day=day)
    for ahead in range(0, 13):
        first = add_months(today.replace(day=1), ahead)
        try:
            candidate = first.replace(day=day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise ValueError(day)


# --------------------------------------------------------------------------- dates

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
# A day with the part of it people mean: 今晚 is tonight, 明早 tomorrow morning.
_NAMED_MOMENTS = {
    "tonight": (0, time(20)), "今晚": (0, time(20)), "今天晚上": (0, time(20)),
    "今早": (0, time(9)), "明早": (1, time(9)), "明晚": (1, time(20)),
    "tomorrow morning": (1, time(9)), "tomorrow afternoon": (1, time(14)),
    "tomorrow evening": (1, time(19)), "tomorrow night": (1, time(20)),
    "this afternoon": (0, time(14)), "this evening": (0, time(19)),
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
    r"^(?:in\s+)?(?P<n>\d+|" + "|".join(_EN_NUMBERS) + r")\s*"
    r"(?P<unit>days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?|y)"
    r"(?:\s+(?P<dir>from\s+now|later|ago))?$"
)
_EN_COMPACT_UNITS = {"d": "day", "w": "week", "wk": "week", "mo": "month", "y": "year",
                     "yr": "year"}
_ZH_RELATIVE_RE = re.compile(
    rf"^(?P<n>{_ZH_NUMBER}|半)\s*(?:(?P<day>天|日)|个?\s*(?P<week>周|星期|礼拜)|个\s*(?P<month>月)"
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
            return _month_end(first)
        if match.group("which") is None and first < today:
            first = add_months(first, 1)  # 月初 said after the 1st: next month's
        return first
    number = zh_int(match.group("day"))
    if number is None:
        raise ValueError(match.group(0))
    return _day_of_month(today, ahead, number)


def _rule_date(cleaned: str, today: date) -> date | None:
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
        return _weekday(today, day, ahead)
    match = _ZH_WEEKDAY_RE.match(cleaned)
    if match:
        return _weekday(today, _ZH_WEEKDAYS[match.group("day")], _weeks_ahead(match.group("which")))
    match = _EN_NEXT_RE.match(cleaned)
    if match:
        return _shift(today, 1, match.group("unit"))
    match = _ZH_NEXT_RE.match(cleaned)
    if match:
        if match.group("year"):
            return _shift(today, 1 if match.group("year") == "明年" else 2, "year")
        if match.group("mwhich"):
            return _shift(today, 2 if match.group("mwhich") == "下下个" else 1, "month")
        return _shift(today, _weeks_ahead(match.group("which")) or 1, "week")
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
        return _month_end(today)
    if cleaned in ("eoy",):
        return date(today.year, 12, 31)
    if cleaned in ("周末", "weekend", "this weekend"):
        return today + timedelta(days=(5 - today.weekday()) % 7)
    match = _EN_ORDINAL_RE.match(cleaned)
    if match:
        which = match.group("which") or match.group("which2")
        ahead = None if which is None else (1 if which.startswith("next") else 0)
        return _day_of_month(today, ahead, int(match.group("day")))
    match = _EN_RELATIVE_RE.match(cleaned)
    if match:
        word = match.group("n")
        n = int(word) if word.isdigit() else _EN_NUMBERS[word]
        sign = -1 if match.group("dir") == "ago" else 1
        return _shift(today, sign * n, _en_unit(match.group("unit")))
    match = _ZH_RELATIVE_RE.match(cleaned)
    if match:
        return _zh_relative(today, match)
    return None


def _period_edge(today: date, edge: str, which: str | None, unit: str) -> date:
    ahead = 1 if which and which.strip() == "next" else 0
    if unit == "month":
        first = add_months(today.replace(day=1), ahead)
        return _month_end(first) if edge == "end" else first
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
    return _shift(today, sign * number, unit)


# --------------------------------------------------------------------------- times

_CLOCK_RE = re.compile(
    r"^(?:at\s+|@\s*)?(?P<h>\d{1,2})(?:[:：.](?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.?|p\.m\.?)?$"
)
_PERIODS = {"凌晨": "night", "早上": "morning", "早晨": "morning", "上午": "morning",
            "中午": "noon", "下午": "afternoon", "傍晚": "evening", "晚上": "evening",
            "夜里": "night", "晚": "evening", "早": "morning"}
_ZH_PERIOD = "凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|晚|早"
_ZH_TIME_RE = re.compile(
    rf"^(?P<period>{_ZH_PERIOD})?\s*(?P<h>{_ZH_NUMBER})\s*[点點时]"
    rf"\s*(?:(?P<half>半)|(?P<quarter>一刻)|(?P<three>三刻)|(?P<m>{_ZH_NUMBER})\s*分?)?\s*钟?$"
)
_ZH_PERIOD_CLOCK_RE = re.compile(rf"^(?P<period>{_ZH_PERIOD})\s*(?P<clock>\d{{1,2}}[:：]\d{{2}})$")
_EN_PERIOD_CLOCK_RE = re.compile(
    r"^(?P<clock>.+?)\s+(?:in the\s+)?(?P<period>morning|afternoon|evening|tonight|at night)$")
# A part of the day said without an hour: the hour people usually mean by it.
_PART_OF_DAY = {
    "noon": time(12), "midday": time(12), "midnight": time(0), "中午": time(12),
    "上午": time(9), "早上": time(9), "morning": time(9), "in the morning": time(9),
    "下午": time(14), "afternoon": time(14), "in the afternoon": time(14),
    "晚上": time(20), "傍晚": time(18), "evening": time(19), "in the evening": time(19),
}


def _clock(hour: int, minute: int) -> time | None:
    if 0 <= hour <= 23 and 0 <= minute <= 59:
        return time(hour, minute)
    return None


def _in_period(hour: int, period: str | None) -> int:
    """The 24-hour hour of "3" said with a part of the day (下午3点 is 15:00)."""
    kind = _PERIODS.get(period or "", "")
    if kind in ("afternoon", "evening") and 1 <= hour < 12:
        return hour + 12
    if kind == "evening" and hour == 12:
        return 0
    if kind == "night" and hour == 12:
        return 0
    if kind == "noon" and 1 <= hour < 11:
        return hour + 12
    return hour


def parse_time(text: str) -> time | None:
    """A time of day: 15:00, 9:30, 3pm, 3:30 pm, 下午3点, 上午10点半, noon, 下午; None if not."""
    cleaned = _clean(text)
    if cleaned in _PART_OF_DAY:
        return _PART_OF_DAY[cleaned]
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
        return _zh_time(match)
    match = _ZH_PERIOD_CLOCK_RE.match(cleaned)
    if match:
        clock = parse_time(match.group("clock"))
        if clock is None:
            return None
        return _clock(_in_period(clock.hour, match.group("period")), clock.minute)
    match = _EN_PERIOD_CLOCK_RE.match(cleaned)
    if match:
        word = match.group("clock")
        number = re.fullmatch(r"(?:at\s+)?(\d{1,2})(?::(\d{2}))?", word)
        if number is None:
            return None
        hour, minute = int(number.group(1)), int(number.group(2) or 0)
        period = {"morning": "早上", "afternoon": "下午"}.get(match.group("period"), "晚上")
        return _clock(_in_period(hour, period), minute)
    return None


def _zh_time(match: re.Match[str]) -> time | None:
    hour = zh_int(match.group("h"))
    if hour is None:
        return None
    if match.group("half"):
        minutes: int | None = 30
    elif match.group("quarter"):
        minutes = 15
    elif match.group("three"):
        minutes = 45
    else:
        minutes = zh_int(match.group("m")) if match.group("m") else 0
    if minutes is None:
        return None
    return _clock(_in_period(hour, match.group("period")), minutes)


# --------------------------------------------------------------------------- dates with times

@dataclass(frozen=True)
class When:
    """A day, and the time of day if one was said; `said_day` is False for a time alone
    ("15:00"), whose day is today or, once that time has passed, tomorrow."""

    day: date
    at: time | None = None
    said_day: bool = True


# The part of the day a moment word says, for an hour written after it (今晚8点 is 20:00).
_MOMENT_PERIOD = {"今晚": "晚上", "明晚": "晚上", "今天晚上": "晚上", "今早": "早上",
                  "明早": "早上", "tonight": "晚上"}
_JOINERS = re.compile(r"^(?:at|@|的|,)\s*|\s*(?:at|@|的|,)$")


def _rule_when(cleaned: str, today: date) -> When | None:
    """A date, a time, or both in either order ("明天下午3点", "fri 15:00", "3pm tomorrow")."""
    if not cleaned:
        return None
    if cleaned in _NAMED_MOMENTS:
        offset, moment = _NAMED_MOMENTS[cleaned]
        return When(today + timedelta(days=offset), moment)
    day = _rule_date(cleaned, today)
    if day is not None:
        return When(day)
    alone = parse_time(cleaned)
    if alone is not None:
        return When(today, alone, said_day=False) if not _only_part_of_day(cleaned) else None
    for cut in range(1, len(cleaned)):
        head, tail = cleaned[:cut], cleaned[cut:]
        if head[-1].isascii() and head[-1].isalnum() and tail[0].isascii() and tail[0].isalnum():
            continue  # never inside an English word or a number
        head, tail = _JOINERS.sub("", head.strip()), _JOINERS.sub("", tail.strip())
        if not head or not tail:
            continue
        named = _NAMED_MOMENTS.get(head)
        first = today + timedelta(days=named[0]) if named else _rule_date(head, today)
        if first is not None:
            at = parse_time(_MOMENT_PERIOD.get(head, "") + tail) if named else None
            at = at or parse_time(tail)
            if at is not None:
                return When(first, at)
        at = parse_time(head)
        if at is not None:
            second = _rule_date(tail, today)
            if second is not None:
                return When(second, at)
    return None


def _only_part_of_day(cleaned: str) -> bool:
    """"下午" or "morning" alone says when in a day, not which day."""
    return cleaned in _PART_OF_DAY and cleaned not in ("noon", "midday", "midnight", "中午")


def parse_when(text: str, today: date) -> When:
    """A day and maybe a time: 明天下午3点, 周五上午10点, 下下周一, 月底, 下个月5号, tomorrow 3pm,
    fri 15:00, in 3 days, end of month, 15:00 (today). Quotes around it are ignored."""
    cleaned = _clean(text)
    try:
        found = _rule_when(cleaned, today)
    except (ValueError, OverflowError):
        raise InvalidInput("parse.date", value=text) from None
    if found is not None:
        return found
    spelled = _fallback(cleaned, text, today)
    return When(spelled.date(), spelled.time() if spelled.time() != time(0) else None)


def parse_date(text: str, today: date) -> date:
    """A calendar date: 2026-12-01, 12-01, 12月1日, tomorrow, fri, next week, 30d, 下周五, 3天后,
    月底, 下个月5号, end of month.

    `today` is the user's date in the user's time zone. Weekday names mean the next such day
    strictly after today; "next fri" and 下周五 mean that day of next week (weeks start
    Monday), 下下周五 the week after; a month and day without a year mean the next time that
    date comes round. A time said with the date is not part of a date and is left out.
    """
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidInput("parse.date", value=text)
    try:
        found = _rule_date(cleaned, today)
        if found is None:
            both = _rule_when(cleaned, today)
            found = both.day if both is not None and both.at is not None \
                and parse_time(cleaned) is None else None
    except (ValueError, OverflowError):
        raise InvalidInput("parse.date", value=text) from None
    if found is not None:
        return found
    return _fallback(cleaned, text, today).date()


def _fallback(cleaned: str, text: str, today: date) -> datetime:
    """Month names and other spelled-out dates ("December 1") through dateparser."""
    if not cleaned or re.fullmatch(r"[\d\s.,:]+", cleaned):
        # A bare number is not a date; dateparser would guess a month or a day from it.
        raise InvalidInput("parse.date", value=text)
    try:
        parsed = dateparser.parse(
            cleaned,
            languages=["en", "zh"],
            settings={"PREFER_DATES_FROM": "future",
                      "RELATIVE_BASE": datetime.combine(today, time())},
        )
    except (ValueError, OverflowError, TypeError):
        parsed = None
    if parsed is None:
        raise InvalidInput("parse.date", value=text)
    return parsed


def looks_like_when(text: str, today: date) -> bool:
    """True when the text reads as a date and/or time by this module's own rules."""
    try:
        return _rule_when(_clean(text), today) is not None
    except (ValueError, OverflowError):
        return False


def split_when(text: str, today: date) -> tuple[When, str] | None:
    """The longest start of `text` that says when, and the rest: "明天下午3点给王总打电话" ->
    (tomorrow 15:00, "给王总打电话"); "fri 3pm call Li" -> (friday 15:00, "call Li")."""
    plain = unicodedata.normalize("NFKC", text).strip()
    limit = min(len(plain), MAX_WHEN)
    for cut in range(limit, 0, -1):
        head, tail = plain[:cut], plain[cut:]
        if tail and head[-1].isascii() and head[-1].isalnum() and tail[0].isascii() \
                and tail[0].isalnum():
            continue
        if not head[-1].isascii() and head[-1] not in _LAST_CHARS and head[-1] not in "”」":
            continue  # cannot be the end of a date or a time
        try:
            found = _rule_when(_clean(head), today)
        except (ValueError, OverflowError):
            continue
        if found is not None:
            return found, tail.strip(" ,，:：")
    return None


# --------------------------------------------------------------------------- ranges and steps

_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|~|～|至|到|to|until)\s*")


def parse_time_range(text: str) -> tuple[time, time] | None:
    """A daily window: 22:00-07:30, 22:00~7:30, 晚上10点到早上7点半, 10pm to 7am; None if not."""
    cleaned = _clean(text)
    parts = [p for p in _RANGE_SPLIT.split(cleaned) if p]
    if len(parts) != 2 or not _RANGE_SPLIT.search(cleaned):
        return None
    first, second = parse_time(parts[0]), parse_time(parts[1])
    if first is None or second is None:
        return None
    return first, second


_INTERVAL_RE = re.compile(
    r"^(?:every\s+|每)?(?P<n>\d+)\s*(?P<unit>s|secs?|seconds?|秒钟?|m|mins?|minutes?|分钟?"
    r"|h|hrs?|hours?|小时|个小时)$"
)


def parse_interval(text: str) -> timedelta | None:
    """How often: 30s, 1m, 5 min, 1h, 5分钟, 1小时; None if not an interval (or zero)."""
    match = _INTERVAL_RE.match(_clean(text))
    if match is None or int(match.group("n")) == 0:
        return None
    unit = match.group("unit")
    n = int(match.group("n"))
    if unit.startswith(("s", "秒")):
        return timedelta(seconds=n)
    if unit.startswith(("h", "小", "个")):
        return timedelta(hours=n)
    return timedelta(minutes=n)


def interval_text(step: timedelta) -> str:
    """An interval written the short way the settings file uses: 30s, 5m, 1h."""
    seconds = int(step.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"
