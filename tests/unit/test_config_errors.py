"""config.toml mistakes told all at once, each with an example taken from the models."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from tests.unit.test_config import stages, write


def mistakes(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), env={})
    return caught.value


def test_every_mistake_in_the_file_is_told_at_once(tmp_path: Path) -> None:
    error = mistakes(tmp_path, '[company]\ncurrency = "RMB"\n'
                               '[schedule]\ndunning_at = "25:00"\n[slack]\nhttp_port = "x"\n')
    assert error.key == "company.currency"
    assert [other.split(":")[0] for other in error.others] == [
        "schedule.dunning_at", "slack.http_port"]
    assert "\nAlso at schedule.dunning_at: " in str(error)
    assert "\nAlso at slack.http_port: " in str(error)


def test_a_typo_comes_first_and_the_key_it_misspells_is_not_told_missing(
        tmp_path: Path) -> None:
    error = mistakes(tmp_path, stages('{ key = "a", probabilty = 10 }'))
    assert error.key == "pipeline.stages[0].probabilty"
    assert error.others == ()


def test_a_missing_value_is_told_with_an_example_and_what_it_means(tmp_path: Path) -> None:
    error = mistakes(tmp_path, stages('{ key = "a" }'))
    assert error.fix == ("add probability = 50 (the chance in percent, 0 to 100, that a deal "
                         "in this stage is won)")


@pytest.mark.parametrize(("text", "fix"), [
    ("[pipeline]\nstale_after_days = 0\n", "set a whole number from 1 to 3650, like 14"),
    ("[quotes]\ndefault_tax = 101\n", "set a number from 0 to 100, like 13"),
    ("[slack]\nhttp_port = \"3000\"\n", "write a whole number without quotes, like 3000"),
    ('[leads]\nsources = [{ key = "a", aliases = "b" }]\n', 'write it like ["展会", "trade show"]'),
    ('[slack]\napi_base_url = "slack.com"\n',
     'write the full address, like "https://slack.com/api/"'),
])
def test_fixes_show_the_models_example(tmp_path: Path, text: str, fix: str) -> None:
    assert mistakes(tmp_path, text).fix == fix
