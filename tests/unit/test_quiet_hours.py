"""Quiet hours are read in the reader's own zone, across midnight and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidInput
from domain.outbox import MAX_ATTEMPTS, QuietHours, retry_delay

NIGHT = QuietHours.parse("21:00-08:00")


def test_outside_quiet_hours_the_instant_is_kept() -> None:
    noon_shanghai = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
    assert NIGHT.next_allowed(noon_shanghai, "Asia/Shanghai") == noon_shanghai


def test_late_evening_waits_for_next_morning_in_readers_zone() -> None:
    at_2230_shanghai = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    assert NIGHT.next_allowed(at_2230_shanghai, "Asia/Shanghai") == datetime(
        2026, 11, 24, 0, 0, tzinfo=UTC)


def test_early_morning_waits_until_the_window_ends_the_same_day() -> None:
    at_0500_berlin = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
    assert NIGHT.next_allowed(at_0500_berlin, "Europe/Berlin") == datetime(
        2026, 11, 23, 7, 0, tzinfo=UTC)


def test_same_instant_is_quiet_for_one_zone_and_not_another() -> None:
    instant = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # 22:30 Shanghai, 15:30 Berlin
    assert NIGHT.next_allowed(instant, "Europe/Berlin") == instant
    assert NIGHT.next_allowed(instant, "Asia/Shanghai") > instant


def test_spring_forward_night_ends_at_eight_local_daylight_time() -> None:
    # 2026-03-08 02:00 New York jumps to 03:00 (EST -5 -> EDT -4).
    at_0330_edt = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert NIGHT.next_allowed(at_0330_edt, "America/New_York") == datetime(
        2026, 3, 8, 12, 0, tzinfo=UTC)


def test_fall_back_night_ends_at_eight_local_standard_time() -> None:
    # 2026-11-01 02:00 EDT falls back to 01:00 EST; the night is one hour longer.
    at_2300_edt = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
    allowed = NIGHT.next_allowed(at_2300_edt, "America/New_York")
    assert allowed == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)
    assert allowed - at_2300_edt == timedelta(hours=10)


def test_daytime_window_does_not_wrap() -> None:
    lunch = QuietHours.parse("12:00-13:30")
    at_1215 = datetime(2026, 11, 23, 4, 15, tzinfo=UTC)  # Shanghai
    assert lunch.next_allowed(at_1215, "Asia/Shanghai") == datetime(2026, 11, 23, 5, 30,
                                                                    tzinfo=UTC)


def test_bad_window_is_refused_with_its_text() -> None:
    with pytest.raises(InvalidInput) as error:
        QuietHours.parse("late")
    assert error.value.params == {"value": "late"}


def test_retry_delay_grows_then_parks() -> None:
    delays = [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert all(d is not None for d in delays)
    assert delays == sorted(delays)  # type: ignore[type-var]
    assert retry_delay(MAX_ATTEMPTS) is None
