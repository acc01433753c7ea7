"""Configured values in config.toml: names in both languages, the old plain-list shape, and
one clear error per mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config
from domain.settings import PAYMENT_METHODS, SOURCES
from domain.vocabulary import Term, resolve
from tests.unit.test_config import SHIPPED_CONFIG, error_for, load


def test_the_shipped_file_names_every_value_in_both_languages() -> None:
    settings = load_config(SHIPPED_CONFIG, env={}).settings
    for kind in ("stage", "source", "method", "kind"):
        terms = settings.terms(kind)
        assert terms, kind
        for term in terms:
            assert term.name_en and term.name_zh, (kind, term)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in term.name_zh), (kind, term)


def test_a_plain_list_of_source_keys_still_works_with_built_in_names(tmp_path: Path) -> None:
    settings = load(tmp_path, '[leads]\nsources = ["website", "trade_fair"]\n')
    assert settings.lead_sources == ("website", "trade_fair")
    assert settings.sources[0] == SOURCES[0]
    assert settings.sources[1] == Term("trade_fair", "trade fair", "trade fair")


def test_sources_as_tables_carry_names_and_other_words(tmp_path: Path) -> None:
    settings = load(tmp_path, '[leads]\nsources = [\n'
                              '  { key = "fair", name_en = "Trade fair", name_zh = "展销会", '
                              'aliases = ["expo"] },\n  { key = "website" },\n]\n')
    assert settings.sources == (Term("fair", "Trade fair", "展销会", ("expo",)), SOURCES[0])
    assert resolve(settings.terms("source"), "展销", "source") == "fair"
    assert resolve(settings.terms("source"), "EXPO", "source") == "fair"


def test_payment_methods_and_kinds_may_be_renamed_and_limited(tmp_path: Path) -> None:
    settings = load(tmp_path, '[payments]\nmethods = [\n'
                              '  { key = "bank", name_en = "wire", name_zh = "对公汇款" },\n'
                              '  "alipay",\n]\n[activities]\nkinds = ["call", "visit"]\n')
    assert [t.key for t in settings.payment_methods] == ["bank", "alipay"]
    assert settings.payment_methods[0].name_zh == "对公汇款"
    assert settings.payment_methods[1] == PAYMENT_METHODS[4]
    assert [t.key for t in settings.activity_kinds] == ["call", "visit"]


def test_stage_aliases_are_read(tmp_path: Path) -> None:
    settings = load(tmp_path, '[pipeline]\nstages = [\n  { key = "demo", name_en = "Demo", '
                              'name_zh = "演示", probability = 30, aliases = ["试用"] },\n]\n')
    assert settings.stages[0].aliases == ("试用",)
    assert resolve(settings.terms("stage"), "试用", "stage") == "demo"


@pytest.mark.parametrize(("text", "key", "said"), [
    ('[payments]\nmethods = ["bitcoin"]\n', "payments.methods[0]", "not a payment method"),
    ('[activities]\nkinds = [{ key = "fax" }]\n', "activities.kinds[0].key",
     "not a kind of activity"),
    ('[leads]\nsources = []\n', "leads.sources", "empty"),
    ('[leads]\nsources = ["web", "web"]\n', "leads.sources[1]", "listed twice"),
    ('[leads]\nsources = [{ name_en = "Web" }]\n', "leads.sources[0].key", "no key"),
    ('[leads]\nsources = [{ key = "web", colour = "red" }]\n', "leads.sources[0].colour",
     "no setting"),
    ('[leads]\nsources = [{ key = "web", name_zh = 5 }]\n', "leads.sources[0].name_zh",
     "must be a string"),
    ('[leads]\nsources = [{ key = "a", name_zh = "展会" }, { key = "b", aliases = ["展会"] }]\n',
     "leads.sources", "names both"),
    ('[pipeline]\nstages = [{ key = "a", name_zh = "谈判", probability = 1 }, '
     '{ key = "b", name_zh = "谈判", probability = 2 }]\n', "pipeline.stages", "names both"),
    ('[payments]\nmethods = [{ key = "cash", aliases = "现金" }]\n',
     "payments.methods[0].aliases", "must be an array"),
])
def test_mistakes_in_configured_values_are_named(tmp_path: Path, text: str, key: str,
                                                 said: str) -> None:
    assert said in error_for(tmp_path, text, key)
