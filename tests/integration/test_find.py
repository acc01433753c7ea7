"""/find on SQLite and PostgreSQL: names, phones and addresses after normalisation, ranked,
paginated, only what the reader may see, and always the record's current names."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App
from domain.search import query_tokens
from storage import search as storage_search
from storage.tables_search import search_terms
from tests.support import say


def _ok(app: App, user: str, text: str) -> str:
    reply = say(app, user, text)
    assert reply.ok, f"{text}: {reply.text}"
    return reply.text


def _world(app: App) -> None:
    """rep: A-1 北京华为技术有限公司 with C-1 Li Ming and C-2 Zhao; rep2: L-2 Acme Trading;
    other (west): L-3 华为云 with the phone 139 1111 2222."""
    _ok(app, "rep", '/lead 北京华为技术有限公司 contact="Li Ming" phone="+86 138 0013 8000" '
        "email=Li.Ming@Huawei.com")
    _ok(app, "rep", "/qualify L-1 amount=50k")
    _ok(app, "rep", "/contact A-1 name=Zhao title=CFO phone=010-6288-1234 email=zhao@huawei.com")
    _ok(app, "rep2", "/lead Acme Trading Co., Ltd. contact=Wang phone=13700001111")
    _ok(app, "other", "/lead 华为云 phone=13911112222")


def _refs(text: str) -> list[str]:
    return [line.split()[0] for line in text.splitlines()[1:] if line[:2] in
            ("A-", "C-", "L-", "D-")]


def _find(app: App, user: str, query: str) -> list[str]:
    reply = say(app, user, f"/find {query}")
    assert reply.ok, reply.text
    return _refs(reply.text)


def test_phones_are_found_however_they_are_written(app: App) -> None:
    _world(app)
    for query in ("13800138000", "+86 138-0013-8000", "１３８ ００１３ ８０００",
                  "0086 138 0013 8000", "8000", "138 0013"):
        assert _find(app, "rep", query)[:2] == ["C-1", "L-1"], query
    assert _find(app, "rep", "62881234") == ["C-2"]


def test_names_by_any_part_and_addresses_by_themselves_or_their_domain(app: App) -> None:
    _world(app)
    assert _find(app, "rep", "华为") == ["A-1", "L-1", "D-1"]
    assert _find(app, "rep", "Li Ming") == ["C-1", "L-1"]
    assert _find(app, "rep", "LI.MING@HUAWEI.COM") == ["C-1", "L-1"]
    assert set(_find(app, "rep", "huawei.com")) == {"C-1", "C-2", "L-1"}
    assert _find(app, "rep2", "acme trading ltd") == ["L-2"]
    assert _find(app, "rep2", "trad") == ["L-2"]
    assert say(app, "rep", "/find nothing-like-it").text == "Nothing found for “nothing-like-it”."


def test_an_exact_phone_ranks_above_names_that_start_alike(app: App) -> None:
    _world(app)
    _ok(app, "rep", "/lead 13800138000 Holdings")
    assert _find(app, "rep", "13800138000") == ["C-1", "L-1", "L-4"]


def test_each_reader_finds_only_what_they_may_see(app: App) -> None:
    _world(app)
    assert _find(app, "rep", "华为") == ["A-1", "L-1", "D-1"]
    assert _find(app, "other", "华为") == ["L-3"]
    assert set(_find(app, "mgr", "华为")) == {"A-1", "L-1", "D-1"}  # team east
    assert set(_find(app, "fin", "华为")) == {"A-1", "L-1", "D-1", "L-3"}
    assert _find(app, "rep2", "13911112222") == []


def test_results_come_a_page_at_a_time(app: App) -> None:
    for n in range(13):
        _ok(app, "rep", f"/lead Globex {n:02d}")
    first = say(app, "rep", "/find globex")
    assert len(_refs(first.text)) == 10 and "/find globex page=2" in first.text
    second = _find(app, "rep", "globex page=2")
    assert len(second) == 3 and not set(second) & set(_refs(first.text))


def test_a_renamed_record_is_found_by_its_new_name_only(app: App) -> None:
    _world(app)
    _ok(app, "rep", "/rename A-1 Huawei Technologies")
    _ok(app, "rep", "/edit C-1 phone=13500000000")
    assert "A-1" not in _find(app, "rep", "北京")
    assert _find(app, "rep", "technologies") == ["A-1"]
    assert _find(app, "rep", "13500000000") == ["C-1"]
    assert "C-1" not in _find(app, "rep", "13800138000")
    with app.engine.connect() as conn:
        terms = set(conn.execute(select(search_terms.c.term).where(
            search_terms.c.kind == "customer", search_terms.c.record_id == 1)).scalars())
    assert terms == {"huawei", "technologies"}


def test_a_query_too_short_is_refused_with_the_reason(app: App) -> None:
    refused = say(app, "rep", "/find a")
    assert not refused.ok and "too short" in refused.text
    assert query_tokens("ab")  # two letters are enough


def test_a_customer_given_to_someone_else_takes_its_contacts_along_in_search(app: App) -> None:
    _world(app)
    assert _find(app, "rep2", "62881234") == []
    _ok(app, "mgr", "/assign A-1 rep2")
    assert _find(app, "rep2", "62881234") == ["C-2"]
    assert _find(app, "rep", "62881234") == []
    assert "A-1" in _find(app, "rep2", "华为") and "A-1" not in _find(app, "rep", "华为")


def test_a_very_broad_word_shows_its_closest_matches_and_asks_to_narrow(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_search, "CANDIDATES", 3)
    for name in ("Globex", "Globex North", "Globex South", "Globe Trade", "Globetrotter"):
        _ok(app, "rep", f"/lead {name}")
    reply = say(app, "rep", "/find globe")
    assert "these are the closest" in reply.text
    # The first three terms in order: globe (exact, L-4), globetrotter (L-5), one globex.
    found = _refs(reply.text)
    assert found[:2] == ["L-4", "L-5"] and len(found) == 3
    assert "these are the closest" not in say(app, "rep", "/find globetrotter").text
