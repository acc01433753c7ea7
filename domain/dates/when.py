"""A day and maybe a time, as one phrase: 明天下午3点, fri 15:00, 3pm tomorrow, 今晚8点, 15:00
(today); the start of a reminder's text that says when; and the dates the project's own rules
do not read ("December 1"), through dateparser."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.dates.days import rule_date
from domain.dates.text import clean
from domain.dates.times import only_part_of_day, parse_time
from domain.errors import InvalidInput

MAX_WHEN = 24  # characters a date and time can take at the start of a reminder's text
# The characters a Chinese date or time can end with (天, 号, 五, 点, 半, 底, 后, 晚, ...).
_LAST_CHARS = frozenset("天日号周一二三四五六七八九十两点分半刻钟底末初后前晚早午上下年月")
# A day with the part of it people mean: 今晚 is tonight, 明早 tomorrow morning.
_NAMED_MOMENTS = {
    "tonight": (0, time(20)), "今晚": (0, time(20)), "今天晚上": (0, time(20)),
    "今早": (0, time(9)), "明早": (1, time(9)), "明晚": (1, time(20)),
    "tomorrow morning": (1, time(9)), "tomorrow afternoon": (1, time(14)),
    "tomorrow evening": (1, time(19)), "tomorrow night": (1, time(20)),
    "this afternoon": (0, time(14)), "this evening": (0, time(19)),
}


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
    day = rule_date(cleaned, today)
    if day is not None:
        return When(day)
    alone = parse_time(cleaned)
    if alone is not None:
        return When(today, alone, said_day=False) if not only_part_of_day(cleaned) else None
    for cut in range(1, len(cleaned)):
        head, tail = cleaned[:cut], cleaned[cut:]
        if head[-1].isascii() and head[-1].isalnum() and tail[0].isascii() and tail[0].isalnum():
            continue  # never inside an English word or a number
        said_at = tail.strip().startswith(("at ", "@"))  # "tomorrow at 10": 10 is an hour
        head, tail = _JOINERS.sub("", head.strip()), _JOINERS.sub("", tail.strip())
        if not head or not tail:
            continue
        named = _NAMED_MOMENTS.get(head)
        first = today + timedelta(days=named[0]) if named else rule_date(head, today)
        if first is not None:
            at = parse_time(_MOMENT_PERIOD.get(head, "") + tail) if named else None
            at = at or parse_time(f"at {tail}" if said_at else tail)
            if at is not None:
                return When(first, at)
        at = parse_time(head)
        if at is not None:
            second = rule_date(tail, today)
            if second is not None:
                return When(second, at)
    return None


def parse_when(text: str, today: date) -> When:
    """A day and maybe a time: 明天下午3点, 周五上午10点, 下下周一, 月底, 下个月5号, tomorrow 3pm,
    fri 15:00, in 3 days, end of month, 15:00 (today). Quotes around it are ignored."""
    cleaned = clean(text)
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
    cleaned = clean(text)
    if not cleaned:
        raise InvalidInput("parse.date", value=text)
    try:
        found = rule_date(cleaned, today)
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
    import dateparser  # a large library, loaded the first time a date needs it

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
        return _rule_when(clean(text), today) is not None
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
            found = _rule_when(clean(head), today)
        except (ValueError, OverflowError):
            continue
        if found is not None:
            return found, tail.strip(" ,，:：")
    return None
