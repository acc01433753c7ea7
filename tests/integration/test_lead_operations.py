"""Lead operations through the dispatcher on SQLite and PostgreSQL: scores on the card and in
lists, the public pool (/pool, /claim, /release, the daily job, the race on /claim), the
funnel by score, the lead response time, and the digest's pool figures."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.app import App
from bot.delivery import Deliverer
from bot.jobs import Jobs
from domain import pool
from domain.errors import Conflict
from domain.settings import AmountBand, Assignment, Pool, Scoring, Settings
from storage.tables import audit_log, leads, outbox
from tests.support import FakeClock, say


@pytest.fixture
def settings() -> Settings:
    return Settings(company_name="Test Co",
                    scoring=Scoring(sources={"referral": 30, "website": 10}, phone=10, email=5,
                                    amount_bands=(AmountBand(Decimal(100000), 15),), hot=40,
                                    warm=20),
                    assignment=Assignment(round_robin=True),
                    pool=Pool(reclaim_after_days=30, warn_days=3, max_owned=200,
                              reclaim_cooldown_days=7))


def test_the_lead_card_shows_the_score_and_why(app: App) -> None:
    created = say(app, "rep", "/lead Acme phone=13800000000 source=referral amount=200k")
    assert "(score 55, hot)" in created.text.splitlines()[0]
    card = say(app, "rep", "/lead L-1").text
    assert "Score 55 (hot): referral +30; amount ≥ CN¥100,000.00 +15; phone +10" in card


def test_leads_sort_by_score_on_request(app: App) -> None:
    say(app, "rep", "/lead Low Co")
    say(app, "rep", "/lead High Co source=referral phone=13800000000")
    say(app, "rep", "/lead Mid Co source=website")
    by_date = say(app, "rep", "/leads mine").text.splitlines()[1:]
    by_score = say(app, "rep", "/leads mine sort=score").text.splitlines()[1:]
    assert [line.split()[0] for line in by_date] == ["L-3", "L-2", "L-1"]
    assert [line.split()[0] for line in by_score] == ["L-2", "L-3", "L-1"]
    assert not say(app, "rep", "/leads mine sort=size").ok


def test_the_funnel_is_cut_by_score_band(app: App) -> None:
    say(app, "rep", "/lead Hot Co source=referral phone=13800000000")
    say(app, "rep", "/lead Warm Co source=referral")
    say(app, "rep", "/lead Cold Co")
    say(app, "rep", "/qualify L-1")
    text = say(app, "mgr", "/funnel team by=score").text
    assert "By score:" in text
    assert "hot (≥40): 1 → 1 (100%)" in text
    assert "warm (20–40): 1 → 0 (0%)" in text and "cold (<20): 1 → 0" in text


def test_lead_response_time_runs_from_creation_to_the_first_activity(
        app: App, clock: FakeClock) -> None:
    say(app, "rep", "/lead Acme")
    clock.advance(hours=3)
    say(app, "rep", "/log L-1 call talked")
    clock.advance(hours=5)
    say(app, "rep", "/log L-1 call again")
    with app.engine.connect() as conn:
        first = conn.execute(select(leads.c.first_activity_at)).scalar_one()
    assert first is not None
    assert "3" in say(app, "rep", "/kpi mine").text.split("response")[1].splitlines()[0]


def test_release_pool_and_claim_in_chat_with_the_history(app: App, clock: FakeClock) -> None:
    say(app, "rep", "/lead Acme source=website")
    assert not say(app, "rep", "/release L-1").ok  # a reason is required
    released = say(app, "rep", '/release L-1 reason="no budget"')
    assert released.ok and "back in the pool" in released.text
    listing = say(app, "rep2", "/pool")
    assert "L-1 Acme" in listing.text and "no budget" in listing.text
    assert listing.buttons[0][0].command == "/claim L-1"
    assert "L-1" not in say(app, "other", "/pool").text  # another team's pool
    assert not say(app, "rep", "/claim L-1").ok  # the cooldown
    assert "L-1" not in say(app, "rep", "/leads mine").text
    claimed = say(app, "rep2", "/claim L-1")
    assert claimed.ok and "yours now" in claimed.text
    again = say(app, "mgr", "/claim L-1")
    assert not again.ok and "not in the pool" in again.text
    history = say(app, "rep2", "/history L-1").text
    assert "/release" in history and "/claim" in history and "in the pool" in history


def test_a_pooled_record_is_read_only_until_claimed(app: App) -> None:
    say(app, "rep", "/lead Acme")
    say(app, "rep", '/release L-1 reason="wrong number"')
    refused = say(app, "rep", "/qualify L-1")
    assert not refused.ok and "claim it first" in refused.text


def test_the_daily_job_warns_then_reclaims_and_the_digest_counts_it(
        app: App, clock: FakeClock) -> None:
    say(app, "rep", "/lead Quiet Co")
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    clock.advance(days=28)
    assert jobs.pool(clock()) == (1, 0)
    assert jobs.pool(clock()) == (1, 0)  # a second run the same day warns nobody again
    clock.advance(days=3)
    assert jobs.pool(clock()) == (0, 1)
    with app.engine.connect() as conn:
        keys = list(conn.execute(select(outbox.c.key).order_by(outbox.c.id)).scalars())
        actions = list(conn.execute(select(audit_log.c.action)
                                    .where(audit_log.c.entity == "lead")).scalars())
    assert keys == ["notify.pool_warning", "notify.pool_reclaimed"]
    assert "job:pool" in actions
    assert "L-1 Quiet Co" in say(app, "rep2", "/pool").text
    clock.advance(days=1)  # the digest covers the seven days before its own
    digest = say(app, "mgr", "/digest").text
    assert "Public pool: leads 1, customers 0; taken back this week: 1" in digest


def test_first_claim_wins_when_two_reps_claim_at_once(app: App, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers: PostgreSQL")
    say(app, "rep", "/lead Contested Co")
    say(app, "rep", '/release L-1 reason="too far"')
    now = app.dispatcher.clock() + timedelta(days=8)
    ready = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(username: str) -> None:
        with app.uow() as uow:
            actor = uow.users.by_username(username)
            assert actor is not None
            seen = uow.leads.get(1)  # both sessions see it in the pool before either claims
            assert seen is not None and seen.in_pool
            ready.wait(10)
            try:
                pool.claim(uow, actor, "lead", 1, app.settings, now)
                uow.commit()
                outcomes.append(f"won:{username}")
            except Conflict as refused:
                outcomes.append(refused.key)

    threads = [threading.Thread(target=claim, args=(name,)) for name in ("rep2", "mgr")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["pool.taken", "won"]
    winner = outcomes[[o.startswith("won") for o in outcomes].index(True)].split(":")[1]
    with app.uow() as uow:
        lead = uow.leads.get(1)
        owner = uow.users.by_username(winner)
        assert lead is not None and owner is not None
        assert (lead.owner_id, lead.in_pool) == (owner.id, False)


def test_a_released_customer_freezes_its_deals_until_claimed(app: App) -> None:
    say(app, "rep", "/lead Acme")
    assert say(app, "rep", "/qualify L-1 amount=50k").ok
    assert say(app, "rep", '/release A-1 reason="moving on"').ok
    card = say(app, "rep2", "/customer A-1")
    assert "In the public pool since" in card.text
    assert card.buttons[0][0].command == "/claim A-1"
    frozen = say(app, "rep", "/stage D-1 proposal")
    assert not frozen.ok and "claim it first" in frozen.text
    assert say(app, "rep2", "/claim A-1").ok
    assert say(app, "rep2", "/stage D-1 proposal").ok
    assert "rep2" in say(app, "rep2", "/deal D-1").text
