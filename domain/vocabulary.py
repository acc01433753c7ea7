"""The company's words for its configured values: lead sources, stages, payment methods and
activity kinds, each with a key, a name per language and the other words people use for it.

A value is found by its key, either name or another word, then by an unambiguous start or
part of one (`谈判` is 商务谈判, `web` is website); several matches are an `Ambiguous` choice.
Values shown to a reader travel as `Named` (one) or `Choices` (several), so the reader sees
names in their own language, never the keys.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from domain.errors import InvalidInput
from domain.names import to_simplified

# What each kind of value is called in an error, and the parameter that lists the choices.
UNKNOWN = {
    "source": ("lead.bad_source", "sources"),
    "stage": ("deal.bad_stage", "stages"),
    "method": ("payment.bad_method", "methods"),
    "kind": ("activity.bad_kind", "kinds"),
}
KINDS = tuple(UNKNOWN)


@dataclass(frozen=True)
class Term:
    """One configured value: its key, its English and Chinese names, other words for it."""

    key: str
    name_en: str
    name_zh: str
    aliases: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en

    @property
    def words(self) -> tuple[str, ...]:
        return (self.key, self.name_en, self.name_zh, *self.aliases)


@dataclass(frozen=True)
class Named:
    """A value the reader sees by its name: a term ("stage", "source", "method", "kind") or a
    status ("lead.status", "deal.status", "quote.status", ...)."""

    kind: str
    key: str

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class Choices:
    """Several values of one kind, listed by their names."""

    kind: str
    keys: tuple[str, ...]

    def __str__(self) -> str:
        return ", ".join(self.keys)


class Ambiguous(InvalidInput):
    """A word that fits several values; the reader picks one of `choices`."""

    def __init__(self, key: str, *, value: str, choices: Choices) -> None:
        super().__init__(key, value=value, choices=choices)
        self.value = value
        self.choices = choices


@lru_cache(maxsize=4096)  # the configured words are folded again for every value read
def fold(text: str) -> str:
    """A word as compared: width-folded, case-folded, simplified script, no quotes or spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.strip("\"“”„「」『』'‘’ ").replace(" ", "").replace("_", "").replace("-", "")
    return to_simplified(folded)


def _pick(found: list[Term], text: str, kind: str) -> str | None:
    if len(found) == 1:
        return found[0].key
    if found:
        raise Ambiguous("choice.ambiguous", value=text,
                        choices=Choices(kind, tuple(t.key for t in found)))
    return None


def resolve(terms: Sequence[Term], text: str, kind: str) -> str:
    """The key of the value `text` means (see the module docstring)."""
    return _resolve(tuple(terms), text, kind)


@lru_cache(maxsize=1024)  # an import reads the same few words in every row
def _resolve(terms: tuple[Term, ...], text: str, kind: str) -> str:
    word = fold(text)
    if word:
        folded = [(term, [fold(w) for w in term.words]) for term in terms]
        for test in (lambda w: w == word, lambda w: w.startswith(word), lambda w: word in w):
            key = _pick([term for term, words in folded if any(test(w) for w in words)],
                        text, kind)
            if key is not None:
                return key
    error, param = UNKNOWN[kind]
    raise InvalidInput(error, value=text, **{param: Choices(kind, tuple(t.key for t in terms))})
