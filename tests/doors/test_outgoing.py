"""Cutting replies to platform limits, and what goes to the asker alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from handlers.outgoing import is_personal, split_text, utf16_length
from handlers.reply import Reply

WORD = st.text(alphabet="abcdefghij😀中&<", min_size=1, max_size=12)
LINE = st.lists(WORD, min_size=0, max_size=12).map(" ".join)
TEXT = st.lists(LINE, min_size=1, max_size=40).map("\n".join)


@given(TEXT, st.integers(min_value=24, max_value=200))
def test_split_messages_fit_and_keep_every_word_whole(text: str, limit: int) -> None:
    chunks = split_text(text, limit, utf16_length)
    assert all(utf16_length(chunk) <= limit for chunk in chunks)
    assert " ".join(chunks).split() == text.split()


@given(st.lists(st.text(alphabet="abc xyz", min_size=1, max_size=30), min_size=1,
                max_size=60), st.integers(min_value=30, max_value=120))
def test_rows_that_fit_are_never_broken_across_messages(rows: list[str], limit: int) -> None:
    text = "\n".join(rows)
    chunks = split_text(text, limit)
    lines = [line for chunk in chunks for line in chunk.split("\n")]
    assert [r for r in rows if r.strip()] == [line for line in lines if line.strip()]


def test_a_short_text_is_one_message() -> None:
    assert split_text("Lead L-1 saved.", 4096) == ["Lead L-1 saved."]


def test_a_word_longer_than_a_message_is_the_only_thing_cut() -> None:
    chunks = split_text("short " + "x" * 25 + " tail", 10)
    assert chunks == ["short", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx tail"]


def test_emoji_count_double_as_telegram_counts_them() -> None:
    assert utf16_length("😀a") == 3
    assert all(utf16_length(c) <= 4 for c in split_text("😀😀 😀😀 😀😀", 4, utf16_length))


def test_reminders_and_link_codes_are_personal_lists_of_leads_are_not() -> None:
    assert is_personal("/todo", Reply("R-1"))
    assert is_personal("/snooze R-1 tomorrow", Reply("moved"))
    assert is_personal("/anything", Reply("code", private=True))
    assert not is_personal("/leads", Reply("L-1"))
    assert not is_personal("Acme Ltd", Reply("next question"))
