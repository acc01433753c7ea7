"""Read config.toml into `domain.settings.Settings`, with clear errors for every mistake.

Which file is read: the `path` argument if given, else the file named by the `LTC_CONFIG`
environment variable, else `config.toml` in the current directory if it exists, else no file
(all defaults). `LTC_DATABASE_URL` overrides `database.url`. A relative SQLite path in the file
(or the default one, when a file is read) is taken relative to the file's directory.

Every problem raises `ConfigError`, whose message names the file, the key path such as
`pipeline.stages[2].probability` (list positions count from 0), what is wrong and how to fix it.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from apscheduler.triggers.cron import CronTrigger

from bot.config_terms import check_words, read_aliases, read_terms
from domain.dates import interval_text, parse_interval, parse_time, parse_time_range
from domain.errors import InvalidInput
from domain.model.activities import ActivityKind
from domain.model.payments import PaymentMethod
from domain.money import KNOWN_CURRENCIES
from domain.plans import parse_plan
from domain.settings import DunningLevel, Settings, Stage

__all__ = ["ConfigError", "load_settings"]

DEFAULT_FILE = "config.toml"
CONFIG_ENV = "LTC_CONFIG"
DATABASE_ENV = "LTC_DATABASE_URL"

# Known keys per section; None means the section's keys are names the company chooses.
_SECTIONS: dict[str, tuple[str, ...] | None] = {
    "company": ("name", "currency", "timezone", "locale"),
    "database": ("url",),
    "pipeline": ("stages", "stale_after_days"),
    "leads": ("sources", "duplicate_threshold"),
    "payments": ("methods",),
    "activities": ("kinds",),
    "quotes": ("approval_discount", "default_validity_days", "default_tax"),
    "plans": None,
    "dunning": ("levels",),
    "schedule": ("reminders_every", "dunning_at", "digest_cron", "quiet_hours"),
    "channels": None,
    "targets": None,
    "telegram": ("api_base_url", "webhook_url", "webhook_port", "webhook_host"),
    "slack": ("api_base_url", "http_port", "http_host"),
}
_STAGE_KEYS = ("key", "name_en", "name_zh", "probability", "aliases")
_DUNNING_KEYS = ("days", "notify")
_RESERVED_STAGES = ("won", "lost")
_ROLES = ("owner", "manager", "finance", "admin")
_PLATFORMS = ("telegram", "slack")
_CURRENCY_ALIASES = {"RMB": "CNY", "NTD": "TWD", "YEN": "JPY"}
_LOCALES = {"en": "en", "zh_Hans_CN": "zh_Hans_CN", "zh": "zh_Hans_CN"}

_WORD = re.compile(r"[A-Za-z0-9_-]+")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_SQLITE_URL = re.compile(r"(sqlite(?:\+\w+)?):///(.*)", re.DOTALL)

_STAGE_EXAMPLE = (
    '{ key = "proposal", name_en = "Proposal", name_zh = "方案报价", probability = 50 }'
)
_DUNNING_EXAMPLE = '{ days = 7, notify = ["owner", "finance"] }'


class ConfigError(Exception):
    """A problem in the configuration file, explained in one message.

    `file` is the file, `key` the key path (None for problems with the file as a whole),
    `problem` what is wrong and `fix` how to put it right.
    """

    def __init__(self, file: str, key: str | None, problem: str, fix: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        self.fix = fix
        where = f"{file}, at {key}" if key else file
        stop = "" if problem.endswith(("?", ".", "!")) else "."
        super().__init__(f"Error in {where}: {problem}{stop} To fix it, {fix}.")


def load_settings(
    path: str | Path | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Read, validate and return the company's settings (see the module docstring)."""
    environ: Mapping[str, str] = os.environ if env is None else env
    file = _choose_file(path, environ)
    if file is None:
        settings = Settings()
        url_override = environ.get(DATABASE_ENV, "")
        if url_override:
            settings = _replace_url(settings, url_override)
        return settings

    loader = _Loader(str(file))
    data = loader.read(file)
    settings = loader.settings(data)
    base = file.resolve().parent
    url_override = environ.get(DATABASE_ENV, "")
    url = url_override or _resolve_sqlite(settings.database_url, base)
    return _replace_url(settings, url)


def _choose_file(path: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if path is not None:
        return Path(path)
    named = env.get(CONFIG_ENV, "")
    if named:
        return Path(named)
    default = Path(DEFAULT_FILE)
    return default if default.is_file() else None


def _replace_url(settings: Settings, url: str) -> Settings:
    if url == settings.database_url:
        return settings
    return replace(settings, database_url=url)


def _resolve_sqlite(url: str, base: Path) -> str:
    """Make a relative SQLite file path absolute against `base`; leave other URLs alone."""
    match = _SQLITE_URL.fullmatch(url)
    if match is None:
        return url
    scheme, rest = match.groups()
    file_part, separator, query = rest.partition("?")
    if (
        not file_part
        or file_part == ":memory:"
        or file_part.startswith("file:")
        or Path(file_part).is_absolute()
    ):
        return url
    absolute = (base / file_part).resolve()
    return f"{scheme}:///{absolute.as_posix()}{separator}{query}"


def _show(value: Any) -> str:
    """A value as it would look in TOML, kept short."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list):
        text = "an array"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    """The TOML type of a value, in words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date/time"


def _closest(word: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _listing(choices: Iterable[str]) -> str:
    return ", ".join(f'"{choice}"' for choice in choices)


def _path(parent: str, child: str | int) -> str:
    if isinstance(child, int):
        return f"{parent}[{child}]"
    name = child if _WORD.fullmatch(child) else _show(child)
    return f"{parent}.{name}" if parent else name


_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday_names(cron: str) -> str:
    """Standard cron counts weekdays from Sunday = 0 (or 7); APScheduler from Monday = 0.
    Numbers in the weekday field become names, so "0 9 * * 1" keeps meaning Monday."""
    fields = cron.split(" ")
    if len(fields) != 5:
        return cron
    fields[4] = re.sub(r"(?<![/\d])([0-7])(?!\d)", lambda m: _CRON_DAYS[int(m.group(1))],
                       fields[4])
    return " ".join(fields)


class _Loader:
    """Validates one parsed file; every error names `self.file`."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str | None, problem: str, fix: str) -> ConfigError:
        return ConfigError(self.file, key, problem, fix)

    # ----------------------------------------------------------------- reading

    def read(self, file: Path) -> dict[str, Any]:
        try:
            with file.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            raise self.fail(
                None,
                "the configuration file does not exist",
                f"create it (the project's {DEFAULT_FILE} is a complete example) "
                f"or point {CONFIG_ENV} at an existing file",
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise self.fail(
                None,
                f"the file is not valid TOML ({exc})",
                "correct the syntax at that line; strings need double quotes "
                "and each [section] may appear only once",
            ) from None
        except UnicodeDecodeError:
            raise self.fail(
                None, "the file is not UTF-8 text", "save it with UTF-8 encoding"
            ) from None
        except OSError as exc:
            raise self.fail(
                None,
                f"the file cannot be read ({exc.strerror or exc})",
                "check that the path names a readable file",
            ) from None

    # ------------------------------------------------------------ structure

    def check_keys(self, table: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
        """Refuse keys not in `known`, suggesting the closest known one."""
        for name in table:
            if name in known:
                continue
            key = _path(where, name)
            label = f"[{where}]" if "[" not in where and "." not in where else where
            suggestion = _closest(name, known)
            if suggestion is not None:
                raise self.fail(
                    key,
                    f'there is no setting called "{name}" in {label}; '
                    f'did you mean "{suggestion}"?',
                    f'rename it to "{suggestion}" or remove it',
                )
            raise self.fail(
                key,
                f'there is no setting called "{name}" in {label}',
                f"remove it or use one of the known settings: {_listing(known)}",
            )

    def check_sections(self, data: Mapping[str, Any]) -> None:
        sections = tuple(_SECTIONS)
        for name, value in data.items():
            if name in _SECTIONS:
                if not isinstance(value, dict):
                    raise self.fail(
                        name,
                        f"[{name}] must be a section (a table), but it is {_kind(value)}",
                        f"write it as a section header [{name}] followed by its settings",
                    )
                continue
            suggestion = _closest(name, sections)
            if suggestion is not None:
                raise self.fail(
                    name,
                    f'there is no section called [{name}]; did you mean [{suggestion}]?',
                    f"rename it to [{suggestion}] or remove it",
                )
            home = [
                section for section, keys in _SECTIONS.items() if keys and name in keys
            ]
            if home:
                raise self.fail(
                    name,
                    f'"{name}" is not a section, and settings cannot stand outside one',
                    f'move it below the [{home[0]}] header',
                )
            raise self.fail(
                name,
                f"there is no section called [{name}]",
                f"remove it or use one of the known sections: {_listing(sections)}",
            )

    # --------------------------------------------------------------- values

    def table(self, value: Any, key: str, example: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(
                key, f"this must be a table, but it is {_kind(value)} ({_show(value)})",
                f"write it like {example}",
            )
        return value

    def array(self, value: Any, key: str, example: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(
                key, f"this must be an array, but it is {_kind(value)} ({_show(value)})",
                f"write it like {example}",
            )
        return value

    def string(self, value: Any, key: str, example: str, *, allow_empty: bool = False) -> str:
        if not isinstance(value, str):
            raise self.fail(
                key, f"this must be a string, but it is {_kind(value)} ({_show(value)})",
                f"put the value in double quotes, like {example}",
            )
        text = value.strip()
        if not text and not allow_empty:
            raise self.fail(key, "this must not be empty", f"set it, like {example}")
        return text

    def integer(self, value: Any, key: str, low: int, high: int, example: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(
                key,
                f"this must be a whole number, but it is {_kind(value)} ({_show(value)})",
                f"write a whole number without quotes, like {example}",
            )
        if not low <= value <= high:
            raise self.fail(
                key,
                f"{value} is out of range; it must be from {low} to {high}",
                f"set a whole number from {low} to {high}",
            )
        return value

    def number(self, value: Any, key: str, example: str) -> Decimal:
        """An int or float as an exact Decimal, through its TOML text."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(
                key,
                f"this must be a number, but it is {_kind(value)} ({_show(value)})",
                f"write a number without quotes, like {example}",
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(
                key, f"{value} is not a usable number", f"write an ordinary number, like {example}"
            )
        return Decimal(str(value))

    def percent(self, value: Any, key: str, example: str) -> Decimal:
        amount = self.number(value, key, example)
        if not Decimal(0) <= amount <= Decimal(100):
            raise self.fail(
                key,
                f"{_show(value)} percent is out of range; it must be from 0 to 100",
                f"set a percentage from 0 to 100, like {example}",
            )
        return amount

    def time_of_day(self, value: Any, key: str, example: str) -> str:
        text = self.string(value, key, f'"{example}"')
        normal = self.parse_time(text)
        if normal is None:
            raise self.fail(
                key,
                f"{_show(text)} is not a time of day in HH:MM form",
                f'write a 24-hour time such as "{example}"',
            )
        return normal

    @staticmethod
    def parse_time(text: str) -> str | None:
        """A time of day as HH:MM, read by the same grammar as chat ("9:00", "9am", "上午9点")."""
        found = parse_time(text)
        return None if found is None else f"{found:%H:%M}"

    def url(self, value: Any, key: str, example: str, *, allow_empty: bool = False) -> str:
        text = self.string(value, key, f'"{example}"', allow_empty=allow_empty)
        if text and not text.startswith(("http://", "https://")):
            raise self.fail(
                key,
                f"{_show(text)} is not a web address starting with http:// or https://",
                f'write the full address, like "{example}"',
            )
        return text

    def listen_address(self, value: Any, key: str) -> str:
        """An IP address of this machine to listen on ("0.0.0.0": every interface)."""
        text = self.string(value, key, '"127.0.0.1"').strip()
        if text == "localhost":
            return "127.0.0.1"
        try:
            return str(ipaddress.ip_address(text))
        except ValueError:
            raise self.fail(
                key, f"{_show(text)} is not an IP address to listen on",
                'write "127.0.0.1" (this machine only, behind a proxy), "0.0.0.0" (every '
                'interface) or one address of this machine',
            ) from None

    # --------------------------------------------------------------- sections

    def settings(self, data: dict[str, Any]) -> Settings:
        self.check_sections(data)
        fields: dict[str, Any] = {}
        for name, keys in _SECTIONS.items():
            if name not in data:
                continue
            section = data[name]
            if keys is not None:
                self.check_keys(section, keys, name)
            getattr(self, f"section_{name}")(section, fields)
        return Settings(**fields)

    def section_company(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "name" in section:
            out["company_name"] = self.string(section["name"], "company.name", '"Acme Trading"')
        if "currency" in section:
            out["currency"] = self.currency(section["currency"], "company.currency")
        if "timezone" in section:
            out["timezone"] = self.timezone(section["timezone"], "company.timezone")
        if "locale" in section:
            out["locale"] = self.locale(section["locale"], "company.locale")

    def currency(self, value: Any, key: str) -> str:
        code = self.string(value, key, '"CNY"').upper()
        if code not in KNOWN_CURRENCIES:
            suggestion = _CURRENCY_ALIASES.get(code) or _closest(code, sorted(KNOWN_CURRENCIES))
            hint = f'; did you mean "{suggestion}"?' if suggestion else ""
            raise self.fail(
                key,
                f'"{code}" is not a currency this bot knows{hint}',
                f"use an ISO 4217 code, one of: {', '.join(sorted(KNOWN_CURRENCIES))}",
            )
        return code

    def timezone(self, value: Any, key: str) -> str:
        name = self.string(value, key, '"Asia/Shanghai"')
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            suggestion = _closest(name, available_timezones())
            hint = f'; did you mean "{suggestion}"?' if suggestion else ""
            raise self.fail(
                key,
                f'"{name}" is not a known time zone{hint}',
                'use an IANA time zone name such as "Asia/Shanghai" or "Europe/Berlin"',
            ) from None
        return name

    def locale(self, value: Any, key: str) -> str:
        name = self.string(value, key, '"zh_Hans_CN"')
        if name not in _LOCALES:
            raise self.fail(
                key,
                f'"{name}" is not a supported language',
                'use "en" for English or "zh_Hans_CN" (or "zh") for Simplified Chinese',
            )
        return _LOCALES[name]

    def section_database(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "url" in section:
            url = self.string(section["url"], "database.url", '"sqlite:///data/ltc.db"')
            if "://" not in url:
                raise self.fail(
                    "database.url",
                    f"{_show(url)} is not a database URL",
                    'write a URL such as "sqlite:///data/ltc.db" or '
                    '"postgresql+psycopg://user@host/db"',
                )
            out["database_url"] = url

    def section_pipeline(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "stages" in section:
            out["stages"] = self.stages(section["stages"])
        if "stale_after_days" in section:
            out["stale_after_days"] = self.integer(
                section["stale_after_days"], "pipeline.stale_after_days", 1, 3650, "14"
            )

    def stages(self, value: Any) -> tuple[Stage, ...]:
        items = self.array(value, "pipeline.stages", f"[ {_STAGE_EXAMPLE}, ... ]")
        if not items:
            raise self.fail(
                "pipeline.stages",
                "the list of stages is empty, so deals would have nowhere to go",
                f"list at least one open stage, like {_STAGE_EXAMPLE} "
                "(won and lost are added automatically)",
            )
        stages: list[Stage] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            where = _path("pipeline.stages", index)
            stage = self.stage(item, where)
            if stage.key in seen:
                raise self.fail(
                    f"{where}.key",
                    f'the stage key "{stage.key}" is already used by '
                    f"pipeline.stages[{seen[stage.key]}]",
                    "give every stage its own key",
                )
            seen[stage.key] = index
            stages.append(stage)
        check_words(self, [s.term for s in stages], "pipeline.stages", "stage")
        return tuple(stages)

    def stage(self, item: Any, where: str) -> Stage:
        table = self.table(item, where, _STAGE_EXAMPLE)
        self.check_keys(table, _STAGE_KEYS, where)
        if "key" not in table:
            raise self.fail(
                f"{where}.key",
                "this stage has no key",
                'add key = "..." with a short single word, like key = "proposal"',
            )
        key = self.string(table["key"], f"{where}.key", '"proposal"')
        if not _WORD.fullmatch(key):
            raise self.fail(
                f"{where}.key",
                f"{_show(key)} is not a single word",
                'use letters, digits, "_" or "-" only, like "cold_lead"',
            )
        if key.lower() in _RESERVED_STAGES:
            raise self.fail(
                f"{where}.key",
                f'"{key}" is reserved: won and lost are closing stages the bot adds itself',
                "remove this stage or give it another key",
            )
        if "probability" not in table:
            raise self.fail(
                f"{where}.probability",
                f'the stage "{key}" has no probability',
                "add probability = N, the chance in percent (0 to 100) that a deal "
                "in this stage is won, like probability = 50",
            )
        probability = self.integer(
            table["probability"], f"{where}.probability", 0, 100, "50"
        )
        default_name = key.replace("_", " ").replace("-", " ").capitalize()
        name_en = default_name
        if "name_en" in table:
            name_en = self.string(table["name_en"], f"{where}.name_en", '"Proposal"')
        name_zh = name_en
        if "name_zh" in table:
            name_zh = self.string(table["name_zh"], f"{where}.name_zh", '"方案报价"')
        aliases = read_aliases(self, table["aliases"], f"{where}.aliases") \
            if "aliases" in table else ()
        return Stage(key=key, name_en=name_en, name_zh=name_zh, probability=probability,
                     aliases=aliases)

    def section_leads(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "sources" in section:
            out["sources"] = read_terms(self, section["sources"], "leads.sources", "source")
        if "duplicate_threshold" in section:
            out["duplicate_threshold"] = self.integer(
                section["duplicate_threshold"], "leads.duplicate_threshold", 0, 100, "85"
            )

    def section_payments(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "methods" in section:
            known = [m.value for m in PaymentMethod]
            out["payment_methods"] = read_terms(self, section["methods"], "payments.methods",
                                                "method", known.__contains__, known)

    def section_activities(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "kinds" in section:
            known = [k.value for k in ActivityKind]
            out["activity_kinds"] = read_terms(self, section["kinds"], "activities.kinds",
                                               "kind", known.__contains__, known)

    def section_quotes(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "approval_discount" in section:
            out["approval_discount"] = self.percent(
                section["approval_discount"], "quotes.approval_discount", "15"
            )
        if "default_validity_days" in section:
            out["quote_validity_days"] = self.integer(
                section["default_validity_days"], "quotes.default_validity_days", 1, 3650, "30"
            )
        if "default_tax" in section:
            out["default_tax"] = self.percent(section["default_tax"], "quotes.default_tax", "13")

    def section_plans(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        plans: dict[str, str] = {}
        for name, value in section.items():
            where = _path("plans", name)
            if not _WORD.fullmatch(name):
                raise self.fail(
                    where,
                    f"the plan name {_show(name)} is not a single word, "
                    "so it cannot be written as plan=<name>",
                    'use letters, digits, "_" or "-" only, like "standard"',
                )
            plans[name] = self.plan(value, where)
        out["plans"] = plans

    def plan(self, value: Any, where: str) -> str:
        text = self.string(value, where, '"30/60/10" or "net30"')
        fix = (
            'write "netN" (due N days after invoicing), "netN eom" (N days after the end '
            'of the month), or installment percentages that add up to 100, like "30/60/10", '
            'each optionally with its trigger ("30@signing/60@delivery/10@2027-03-31")'
        )
        try:
            spec, _parts = parse_plan(text, {})  # the same grammar as plan= in chat
        except InvalidInput as error:
            if error.key == "plan.not_100":
                raise self.fail(
                    where,
                    f"the installments {_show(text)} add up to {error.params['total']}, not 100",
                    "change the percentages so that they add up to exactly 100, "
                    "like \"30/60/10\"",
                ) from None
            raise self.fail(where, f"{_show(text)} is not a payment plan", fix) from None
        return spec

    def section_dunning(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "levels" not in section:
            return
        items = self.array(section["levels"], "dunning.levels", f"[ {_DUNNING_EXAMPLE}, ... ]")
        levels: list[DunningLevel] = []
        seen: dict[int, int] = {}
        for index, item in enumerate(items):
            where = _path("dunning.levels", index)
            level = self.dunning_level(item, where)
            if level.days in seen:
                raise self.fail(
                    f"{where}.days",
                    f"days = {level.days} is already used by dunning.levels[{seen[level.days]}]",
                    "merge the two levels into one, listing all roles to notify",
                )
            seen[level.days] = index
            levels.append(level)
        out["dunning"] = tuple(sorted(levels, key=lambda level: level.days))

    def dunning_level(self, item: Any, where: str) -> DunningLevel:
        table = self.table(item, where, _DUNNING_EXAMPLE)
        self.check_keys(table, _DUNNING_KEYS, where)
        if "days" not in table:
            raise self.fail(
                f"{where}.days", "this dunning level has no days",
                "add days = N, the days after the due date (negative: before it)",
            )
        days = self.integer(table["days"], f"{where}.days", -365, 3650, "7")
        if "notify" not in table:
            raise self.fail(
                f"{where}.notify", "this dunning level has nobody to notify",
                f"add notify = [...] with roles from {_listing(_ROLES)}",
            )
        roles_key = f"{where}.notify"
        items = self.array(table["notify"], roles_key, '["owner", "finance"]')
        if not items:
            raise self.fail(
                roles_key, "the list of roles to notify is empty",
                f"list at least one role from {_listing(_ROLES)}",
            )
        roles: list[str] = []
        for index, value in enumerate(items):
            role_key = _path(roles_key, index)
            role = self.string(value, role_key, '"owner"').lower()
            if role not in _ROLES:
                suggestion = _closest(role, _ROLES)
                hint = f'; did you mean "{suggestion}"?' if suggestion else ""
                raise self.fail(
                    role_key, f'"{role}" is not a role{hint}',
                    f"use one of {_listing(_ROLES)}",
                )
            if role not in roles:
                roles.append(role)
        return DunningLevel(days=days, notify=tuple(roles))

    def section_schedule(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "reminders_every" in section:
            out["reminders_every"] = self.interval(
                section["reminders_every"], "schedule.reminders_every"
            )
        if "dunning_at" in section:
            out["dunning_at"] = self.time_of_day(
                section["dunning_at"], "schedule.dunning_at", "09:00"
            )
        if "digest_cron" in section:
            out["digest_cron"] = self.cron(section["digest_cron"], "schedule.digest_cron")
        if "quiet_hours" in section:
            out["quiet_hours"] = self.quiet_hours(section["quiet_hours"], "schedule.quiet_hours")

    def interval(self, value: Any, key: str) -> str:
        text = self.string(value, key, '"1m"')
        step = parse_interval(text)
        if step is None:
            raise self.fail(
                key,
                f"{_show(text)} is not an interval",
                'write a number followed by s, m or h, like "30s", "1m", "5m" or "1h"',
            )
        return interval_text(step)

    def cron(self, value: Any, key: str) -> str:
        text = _weekday_names(" ".join(self.string(value, key, '"0 9 * * mon"').split()))
        try:
            CronTrigger.from_crontab(text, timezone=ZoneInfo("UTC"))
        except ValueError as exc:
            raise self.fail(
                key,
                f"{_show(text)} is not a valid cron expression ({exc})",
                'write five fields "minute hour day month weekday", like "0 9 * * mon" '
                "for Mondays at 09:00",
            ) from None
        return text

    def quiet_hours(self, value: Any, key: str) -> str:
        text = self.string(value, key, '"21:00-08:00"')
        window = parse_time_range(text)
        if window is None:
            raise self.fail(
                key,
                f"{_show(text)} is not a time range in HH:MM-HH:MM form",
                'write start and end as 24-hour times, like "21:00-08:00"',
            )
        return f"{window[0]:%H:%M}-{window[1]:%H:%M}"

    def section_channels(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        example = '{ telegram = "-1001234567890", slack = "C0FINANCE" }'
        channels: dict[str, dict[str, str]] = {}
        for name, value in section.items():
            where = _path("channels", name)
            table = self.table(value, where, example)
            self.check_keys(table, _PLATFORMS, where)
            if not table:
                raise self.fail(
                    where, f'the channel "{name}" names no chat',
                    f"add a chat id per platform, like {example}",
                )
            chats: dict[str, str] = {}
            for platform, chat in table.items():
                chat_key = _path(where, platform)
                if platform == "telegram" and isinstance(chat, int) and not isinstance(chat, bool):
                    chat = str(chat)
                chat_example = '"-1001234567890"' if platform == "telegram" else '"C0FINANCE"'
                chats[platform] = self.string(chat, chat_key, chat_example)
            channels[name] = chats
        out["channels"] = channels

    def section_targets(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        targets: dict[str, Decimal] = {}
        for month, value in section.items():
            where = _path("targets", month)
            match = _MONTH.fullmatch(month)
            if match is None or not 1 <= int(match.group(2)) <= 12:
                raise self.fail(
                    where,
                    f"{_show(month)} is not a month in YYYY-MM form",
                    'name each target by its month, like "2026-12" = 500000',
                )
            amount = self.number(value, where, "500000")
            if amount < 0:
                raise self.fail(
                    where, f"the target {_show(value)} is negative",
                    "set a target of 0 or more",
                )
            targets[month] = amount
        out["targets"] = targets

    def section_telegram(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "api_base_url" in section:
            out["telegram_api_base_url"] = self.url(
                section["api_base_url"], "telegram.api_base_url", "https://api.telegram.org/bot"
            )
        if "webhook_url" in section:
            out["telegram_webhook_url"] = self.url(
                section["webhook_url"], "telegram.webhook_url",
                "https://bot.example.com/telegram", allow_empty=True,
            )
        if "webhook_port" in section:
            out["telegram_webhook_port"] = self.integer(
                section["webhook_port"], "telegram.webhook_port", 0, 65535, "8443"
            )
        if "webhook_host" in section:
            out["telegram_webhook_host"] = self.listen_address(
                section["webhook_host"], "telegram.webhook_host")

    def section_slack(self, section: dict[str, Any], out: dict[str, Any]) -> None:
        if "api_base_url" in section:
            out["slack_api_base_url"] = self.url(
                section["api_base_url"], "slack.api_base_url", "https://slack.com/api/"
            )
        if "http_port" in section:
            out["slack_http_port"] = self.integer(
                section["http_port"], "slack.http_port", 0, 65535, "3000"
            )
        if "http_host" in section:
            out["slack_http_host"] = self.listen_address(section["http_host"], "slack.http_host")
