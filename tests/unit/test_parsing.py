"""Tests for the chat command grammar: the command line, arguments, amounts and item lines."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.dates import parse_date, parse_time
from domain.errors import InvalidInput
from domain.money import Money
from domain.references import Ref, looks_like_ref, parse_ref
from handlers.amounts import parse_amount, parse_percent, parse_quantity
from handlers.arguments import Args, tokenize
from handlers.command_line import MAX_TEXT, check_length, split_command
from handlers.item_lines import QuoteLineText, parse_quote_lines

SUNDAY = date(2026, 11, 22)
WEDNESDAY = date(2026, 11, 25)


# --------------------------------------------------------------------------- length


def test_check_length_accepts_text_at_the_limit() -> None:
    check_length("x" * MAX_TEXT)


def test_check_length_refuses_text_over_the_limit() -> None:
    with pytest.raises(InvalidInput) as err:
        check_length("x" * (MAX_TEXT + 1))
    assert err.value.key == "parse.too_long"
    assert err.value.params == {"limit": 4000}


# --------------------------------------------------------------------------- split_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/lead Acme Ltd", ("lead", "Acme Ltd")),
        ("/Lead@ltc_bot x", ("lead", "x")),
        ("  /lead   Acme Ltd  ", ("lead", "Acme Ltd")),
        ("／lead Acme", ("lead", "Acme")),
        ("/help", ("help", "")),
        ("/help@ltc_bot", ("help", "")),
        ("/note L-1\nsecond line", ("note", "L-1\nsecond line")),
        ("/lead   a   b", ("lead", "a   b")),
    ],
)
def test_split_command_returns_lowercase_name_and_rest(
    text: str, expected: tuple[str, str]
) -> None:
    assert split_command(text) == expected


@pytest.mark.parametrize("text", ["lead Acme", "", "/", "/ lead", "hello /lead", "/lead,x", "//x"])
def test_split_command_returns_none_for_non_commands(text: str) -> None:
    assert split_command(text) is None


# --------------------------------------------------------------------------- tokenize


def test_tokenize_splits_plain_words() -> None:
    assert tokenize("Acme  Ltd   Shanghai") == Args(
        positional=["Acme", "Ltd", "Shanghai"], options={}, text="Acme Ltd Shanghai"
    )


def test_tokenize_groups_straight_quoted_words() -> None:
    args = tokenize('"Acme Ltd" Shanghai')
    assert args.positional == ["Acme Ltd", "Shanghai"]
    assert args.text == '"Acme Ltd" Shanghai'


def test_tokenize_groups_curly_quoted_words() -> None:
    assert tokenize("“华为 技术” 深圳").positional == ["华为 技术", "深圳"]


def test_tokenize_reads_options_and_removes_them_from_text() -> None:
    args = tokenize('Acme amount=50k note="call back later" Ltd')
    assert args.positional == ["Acme", "Ltd"]
    assert args.options == {"amount": "50k", "note": "call back later"}
    assert args.text == "Acme Ltd"


def test_tokenize_reads_curly_quoted_option_value() -> None:
    assert tokenize("note=“下午 再打”").options == {"note": "下午 再打"}


def test_tokenize_accepts_full_width_equals() -> None:
    assert tokenize("owner＝alice").options == {"owner": "alice"}


def test_tokenize_lowercases_option_keys() -> None:
    args = tokenize("Amount=5k")
    assert args.options == {"amount": "5k"}
    assert args.option("AMOUNT") == "5k"
    assert args.option("amount") == "5k"


def test_tokenize_last_duplicate_option_wins() -> None:
    assert tokenize("stage=new stage=won").options == {"stage": "won"}


def test_tokenize_option_with_empty_value_is_empty_string() -> None:
    assert tokenize("note=").options == {"note": ""}


def test_option_returns_none_when_missing() -> None:
    assert tokenize("Acme").option("note") is None


def test_tokenize_does_not_treat_urls_or_quoted_pairs_as_options() -> None:
    args = tokenize('https://acme.com/?a=b "x=y" 1=2')
    assert args.options == {}
    assert args.positional == ["https://acme.com/?a=b", "x=y", "1=2"]


def test_tokenize_keeps_whitespace_inside_quotes() -> None:
    args = tokenize('"Big   Co"')
    assert args.positional == ["Big   Co"]
    assert args.text == '"Big   Co"'


def test_tokenize_treats_ideographic_space_as_separator() -> None:
    assert tokenize("甲\u3000乙").positional == ["甲", "乙"]


def test_tokenize_of_empty_text_is_empty() -> None:
    assert tokenize("   ") == Args(positional=[], options={}, text="")


@pytest.mark.parametrize("text", ['Acme "Ltd', 'note="call back', "“未闭合"])
def test_tokenize_refuses_unterminated_quote(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        tokenize(text)
    assert err.value.key == "parse.quote"
    assert err.value.params == {"value": text}


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("50000", "50000", "CNY"),
        ("50,000", "50000", "CNY"),
        ("50k", "50000", "CNY"),
        ("50K", "50000", "CNY"),
        ("1.2m", "1200000", "CNY"),
        ("1.2M", "1200000", "CNY"),
        ("5万", "50000", "CNY"),
        ("3千", "3000", "CNY"),
        ("1.5亿", "150000000", "CNY"),
        ("5w", "50000", "CNY"),
        ("5W", "50000", "CNY"),
        ("5千万", "50000000", "CNY"),
        ("¥50,000", "50000", "CNY"),
        ("￥50,000", "50000", "CNY"),
        ("$5000", "5000", "USD"),
        ("€1,250.50", "1250.50", "EUR"),
        ("£99.99", "99.99", "GBP"),
        ("HK$300", "300", "HKD"),
        ("USD 5000", "5000", "USD"),
        ("5000 USD", "5000", "USD"),
        ("usd5000", "5000", "USD"),
        ("5000eur", "5000", "EUR"),
        ("5000元", "5000", "CNY"),
        ("5000块", "5000", "CNY"),
        ("5000 块钱", "5000", "CNY"),
        ("12.5万元", "125000", "CNY"),
        ("RMB 800", "800", "CNY"),
        ("5k USD", "5000", "USD"),
        ("$5000 USD", "5000", "USD"),
        ("１２,０００", "12000", "CNY"),
        ("0", "0", "CNY"),
        ("0.5", "0.5", "CNY"),
        ("  7  ", "7", "CNY"),
    ],
)
def test_parse_amount_reads_table(text: str, amount: str, currency: str) -> None:
    assert parse_amount(text, "CNY") == Money(Decimal(amount), currency)


def test_parse_amount_uses_default_currency_without_one_written() -> None:
    assert parse_amount("5k", "EUR") == Money(Decimal("5000"), "EUR")


def test_parse_amount_default_currency_is_upper_cased() -> None:
    assert parse_amount("5", "usd").currency == "USD"


def test_wan_multiplier_reads_ten_thousands() -> None:
    assert parse_amount("5万", "CNY").amount == Decimal("50000")


def test_yi_multiplier_reads_hundred_millions() -> None:
    assert parse_amount("2亿", "CNY").amount == Decimal("200000000")


def test_yen_sign_means_yen_for_a_yen_company() -> None:
    assert parse_amount("¥5000", "JPY") == Money(Decimal("5000"), "JPY")


def test_yen_sign_means_yuan_otherwise() -> None:
    assert parse_amount("¥5000", "USD") == Money(Decimal("5000"), "CNY")


def test_parse_amount_is_exact_decimal() -> None:
    money = parse_amount("0.1", "USD")
    assert isinstance(money.amount, Decimal)
    assert money.amount == Decimal("0.10")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "-5",
        "-5k",
        "abc",
        "five",
        "USD 5 EUR",
        "$5 EUR",
        "5 USD 元",
        "1,2,3",
        "1,23",
        "1,0000",
        "50,00.5",
        "5kk",
        "5万万",
        "5kw",
        "5..0",
        "5.",
        ".5",
        "5 x",
        "12.345",
        "1.5 JPY",
    ],
)
def test_parse_amount_refuses_garbage(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_amount(text, "USD")
    assert err.value.key == "parse.amount"
    assert err.value.params == {"value": text}


@pytest.mark.parametrize(("text", "code"), [("5000 XYZ", "XYZ"), ("abc 5", "ABC")])
def test_parse_amount_refuses_unknown_currency_code(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_amount(text, "USD")
    assert err.value.key == "money.unknown_currency"
    assert err.value.params == {"currency": code}


@given(
    st.decimals(
        min_value=Decimal(0),
        max_value=Decimal("1e15"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_amount_with_thousands_separators_round_trips(value: Decimal) -> None:
    text = f"{value:,}"
    assert parse_amount(text, "USD") == Money(value, "USD")


@given(st.integers(min_value=0, max_value=10**12))
def test_integer_amount_with_thousands_separators_round_trips(value: int) -> None:
    assert parse_amount(f"{value:,}", "CNY").amount == Decimal(value)


# --------------------------------------------------------------------------- quantity, percent


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2", "2"), ("1.5", "1.5"), ("1,000", "1000"), (" 3 ", "3"), ("０.２５", "0.25")],
)
def test_parse_quantity_reads_positive_numbers(text: str, expected: str) -> None:
    assert parse_quantity(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["0", "0.0", "-1", "abc", "", "1,00", "2x", "1e3"])
def test_parse_quantity_refuses_zero_negative_and_garbage(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_quantity(text)
    assert err.value.key == "parse.quantity"
    assert err.value.params == {"value": text}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20", "20"), ("20%", "20"), ("12.5", "12.5"), ("20％", "20"), ("0", "0"), ("100", "100"),
     ("7 %", "7")],
)
def test_parse_percent_reads_zero_to_hundred(text: str, expected: str) -> None:
    assert parse_percent(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["101", "100.01", "-5", "abc", "", "%", "20%%"])
def test_parse_percent_refuses_out_of_range_and_garbage(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_percent(text)
    assert err.value.key == "parse.percent"
    assert err.value.params == {"value": text}


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "on_sunday", "on_wednesday"),
    [
        ("2026-12-01", date(2026, 12, 1), date(2026, 12, 1)),
        ("2026/12/01", date(2026, 12, 1), date(2026, 12, 1)),
        ("2026-1-5", date(2026, 1, 5), date(2026, 1, 5)),
        ("12-01", date(2026, 12, 1), date(2026, 12, 1)),
        ("12/01", date(2026, 12, 1), date(2026, 12, 1)),
        ("11-22", date(2026, 11, 22), date(2027, 11, 22)),
        ("11-01", date(2027, 11, 1), date(2027, 11, 1)),
        ("12月1日", date(2026, 12, 1), date(2026, 12, 1)),
        ("12月1号", date(2026, 12, 1), date(2026, 12, 1)),
        ("1月15日", date(2027, 1, 15), date(2027, 1, 15)),
        ("2026年12月1日", date(2026, 12, 1), date(2026, 12, 1)),
        ("today", date(2026, 11, 22), date(2026, 11, 25)),
        ("Today", date(2026, 11, 22), date(2026, 11, 25)),
        ("tomorrow", date(2026, 11, 23), date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 21), date(2026, 11, 24)),
        ("今天", date(2026, 11, 22), date(2026, 11, 25)),
        ("明天", date(2026, 11, 23), date(2026, 11, 26)),
        ("后天", date(2026, 11, 24), date(2026, 11, 27)),
        ("昨天", date(2026, 11, 21), date(2026, 11, 24)),
        ("fri", date(2026, 11, 27), date(2026, 11, 27)),
        ("friday", date(2026, 11, 27), date(2026, 11, 27)),
        ("Fri", date(2026, 11, 27), date(2026, 11, 27)),
        ("wed", date(2026, 11, 25), date(2026, 12, 2)),
        ("sun", date(2026, 11, 29), date(2026, 11, 29)),
        ("mon", date(2026, 11, 23), date(2026, 11, 30)),
        ("next week", date(2026, 11, 29), date(2026, 12, 2)),
        ("next fri", date(2026, 11, 27), date(2026, 12, 4)),
        ("next friday", date(2026, 11, 27), date(2026, 12, 4)),
        ("next month", date(2026, 12, 22), date(2026, 12, 25)),
        ("in 3 days", date(2026, 11, 25), date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 6), date(2026, 12, 9)),
        ("in 1 month", date(2026, 12, 22), date(2026, 12, 25)),
        ("in a week", date(2026, 11, 29), date(2026, 12, 2)),
        ("3d", date(2026, 11, 25), date(2026, 11, 28)),
        ("30d", date(2026, 12, 22), date(2026, 12, 25)),
        ("2w", date(2026, 12, 6), date(2026, 12, 9)),
        ("2 days ago", date(2026, 11, 20), date(2026, 11, 23)),
        ("周五", date(2026, 11, 27), date(2026, 11, 27)),
        ("星期五", date(2026, 11, 27), date(2026, 11, 27)),
        ("礼拜五", date(2026, 11, 27), date(2026, 11, 27)),
        ("周三", date(2026, 11, 25), date(2026, 12, 2)),
        ("周日", date(2026, 11, 29), date(2026, 11, 29)),
        ("星期天", date(2026, 11, 29), date(2026, 11, 29)),
        ("下周五", date(2026, 11, 27), date(2026, 12, 4)),
        ("下星期五", date(2026, 11, 27), date(2026, 12, 4)),
        ("下周一", date(2026, 11, 23), date(2026, 11, 30)),
        ("下周日", date(2026, 11, 29), date(2026, 12, 6)),
        ("下周", date(2026, 11, 29), date(2026, 12, 2)),
        ("3天后", date(2026, 11, 25), date(2026, 11, 28)),
        ("两天后", date(2026, 11, 24), date(2026, 11, 27)),
        ("十天后", date(2026, 12, 2), date(2026, 12, 5)),
        ("2周后", date(2026, 12, 6), date(2026, 12, 9)),
        ("一个月后", date(2026, 12, 22), date(2026, 12, 25)),
        ("下个月", date(2026, 12, 22), date(2026, 12, 25)),
        ("December 1", date(2026, 12, 1), date(2026, 12, 1)),
    ],
)
def test_parse_date_reads_table(text: str, on_sunday: date, on_wednesday: date) -> None:
    assert parse_date(text, SUNDAY) == on_sunday
    assert parse_date(text, WEDNESDAY) == on_wednesday


def test_bare_weekday_on_that_weekday_means_a_week_later() -> None:
    friday = date(2026, 11, 27)
    assert parse_date("fri", friday) == date(2026, 12, 4)
    assert parse_date("周五", friday) == date(2026, 12, 4)


def test_next_month_clamps_to_end_of_shorter_month() -> None:
    assert parse_date("下个月", date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_date("in 1 month", date(2028, 1, 31)) == date(2028, 2, 29)


def test_next_month_rolls_over_year_end() -> None:
    assert parse_date("next month", date(2026, 12, 15)) == date(2027, 1, 15)


def test_month_day_leap_day_moves_to_next_year_that_has_it() -> None:
    assert parse_date("02-29", date(2027, 3, 1)) == date(2028, 2, 29)


def test_explicit_past_full_date_is_kept() -> None:
    assert parse_date("2025-01-01", SUNDAY) == date(2025, 1, 1)


@pytest.mark.parametrize(
    "text",
    ["2026-02-30", "2026-13-01", "02-30", "13-01", "", "  ", "blah", "5", "1,000", "2026年2月30日"],
)
def test_parse_date_refuses_invalid_dates(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_date(text, SUNDAY)
    assert err.value.key == "parse.date"
    assert err.value.params == {"value": text}


# --------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15:00", time(15, 0)),
        ("9:30", time(9, 30)),
        ("09:05", time(9, 5)),
        ("15：00", time(15, 0)),
        ("3pm", time(15, 0)),
        ("3 PM", time(15, 0)),
        ("3:30pm", time(15, 30)),
        ("11am", time(11, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("noon", time(12, 0)),
        ("下午3点", time(15, 0)),
        ("上午10点半", time(10, 30)),
        ("10点", time(10, 0)),
        ("15点30分", time(15, 30)),
        ("晚上8点", time(20, 0)),
        ("下午三点一刻", time(15, 15)),
        ("十点零五分", time(10, 5)),
        ("中午12点", time(12, 0)),
    ],
)
def test_parse_time_reads_table(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["3", "25:00", "9:60", "13pm", "tomorrow", "", "abc", "0am"])
def test_parse_time_returns_none_for_non_times(text: str) -> None:
    assert parse_time(text) is None


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L-12", Ref("lead", 12, "L-12")),
        ("l-12", Ref("lead", 12, "L-12")),
        ("L12", Ref("lead", 12, "L-12")),
        ("A-5", Ref("customer", 5, "A-5")),
        ("D-7", Ref("deal", 7, "D-7")),
        ("q-3", Ref("quote", 3, "Q-3")),
        ("O-3", Ref("order", 3, "O-3")),
        ("P-9", Ref("payment", 9, "P-9")),
        ("R-4", Ref("reminder", 4, "R-4")),
        (" D-007 ", Ref("deal", 7, "D-7")),
        ("INV-2026-0007", Ref("invoice", 0, "INV-2026-0007")),
        ("inv-2026-7", Ref("invoice", 0, "INV-2026-0007")),
        ("INV-2026-00007", Ref("invoice", 0, "INV-2026-0007")),
        ("INV-2026-123456", Ref("invoice", 0, "INV-2026-123456")),
    ],
)
def test_parse_ref_reads_canonical_number(text: str, expected: Ref) -> None:
    assert parse_ref(text) == expected
    assert looks_like_ref(text) is True


@pytest.mark.parametrize(
    "text", ["X-1", "L-", "L-0", "12", "Acme", "", "L-1a", "INV-26-1", "INV-2026-0", "L 12"]
)
def test_parse_ref_refuses_non_references(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_ref(text)
    assert err.value.key == "parse.ref"
    assert err.value.params == {"value": text}
    assert looks_like_ref(text) is False


# --------------------------------------------------------------------------- quote lines


def test_parse_quote_lines_reads_semicolon_separated_lines() -> None:
    assert parse_quote_lines("10 x Cloud Server @ 5,000; 2 x Install @ 1k") == [
        QuoteLineText(Decimal("10"), "Cloud Server", "5,000"),
        QuoteLineText(Decimal("2"), "Install", "1k"),
    ]


def test_parse_quote_lines_accepts_every_separator_form() -> None:
    text = "3×Cable＠¥50；1,000 * Screws @ 0.1\n1.5 X Consulting days @ USD 800\n2 x Xbox @ 300"
    assert parse_quote_lines(text) == [
        QuoteLineText(Decimal("3"), "Cable", "¥50"),
        QuoteLineText(Decimal("1000"), "Screws", "0.1"),
        QuoteLineText(Decimal("1.5"), "Consulting days", "USD 800"),
        QuoteLineText(Decimal("2"), "Xbox", "300"),
    ]


def test_parse_quote_lines_skips_blank_lines() -> None:
    assert parse_quote_lines("\n 1 x A @ 1 ;; \n") == [QuoteLineText(Decimal("1"), "A", "1")]


def test_parse_quote_lines_item_may_contain_at_sign() -> None:
    assert parse_quote_lines("1 x Support @ site @ 500") == [
        QuoteLineText(Decimal("1"), "Support @ site", "500")
    ]


@pytest.mark.parametrize(
    ("text", "bad_line"),
    [
        ("10 Cloud Server @ 5000", "10 Cloud Server @ 5000"),
        ("1 x A @ 1; 2 x B", "2 x B"),
        ("two x A @ 1", "two x A @ 1"),
        ("2 x @ 5", "2 x @ 5"),
        ("2 x A @", "2 x A @"),
        ("10 Xbox @ 5", "10 Xbox @ 5"),
    ],
)
def test_parse_quote_lines_names_the_line_that_does_not_match(text: str, bad_line: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_quote_lines(text)
    assert err.value.key == "parse.quote_line"
    assert err.value.params == {"value": bad_line}


@pytest.mark.parametrize(("text", "quantity"), [("0 x A @ 1", "0"), ("-1 x A @ 1", "-1")])
def test_parse_quote_lines_says_a_zero_or_negative_quantity_is_the_problem(
    text: str, quantity: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_quote_lines(text)
    assert err.value.key == "parse.quantity"
    assert err.value.params == {"value": quantity}


@pytest.mark.parametrize("text", ["", "  ", ";；", "\n\n"])
def test_parse_quote_lines_refuses_empty_list(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_quote_lines(text)
    assert err.value.key == "parse.quote_line"
    assert err.value.params == {"value": text}


def test_a_phone_written_in_groups_needs_no_quotes() -> None:
    args = tokenize("Acme phone=+86 138 0000 0000 source=web")
    assert args.options == {"phone": "+86 138 0000 0000", "source": "web"}
    assert args.positional == ["Acme"]
    assert tokenize("电话=010 8888 6666 Acme").options["phone"] == "010 8888 6666"
    # The country code apart, the number in one piece with dashes or brackets, as phones type it.
    assert tokenize("Acme phone=+86 138-0013-8000 source=web").options == {
        "phone": "+86 138-0013-8000", "source": "web"}
    assert tokenize("电话=+86 (138)0013-8000").options["phone"] == "+86 (138)0013-8000"


def test_a_phone_takes_no_word_that_is_not_part_of_a_number() -> None:
    args = tokenize("Acme phone=13800000000 2026 note=x")
    assert args.options["phone"] == "13800000000"
    assert args.positional == ["Acme", "2026"]
    assert tokenize("phone=+86 Acme").positional == ["Acme"]
