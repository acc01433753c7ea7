"""Who sees which report scope, the ratios made of SQL sums, and the words of every report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.digests import digest_key
from domain.errors import Forbidden, InvalidInput
from domain.model.spend import Spend
from domain.model.users import Role
from domain.money import Money
from domain.reports import (
    SECONDS_PER_DAY,
    Scope,
    average,
    days_sales_outstanding,
    rate,
    report_scope,
)
from domain.settings import Settings
from domain.spend import record_spend
from handlers.i18n import LOCALES, Translator
from handlers.report_text import AGING_BUCKETS
from handlers.reports import FUNNEL_BY
from handlers.unit_of_work import EXPORT_COLUMNS
from tests.unit.fakes import NOW, FakeUnitOfWork, add_person


def _user(role: Role, team: str | None = "east", uid: int = 7) -> object:
    uow = FakeUnitOfWork()
    for n in range(uid - 1):
        add_person(uow, f"filler{n}", Role.REP)
    return add_person(uow, "asker", role, team)


@pytest.mark.parametrize("role, team, word, expected", [
    (Role.REP, "east", None, Scope("mine", owner_id=7)),
    (Role.REP, "east", "mine", Scope("mine", owner_id=7)),
    (Role.MANAGER, "east", None, Scope("team", team="east")),
    (Role.MANAGER, "east", "mine", Scope("mine", owner_id=7)),
    (Role.MANAGER, None, None, Scope("all")),  # a manager without a team reads everyone's
    (Role.MANAGER, None, "all", Scope("all")),
    (Role.FINANCE, None, None, Scope("all")),
    (Role.FINANCE, None, "team", Scope("all")),
    (Role.ADMIN, "east", "team", Scope("team", team="east")),
    (Role.ADMIN, None, "all", Scope("all")),
])
def test_each_role_gets_the_scope_it_may_read(role: Role, team: str | None, word: str | None,
                                               expected: Scope) -> None:
    assert report_scope(_user(role, team), word) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("role, word, allowed", [
    (Role.REP, "team", "mine"), (Role.REP, "all", "mine"), (Role.MANAGER, "all", "mine, team"),
])
def test_a_wider_scope_than_the_role_allows_is_refused(role: Role, word: str,
                                                       allowed: str) -> None:
    with pytest.raises(Forbidden) as refused:
        report_scope(_user(role), word)  # type: ignore[arg-type]
    assert refused.value.key == "report.scope_not_allowed"
    assert refused.value.params == {"scope": word, "allowed": allowed}


def test_an_unknown_scope_word_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        report_scope(_user(Role.FINANCE), "everyone")  # type: ignore[arg-type]
    assert refused.value.params == {"value": "everyone", "scopes": "mine|team|all"}


def test_rates_and_averages_round_half_up_and_refuse_nothing_to_divide() -> None:
    assert rate(3, 7) == Decimal("42.9")
    assert rate(1, 8) == Decimal("12.5")
    assert rate(5, 0) is None
    assert average(378000, 3, SECONDS_PER_DAY) == Decimal("1.5")
    assert average(Decimal(200000), 3, places="0.01") == Decimal("66666.67")
    assert average(None, 0) is None and average(10, 0) is None


def test_dso_is_receivables_over_invoiced_times_days() -> None:
    assert days_sales_outstanding(Decimal(115000), Decimal(113000), 92) == Decimal("93.6")
    assert days_sales_outstanding(Decimal(100), Decimal(0), 30) is None


def test_a_digest_key_names_the_iso_week_it_covers() -> None:
    settings = Settings()  # Asia/Shanghai
    # Monday Nov 30 covers Nov 23-29, ISO week 48.
    assert digest_key(datetime(2026, 11, 30, 1, 0, tzinfo=UTC), settings, 5) == \
        "digest:2026-W48:u5"
    # Sunday 23:30 UTC is already Monday in Shanghai: the week just ended.
    assert digest_key(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), settings, 5) == \
        "digest:2026-W48:u5"
    assert digest_key(NOW, settings, 5) == "digest:2026-W47:u5"
    # Monday Jan 4 2027 covers Dec 28 2026 - Jan 3 2027, ISO week 53 of 2026.
    assert digest_key(datetime(2027, 1, 4, 1, 0, tzinfo=UTC), settings, 5) == \
        "digest:2026-W53:u5"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_word_a_report_builds_at_run_time_has_text(locale: str) -> None:
    t = Translator(locale)
    keys = [f"export.{kind}.{column}" for kind, columns in EXPORT_COLUMNS.items()
            for column in columns]
    keys += [f"export.kind.{kind}" for kind in EXPORT_COLUMNS]
    keys += [f"report.aging.{bucket}" for bucket in AGING_BUCKETS]
    keys += [f"report.funnel.by_{by}" for by in FUNNEL_BY]
    assert [key for key in keys if t(key) == key] == []
    if locale == "zh_Hans_CN":
        assert t("export.deals.deal") == "商机" and t("report.aging.days_90_plus") == "90天以上"


def test_spend_is_booked_on_a_source_for_the_first_day_of_its_month() -> None:
    uow = FakeUnitOfWork()
    finance = add_person(uow, "fin", Role.FINANCE, None)
    booked = record_spend(uow, finance, " Ads ", Money(Decimal("5000"), "CNY"),
                          date(2026, 11, 17), Settings(), NOW, note="WeChat campaign")
    assert (booked.source, booked.month, booked.amount, booked.note) == (
        "ads", date(2026, 11, 1), Decimal("5000.00"), "WeChat campaign")
    assert uow.stored(Spend) == [booked] and booked.id is not None


@pytest.mark.parametrize("role, source, amount, key", [
    (Role.REP, "ads", "100", "access.role"),
    (Role.FINANCE, "billboards", "100", "lead.bad_source"),
    (Role.MANAGER, "ads", "0", "spend.not_positive"),
])
def test_spend_that_cannot_be_booked_is_refused_and_nothing_is_stored(
        role: Role, source: str, amount: str, key: str) -> None:
    uow = FakeUnitOfWork()
    actor = add_person(uow, "asker", role)
    with pytest.raises((Forbidden, InvalidInput)) as refused:
        record_spend(uow, actor, source, Money(Decimal(amount), "CNY"), date(2026, 11, 1),
                     Settings(), NOW)
    assert refused.value.key == key
    assert uow.stored(Spend) == []
