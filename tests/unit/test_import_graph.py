"""The shape of the house, read from the code's own imports (those under `TYPE_CHECKING` too).

`domain/` has no import circle: entities and value objects (`domain/model/`, money, dates,
...) import no port; the port (`domain/unit_of_work.py`) imports entity types; use cases
import both. The layer rule holds: the domain imports no framework and no outer layer, and
storage knows of handlers only the chat port it implements.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORT = "domain.unit_of_work"
OUTER = ("sqlalchemy", "alembic", "telegram", "slack_bolt", "slack_sdk", "apscheduler", "babel",
         "storage", "handlers", "bot")

Graph = Mapping[str, set[str]]


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(package: str) -> dict[str, Path]:
    return {_module(p): p for p in sorted((ROOT / package).rglob("*.py"))
            if "migrations" not in p.parts}


def imported(path: Path) -> set[str]:
    """Every module the file names in an import statement, wherever the statement stands."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    modules = _modules(package)
    return {name: {m for m in imported(path) if m in modules and m != name}
            for name, path in modules.items()}


def circles(edges: Graph) -> list[list[str]]:
    """The import circles: groups of two or more modules that reach each other (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def reaches(edges: Graph, start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _outside(names: Iterable[str], roots: tuple[str, ...]) -> set[str]:
    return {n for n in names if n.split(".")[0] in roots}


def test_the_circle_finder_finds_a_circle_and_nothing_else() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(edges) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_typing_only_imports_count_as_imports(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                      "    from domain.unit_of_work import UnitOfWork\n")
    assert "domain.unit_of_work" in imported(source)


def test_the_domain_has_no_import_circle() -> None:
    assert circles(graph("domain")) == []


def test_entities_and_values_reach_no_port() -> None:
    edges = graph("domain")
    entities = [m for m in edges if m.startswith("domain.model")]
    assert len(entities) > 10
    assert {m: sorted(reaches(edges, m) & {PORT}) for m in entities
            if PORT in reaches(edges, m)} == {}


def test_the_domain_imports_no_framework_and_no_outer_layer() -> None:
    found = {name: sorted(_outside(imported(path), OUTER))
             for name, path in _modules("domain").items()}
    assert {name: names for name, names in found.items() if names} == {}


def test_storage_knows_of_handlers_only_the_chat_port() -> None:
    port = "handlers.unit_of_work"
    found = {name: sorted(n for n in _outside(imported(path), ("handlers", "bot"))
                          if n != "handlers" and n != port and not n.startswith(f"{port}."))
             for name, path in _modules("storage").items()}
    assert {name: names for name, names in found.items() if names} == {}
