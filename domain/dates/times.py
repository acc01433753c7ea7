"""Times of day as people write them: 15:00, 9:30, 3pm, 下午3点, 上午10点半, noon, 下午; and
daily windows of two of them (22:00-07:30, 晚上10点到早上7点半). The one time-of-day grammar of
the project: chat, quiet hours, the settings file and the scheduler all read their times here."""

from __future__ import annotations

import re
from datetime import time

from domain.dates.text import ZH_NUMBER, clean, zh_int

_CLOCK_RE = re.compile(
    r"^(?P<at>at\s+|@\s*)?(?P<h>\d{1,2})(?:[:：.](?P<m>\d{2}))?\s*"
    r"(?P<ampm>am|pm|a\.m\.?|p\.m\.?)?$"
)
# "at 3" said of a working day: 1 to 7 o'clock without am/pm are in the afternoon.
_AFTERNOON_HOURS = range(1, 8)
_PERIODS = {"凌晨": "night", "早上": "morning", "早晨": "morning", "上午": "morning",
            "中午": "noon", "下午": "afternoon", "傍晚": "evening", "晚上": "evening",
            "夜里": "night", "晚": "evening", "早": "morning"}
_ZH_PERIOD = "凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|晚|早"
_ZH_TIME_RE = re.compile(
    rf"^(?P<period>{_ZH_PERIOD})?\s*(?P<h>{ZH_NUMBER})\s*[点點时]"
    rf"\s*(?:(?P<half>半)|(?P<quarter>一刻)|(?P<three>三刻)|(?P<m>{ZH_NUMBER})\s*分?)?\s*钟?$"
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
    """A time of day: 15:00, 9:30, 3pm, 3:30 pm, at 10, at 3 (15:00), 下午3点, 上午10点半, noon,
    下午; None if not."""
    cleaned = clean(text)
    if cleaned in _PART_OF_DAY:
        return _PART_OF_DAY[cleaned]
    match = _CLOCK_RE.match(cleaned)
    if match:
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        ampm = match.group("ampm")
        if ampm is None:
            # A bare number is not a time; "15:00" and "at 10" are.
            if match.group("at") and not match.group("m") and hour in _AFTERNOON_HOURS:
                hour += 12
            return _clock(hour, minute) if match.group("m") or match.group("at") else None
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


def only_part_of_day(cleaned: str) -> bool:
    """"下午" or "morning" alone says when in a day, not which day."""
    return cleaned in _PART_OF_DAY and cleaned not in ("noon", "midday", "midnight", "中午")


_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|~|～|至|到|to|until)\s*")


def parse_time_range(text: str) -> tuple[time, time] | None:
    """A daily window: 22:00-07:30, 22:00~7:30, 晚上10点到早上7点半, 10pm to 7am; None if not."""
    cleaned = clean(text)
    parts = [p for p in _RANGE_SPLIT.split(cleaned) if p]
    if len(parts) != 2 or not _RANGE_SPLIT.search(cleaned):
        return None
    first, second = parse_time(parts[0]), parse_time(parts[1])
    if first is None or second is None:
        return None
    return first, second
