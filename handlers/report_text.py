"""How reports and digests write their figures for a reader: whose figures they are, a rate
or a dash, short amounts on charts, and a chart as a picture attached to the reply."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from babel.numbers import format_compact_currency

from handlers.i18n import Translator
from handlers.reply import Attachment

AGING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus")
PNG = "image/png"

Format = Callable[[Decimal], str]


def scope_name(t: Translator, word: str, team: str | None) -> str:
    """Whose figures: "mine", the team's (by name) or the whole company's."""
    if word == "mine":
        return t("report.scope.mine")
    if word == "team":
        return t("report.scope.team", team=team or "")
    return t("report.scope.all")


def percent_or_dash(t: Translator, value: Decimal | None) -> str:
    """A rate in the reader's notation; a dash where there was nothing to divide."""
    return "—" if value is None else t.percent(value)


def compact(t: Translator, currency: str) -> Format:
    """Short amounts for chart axes and bars: CN¥1.2M, ¥12.5万."""
    return lambda amount: format_compact_currency(amount, currency, locale=t.babel_locale,
                                                  fraction_digits=1)


def png(name: str, data: bytes) -> Attachment:
    """A drawn chart as a file of the reply."""
    return Attachment(name=name, data=data, mime=PNG)
