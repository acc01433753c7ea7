"""The translator fills messages the way a reader expects to read them."""

from __future__ import annotations

from handlers.i18n import Translator


def test_a_name_ending_in_a_period_does_not_end_the_sentence_twice() -> None:
    t = Translator("en")
    assert t("lead.created", ref="L-1", company="Acme Ltd.") == "Lead L-1 saved: Acme Ltd."
    assert t("lead.created", ref="L-1", company="Acme") == "Lead L-1 saved: Acme."


def test_a_period_inside_a_sentence_stays() -> None:
    t = Translator("en")
    text = t("contact.added", ref="C-1", name="J. Smith Jr.", customer="A-1")
    assert text == "Contact C-1 J. Smith Jr. added to A-1."
