"""Phone numbers and e-mail addresses compare as people mean them."""

from __future__ import annotations

import pytest

from domain.contact_points import (
    clean_email,
    clean_phone,
    email_key,
    looks_like_phone,
    phone_key,
)
from domain.errors import InvalidInput


@pytest.mark.parametrize("written", [
    "13800000000", "138 0000 0000", "138-0000-0000", "+86 138 0000 0000", "+86-13800000000",
    "0086 138 0000 0000", "86 13800000000", "１３８００００００００", "(138) 0000-0000",
    "138.0000.0000", "+86 138 0000 0000 ext 12", "138 0000 0000 转 12",
])
def test_one_mobile_number_written_many_ways_has_one_key(written: str) -> None:
    assert phone_key(written) == "13800000000"


def test_landlines_and_other_countries_keep_their_digits() -> None:
    assert phone_key("010-6288 1234") == "01062881234"
    assert phone_key("(010) 6288-1234") == "01062881234"
    assert phone_key("+1 415 555 0100") == "14155550100"
    assert phone_key("+852 2123 4567") == "85221234567"


def test_a_number_is_shown_as_written_with_widths_and_spaces_tidied() -> None:
    assert clean_phone("  ＋８６ １３８　００００ ００００ ") == "+86 138 0000 0000"


@pytest.mark.parametrize("bad", ["call me", "12", "138-abc-0000", "1" * 25, "+86 13800000000x"])
def test_what_is_not_a_phone_number_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_phone(bad)
    assert refused.value.key == "contact.bad_phone" and refused.value.params["value"] == bad


def test_email_addresses_compare_without_case_or_width() -> None:
    assert email_key(" Li.Ming＠Huawei.COM ") == "li.ming@huawei.com"
    assert clean_email(" Li.Ming＠Huawei.COM ") == "Li.Ming@Huawei.COM"


@pytest.mark.parametrize("bad", ["li@acme", "li acme@x.cn", "@acme.com", "li@@acme.com"])
def test_what_is_not_an_email_address_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_email(bad)
    assert refused.value.key == "contact.bad_email"


def test_a_search_text_of_digits_and_separators_is_a_phone() -> None:
    assert looks_like_phone("+86 138") and looks_like_phone("5678")
    assert not looks_like_phone("12") and not looks_like_phone("Acme 12")
