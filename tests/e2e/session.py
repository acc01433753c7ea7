"""Driving the console door in-process, and checking what a session left in the database."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from functools import cache

from babel.messages.pofile import read_po
from sqlalchemy import select

from bot.app import App
from bot.console import run_console
from handlers.i18n import Translator, catalog_paths
from storage.tables import metadata

Snapshot = dict[str, list[str]]

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_DOTTED = re.compile(r"(?<![\w.])([a-z_]+)\.[a-z_]+(?:\.[a-z_]+)*")


def chat(app: App, username: str, *lines: str) -> tuple[str, int]:
    """Run one console session of `lines` as `username`: (printed text, refused count)."""
    out = io.StringIO()
    refused = run_console(app, username, list(lines), out)
    return out.getvalue(), refused


def ref_in(text: str, prefix: str) -> str:
    """The first reference with this prefix (L, A, D, Q, O, R) printed in `text`."""
    match = re.search(rf"(?<![\w-]){prefix}-\d+\b", text)
    assert match is not None, f"no {prefix}-n reference in:\n{text}"
    return match.group(0)


def snapshot(app: App) -> Snapshot:
    """Every row of every table (audit log and outbox included), in a comparable form."""
    with app.engine.connect() as conn:
        return {
            table.name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            for table in metadata.sorted_tables
        }


def row_counts(state: Snapshot) -> dict[str, int]:
    return {name: len(rows) for name, rows in state.items()}


def changed_tables(before: Snapshot, after: Snapshot) -> dict[str, tuple[int, int]]:
    """Tables whose rows differ: name -> (rows before, rows after)."""
    return {name: (len(before[name]), len(after[name]))
            for name in before if before[name] != after[name]}


def distinctive(t: Translator, key: str) -> str:
    """The longest fixed part of a message's text in `t`'s language (placeholders cut out)."""
    template = t(key)
    assert template != key, f"{key} has no text in {t.locale}"
    return max((part.strip() for part in _PLACEHOLDER.split(template)), key=len)


@cache
def _key_prefixes() -> frozenset[str]:
    prefixes: set[str] = set()
    for path in catalog_paths("en"):
        with path.open("rb") as handle:
            prefixes |= {str(m.id).split(".")[0] for m in read_po(handle) if m.id}
    return frozenset(prefixes)


def leaked_keys(text: str) -> list[str]:
    """Message keys (or key-like fragments such as role.xyz) shown raw instead of as text."""
    return [m.group(0) for m in _DOTTED.finditer(text) if m.group(1) in _key_prefixes()]


def assert_in_order(text: str, parts: Iterable[str]) -> None:
    """Each part occurs in `text`, each after the one before."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing (after position {position}) in:\n{text}"
        position = found + len(part)
