"""The kinds of value config.toml holds, as pydantic types: each is checked, explained when
wrong, and kept in one form (currency codes upper-case, times as HH:MM, plans as stored); and
`Table`, the strict model every table of the file is read with.

Times and plans are read by the same grammar as chat, so `dunning_at = "9am"` and
`standard = "30/60/10"` mean what they would mean in a message.
"""

from __future__ import annotations

import ipaddress
import math
import re
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from apscheduler.triggers.cron import CronTrigger
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from bot.config_errors import NOT_A_NUMBER, closest, listing, mistake, show
from domain.dates import interval_text, parse_interval, parse_time, parse_time_range
from domain.errors import InvalidInput
from domain.money import KNOWN_CURRENCIES
from domain.plans import parse_plan

ROLES = ("owner", "manager", "finance", "admin", "customer")
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_CURRENCY_ALIASES = {"RMB": "CNY", "NTD": "TWD", "YEN": "JPY"}
_LOCALES = {"en": "en", "zh_Hans_CN": "zh_Hans_CN", "zh": "zh_Hans_CN"}
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Table(BaseModel):
    """A table of config.toml: unknown keys are refused, values keep their TOML type ("14" is
    no number, true no port), strings are stripped and must not be empty unless said."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              str_strip_whitespace=True, str_min_length=1)

    def given(self) -> dict[str, Any]:
        """The keys the file sets, by their field names; the rest keep the defaults."""
        return {name: getattr(self, name) for name in type(self).model_fields
                if name in self.model_fields_set}


def _number(value: Any) -> Any:
    """A TOML int or float as an exact Decimal, through its text (0.1 stays 0.1)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(NOT_A_NUMBER, "not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "not a usable number")
    return Decimal(str(value))


def _word(text: str) -> str:
    if not _WORD.fullmatch(text):
        raise mistake(f"{show(text)} is not a single word",
                      'use letters, digits, "_" or "-" only, like "cold_lead"')
    return text


def _currency(text: str) -> str:
    code = text.upper()
    if code not in KNOWN_CURRENCIES:
        suggestion = _CURRENCY_ALIASES.get(code) or closest(code, sorted(KNOWN_CURRENCIES))
        hint = f'; did you mean "{suggestion}"?' if suggestion else ""
        raise mistake(f'"{code}" is not a currency this bot knows{hint}',
                      f"use an ISO 4217 code, one of: {', '.join(sorted(KNOWN_CURRENCIES))}")
    return code


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        suggestion = closest(name, available_timezones())
        hint = f'; did you mean "{suggestion}"?' if suggestion else ""
        raise mistake(f'"{name}" is not a known time zone{hint}',
                      'use an IANA time zone name such as "Asia/Shanghai" or "Europe/Berlin"'
                      ) from None
    return name


def _locale(name: str) -> str:
    if name not in _LOCALES:
        raise mistake(f'"{name}" is not a supported language',
                      'use "en" for English or "zh_Hans_CN" (or "zh") for Simplified Chinese')
    return _LOCALES[name]


def _web_address(text: str) -> str:
    if text and not text.startswith(("http://", "https://")):
        raise mistake(f"{show(text)} is not a web address starting with http:// or https://",
                      "write the full address, like {example}")
    return text


def _listen_address(text: str) -> str:
    """An IP address of this machine to listen on ("0.0.0.0": every interface)."""
    if text == "localhost":
        return "127.0.0.1"
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise mistake(f"{show(text)} is not an IP address to listen on",
                      'write "127.0.0.1" (this machine only, behind a proxy), "0.0.0.0" (every '
                      "interface) or one address of this machine") from None


def _database_url(text: str) -> str:
    if "://" not in text:
        raise mistake(f"{show(text)} is not a database URL",
                      'write a URL such as "sqlite:///data/ltc.db" or '
                      '"postgresql+psycopg://user@host/db"')
    return text


def _interval(text: str) -> str:
    step = parse_interval(text)
    if step is None:
        raise mistake(f"{show(text)} is not an interval",
                      'write a number followed by s, m or h, like "30s", "1m", "5m" or "1h"')
    return interval_text(step)


def _time_of_day(text: str) -> str:
    found = parse_time(text)
    if found is None:
        raise mistake(f"{show(text)} is not a time of day in HH:MM form",
                      'write a 24-hour time such as "09:00"')
    return f"{found:%H:%M}"


def _time_range(text: str) -> str:
    window = parse_time_range(text)
    if window is None:
        raise mistake(f"{show(text)} is not a time range in HH:MM-HH:MM form",
                      'write start and end as 24-hour times, like "21:00-08:00"')
    return f"{window[0]:%H:%M}-{window[1]:%H:%M}"


def _cron(text: str) -> str:
    """Standard cron counts weekdays from Sunday = 0 (or 7); APScheduler from Monday = 0.
    Numbers in the weekday field become names, so "0 9 * * 1" keeps meaning Monday."""
    fields = text.split()
    if len(fields) == 5:
        fields[4] = re.sub(r"(?<![/\d])([0-7])(?!\d)", lambda m: _CRON_DAYS[int(m.group(1))],
                           fields[4])
    cron = " ".join(fields)
    try:
        CronTrigger.from_crontab(cron, timezone=ZoneInfo("UTC"))
    except ValueError as exc:
        raise mistake(f"{show(cron)} is not a valid cron expression ({exc})",
                      'write five fields "minute hour day month weekday", like "0 9 * * mon" '
                      "for Mondays at 09:00") from None
    return cron


def _plan(text: str) -> str:
    try:
        spec, _parts = parse_plan(text, {})  # the same grammar as plan= in chat
    except InvalidInput as error:
        if error.key == "plan.not_100":
            raise mistake(
                f"the installments {show(text)} add up to {error.params['total']}, not 100",
                'change the percentages so that they add up to exactly 100, like "30/60/10"',
            ) from None
        raise mistake(
            f"{show(text)} is not a payment plan",
            'write "netN" (due N days after invoicing), "netN eom" (N days after the end '
            'of the month), or installment percentages that add up to 100, like "30/60/10", '
            'each optionally with its trigger ("30@signing/60@delivery/10@2027-03-31")',
        ) from None
    return spec


def _plan_name(name: str) -> str:
    if not _WORD.fullmatch(name):
        raise mistake(f"the plan name {show(name)} is not a single word, "
                      "so it cannot be written as plan=<name>",
                      'use letters, digits, "_" or "-" only, like "standard"')
    return name


def _role(text: str) -> str:
    role = text.lower()
    if role not in ROLES:
        suggestion = closest(role, ROLES)
        hint = f'; did you mean "{suggestion}"?' if suggestion else ""
        raise mistake(f'"{role}" is not a role{hint}', f"use one of {listing(ROLES)}")
    return role


def _month(text: str) -> str:
    match = _MONTH.fullmatch(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise mistake(f"{show(text)} is not a month in YYYY-MM form",
                      'name each target by its month, like "2026-12" = 500000')
    return text


def _not_negative(amount: Decimal) -> Decimal:
    if amount < 0:
        raise mistake(f"the target {amount} is negative", "set a target of 0 or more")
    return amount


Number = Annotated[Decimal, BeforeValidator(_number)]
Word = Annotated[str, AfterValidator(_word)]
Currency = Annotated[str, AfterValidator(_currency)]
TimeZone = Annotated[str, AfterValidator(_time_zone)]
Locale = Annotated[str, AfterValidator(_locale)]
WebAddress = Annotated[str, AfterValidator(_web_address)]
WebAddressOrEmpty = Annotated[str, StringConstraints(min_length=0), AfterValidator(_web_address)]
ListenAddress = Annotated[str, AfterValidator(_listen_address)]
DatabaseUrl = Annotated[str, AfterValidator(_database_url)]
Interval = Annotated[str, AfterValidator(_interval)]
TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
TimeRange = Annotated[str, AfterValidator(_time_range)]
Cron = Annotated[str, AfterValidator(_cron)]
Plan = Annotated[str, AfterValidator(_plan)]
PlanName = Annotated[str, AfterValidator(_plan_name)]
Role = Annotated[str, AfterValidator(_role)]
Month = Annotated[str, AfterValidator(_month)]
Target = Annotated[Number, AfterValidator(_not_negative)]
