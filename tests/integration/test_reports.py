"""Every report figure against a small dataset whose numbers are worked out by hand.

The dataset is made through the dispatcher, as people would type it, over three days of the
week of Mon 2026-11-23 (Asia/Shanghai), and read on Mon 2026-11-30 10:00. The figures come
from storage/reports.py on SQLite and on PostgreSQL and must equal the hand-computed Decimals.

Cast: rep (east) L-1 Acme/website, L-2 Globex/ads, L-5 Hooli/no source, L-6 Stark/ads,
L-8 Cyberdyne/website, L-9 Tyrell/no source; rep2 (east) L-3 Initech/website,
L-7 Wayne/partner; other (west) L-4 Umbrella/referral, L-10 Soylent/event. All made Mon 02:00
UTC (T0). Deals in qualifying order: D-1 Acme 100k, D-2 Globex 50k, D-3 Initech 80k,
D-4 Umbrella 40k, D-5 Stark 20k, D-6 Wayne 30k, D-7 Cyberdyne 33,333.33, D-8 Tyrell (no
amount), D-9 Soylent 10k. D-1 is won on Tue at its order's total, 113,000; D-5's order was
signed on 2026-08-01, so D-5 is won in August; D-3 is won on Wed with /won at its 80,000.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_app
from bot.runtime import Runtime
from domain.digests import month_windows
from domain.model.users import Role
from domain.reports import Scope, Window
from domain.settings import Settings
from domain.users import add_user
from handlers.periods import parse_period
from tests.conftest import BACKENDS, _truncate
from tests.support import FakeClock, say

TZ = "Asia/Shanghai"
T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Mon 10:00 in Shanghai
READ_AT = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # the Monday after, 10:00 in Shanghai
TODAY = date(2026, 11, 30)
TARGETS = {"2026-11": Decimal(300000), "2026-12": Decimal(500000)}
ALL, EAST, WEST = Scope("all"), Scope("team", team="east"), Scope("team", team="west")
D = Decimal


def _ok(app: App, user: str, text: str) -> str:
    reply = say(app, user, text)
    assert reply.ok, f"{text}: {reply.text}"
    return reply.text


def seed(app: App, clock: FakeClock) -> None:
    """The week of 2026-11-23 as the team typed it."""
    clock.now = T0
    for user, lead in [("rep", "Acme source=website"), ("rep", "Globex source=ads"),
                       ("rep2", "Initech source=website"), ("other", "Umbrella source=referral"),
                       ("rep", "Hooli"), ("rep", "Stark source=ads"),
                       ("rep2", "Wayne source=partner"), ("rep", "Cyberdyne source=website"),
                       ("rep", "Tyrell"), ("other", "Soylent source=event")]:
        _ok(app, user, f"/lead {lead}")
    clock.now = T0 + timedelta(hours=2)
    _ok(app, "rep", "/log L-1 call first call")  # L-1 answered after 2 h
    _ok(app, "rep2", "/log L-3 email intro")  # L-3 answered after 2 h
    clock.now = T0 + timedelta(hours=3)
    for user, text in [("rep", "L-1 amount=100k close=2026-12-15"),
                       ("rep", "L-2 amount=50k close=2026-11-30"),
                       ("rep2", "L-3 amount=80k close=2027-01-10"),
                       ("other", "L-4 amount=40k"),
                       ("rep", "L-6 amount=20k close=2026-12-20"),
                       ("rep2", "L-7 amount=30k close=2026-12-05"),
                       ("rep", "L-8 amount=33333.33 close=2026-11-28"),
                       ("rep", "L-9"),
                       ("other", "L-10 amount=10k close=2026-12-10")]:
        _ok(app, user, f"/qualify {text}")
    _ok(app, "rep", "/log L-2 meeting kickoff")  # L-2 answered after 3 h
    clock.now = T0 + timedelta(hours=27)  # T1: Tue 05:00 UTC
    _ok(app, "rep", "/stage D-2 proposal")
    _ok(app, "rep2", "/stage D-3 negotiation")
    _ok(app, "rep", "/stage D-7 negotiation")
    _ok(app, "rep", "/quote D-1 10 x Server @ 10,000")  # 100,000 + 13% tax = 113,000
    _ok(app, "rep", "/accept Q-1 plan=net30")  # O-1, D-1 won at the order's 113,000
    _ok(app, "rep", "/quote D-5 1 x Consulting @ 20,000 tax=0")
    # O-2: D-5 won on the signing day, 2026-08-01 (12:00 in Shanghai), not the day it is typed.
    _ok(app, "rep", "/accept Q-2 plan=net30 signed=2026-08-01")
    clock.now = T0 + timedelta(hours=51)  # T2: Wed 05:00 UTC
    _ok(app, "other", "/lost D-4 reason=price")
    _ok(app, "rep2", "/won D-3")
    _ok(app, "fin", "/deliver O-1 all")
    _ok(app, "fin", "/invoice O-1")  # INV-2026-0001 113,000, issued 11-25, due 12-25
    _ok(app, "fin", "/deliver O-2 all date=2026-08-01")
    _ok(app, "fin", "/invoice O-2 date=2026-08-01 due=2026-08-15")  # INV-2026-0002 20,000
    _ok(app, "fin", "/pay INV-2026-0001 13,000 ref=B1")  # received 11-25
    _ok(app, "fin", "/pay INV-2026-0002 5,000 date=2026-09-01 ref=B2")
    _ok(app, "fin", "/spend website 6000 month=2026-11")
    _ok(app, "fin", "/spend ads 3000 month=2026-11")
    _ok(app, "mgr", "/spend website 1000 month=2026-10")
    clock.now = READ_AT


def make_app(url: str, clock: FakeClock) -> App:
    """The wired app on an empty database with the cast of tests/conftest.py."""
    app = build_app(Settings(company_name="Test Co", targets=TARGETS),
                    Runtime(database_url=url), clock, run_migrations=False)
    with app.uow() as uow:
        uow.action = "test setup"
        for username, role, team in [
            ("boss", Role.ADMIN, None), ("mgr", Role.MANAGER, "east"),
            ("rep", Role.REP, "east"), ("rep2", Role.REP, "east"),
            ("other", Role.REP, "west"), ("fin", Role.FINANCE, None),
        ]:
            add_user(uow, username, role, clock(), team=team, locale="en", timezone=TZ)
        uow.commit()
    return app


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, FakeClock]]:
    """One database per backend with the week's data, shared by this module's read-only
    tests (seeding once keeps the module fast)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("reports") / "ltc.db"
        shutil.copy(Path(request.getfixturevalue("sqlite_template")), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_database")
        _truncate(url)
    clock = FakeClock()
    app = make_app(url, clock)
    seed(app, clock)
    yield app, clock
    app.close()


@pytest.fixture
def data(seeded: tuple[App, FakeClock]) -> App:
    app, clock = seeded
    clock.now = READ_AT
    return app


def window(text: str) -> Window:
    return parse_period(text, TODAY).window(TZ)


def week() -> Window:
    return Window.of("2026-W48", date(2026, 11, 23), date(2026, 11, 30), TZ)


def reports(app: App, method: str, *args: Any) -> Any:
    with app.uow() as uow:
        return getattr(uow.reports, method)(*args)


def _user(app: App, name: str) -> Scope:
    with app.uow() as uow:
        found = uow.users.by_username(name)
        assert found is not None
        return Scope("mine", owner_id=found.id)


# --------------------------------------------------------------------------- pipeline


def _pipeline(rows: list[dict[str, Any]]) -> dict[str | None, tuple[int, Decimal, Decimal]]:
    assert {r["currency"] for r in rows} == {"CNY"}
    return {r["stage"]: (r["deals"], r["amount"], r["weighted"]) for r in rows}


def test_pipeline_counts_amounts_and_weighs_open_deals_by_stage(data: App) -> None:
    # Open: D-2 proposal 50% 50k; D-6 qual 10% 30k; D-7 negotiation 75% 33,333.33;
    # D-8 qual no amount; D-9 (west) qual 10% 10k. Weighted 33,333.33 x 75% = 24,999.9975.
    assert _pipeline(reports(data, "pipeline", ALL, None)) == {
        "qualification": (3, D("40000"), D("4000")),
        "proposal": (1, D("50000"), D("25000")),
        "negotiation": (1, D("33333.33"), D("24999.9975")),
        None: (5, D("123333.33"), D("53999.9975")),
    }
    assert _pipeline(reports(data, "pipeline", EAST, None)) == {
        "qualification": (2, D("30000"), D("3000")),
        "proposal": (1, D("50000"), D("25000")),
        "negotiation": (1, D("33333.33"), D("24999.9975")),
        None: (4, D("113333.33"), D("52999.9975")),
    }
    assert _pipeline(reports(data, "pipeline", _user(data, "rep"), None)) == {
        "qualification": (1, D("0"), D("0")),  # D-8 has no amount yet
        "proposal": (1, D("50000"), D("25000")),
        "negotiation": (1, D("33333.33"), D("24999.9975")),
        None: (3, D("83333.33"), D("49999.9975")),
    }


def test_pipeline_can_be_narrowed_to_deals_expected_to_close_in_a_period(data: App) -> None:
    assert _pipeline(reports(data, "pipeline", ALL, window("2026-12"))) == {
        "qualification": (2, D("40000"), D("4000")),  # D-6 Dec 5, D-9 Dec 10
        None: (2, D("40000"), D("4000")),
    }


# --------------------------------------------------------------------------- forecast


def test_forecast_weighs_open_deals_by_close_month_and_adds_wins(data: App) -> None:
    months = month_windows(date(2026, 11, 1), date(2027, 2, 1), TZ)
    rows = {(r["month"], r["currency"]): r for r in reports(data, "forecast", ALL, months)}
    assert set(rows) == {("2026-11", "CNY"), ("2026-12", "CNY")}
    november, december = rows[("2026-11", "CNY")], rows[("2026-12", "CNY")]
    # November: D-2 (11-30) and D-7 (11-28) open; D-1 113k and D-3 80k won in it (D-5 was
    # signed in August).
    assert (november["open_deals"], november["open_amount"], november["weighted"]) == (
        2, D("83333.33"), D("49999.9975"))
    assert (november["won_deals"], november["won_amount"]) == (2, D("193000"))
    assert (december["open_deals"], december["open_amount"], december["weighted"]) == (
        2, D("40000"), D("4000"))
    assert (december["won_deals"], december["won_amount"]) == (0, D("0"))
    east = {r["month"]: r for r in reports(data, "forecast", EAST, months)}
    assert (east["2026-12"]["open_deals"], east["2026-12"]["weighted"]) == (1, D("3000"))
    assert [(r["currency"], r["deals"], r["amount"], r["weighted"])
            for r in reports(data, "undated", ALL)] == [("CNY", 1, D("0"), D("0"))]


def test_a_win_late_on_the_last_day_counts_in_that_month_of_the_company_zone(
        data: App) -> None:
    # D-1 was won at 05:00 UTC on 11-24 (13:00 in Shanghai); in a zone 8 hours behind UTC the
    # same instant is still 11-23, so month buckets follow the zone they are asked in.
    utc_months = month_windows(date(2026, 11, 1), date(2026, 12, 1), "UTC")
    nov = reports(data, "forecast", ALL, utc_months)[0]
    assert nov["won_amount"] == D("193000")
    before = Window.of("early", date(2026, 11, 1), date(2026, 11, 24), TZ)
    assert reports(data, "won_value", ALL, before) == []


# --------------------------------------------------------------------------- funnel


def _funnel(rows: list[dict[str, Any]]) -> list[tuple[Any, int, int, int, int]]:
    return [(r["key"], r["leads"], r["qualified"], r["quoted"], r["won"]) for r in rows]


def test_funnel_follows_leads_of_the_period_to_qualified_quoted_and_won(data: App) -> None:
    q4 = window("2026-Q4")
    # Won without a quote (D-3) still counts as quoted: the stages nest.
    assert _funnel(reports(data, "funnel", ALL, q4, "all")) == [("all", 10, 9, 3, 3)]
    assert _funnel(reports(data, "funnel", ALL, q4, "source")) == [
        ("ads", 2, 2, 1, 1), ("event", 1, 1, 0, 0), ("partner", 1, 1, 0, 0),
        ("referral", 1, 1, 0, 0), ("website", 3, 3, 2, 2), (None, 2, 1, 0, 0)]
    assert _funnel(reports(data, "funnel", EAST, q4, "all")) == [("all", 8, 7, 3, 3)]
    buckets = month_windows(q4.start, q4.end, TZ)
    assert _funnel(reports(data, "funnel", ALL, q4, "month", buckets)) == [
        ("2026-11", 10, 9, 3, 3)]
    assert reports(data, "funnel", ALL, window("2026-Q3"), "all") == []


# --------------------------------------------------------------------------- KPIs


def test_win_rate_and_sales_cycle_count_deals_closed_in_the_period(data: App) -> None:
    q4 = window("2026-Q4")
    # Won D-1 27 h after its lead, D-3 51 h after: 97,200 + 183,600 s. D-5 was signed in Q3.
    assert reports(data, "closed", ALL, q4) == {
        "won": 2, "lost": 1, "cycle_deals": 2, "cycle_seconds": 280800}
    assert reports(data, "closed", EAST, q4)["lost"] == 0
    assert reports(data, "closed", _user(data, "rep2"), q4) == {
        "won": 1, "lost": 0, "cycle_deals": 1, "cycle_seconds": 183600}
    assert reports(data, "closed", WEST, q4) == {
        "won": 0, "lost": 1, "cycle_deals": 0, "cycle_seconds": None}
    assert [(r["currency"], r["deals"], r["priced"], r["amount"])
            for r in reports(data, "won_value", ALL, q4)] == [("CNY", 2, 2, D("193000"))]
    # D-5 counts in Q3, where it was signed; it was entered after the signing, so it tells
    # nothing of a sales cycle.
    assert reports(data, "closed", ALL, window("2026-Q3")) == {
        "won": 1, "lost": 0, "cycle_deals": 0, "cycle_seconds": None}


def test_lead_response_time_is_the_wait_for_each_leads_first_activity(data: App) -> None:
    q4 = window("2026-Q4")
    # L-1 and L-3 after 2 h, L-2 after 3 h; the seven other leads are not followed up.
    assert reports(data, "lead_response", ALL, q4) == {
        "leads": 10, "answered": 3, "seconds": 7200 + 7200 + 10800}
    assert reports(data, "lead_response", _user(data, "rep"), q4) == {
        "leads": 6, "answered": 2, "seconds": 7200 + 10800}


def test_cac_divides_spend_by_customers_won_for_the_first_time(data: App) -> None:
    q4 = window("2026-Q4")
    assert reports(data, "new_customers", q4) == [{"source": "website", "customers": 2}]
    assert reports(data, "new_customers", window("2026-Q3")) == [
        {"source": "ads", "customers": 1}]  # D-5, signed in August
    assert reports(data, "spend", q4) == [
        {"source": "ads", "currency": "CNY", "amount": D("3000")},
        {"source": "website", "currency": "CNY", "amount": D("7000")}]
    assert reports(data, "spend", window("2026-10")) == [
        {"source": "website", "currency": "CNY", "amount": D("1000")}]
    # A later period does not count them again: they were won before it.
    assert reports(data, "new_customers", window("2026-12")) == []


def test_clv_and_dso_read_orders_invoices_and_payments(data: App) -> None:
    q4, q3 = window("2026-Q4"), window("2026-Q3")
    assert reports(data, "customer_value", ALL, q4.end) == [
        {"currency": "CNY", "revenue": D("133000"), "customers": 2}]
    # End of Q4: 113,000 + 20,000 invoiced less 13,000 + 5,000 paid; 113,000 invoiced in Q4.
    assert reports(data, "receivables", ALL, q4) == [
        {"currency": "CNY", "outstanding": D("115000"), "invoiced": D("113000")}]
    # End of Q3: only INV-2026-0002 (20,000, issued Aug 1) less the 5,000 paid Sep 1.
    assert reports(data, "receivables", ALL, q3) == [
        {"currency": "CNY", "outstanding": D("15000"), "invoiced": D("20000")}]
    assert reports(data, "receivables", WEST, q4) == []


# --------------------------------------------------------------------------- aging and cash


def _buckets(row: dict[str, Any]) -> tuple[Decimal, ...]:
    return tuple(row[b] for b in ("current", "days_1_30", "days_31_60", "days_61_90",
                                  "days_90_plus", "total"))


def test_aging_puts_each_customers_outstanding_in_its_bucket(data: App) -> None:
    # INV-2026-0001: 100,000 owed, due 12-25; INV-2026-0002: 15,000 owed, due 08-15.
    rows = reports(data, "aging", ALL, TODAY, 20)
    assert [(r["customer"], r["currency"], _buckets(r)) for r in rows] == [
        ("Acme", "CNY", (D(100000), D(0), D(0), D(0), D(0), D(100000))),
        ("Stark", "CNY", (D(0), D(0), D(0), D(0), D(15000), D(15000)))]
    (total,) = reports(data, "aging_totals", ALL, TODAY)
    assert total["customers"] == 2
    assert _buckets(total) == (D(100000), D(0), D(0), D(0), D(15000), D(115000))
    assert reports(data, "aging_totals", WEST, TODAY) == []


@pytest.mark.parametrize("today, bucket", [
    (date(2026, 12, 25), "current"), (date(2026, 12, 26), "days_1_30"),
    (date(2027, 1, 24), "days_1_30"), (date(2027, 1, 25), "days_31_60"),
    (date(2027, 2, 23), "days_31_60"), (date(2027, 2, 24), "days_61_90"),
    (date(2027, 3, 25), "days_61_90"), (date(2027, 3, 26), "days_90_plus"),
])
def test_aging_bucket_edges_count_days_past_due(data: App, today: date, bucket: str) -> None:
    acme = reports(data, "aging", ALL, today, 20)
    row = next(r for r in acme if r["customer"] == "Acme")
    assert row[bucket] == D(100000) and row["total"] == D(100000)


def test_cash_expected_by_due_week_and_the_most_overdue(data: App) -> None:
    assert reports(data, "cash_due", ALL, TODAY, 4) == [{
        "currency": "CNY", "overdue": D(15000), "week_1": D(0), "week_2": D(0),
        "week_3": D(0), "week_4": D(100000)}]  # 12-25 falls in [12-21, 12-28)
    assert reports(data, "overdue_top", ALL, TODAY, 10) == [{
        "number": "INV-2026-0002", "customer": "Stark", "currency": "CNY",
        "outstanding": D(15000), "due_on": date(2026, 8, 15)}]


def test_the_cash_lists_keep_whom_owes_most_in_a_reps_scope_too(data: App) -> None:
    # Acme (100,000 current) before Stark (15,000 past 90 days); both are rep's, none rep2's.
    assert [(r["customer"], _buckets(r)) for r in reports(data, "aging", ALL, TODAY, 1)] == [
        ("Acme", (D(100000), D(0), D(0), D(0), D(0), D(100000)))]
    rep, rep2 = _user(data, "rep"), _user(data, "rep2")
    assert [(r["customer"], _buckets(r)) for r in reports(data, "aging", rep, TODAY, 20)] == [
        ("Acme", (D(100000), D(0), D(0), D(0), D(0), D(100000))),
        ("Stark", (D(0), D(0), D(0), D(0), D(15000), D(15000)))]
    assert reports(data, "aging", rep2, TODAY, 20) == []
    assert [r["number"] for r in reports(data, "overdue_top", rep, TODAY, 10)] == [
        "INV-2026-0002"]
    assert reports(data, "overdue_top", rep2, TODAY, 10) == []
    assert reports(data, "overdue_top", ALL, TODAY, 0) == []


# --------------------------------------------------------------------------- people, weeks


def test_leaderboard_ranks_by_won_amount_then_wins_then_activities(data: App) -> None:
    rows = reports(data, "leaderboard", ALL, window("2026-11"), "CNY", 10)
    assert [(r["name"], r["won"], r["won_amount"], r["activities"], r["leads"])
            for r in rows] == [
        ("rep", 1, D(113000), 2, 6), ("rep2", 1, D(80000), 1, 2),
        ("mgr", 0, D(0), 0, 0), ("other", 0, D(0), 0, 2)]
    assert [r["name"] for r in reports(data, "leaderboard", EAST, window("2026-11"), "CNY",
                                       2)] == ["rep", "rep2"]


def test_stale_deals_are_open_ones_silent_since_the_cut_off(data: App) -> None:
    before = READ_AT - timedelta(days=6)  # 11-24 02:00 UTC
    assert [r["id"] for r in reports(data, "stale", ALL, before, 10)] == [6, 8, 9]
    assert reports(data, "stale_count", ALL, before) == 3
    assert reports(data, "stale_count", EAST, before) == 2
    assert reports(data, "stale_count", ALL, READ_AT - timedelta(days=7)) == 0
    rep = _user(data, "rep")  # D-8 is rep's; D-6 is rep2's, D-9 other's
    assert [r["id"] for r in reports(data, "stale", rep, before, 10)] == [8]
    assert reports(data, "stale_count", rep, before) == 1
    assert [r["id"] for r in reports(data, "stale", ALL, before, 2)] == [6, 8]
    assert [r["id"] for r in reports(data, "stale", ALL, READ_AT - timedelta(days=5), 10)
            ] == [6, 8, 9, 2, 7]


def test_the_week_in_moves_new_deals_and_wins(data: App) -> None:
    assert reports(data, "stage_moves", ALL, week()) == [
        {"stage": "negotiation", "moves": 2}, {"stage": "proposal", "moves": 1}]
    assert reports(data, "new_deals", ALL, week()) == [
        {"currency": "CNY", "deals": 9, "amount": D("376333.33")}]  # D-1 at its 113,000 order
    assert reports(data, "new_deals", EAST, week()) == [
        {"currency": "CNY", "deals": 7, "amount": D("326333.33")}]
    assert reports(data, "won_value", EAST, week()) == [
        {"currency": "CNY", "deals": 2, "priced": 2, "amount": D(193000)}]
    following = Window.of("2026-W49", date(2026, 11, 30), date(2026, 12, 7), TZ)
    assert reports(data, "stage_moves", ALL, following) == []


# --------------------------------------------------------------------------- the commands


def test_reports_answer_each_role_within_its_scope(data: App) -> None:
    rep = say(data, "rep", "/pipeline")
    assert "Pipeline (mine)" in rep.text and "Total CNY: deals 3" in rep.text
    assert "Total CNY: deals 4 · CN¥113,333.33 · weighted CN¥53,000.00" in say(
        data, "mgr", "/pipeline").text
    assert "Total CNY: deals 5" in say(data, "fin", "/pipeline").text
    for user, asked in [("rep", "team"), ("rep", "all"), ("mgr", "all")]:
        refused = say(data, user, f"/pipeline {asked}")
        assert not refused.ok and f"You cannot see “{asked}” figures" in refused.text
    assert say(data, "mgr", "/pipeline mine").text == "No open deals (mine)."  # owns none


def test_report_commands_write_the_figures_for_the_reader(data: App) -> None:
    kpi = say(data, "fin", "/kpi period=2026-Q4").text
    for line in ["Win rate: 66.7% (2 won, 1 lost)",
                 "Average deal size: CN¥96,500.00 (won deals: 2)",
                 "Average sales cycle: 1.6 days from lead to won (deals: 2)",
                 "Lead response time: 2.3 hours to the first activity (leads followed up: 3 of 10)",
                 "ads: — (CN¥3,000.00 / new customers: 0)",
                 "website: CN¥3,500.00 (CN¥7,000.00 / new customers: 2)",
                 "CLV: CN¥66,500.00 per customer (customers: 2",
                 "DSO: 93.6 days (receivables CN¥115,000.00 / invoiced CN¥113,000.00 × 92"]:
        assert line in kpi, f"{line!r} not in:\n{kpi}"
    funnel = say(data, "mgr", "/funnel period=2026-Q4").text
    assert "All: 8 → 7 (87.5%) → 3 (42.9%) → 3 (100%); lead to won 37.5%" in funnel
    forecast = say(data, "boss", "/forecast all period=2026-11").text
    assert ("2026-11: won CN¥193,000.00 + weighted CN¥50,000.00 = CN¥243,000.00 "
            "(open deals: 2) · target CN¥300,000.00 (81%)") in forecast
    board = say(data, "mgr", "/leaderboard period=2026-11").text.splitlines()
    assert board[1] == "  1. rep — 1 won, CN¥113,000.00, activities 2, new leads 6"
    aging = say(data, "fin", "/aging")
    assert "Total CNY (customers: 2): current CN¥100,000.00" in aging.text
    assert [f.name for f in aging.files] == ["aging.png"]
    assert aging.files[0].data.startswith(b"\x89PNG")
    stale = say(data, "mgr", "/stale days=6")
    assert stale.text.startswith("Stale deals (team east), open without activity for 6+ days (2):")
    assert "D-6 Wayne (Wayne) · rep2 · Qualification · CN¥30,000.00 · silent 6 days" in stale.text


def test_reports_are_written_in_chinese_for_a_chinese_reader(data: App) -> None:
    say(data, "fin", "/lang zh")
    try:
        text = say(data, "fin", "/kpi period=2026-Q4").text
        assert "赢单率：66.7%（赢单 2，输单 1）" in text
        assert "应收账款周转天数：93.6 天" in text
        aging = say(data, "fin", "/aging")
        assert aging.text.startswith("应收账龄（全部），截至 2026年11月30日")
    finally:
        say(data, "fin", "/lang en")


def test_a_period_that_cannot_be_read_is_refused_with_examples(data: App) -> None:
    refused = say(data, "mgr", "/kpi period=someday")
    assert not refused.ok
    assert refused.text == ("“someday” is not a period. Write one like 2026-Q4, 2026-11, 2026, "
                            "last-30d, this-month.")


def test_spend_is_booked_by_finance_or_managers_and_adds_up_per_month(app: App) -> None:
    assert say(app, "fin", "/spend ads 5k month=2026-10").text == (
        "Spend booked: ads CN¥5,000.00 for 2026-10.\n"
        "ads in 2026-10 so far: CN¥5,000.00 (1 entries).")
    assert say(app, "mgr", "/spend ads 2,500 month=2026-10").text.endswith(
        "ads in 2026-10 so far: CN¥7,500.00 (2 entries).")
    assert say(app, "fin", "/spend website 1000").text.startswith(
        "Spend booked: website CN¥1,000.00 for 2026-11.")  # this month by default
    for user, text in [("rep", "/spend ads 100"), ("fin", "/spend ads 100 month=2026-Q4"),
                       ("fin", "/spend billboards 100"), ("fin", "/spend ads")]:
        assert not say(app, user, text).ok, text
    with app.uow() as uow:
        assert reports(app, "spend", window("2026")) == [
            {"source": "ads", "currency": "CNY", "amount": D("7500")},
            {"source": "website", "currency": "CNY", "amount": D("1000")}]
        assert uow.reports.spend_of("ads", date(2026, 10, 1)) == [
            {"currency": "CNY", "amount": D("7500"), "entries": 2}]
