"""config.toml loading: file choice, defaults, overrides and one clear error per mistake."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config
from bot.runtime import Runtime
from domain.settings import DunningLevel, Settings, Stage

SHIPPED_CONFIG = Path(__file__).resolve().parents[2] / "config.toml"


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Settings:
    return load_config(write(tmp_path, text), env={}).settings


def load_runtime(tmp_path: Path, text: str) -> Runtime:
    return load_config(write(tmp_path, text), env={}).runtime


def error_for(tmp_path: Path, text: str, key: str) -> str:
    """Load a broken file and return the message, which must name the file and the key."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    message = str(caught.value)
    assert str(path) in message
    assert key in message
    assert caught.value.key == key
    return message


def stages(*rows: str) -> str:
    return "[pipeline]\nstages = [\n" + ",\n".join(rows) + "\n]\n"


# ------------------------------------------------------------------ choosing the file


def test_no_file_anywhere_gives_all_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config(env={}) == Config()


def test_config_toml_in_current_directory_is_used_when_no_path_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, '[company]\nname = "Here Ltd"\n')
    monkeypatch.chdir(tmp_path)
    assert load_config(env={}).settings.company_name == "Here Ltd"


def test_ltc_config_env_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, '[company]\nname = "Ignored"\n')
    other = write(tmp_path, '[company]\nname = "From Env"\n', name="etc/ltc.toml")
    monkeypatch.chdir(tmp_path)
    assert load_config(env={"LTC_CONFIG": str(other)}).settings.company_name == "From Env"


def test_explicit_path_wins_over_ltc_config(tmp_path: Path) -> None:
    chosen = write(tmp_path, '[company]\nname = "Chosen"\n', name="a.toml")
    other = write(tmp_path, '[company]\nname = "Other"\n', name="b.toml")
    settings = load_config(chosen, env={"LTC_CONFIG": str(other)}).settings
    assert settings.company_name == "Chosen"


def test_env_defaults_to_os_environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[company]\nname = "Env"\n')
    monkeypatch.setenv("LTC_CONFIG", str(path))
    monkeypatch.setenv("LTC_DATABASE_URL", "postgresql+psycopg://u@h/db")
    config = load_config()
    assert config.settings.company_name == "Env"
    assert config.runtime.database_url == "postgresql+psycopg://u@h/db"


def test_missing_explicit_file_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match="does not exist") as caught:
        load_config(missing, env={})
    assert str(missing) in str(caught.value)


def test_invalid_toml_is_an_error_with_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[company]\nname = Acme\n")
    with pytest.raises(ConfigError, match="not valid TOML.*line 2") as caught:
        load_config(path, env={})
    assert str(path) in str(caught.value)


# -------------------------------------------------------------------- good files


def test_shipped_config_loads_with_its_values() -> None:
    config = load_config(SHIPPED_CONFIG, env={})
    settings, runtime = config.settings, config.runtime
    assert settings.company_name == "Acme Trading"
    assert settings.currency == "CNY"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.locale == "zh_Hans_CN"
    expected_db = (SHIPPED_CONFIG.parent / "data" / "ltc.db").resolve().as_posix()
    assert runtime.database_url == f"sqlite:///{expected_db}"
    assert [stage.key for stage in settings.stages] == ["qualification", "proposal", "negotiation"]
    assert settings.stages[1] == Stage("proposal", "Proposal", "方案报价", 50, ("报价",))
    assert settings.stale_after_days == 14
    assert settings.lead_sources == Settings().lead_sources
    assert settings.duplicate_threshold == 85
    assert settings.approval_discount == Decimal("15")
    assert settings.quote_validity_days == 30
    assert settings.default_tax == Decimal("13")
    assert settings.plans["standard"] == "30/60/10"
    assert settings.plans["net30"] == "net30"
    assert settings.dunning == Settings().dunning
    assert runtime.reminders_every == "1m"
    assert runtime.dunning_at == "09:00"
    assert runtime.digest_cron == "0 9 * * mon"
    assert settings.quiet_hours == "21:00-08:00"
    assert settings.channels == frozenset()
    assert runtime.channel_chats == {}
    assert settings.targets == {"2026-12": Decimal("500000"), "2027-01": Decimal("400000")}
    assert runtime.telegram_api_base_url == "https://api.telegram.org/bot"
    assert runtime.telegram_webhook_url == ""
    assert runtime.telegram_webhook_port == 8443
    assert runtime.slack_api_base_url == "https://slack.com/api/"
    assert runtime.slack_http_port == 3000


def test_file_with_only_company_keeps_every_other_default(tmp_path: Path) -> None:
    settings = load(tmp_path, '[company]\nname = "Solo"\ncurrency = "usd"\nlocale = "en"\n')
    assert settings.company_name == "Solo"
    assert settings.currency == "USD"
    assert settings.locale == "en"
    defaults = Settings()
    assert settings.stages == defaults.stages
    assert settings.plans == defaults.plans
    assert settings.dunning == defaults.dunning


def test_locale_zh_means_simplified_chinese(tmp_path: Path) -> None:
    assert load(tmp_path, '[company]\nlocale = "zh"\n').locale == "zh_Hans_CN"


def test_every_section_maps_to_its_settings_field(tmp_path: Path) -> None:
    config = load_config(write(
        tmp_path,
        """
[company]
name = "Full"
currency = "EUR"
timezone = "Europe/Berlin"
[database]
url = "postgresql+psycopg://user@db/ltc"
[pipeline]
stages = [{ key = "demo", name_en = "Demo", name_zh = "演示", probability = 30 }]
stale_after_days = 7
[leads]
sources = ["fair"]
duplicate_threshold = 90
[quotes]
approval_discount = 12.5
default_validity_days = 14
default_tax = 19
[plans]
split = "33.33/33.33/33.34"
eom = "net60 eom"
[dunning]
levels = [{ days = 14, notify = ["finance"] }, { days = -1, notify = ["owner", "admin"] }]
[schedule]
reminders_every = "30s"
dunning_at = "8:30"
digest_cron = "30 8 * * fri"
quiet_hours = "22:00-07:00"
[channels]
finance = { telegram = -1001234567890, slack = "C0FIN" }
[targets]
"2026-12" = 0.1
[telegram]
api_base_url = "http://localhost:8081/bot"
webhook_url = "https://bot.example.com/tg"
webhook_port = 8443
[slack]
api_base_url = "http://localhost:9000/api/"
http_port = 3001
""",
    ), env={})
    settings, runtime = config.settings, config.runtime
    assert settings.company_name == "Full"
    assert settings.currency == "EUR"
    assert settings.timezone == "Europe/Berlin"
    assert runtime.database_url == "postgresql+psycopg://user@db/ltc"
    assert settings.stages == (Stage("demo", "Demo", "演示", 30),)
    assert settings.stale_after_days == 7
    assert settings.lead_sources == ("fair",)
    assert settings.duplicate_threshold == 90
    assert settings.approval_discount == Decimal("12.5")
    assert settings.quote_validity_days == 14
    assert settings.default_tax == Decimal("19")
    assert settings.plans == {"split": "33.33/33.33/33.34", "eom": "net60 eom"}
    assert settings.dunning == (
        DunningLevel(-1, ("owner", "admin")),
        DunningLevel(14, ("finance",)),
    )
    assert runtime.reminders_every == "30s"
    assert runtime.dunning_at == "08:30"
    assert runtime.digest_cron == "30 8 * * fri"
    assert settings.quiet_hours == "22:00-07:00"
    assert settings.channels == {"finance"}
    assert runtime.channel_chats == {"finance": {"telegram": "-1001234567890", "slack": "C0FIN"}}
    assert settings.targets == {"2026-12": Decimal("0.1")}
    assert runtime.telegram_api_base_url == "http://localhost:8081/bot"
    assert runtime.telegram_webhook_url == "https://bot.example.com/tg"
    assert runtime.slack_api_base_url == "http://localhost:9000/api/"
    assert runtime.slack_http_port == 3001


def test_stage_names_default_from_the_key(tmp_path: Path) -> None:
    settings = load(tmp_path, stages('{ key = "cold_lead", probability = 5 }'))
    assert settings.stages == (Stage("cold_lead", "Cold lead", "Cold lead", 5),)


def test_money_and_percent_values_are_exact_decimals(tmp_path: Path) -> None:
    settings = load(tmp_path, '[quotes]\ndefault_tax = 0.1\n[targets]\n"2027-01" = 1234.1\n')
    assert settings.default_tax == Decimal("0.1")
    assert settings.targets["2027-01"] == Decimal("1234.1")


# ------------------------------------------------------------------- database URL


def test_ltc_database_url_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite:///data/ltc.db"\n')
    runtime = load_config(path, env={"LTC_DATABASE_URL": "postgresql+psycopg://u@h/db"}).runtime
    assert runtime.database_url == "postgresql+psycopg://u@h/db"


def test_ltc_database_url_overrides_defaults_without_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runtime = load_config(env={"LTC_DATABASE_URL": "sqlite://"}).runtime
    assert runtime.database_url == "sqlite://"


def test_relative_sqlite_path_is_resolved_against_the_config_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite:///var/ltc.db"\n', name="conf/config.toml")
    monkeypatch.chdir(tmp_path)
    runtime = load_config(path, env={}).runtime
    expected = (tmp_path / "conf" / "var" / "ltc.db").resolve().as_posix()
    assert runtime.database_url == f"sqlite:///{expected}"


def test_default_sqlite_path_is_resolved_against_the_config_directory(tmp_path: Path) -> None:
    runtime = load_runtime(tmp_path, '[company]\nname = "X"\n')
    expected = (tmp_path / "data" / "ltc.db").resolve().as_posix()
    assert runtime.database_url == f"sqlite:///{expected}"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:////srv/ltc/ltc.db",
        "postgresql+psycopg://user@host/db",
    ],
)
def test_absolute_in_memory_and_other_urls_are_untouched(tmp_path: Path, url: str) -> None:
    assert load_runtime(tmp_path, f'[database]\nurl = "{url}"\n').database_url == url


# ------------------------------------------------------------------------- errors


def test_unknown_section_suggests_the_closest(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[pipline]\nstale_after_days = 3\n", "pipline")
    assert "[pipeline]" in message


def test_setting_outside_any_section_says_where_it_belongs(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'currency = "CNY"\n', "currency")
    assert "[company]" in message


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[pipeline]\nstale_after_day = 3\n", "pipeline.stale_after_day")
    assert '"stale_after_days"' in message


def test_unknown_key_in_a_stage_suggests_the_closest(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        stages('{ key = "a", probability = 1 }', '{ key = "b", probabilty = 2 }'),
        "pipeline.stages[1].probabilty",
    )
    assert '"probability"' in message


def test_section_that_is_not_a_table_is_an_error(tmp_path: Path) -> None:
    error_for(tmp_path, 'company = "Acme"\n', "company")


def test_wrong_type_is_an_error(tmp_path: Path) -> None:
    message = error_for(
        tmp_path, '[pipeline]\nstale_after_days = "14"\n', "pipeline.stale_after_days"
    )
    assert "whole number" in message


def test_true_is_not_accepted_as_a_number(tmp_path: Path) -> None:
    error_for(tmp_path, "[slack]\nhttp_port = true\n", "slack.http_port")


def test_stage_without_probability_is_an_error(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        stages('{ key = "a", probability = 10 }', '{ key = "b", name_en = "B" }'),
        "pipeline.stages[1].probability",
    )
    assert "no probability" in message


def test_stage_without_key_is_an_error(tmp_path: Path) -> None:
    error_for(tmp_path, stages("{ probability = 10 }"), "pipeline.stages[0].key")


@pytest.mark.parametrize("probability", ["150", "-1"])
def test_probability_outside_0_to_100_is_an_error(tmp_path: Path, probability: str) -> None:
    message = error_for(
        tmp_path,
        stages(
            '{ key = "a", probability = 10 }',
            '{ key = "b", probability = 20 }',
            f'{{ key = "c", probability = {probability} }}',
        ),
        "pipeline.stages[2].probability",
    )
    assert "0 to 100" in message


def test_duplicate_stage_keys_are_an_error(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        stages('{ key = "a", probability = 10 }', '{ key = "a", probability = 20 }'),
        "pipeline.stages[1].key",
    )
    assert "pipeline.stages[0]" in message


@pytest.mark.parametrize("key", ["won", "lost", "Won"])
def test_won_and_lost_are_reserved_stage_keys(tmp_path: Path, key: str) -> None:
    message = error_for(
        tmp_path, stages(f'{{ key = "{key}", probability = 100 }}'), "pipeline.stages[0].key"
    )
    assert "reserved" in message


def test_empty_stage_list_is_an_error(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[pipeline]\nstages = []\n", "pipeline.stages")
    assert "empty" in message


def test_unknown_currency_is_an_error(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[company]\ncurrency = "XYZ"\n', "company.currency")
    assert '"XYZ"' in message


def test_rmb_is_refused_with_a_hint_to_write_cny(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[company]\ncurrency = "RMB"\n', "company.currency")
    assert 'did you mean "CNY"?' in message


def test_unknown_time_zone_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[company]\ntimezone = "Asia/Shanghia"\n', "company.timezone")
    assert '"Asia/Shanghai"' in message


@pytest.mark.parametrize("zone", ["Mars/Base", "America", "../etc/passwd", ""])
def test_invalid_time_zone_names_are_errors(tmp_path: Path, zone: str) -> None:
    error_for(tmp_path, f'[company]\ntimezone = "{zone}"\n', "company.timezone")


def test_unsupported_locale_is_an_error(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[company]\nlocale = "fr"\n', "company.locale")
    assert "zh_Hans_CN" in message


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("quotes", "approval_discount", "101"),
        ("quotes", "default_tax", "-5"),
        ("leads", "duplicate_threshold", "120"),
    ],
)
def test_percent_out_of_range_is_an_error(
    tmp_path: Path, section: str, key: str, value: str
) -> None:
    error_for(tmp_path, f"[{section}]\n{key} = {value}\n", f"{section}.{key}")


def test_nan_is_not_a_usable_percent(tmp_path: Path) -> None:
    error_for(tmp_path, "[quotes]\ndefault_tax = nan\n", "quotes.default_tax")


def test_plan_that_does_not_add_up_to_100_is_an_error(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[plans]\nstandard = "30/60/20"\n', "plans.standard")
    assert "add up to 110" in message


def test_plan_with_decimals_not_adding_up_is_an_error(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[plans]\nthirds = "33.33/33.33/33.33"\n', "plans.thirds")
    assert "add up to 99.99" in message


@pytest.mark.parametrize("plan", ["net", "thirty", "50//50", "0/100", "30@someday/70"])
def test_malformed_plan_is_an_error(tmp_path: Path, plan: str) -> None:
    error_for(tmp_path, f'[plans]\nodd = "{plan}"\n', "plans.odd")


def test_plans_section_replaces_the_default_plans(tmp_path: Path) -> None:
    settings = load(tmp_path, '[plans]\nfull = "100"\nnet15 = "NET15 EOM"\n')
    assert settings.plans == {"full": "100", "net15": "net15 eom"}


@pytest.mark.parametrize("value", ['"25:00"', '"9"', '"09:60"', "900"])
def test_bad_time_of_day_is_an_error(tmp_path: Path, value: str) -> None:
    error_for(tmp_path, f"[schedule]\ndunning_at = {value}\n", "schedule.dunning_at")


@pytest.mark.parametrize("value", ["21:00", "21:00-", "21:00-24:00", "9pm-8xm"])
def test_bad_quiet_hours_are_an_error(tmp_path: Path, value: str) -> None:
    error_for(tmp_path, f'[schedule]\nquiet_hours = "{value}"\n', "schedule.quiet_hours")


@pytest.mark.parametrize("value", ["1 fortnight", "0m", "5d", "m"])
def test_bad_reminder_interval_is_an_error(tmp_path: Path, value: str) -> None:
    error_for(tmp_path, f'[schedule]\nreminders_every = "{value}"\n', "schedule.reminders_every")


@pytest.mark.parametrize(("field", "value", "kept"), [
    ("quiet_hours", "9pm-8am", "21:00-08:00"),
    ("quiet_hours", "晚上10点到早上7点半", "22:00-07:30"),
    ("reminders_every", "1 minute", "1m"),
    ("reminders_every", "90s", "90s"),
    ("dunning_at", "9am", "09:00"),
    ("dunning_at", "上午9点半", "09:30"),
])
def test_schedule_times_are_read_by_the_chat_grammar(tmp_path: Path, field: str, value: str,
                                                     kept: str) -> None:
    config = load_config(write(tmp_path, f'[schedule]\n{field} = "{value}"\n'), env={})
    assert getattr(config.settings if field == "quiet_hours" else config.runtime, field) == kept


def test_bad_digest_cron_is_an_error(tmp_path: Path) -> None:
    error_for(tmp_path, '[schedule]\ndigest_cron = "0 9 * *"\n', "schedule.digest_cron")


def test_dunning_level_days_must_be_a_whole_number(tmp_path: Path) -> None:
    error_for(
        tmp_path,
        '[dunning]\nlevels = [{ days = "7", notify = ["owner"] }]\n',
        "dunning.levels[0].days",
    )


def test_dunning_level_with_unknown_role_is_an_error(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        '[dunning]\nlevels = [{ days = 7, notify = ["owner", "finanse"] }]\n',
        "dunning.levels[0].notify[1]",
    )
    assert '"finance"' in message


def test_dunning_level_without_notify_is_an_error(tmp_path: Path) -> None:
    error_for(tmp_path, "[dunning]\nlevels = [{ days = 7 }]\n", "dunning.levels[0].notify")


def test_dunning_levels_with_the_same_days_are_an_error(tmp_path: Path) -> None:
    error_for(
        tmp_path,
        "[dunning]\nlevels = [\n"
        '{ days = 7, notify = ["owner"] },\n{ days = 7, notify = ["admin"] },\n]\n',
        "dunning.levels[1].days",
    )


def test_channel_with_unknown_platform_is_an_error(tmp_path: Path) -> None:
    message = error_for(
        tmp_path, '[channels]\nfinance = { telegarm = "-100" }\n', "channels.finance.telegarm"
    )
    assert '"telegram"' in message


def test_channel_chat_id_must_be_a_string(tmp_path: Path) -> None:
    error_for(tmp_path, "[channels]\nwins = { slack = 42 }\n", "channels.wins.slack")


def test_channel_must_be_a_table(tmp_path: Path) -> None:
    error_for(tmp_path, '[channels]\nwins = "C0WINS"\n', "channels.wins")


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "december"])
def test_target_month_must_be_yyyy_mm(tmp_path: Path, month: str) -> None:
    error_for(tmp_path, f'[targets]\n"{month}" = 1000\n', f"targets.{month}")


def test_target_must_be_a_number(tmp_path: Path) -> None:
    error_for(tmp_path, '[targets]\n"2026-12" = "lots"\n', "targets.2026-12")


def test_port_out_of_range_is_an_error(tmp_path: Path) -> None:
    error_for(tmp_path, "[telegram]\nwebhook_port = 70000\n", "telegram.webhook_port")


def test_api_base_url_must_be_a_web_address(tmp_path: Path) -> None:
    error_for(tmp_path, '[slack]\napi_base_url = "slack.com/api/"\n', "slack.api_base_url")


def test_error_message_says_what_is_wrong_and_how_to_fix_it(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        stages('{ key = "a", probability = 10 }', '{ key = "b", probability = 200 }'),
        "pipeline.stages[1].probability",
    )
    assert message.startswith(f"Error in {tmp_path / 'config.toml'}, at ")
    assert "200" in message
    assert "To fix it," in message


@pytest.mark.parametrize(("plan", "stored"), [
    ("net 30", "net 30"), ("NET45 EOM", "net45 eom"),
    ("30@signing/70@2027-03-31", "30@signing/70@2027-03-31"),
])
def test_plans_use_the_same_grammar_as_plan_in_chat(tmp_path: Path, plan: str, stored: str) -> None:
    path = write(tmp_path, f'[plans]\nmine = "{plan}"\n')
    assert load_config(path, env={}).settings.plans == {"mine": stored}


@pytest.mark.parametrize(("cron", "stored"), [
    ("0 9 * * 1", "0 9 * * mon"), ("0 9 * * 1-5", "0 9 * * mon-fri"),
    ("30 8 * * 0,6", "30 8 * * sun,sat"), ("0 9 * * 7", "0 9 * * sun"),
    ("0 9 * * */2", "0 9 * * */2"), ("0 9 * * fri", "0 9 * * fri"),
])
def test_numeric_cron_weekdays_keep_their_standard_meaning(tmp_path: Path, cron: str,
                                                           stored: str) -> None:
    path = write(tmp_path, f'[schedule]\ndigest_cron = "{cron}"\n')
    assert load_config(path, env={}).runtime.digest_cron == stored
