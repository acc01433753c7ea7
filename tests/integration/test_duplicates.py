"""Look-alike company names are noticed, and a known customer is reused on qualification."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from storage.tables import customers, deals, leads
from tests.support import say


def test_chinese_legal_name_warns_about_existing_short_lead(app: App) -> None:
    assert say(app, "rep", "/lead 阿里巴巴").ok
    reply = say(app, "rep", "/lead 阿里巴巴（中国）有限公司")
    assert reply.ok
    first, warning = reply.text.split("\n")
    assert first.startswith("Lead L-2 saved")
    assert "L-1 阿里巴巴" in warning
    assert "L-2" not in warning  # a lead is not its own duplicate


def test_unrelated_name_gets_no_warning(app: App) -> None:
    assert say(app, "rep", "/lead 阿里巴巴").ok
    reply = say(app, "rep", "/lead 腾讯科技有限公司")
    assert reply.ok and "\n" not in reply.text


def test_existing_customer_is_named_in_the_warning(app: App) -> None:
    assert say(app, "rep", "/lead Acme Ltd").ok
    assert say(app, "rep", "/qualify L-1").ok
    reply = say(app, "rep2", "/lead ACME Limited")
    assert "A-1 Acme Ltd" in reply.text


def test_qualifying_a_lead_with_a_known_name_reuses_the_customer(app: App) -> None:
    assert say(app, "rep", "/lead 阿里巴巴").ok
    assert "A-1" in say(app, "rep", "/qualify L-1").text
    assert say(app, "rep", "/lead 阿里巴巴（中国）有限公司").ok
    reply = say(app, "rep", "/qualify L-2")
    assert reply.ok
    assert "A-1" in reply.text and "D-2" in reply.text
    assert "A-1 was already a customer" in reply.text
    with app.engine.connect() as conn:
        assert conn.execute(select(customers.c.id)).scalars().all() == [1]
        assert conn.execute(select(deals.c.customer_id).order_by(deals.c.id)
                            ).scalars().all() == [1, 1]
        assert conn.execute(select(leads.c.customer_id).order_by(leads.c.id)
                            ).scalars().all() == [1, 1]


def test_qualifying_a_different_name_makes_a_new_customer(app: App) -> None:
    assert say(app, "rep", "/lead Acme").ok
    assert say(app, "rep", "/qualify L-1").ok
    assert say(app, "rep", "/lead Globex").ok
    reply = say(app, "rep", "/qualify L-2")
    assert "A-2" in reply.text and "already a customer" not in reply.text


def _many_leads(app: App, names: list[str]) -> None:
    """Open leads filed as /lead files them (search terms kept by the unit of work)."""
    from datetime import UTC, datetime

    from domain.model.leads import Lead
    from domain.names import normalise_company

    with app.uow() as uow:
        owner = uow.users.by_username("rep")
        assert owner is not None
        for name in names:
            uow.leads.add(Lead(company=name, name_key=normalise_company(name),
                               owner_id=owner.id or 0, team=owner.team,
                               created_at=datetime(2026, 1, 1, tzinfo=UTC)))
        uow.commit()


def test_a_look_alike_is_found_among_many_names_sharing_a_common_word(app: App) -> None:
    from storage.repositories import LOOK_ALIKES

    _many_leads(app, [f"Beijing {n} Trading" for n in range(LOOK_ALIKES * 3)])
    _many_leads(app, ["Beijing Zephyr Robotics"])
    reply = say(app, "rep", "/lead Beijing Zephyr Robotic")
    assert reply.ok
    assert f"L-{LOOK_ALIKES * 3 + 1} Beijing Zephyr Robotics" in reply.text.split("\n", 1)[1]


def test_the_same_name_is_found_however_many_share_its_words(app: App) -> None:
    from storage.repositories import LOOK_ALIKES

    _many_leads(app, [f"华为 {n}" for n in range(LOOK_ALIKES * 3)])
    _many_leads(app, ["華為有限公司"])  # the key 华为, among many filed under 华为
    reply = say(app, "rep", "/lead 华为")
    assert reply.ok
    assert f"L-{LOOK_ALIKES * 3 + 1} 華為有限公司" in reply.text.split("\n", 1)[1]


def test_a_closed_lead_does_not_crowd_out_an_open_look_alike(app: App) -> None:
    from storage.repositories import LOOK_ALIKES

    _many_leads(app, ["Zephyr Robotics"] * (LOOK_ALIKES + 5))
    with app.engine.begin() as conn:
        conn.execute(leads.update().where(leads.c.id <= LOOK_ALIKES + 5)
                     .values(status="disqualified", reason="closed"))
    _many_leads(app, ["Zephyr Robotix"])
    reply = say(app, "rep", "/lead Zephyr Robotics")
    assert reply.ok
    assert f"L-{LOOK_ALIKES + 6} Zephyr Robotix" in reply.text
