"""Every change made through the dispatcher leaves an audit row; a refused command leaves none."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from bot.app import App
from domain.model.users import Role
from domain.users import add_user
from storage.tables import audit_log, metadata
from tests.support import FakeClock, say


def _audit(app: App) -> list[dict[str, Any]]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.id)).mappings()
        return [dict(r) for r in rows]


def _user_id(app: App, username: str) -> int:
    with app.uow() as uow:
        user = uow.users.by_username(username)
        assert user is not None and user.id is not None
        return user.id


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables}


def test_creating_a_lead_is_audited_with_actor_and_fields(app: App) -> None:
    before = _audit(app)
    assert say(app, "rep", "/lead Acme contact=Li source=website").ok
    rows = _audit(app)[len(before):]
    assert len(rows) == 1
    row = rows[0]
    assert (row["actor_id"], row["action"], row["entity"], row["entity_id"]) == (
        _user_id(app, "rep"), "lead", "lead", 1)
    assert row["before"] is None
    assert row["after"]["company"] == "Acme"
    assert row["after"]["contact"] == "Li"
    assert row["after"]["source"] == "website"
    assert row["after"]["status"] == "new"
    assert row["at"].tzinfo is not None


def test_qualifying_and_moving_a_stage_record_before_and_after(app: App) -> None:
    rep = _user_id(app, "rep")
    assert say(app, "rep", "/lead Acme contact=Li").ok
    start = len(_audit(app))
    assert say(app, "rep", "/qualify L-1 amount=50k").ok
    qualified = _audit(app)[start:]
    assert {(r["actor_id"], r["action"]) for r in qualified} == {(rep, "qualify")}
    by_entity = {r["entity"]: r for r in qualified}
    assert set(by_entity) == {"customer", "contact", "deal", "lead"}
    assert by_entity["customer"]["after"]["name"] == "Acme"
    assert by_entity["deal"]["after"]["stage"] == "qualification"
    assert by_entity["deal"]["after"]["amount"] == "50000.00"
    lead = by_entity["lead"]
    assert lead["entity_id"] == 1
    assert lead["before"]["status"] == "new" and lead["after"]["status"] == "qualified"
    assert lead["before"]["deal_id"] is None and lead["after"]["deal_id"] == 1
    assert "company" not in lead["after"]  # unchanged fields are not repeated

    start = len(_audit(app))
    assert say(app, "rep", "/stage D-1 proposal").ok
    moved = _audit(app)[start:]
    assert len(moved) == 1
    row = moved[0]
    assert (row["actor_id"], row["action"], row["entity"], row["entity_id"]) == (
        rep, "stage", "deal", 1)
    assert row["before"]["stage"] == "qualification" and row["after"]["stage"] == "proposal"
    assert row["before"]["probability"] == 10 and row["after"]["probability"] == 50
    assert "title" not in row["after"]


def test_manager_change_names_the_manager_as_actor(app: App) -> None:
    assert say(app, "rep", "/lead Acme").ok
    assert say(app, "rep", "/qualify L-1").ok
    start = len(_audit(app))
    assert say(app, "mgr", "/stage D-1 negotiation").ok
    [row] = _audit(app)[start:]
    assert row["actor_id"] == _user_id(app, "mgr")
    assert row["after"]["stage"] == "negotiation"


def test_refused_command_writes_no_audit_row_and_nothing_else(app: App) -> None:
    assert say(app, "rep", "/lead Acme").ok
    before = _row_counts(app.engine)
    reply = say(app, "fin", "/lead Globex")
    assert not reply.ok
    reply = say(app, "other", "/qualify L-1")
    assert not reply.ok
    assert _row_counts(app.engine) == before


def test_audit_rows_roll_back_with_the_change(app: App, clock: FakeClock) -> None:
    start = len(_audit(app))
    with app.uow() as uow:
        uow.actor_id = _user_id(app, "boss")
        uow.action = "invite"
        add_user(uow, "ghost", Role.REP, clock(), locale="en", timezone="UTC")
        uow.flush()
        [written] = uow.session.execute(
            select(audit_log.c.entity, audit_log.c.action).where(audit_log.c.id > 0)
            .order_by(audit_log.c.id.desc()).limit(1)).all()
        assert tuple(written) == ("user", "invite")
    assert len(_audit(app)) == start
