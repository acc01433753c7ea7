"""/assign, /handover and /users through the dispatcher on both databases: the records move,
the new owner is told through the outbox, a person who left is refused at the door, and a
refused command writes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from bot.app import App
from storage.tables import audit_log, customers, deals, leads, metadata, outbox, reminders, users
from tests.support import say


def _ok(app: App, user: str, text: str) -> str:
    reply = say(app, user, text)
    assert reply.ok, f"{text}: {reply.text}"
    return reply.text


def _id(app: App, username: str) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(users.c.id).where(users.c.username == username))
                   .scalar_one())


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables}


def _told(app: App, username: str) -> list[dict[str, Any]]:
    with app.engine.connect() as conn:
        return list(conn.execute(select(outbox.c.params).where(
            outbox.c.key == "notify.assigned",
            outbox.c.recipient == str(_id(app, username)))).scalars())


def _book(app: App) -> None:
    _ok(app, "rep", "/lead Acme")
    _ok(app, "rep", "/qualify L-1 amount=50k")
    _ok(app, "rep", "/remind D-1 tomorrow call back")
    _ok(app, "rep", "/lead Globex")


def test_a_manager_gives_a_customer_with_its_deal_and_reminder_and_the_new_owner_is_told(
        app: App) -> None:
    _book(app)
    before = len(_told(app, "rep2"))
    text = _ok(app, "mgr", "/assign A-1 rep2")
    assert text.startswith("A-1 is now rep2's; records moved with it (2): A-1, D-1.")
    rep2 = _id(app, "rep2")
    with app.engine.connect() as conn:
        assert conn.execute(select(customers.c.owner_id)).scalar_one() == rep2
        assert conn.execute(select(deals.c.owner_id)).scalar_one() == rep2
        assert conn.execute(select(reminders.c.user_id)).scalar_one() == rep2
        assert conn.execute(select(leads.c.owner_id).where(leads.c.id == 2)
                            ).scalar_one() == _id(app, "rep")
        moved = conn.execute(select(audit_log.c.entity, audit_log.c.before, audit_log.c.after)
                             .where(audit_log.c.action == "assign")).all()
    assert {(e, b["owner_id"], a["owner_id"]) for e, b, a in moved if "owner_id" in a} == {
        ("customer", _id(app, "rep"), rep2), ("deal", _id(app, "rep"), rep2)}
    [params] = _told(app, "rep2")[before:]
    assert (params["by"], params["refs"], params["reminders"]) == ("mgr", "A-1, D-1", 1)
    assert "D-1" in _ok(app, "rep2", "/deals")


def test_refused_changes_write_nothing(app: App) -> None:
    _book(app)
    before = _counts(app.engine)
    for user, text in [("rep", "/assign D-1 rep2"), ("mgr", "/assign D-1 other"),
                       ("mgr", "/assign D-1 fin"), ("mgr", "/assign Q-1 rep2"),
                       ("other", "/handover rep rep2"), ("mgr", "/handover rep other"),
                       ("mgr", "/assign D-1"), ("rep2", "/edit D-1 amount=1k"),
                       ("fin", "/edit L-1 company=Other"), ("other", "/rename A-1 Other"),
                       ("rep2", "/contact A-1 name=Zhao"), ("rep", "/edit D-1 stage=won"),
                       ("rep", "/users deactivate rep2"), ("mgr", "/users role rep admin")]:
        assert not say(app, user, text).ok, text
    assert _counts(app.engine) == before


def test_a_leaver_is_refused_at_the_door_and_their_work_is_handed_over(app: App) -> None:
    _book(app)
    text = _ok(app, "boss", "/users deactivate rep")
    assert "rep (rep) is deactivated" in text
    assert "Still open: customers 1, deals 1, leads 1, reminders 1 (A-1, D-1, L-2)." in text
    offered = [b.command for row in say(app, "boss", "/users").buttons for b in row]
    assert offered == []  # the list itself has no buttons
    before = _counts(app.engine)
    refused = say(app, "rep", "/lead Sneaky")
    assert not refused.ok and "deactivated" in refused.text
    assert _counts(app.engine) == before
    handed = _ok(app, "mgr", "/handover rep rep2")
    assert "rep's open records are now rep2's (3): A-1, D-1, L-2." in handed
    assert _told(app, "rep2")[-1]["count"] == 3
    assert _ok(app, "mgr", "/handover rep rep2") == "rep has nothing open to hand over."
    assert "· deactivated" in _ok(app, "boss", "/users")


def test_deactivating_offers_to_hand_over_to_the_team(app: App) -> None:
    _book(app)
    reply = say(app, "boss", "/users deactivate rep")
    assert [b.command for row in reply.buttons for b in row] == [
        "/handover rep mgr", "/handover rep rep2"]


def test_admins_change_roles_and_teams_and_keep_one_admin(app: App) -> None:
    _book(app)
    assert _ok(app, "boss", "/users role rep2 manager") == "rep2 is now manager."
    assert _ok(app, "boss", "/users team rep west") == (
        "rep is now in team west; open records moved along: 3.")
    with app.engine.connect() as conn:
        assert set(conn.execute(select(deals.c.team)).scalars()) == {"west"}
    assert "D-1" in _ok(app, "rep", "/find acme")  # still rep's, now in team west...
    assert "D-1" not in say(app, "mgr", "/find acme").text  # ...so out of east's view
    for text in ("/users role boss rep", "/users deactivate boss", "/users promote rep",
                 "/users team ghost east"):
        assert not say(app, "boss", text).ok, text
    assert not say(app, "mgr", "/users deactivate rep").ok
