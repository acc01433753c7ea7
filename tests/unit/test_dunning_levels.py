"""Which chasing level an invoice has reached, from the days past its due date."""

from __future__ import annotations

import pytest

from domain.dunning import reached_level
from domain.settings import DunningLevel, Settings

LEVELS = Settings().dunning  # -3, 1, 7, 30 days


@pytest.mark.parametrize(("days", "level"), [
    (-10, None), (-4, None), (-3, 1), (0, 1), (1, 2), (6, 2), (7, 3), (29, 3), (30, 4),
    (400, 4),
])
def test_level_reached_by_days_past_due(days: int, level: int | None) -> None:
    assert reached_level(LEVELS, days) == level


def test_levels_are_read_in_order_of_days_whatever_the_config_order() -> None:
    shuffled = (DunningLevel(30, ("manager",)), DunningLevel(1, ("owner",)))
    assert reached_level(shuffled, 5) == 1
    assert reached_level(shuffled, 31) == 2
