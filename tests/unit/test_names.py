"""Company names: normalised keys and look-alike matching."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, utils

from domain.names import normalise_company, similar_names, trade_name


def test_chinese_legal_form_and_bracketed_region_are_dropped() -> None:
    assert normalise_company("阿里巴巴（中国）有限公司") == normalise_company("阿里巴巴")
    assert normalise_company("阿里巴巴（中国）有限公司") == "阿里巴巴"


def test_stacked_chinese_suffixes_are_all_dropped() -> None:
    assert normalise_company("华为技术集团有限公司") == "华为技术"
    assert normalise_company("腾讯科技(深圳)有限公司") == "腾讯科技"


def test_english_legal_forms_compare_equal() -> None:
    assert normalise_company("ACME Limited") == normalise_company("Acme Ltd")
    assert normalise_company("The Acme Corporation, Inc.") == "acme"


def test_full_width_letters_fold_to_ascii() -> None:
    assert normalise_company("ＡＣＭＥ　Ｌｔｄ") == "acme"


def test_name_of_only_legal_words_keeps_a_key() -> None:
    assert normalise_company("Limited") == "limited"
    assert normalise_company("有限公司") != ""


def test_different_companies_have_different_keys() -> None:
    assert normalise_company("Globex Ltd") != normalise_company("Acme Ltd")


def _candidates() -> list[tuple[str, int, str, str]]:
    return [
        ("lead", 1, normalise_company("ACME Limited"), "ACME Limited"),
        ("customer", 2, normalise_company("Globex Corporation"), "Globex Corporation"),
        ("customer", 3, normalise_company("阿里巴巴（中国）有限公司"), "阿里巴巴（中国）有限公司"),
    ]


def test_similar_names_finds_the_same_company_spelled_differently() -> None:
    found = similar_names(normalise_company("Acme Ltd"), _candidates(), threshold=85)
    assert [(m.kind, m.id, m.name) for m in found] == [("lead", 1, "ACME Limited")]
    assert found[0].score == 100


def test_similar_names_finds_chinese_name_without_legal_form() -> None:
    found = similar_names(normalise_company("阿里巴巴"), _candidates(), threshold=85)
    assert [(m.kind, m.id) for m in found] == [("customer", 3)]


def test_similar_names_threshold_decides_a_near_miss() -> None:
    key, near = "acmee", normalise_company("ACME Limited")
    score = fuzz.WRatio(key, near, processor=utils.default_process)
    assert 0 < score < 100
    assert [m.id for m in similar_names(key, _candidates(), threshold=score)] == [1]
    assert similar_names(key, _candidates(), threshold=score + 0.1) == []


def test_similar_names_of_no_candidates_is_empty() -> None:
    assert similar_names("acme", [], threshold=0) == []


def test_similar_names_respects_the_limit() -> None:
    many = [("lead", i, "acme", "Acme") for i in range(1, 11)]
    assert len(similar_names("acme", many, threshold=85, limit=3)) == 3


def test_fragments_are_word_prefixes_for_latin_names() -> None:
    from domain.names import fragments
    assert fragments("acme robotics") == ["acm", "rob"]


def test_fragments_are_character_pairs_for_chinese_names() -> None:
    from domain.names import fragments
    assert fragments("阿里巴巴") == ["阿里", "里巴", "巴巴"]


def test_a_look_alike_shares_a_fragment_with_the_original() -> None:
    from domain.names import fragments, normalise_company
    original = set(fragments(normalise_company("阿里巴巴（中国）有限公司")))
    assert original & set(fragments(normalise_company("阿里巴巴")))
    assert set(fragments(normalise_company("ACME Limited"))) & set(
        fragments(normalise_company("Acme Ltd")))


@pytest.mark.parametrize(("name", "core"), [
    ("北京星辰科技有限公司", "星辰"),
    ("深圳市星辰网络科技有限公司", "星辰"),
    ("星辰（北京）信息技术有限公司", "星辰"),
    ("北京华为技术有限公司", "华为"),
    ("阿里巴巴（中国）有限公司", "阿里巴巴"),
    ("上海科技有限公司", "上海科技"),  # nothing would be left: the name stays whole
    ("Acme Ltd", "acme"),
])
def test_the_trade_name_is_the_name_without_its_place_and_line_of_business(
        name: str, core: str) -> None:
    assert trade_name(normalise_company(name)) == core
