"""The terms a record is filed under and the tokens of a query meet by "starts with"."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.search import (
    EMAIL,
    NAME,
    PHONE,
    TAIL,
    Token,
    name_terms,
    query_tokens,
    record_terms,
)


def _finds(query: str, *, names: tuple[str, ...] = (), phones: tuple[str, ...] = (),
           emails: tuple[str, ...] = ()) -> bool:
    """Whether every token of the query starts one of the record's terms, as storage asks."""
    terms = record_terms(names=names, phones=phones, emails=emails)

    def hit(token: Token) -> bool:
        return any((field != TAIL and term.startswith(token.prefix))
                   or (field == TAIL and token.tail is not None and term.startswith(token.tail))
                   for field, term in terms)

    return all(hit(token) for token in query_tokens(query))


def test_a_chinese_name_is_filed_under_every_tail_so_a_middle_part_finds_it() -> None:
    terms = {term for _, term in name_terms("北京华为技术有限公司")}
    assert {"北京华为技术", "京华为技术", "华为技术", "为技术", "技术"} == terms
    assert _finds("华为", names=("北京华为技术有限公司",))
    assert _finds("华为技术有限公司", names=("北京华为技术有限公司",))
    assert not _finds("华北", names=("北京华为技术有限公司",))


def test_latin_names_are_found_by_the_start_of_any_word_whatever_the_case_or_width() -> None:
    name = "Acme Trading Co., Ltd."
    assert {term for _, term in name_terms(name)} == {"acme", "trading"}
    for query in ("acme", "ACME", "Ａｃｍｅ", "trad", "Acme Trading Ltd", "trading acme"):
        assert _finds(query, names=(name,)), query
    assert not _finds("crm", names=(name,))
    assert not _finds("acme globex", names=(name,))  # every word must match


def test_a_phone_is_found_by_its_start_its_last_digits_and_any_way_of_writing_it() -> None:
    phone = "+86 138-0013-8000"
    assert record_terms(phones=(phone,)) == {(PHONE, "13800138000"), (TAIL, "00083100831")}
    for query in ("13800138000", "138 0013 8000", "+86 138 0013 8000", "１３８００１３８０００",
                  "1380013", "8000", "0013 8000"):
        assert _finds(query, phones=(phone,)), query
    assert not _finds("0013", phones=(phone,))  # the middle digits alone are not asked for


def test_an_email_address_is_found_by_itself_its_start_or_its_domain() -> None:
    email = "Li.Ming@Huawei.com"
    assert record_terms(emails=(email,)) == {(EMAIL, "li.ming@huawei.com"), (EMAIL, "huawei.com")}
    for query in ("li.ming@huawei.com", "LI.MING@HUAWEI.COM", "li.ming", "huawei.com", "huawei"):
        assert _finds(query, emails=(email,)), query


def test_a_query_too_short_to_narrow_anything_is_refused() -> None:
    for query in ("a", "12", "  "):
        with pytest.raises(InvalidInput) as refused:
            query_tokens(query)
        assert refused.value.key == "find.too_short"


def test_a_phone_query_is_one_token_with_its_tail() -> None:
    assert query_tokens("+86 139-1111-2222") == [Token("13911112222", "22221111931")]
    assert query_tokens("Acme 138") == [Token("138"), Token("acme")]
    assert [t.prefix for t in query_tokens("li@acme.com 华为")] == ["li@acme.com", "华为"]
    assert all(field == NAME for field, _ in name_terms("Wayne"))
