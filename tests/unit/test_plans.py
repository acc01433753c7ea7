"""Payment plans: reading "30/60/10", "net30", named plans; splits that add up exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.money import Money, minor_units
from domain.plans import PlanPart, Trigger, parse_plan, split_total
from domain.settings import Settings

NAMED = Settings().plans


def test_inline_plan_has_signing_delivery_and_acceptance_parts() -> None:
    spec, parts = parse_plan("30/60/10", {})
    assert spec == "30/60/10"
    assert [(p.percent, p.trigger) for p in parts] == [
        (Decimal(30), Trigger.SIGNING), (Decimal(60), Trigger.DELIVERY),
        (Decimal(10), Trigger.ACCEPTANCE)]


def test_plan_of_two_parts_is_signing_then_delivery() -> None:
    _, parts = parse_plan("50% / 50%", {})
    assert [p.trigger for p in parts] == [Trigger.SIGNING, Trigger.DELIVERY]


def test_plan_with_full_width_slash_is_read() -> None:
    _, parts = parse_plan("40／60", {})
    assert [p.percent for p in parts] == [Decimal(40), Decimal(60)]


def test_plan_of_one_part_is_due_at_signing() -> None:
    _, parts = parse_plan("100", {})
    assert parts == [PlanPart(Decimal(100), Trigger.SIGNING)]


def test_middle_parts_of_a_long_plan_are_due_on_delivery() -> None:
    _, parts = parse_plan("10/20/30/40", {})
    assert [p.trigger for p in parts] == [Trigger.SIGNING, Trigger.DELIVERY, Trigger.DELIVERY,
                                          Trigger.ACCEPTANCE]


def test_named_plan_comes_from_settings() -> None:
    spec, parts = parse_plan("Standard", NAMED)
    assert spec == NAMED["standard"]
    assert [p.percent for p in parts] == [Decimal(30), Decimal(60), Decimal(10)]


def test_net30_is_one_part_due_thirty_days_after_delivery() -> None:
    spec, parts = parse_plan("net30", NAMED)
    assert spec == "net30"
    assert parts == [PlanPart(Decimal(100), Trigger.DELIVERY, 30, False)]


def test_net45_eom_counts_from_the_end_of_the_month() -> None:
    spec, parts = parse_plan("NET45 EOM", {})
    assert spec == "net45 eom"
    assert parts == [PlanPart(Decimal(100), Trigger.DELIVERY, 45, True)]


def test_plan_not_adding_to_100_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_plan("30/60", {})
    assert caught.value.key == "plan.not_100"
    assert caught.value.params["total"] == "90"


@pytest.mark.parametrize("spec", ["thirds", "0/100", "-10/110", "50/", "", "/".join(["5"] * 20)])
def test_unreadable_plan_is_refused(spec: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_plan(spec, {})
    assert caught.value.key == "plan.bad"


def test_explicit_triggers_and_a_date_are_read() -> None:
    spec, parts = parse_plan("30@签约 / 50@2027-03-31 / 20@验收", {})
    assert [(p.percent, p.trigger, p.on_date) for p in parts] == [
        (Decimal(30), Trigger.SIGNING, None),
        (Decimal(50), Trigger.DATE, date(2027, 3, 31)),
        (Decimal(20), Trigger.ACCEPTANCE, None)]
    assert spec == "30@signing/50@2027-03-31/20@acceptance"
    assert parse_plan(spec, {})[1] == parts  # the stored spec reads back the same


def test_terms_after_the_shares_apply_to_every_installment() -> None:
    spec, parts = parse_plan("50/50, net45 eom", {})
    assert [(p.net_days, p.end_of_month) for p in parts] == [(45, True), (45, True)]
    assert spec == "50/50 net45 eom"


@pytest.mark.parametrize("spec", ["50@2027-02-30/50", "50@someday/50", "net400"])
def test_impossible_date_trigger_or_terms_are_refused(spec: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_plan(spec, {})
    assert caught.value.key == "plan.bad"


# --------------------------------------------------------------------------- split


def _split(total: str, currency: str, spec: str) -> list[Decimal]:
    _, parts = parse_plan(spec, {})
    return [m.amount for m in split_total(Money(Decimal(total), currency), parts)]


def test_even_split_is_exact() -> None:
    assert _split("1000", "CNY", "30/60/10") == [Decimal(300), Decimal(600), Decimal(100)]


def test_awkward_total_split_in_thirds_adds_up_exactly() -> None:
    assert _split("100.00", "CNY", "33.33/33.33/33.34") == [
        Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    amounts = _split("100.01", "CNY", "33.33/33.33/33.34")
    assert sum(amounts) == Decimal("100.01")
    assert all(a.as_tuple().exponent == -2 for a in amounts)


def test_yen_split_keeps_whole_yen_and_adds_up() -> None:
    amounts = _split("1001", "JPY", "50/50")
    assert amounts == [Decimal(501), Decimal(500)]  # 500.5 rounds half up
    assert _split("1000", "JPY", "33.33/33.33/33.34") == [Decimal(333), Decimal(333),
                                                         Decimal(334)]


_CURRENCIES = st.sampled_from(["CNY", "JPY", "KWD", "USD"])


@st.composite
def _plans(draw: st.DrawFn) -> list[PlanPart]:
    """A valid plan: 1-12 positive shares with up to two decimals, summing to 100."""
    count = draw(st.integers(min_value=1, max_value=12))
    cuts = draw(st.lists(st.integers(min_value=1, max_value=9999), min_size=count - 1,
                         max_size=count - 1, unique=True))
    bounds = [0, *sorted(cuts), 10000]
    return [PlanPart(Decimal(b - a) / 100, Trigger.SIGNING)
            for a, b in zip(bounds, bounds[1:], strict=False)]


def _parts(*shares: str) -> list[PlanPart]:
    return [PlanPart(Decimal(s), Trigger.SIGNING) for s in shares]


def test_tiny_total_never_leaves_a_negative_last_installment() -> None:
    amounts = _split("0.03", "CNY", "16.67/16.67/16.67/16.67/16.67/16.65")
    assert sum(amounts) == Decimal("0.03")
    assert min(amounts) == 0


# Small totals are where rounding bites, so they are drawn as often as large ones.
_MINOR_AMOUNTS = st.one_of(st.integers(min_value=1, max_value=1000),
                           st.integers(min_value=1, max_value=10**13))


@given(currency=_CURRENCIES, cents=_MINOR_AMOUNTS, parts=_plans())
@example(currency="CNY", cents=3, parts=_parts(*["16.67"] * 5, "16.65"))
@example(currency="JPY", cents=5, parts=_parts("33.3", "33.3", "33.3", "0.1"))
def test_installments_always_add_up_and_are_never_negative(
    currency: str, cents: int, parts: list[PlanPart]
) -> None:
    total = Money(Decimal(cents).scaleb(-minor_units(currency)), currency)
    amounts = split_total(total, parts)
    assert len(amounts) == len(parts)
    assert sum((a.amount for a in amounts), Decimal(0)) == total.amount
    assert all(a.currency == currency for a in amounts)
    assert all(a.amount >= 0 for a in amounts)
