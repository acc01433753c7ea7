"""Configured values in config.toml: lead sources, payment methods and kinds of activity,
each a key with its English and Chinese names and other words for it.

Two shapes are accepted: a plain list of keys (`sources = ["website", "fair"]`, names then
come from the built-in ones, or are the key itself), and a list of tables
(`{ key = "fair", name_en = "Trade fair", name_zh = "展会", aliases = ["expo"] }`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from bot.config_errors import listing, mistake, show, type_of
from bot.config_values import Table
from domain.model.activities import ActivityKind
from domain.model.payments import PaymentMethod
from domain.settings import BUILT_IN
from domain.vocabulary import Term, fold

_WHAT = {"source": "lead source", "method": "payment method", "kind": "kind of activity",
         "stage": "stage"}


class TermEntry(Table):
    """One lead source: a plain key ("website") or a table with names and other words."""

    model_config = ConfigDict(title="value")
    kind: ClassVar[str] = "source"
    known: ClassVar[tuple[str, ...]] = ()  # the keys the bot knows; empty: any key

    key: str = Field(examples=["website"], description="a short single word")
    name_en: str | None = Field(default=None, examples=["Website"])
    name_zh: str | None = Field(default=None, examples=["官网"])
    aliases: list[str] | None = Field(default=None, examples=[["展会", "trade show"]])

    @model_validator(mode="before")
    @classmethod
    def _plain_key(cls, value: Any) -> Any:
        """A plain key is a table with only a key; either way the key must be one we know."""
        if isinstance(value, str):
            cls._check_known(value.strip(), ())
            return {"key": value}
        if isinstance(value, dict):
            if isinstance(value.get("key"), str):
                cls._check_known(value["key"].strip(), ("key",))
            return value
        raise mistake(f"this must be a key in double quotes or a table, but it is {type_of(value)} "
                      f"({show(value)})",
                      'write it like "website" or { key = "website", name_zh = "官网" }')

    @classmethod
    def _check_known(cls, key: str, at: tuple[str, ...]) -> None:
        if cls.known and key not in cls.known:
            raise mistake(f'"{key}" is not a {_WHAT[cls.kind]} the bot knows',
                          f"use one of {listing(cls.known)}", at)

    def term(self) -> Term:
        """The value with what the file leaves out taken from the built-in one of its key."""
        base = next((t for t in BUILT_IN.get(self.kind, ()) if t.key == self.key), None)
        name_en = self.name_en or (base.name_en if base else self.key.replace("_", " "))
        name_zh = self.name_zh or (base.name_zh if base else name_en)
        aliases = tuple(self.aliases) if self.aliases is not None \
            else (base.aliases if base else ())
        return Term(self.key, name_en, name_zh, aliases)


class MethodEntry(TermEntry):
    """One payment method; the keys are fixed, the names are the company's."""

    kind: ClassVar[str] = "method"
    known: ClassVar[tuple[str, ...]] = tuple(m.value for m in PaymentMethod)


class KindEntry(TermEntry):
    """One kind of activity; the keys are fixed, the names are the company's."""

    kind: ClassVar[str] = "kind"
    known: ClassVar[tuple[str, ...]] = tuple(k.value for k in ActivityKind)


def check_words(terms: Sequence[Term], kind_of: str) -> None:
    """A key, name or other word may stand for one value only, or it could not be chosen."""
    owner: dict[str, str] = {}
    for term in terms:
        for word in dict.fromkeys(fold(w) for w in term.words):
            if word in owner and owner[word] != term.key:
                raise mistake(f'the word "{word}" names both the {_WHAT[kind_of]} '
                              f'"{owner[word]}" and "{term.key}", so it could not be chosen',
                              "give each value its own names and other words")
            owner[word] = term.key


def _distinct(entries: list[TermEntry]) -> list[TermEntry]:
    """Each key once, each word for one value."""
    keys: list[str] = []
    for index, entry in enumerate(entries):
        if entry.key in keys:
            raise mistake(f'the {_WHAT[entry.kind]} "{entry.key}" is listed twice',
                          "remove the repetition", (index,))
        keys.append(entry.key)
    if entries:
        check_words([entry.term() for entry in entries], entries[0].kind)
    return entries


Sources = Annotated[list[TermEntry], AfterValidator(_distinct)]
Methods = Annotated[list[MethodEntry], AfterValidator(_distinct)]
Kinds = Annotated[list[KindEntry], AfterValidator(_distinct)]
