"""Translations and locale formatting: Babel catalogs in locales/, money, dates, percentages."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

from domain.settings import Settings
from domain.vocabulary import KINDS, Choices, Named
from handlers.option_names import OptionNames

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LOCALES = ("en", "zh_Hans_CN")
DOMAIN = "messages"
Day = date


def locale_of(language_or_locale: str) -> str:
    """"zh", "zh_Hans_CN" -> "zh_Hans_CN"; anything else -> "en"."""
    return "zh_Hans_CN" if language_or_locale.lower().startswith("zh") else "en"


def catalog_paths(locale: str) -> list[Path]:
    """The locale's catalogs: messages.po plus one per area (cash.po, doors.po, ...)."""
    return sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po"))


def _compile(path: Path, locale: str) -> Translations:
    with path.open("rb") as po:
        catalog = read_po(po, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@cache
def translations(locale: str) -> Translations:
    """The gettext translations of a locale, compiled from its .po catalogs once per process."""
    merged = Translations(domain=DOMAIN)
    for path in catalog_paths(locale):
        merged.merge(_compile(path, locale))
    return merged


@lru_cache(maxsize=4096)
def _weekday_date(locale: str, day: date) -> str:
    pattern = "yyyy年M月d日 EEE" if locale == "zh_Hans_CN" else "EEE, MMM d, y"
    return format_date(day, pattern, locale=Locale.parse(locale))


class Translator:
    """Messages and formats for one reader: their locale and time zone, and the company's
    names for its stages, sources, payment methods and kinds of activity."""

    def __init__(self, locale: str, timezone: str = "UTC",
                 settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.locale = locale_of(locale)
        self.language = "zh" if self.locale == "zh_Hans_CN" else "en"
        self.babel_locale = Locale.parse(self.locale)
        self.tz = ZoneInfo(timezone)
        self._gettext = translations(self.locale).gettext
        self._fallback = translations("en").gettext

    def __call__(self, key: str, **params: Any) -> str:
        """The message `key` in the reader's language, filled with `params`."""
        text = self._gettext(key)
        if text == key:
            text = self._fallback(key)
        if not params:
            return text
        shown = {name: self.shown(value) for name, value in params.items()}
        for name, value in shown.items():
            # "saved: Acme Ltd." rather than "saved: Acme Ltd.."
            if isinstance(value, str) and value.endswith(".") and f"{{{name}}}." in text:
                text = text.replace(f"{{{name}}}.", f"{{{name}}}")
        try:
            return text.format(**shown)
        except (KeyError, IndexError, ValueError):
            return text

    def term(self, kind: str, key: str | None) -> str:
        """A stage, source, method or kind of activity by its name in the reader's language."""
        if key is None:
            return "—"
        found = self.settings.term(kind, str(key))
        return found.name(self.language) if found is not None else str(key)

    def stage(self, key: str | None) -> str:
        """A deal's stage in the reader's words, the closing ones (won, lost) included."""
        if key in ("won", "lost"):
            return self(f"deal.status.{key}")
        return self.term("stage", key)

    def status(self, kind: str, key: str) -> str:
        """A status ("lead.status", "invoice.status", ...) in the reader's words."""
        return self(f"{kind}.{key}")

    def shown(self, value: Any) -> Any:
        """A message parameter as the reader sees it: values by their names, never keys."""
        if isinstance(value, Named):
            if value.kind in KINDS:
                return self.term(value.kind, value.key)
            if value.kind == "deal.status" and value.key == "open":
                return self("export.status.open")
            return self.status(value.kind, value.key)
        if isinstance(value, Choices):
            separator = "、" if self.language == "zh" else ", "
            return separator.join(self.shown(Named(value.kind, key)) for key in value.keys)
        if isinstance(value, OptionNames):
            return value.shown(self.language)
        if isinstance(value, datetime):  # before date: a datetime is a date too
            return self.when(value)
        if isinstance(value, date):
            return self.date(value)
        return value

    def money(self, amount: Decimal | None, currency: str) -> str:
        if amount is None:
            return "—"
        return format_currency(amount, currency, locale=self.babel_locale)

    def money_short(self, amount: Decimal, currency: str) -> str:
        """Large figures in summaries: ¥12.5万 in Chinese, ¥125K in English."""
        if self.language == "zh" and abs(amount) >= 10000:
            symbol = self.babel_locale.currency_symbols.get(currency, currency)
            wan = format_decimal(amount / Decimal(10000), "#,##0.##", locale=self.babel_locale)
            return f"{symbol}{wan}万"
        return format_currency(amount, currency, locale=self.babel_locale)

    def number(self, value: Decimal | int) -> str:
        return format_decimal(value, locale=self.babel_locale)

    def percent(self, pct: Decimal | int) -> str:
        """`pct` in percent units: 20 -> "20%"."""
        return format_percent(Decimal(pct) / 100, "#,##0.##%", locale=self.babel_locale)

    def date(self, day: date | None) -> str:
        if day is None:
            return "—"
        return format_date(day, "long" if self.language == "zh" else "medium",
                           locale=self.babel_locale)

    def weekday_date(self, day: Day) -> str:
        return _weekday_date(self.locale, day)

    def when(self, instant: datetime | None) -> str:
        """An instant in the reader's time zone: "Tue, Dec 1, 2026 15:00", "2026年12月1日 周二
        15:00" (a naive instant is UTC). The day is formatted once per day and language: a
        list of reminders shows a few days many times."""
        if instant is None:
            return "—"
        local = (instant if instant.tzinfo else instant.replace(tzinfo=UTC)).astimezone(self.tz)
        return f"{_weekday_date(self.locale, local.date())} {local:%H:%M}"
