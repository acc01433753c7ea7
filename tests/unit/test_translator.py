"""The translator fills messages the way a reader expects to read them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from handlers.i18n import Translator


def test_a_name_ending_in_a_period_does_not_end_the_sentence_twice() -> None:
    t = Translator("en")
    assert t("lead.created", ref="L-1", company="Acme Ltd.") == "Lead L-1 saved: Acme Ltd."
    assert t("lead.created", ref="L-1", company="Acme") == "Lead L-1 saved: Acme."


def test_a_period_inside_a_sentence_stays() -> None:
    t = Translator("en")
    text = t("contact.added", ref="C-1", name="J. Smith Jr.", customer="A-1")
    assert text == "Contact C-1 J. Smith Jr. added to A-1."


def test_a_moment_in_a_message_is_shown_in_the_readers_time_zone_and_words() -> None:
    until = datetime(2026, 12, 6, 21, 16, 33, 923799, tzinfo=UTC)
    english = Translator("en", "Asia/Shanghai")("pool.cooldown", ref="L-1", until=until)
    assert english == ("You gave up L-1 recently: you may claim it again from "
                       "Mon, Dec 7, 2026 05:16.")
    chinese = Translator("zh", "Asia/Shanghai")("pool.cooldown", ref="L-1", until=until)
    assert "2026年12月7日" in chinese and "05:16" in chinese and "+00:00" not in chinese


def test_a_day_in_a_message_is_written_for_the_reader() -> None:
    text = Translator("en")("pool.cooldown", ref="L-1", until=date(2026, 12, 7))
    assert text.endswith("from Dec 7, 2026.")
