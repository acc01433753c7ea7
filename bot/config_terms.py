"""Reading a list of configured values from config.toml: lead sources, payment methods and
kinds of activity, each a key with its English and Chinese names and other words for it.

Two shapes are accepted: a plain list of keys (`sources = ["website", "fair"]`, names then
come from the built-in ones, or are the key itself), and a list of tables
(`{ key = "fair", name_en = "Trade fair", name_zh = "展会", aliases = ["expo"] }`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from domain.settings import BUILT_IN
from domain.vocabulary import Term, fold

TERM_KEYS = ("key", "name_en", "name_zh", "aliases")
_WHAT = {"source": "lead source", "method": "payment method", "kind": "kind of activity",
         "stage": "stage"}


class Failing(Protocol):
    """The part of the settings loader this module uses to read values and report errors."""

    def fail(self, key: str | None, problem: str, fix: str) -> Exception: ...

    def array(self, value: Any, key: str, example: str) -> list[Any]: ...

    def table(self, value: Any, key: str, example: str) -> dict[str, Any]: ...

    def string(self, value: Any, key: str, example: str, *, allow_empty: bool = False) -> str: ...

    def check_keys(self, table: Any, known: tuple[str, ...], where: str) -> None: ...


def _listing(choices: Iterable[str]) -> str:
    return ", ".join(f'"{choice}"' for choice in choices)


def read_aliases(loader: Failing, value: Any, where: str) -> tuple[str, ...]:
    """Other words for a value: an array of non-empty strings."""
    items = loader.array(value, where, '["展会", "trade show"]')
    return tuple(loader.string(item, f"{where}[{i}]", '"展会"') for i, item in enumerate(items))


def read_terms(loader: Failing, value: Any, where: str, kind: str,
               valid: Callable[[str], bool] | None = None,
               known: Sequence[str] = ()) -> tuple[Term, ...]:
    """The list at `where`: keys or tables, each key once, no word naming two values.

    `valid` limits the keys (payment methods and kinds of activity are fixed sets, `known`).
    """
    built_in = {term.key: term for term in BUILT_IN.get(kind, ())}
    example = (f'[{{ key = "{next(iter(built_in), "x")}", name_en = "...", name_zh = "..." }}]'
               if built_in else '["website"]')
    items = loader.array(value, where, example)
    if not items:
        raise loader.fail(where, "the list is empty",
                          f"list at least one {_WHAT[kind]}, like {example}")
    terms: list[Term] = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        if isinstance(item, dict):
            term = _table_term(loader, item, at, built_in)
        else:
            key = loader.string(item, at, '"website"')
            term = built_in.get(key) or Term(key, key.replace("_", " "), key.replace("_", " "))
        if valid is not None and not valid(term.key):
            raise loader.fail(f"{at}.key" if isinstance(item, dict) else at,
                              f'"{term.key}" is not a {_WHAT[kind]} the bot knows',
                              f"use one of {_listing(known)}")
        if any(t.key == term.key for t in terms):
            raise loader.fail(at, f'the {_WHAT[kind]} "{term.key}" is listed twice',
                              "remove the repetition")
        terms.append(term)
    check_words(loader, terms, where, kind)
    return tuple(terms)


def _table_term(loader: Failing, item: dict[str, Any], at: str,
                built_in: dict[str, Term]) -> Term:
    loader.check_keys(item, TERM_KEYS, at)
    if "key" not in item:
        raise loader.fail(f"{at}.key", "this value has no key",
                          'add key = "..." with a short single word, like key = "website"')
    key = loader.string(item["key"], f"{at}.key", '"website"')
    base = built_in.get(key)
    name_en = loader.string(item["name_en"], f"{at}.name_en", '"Website"') \
        if "name_en" in item else (base.name_en if base else key.replace("_", " "))
    name_zh = loader.string(item["name_zh"], f"{at}.name_zh", '"官网"') \
        if "name_zh" in item else (base.name_zh if base else name_en)
    aliases = read_aliases(loader, item["aliases"], f"{at}.aliases") if "aliases" in item \
        else (base.aliases if base else ())
    return Term(key, name_en, name_zh, aliases)


def check_words(loader: Failing, terms: Sequence[Term], where: str, kind: str) -> None:
    """A key, name or other word may stand for one value only, or it could not be chosen."""
    owner: dict[str, str] = {}
    for term in terms:
        for word in dict.fromkeys(fold(w) for w in term.words):
            if word in owner and owner[word] != term.key:
                raise loader.fail(
                    where, f'the word "{word}" names both the {_WHAT[kind]} "{owner[word]}" '
                    f'and "{term.key}", so it could not be chosen',
                    "give each value its own names and other words",
                )
            owner[word] = term.key
