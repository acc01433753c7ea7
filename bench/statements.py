"""Counting and timing the SQL statements an engine runs, for the benchmarks."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, event

_SPACE = re.compile(r"\s+")
_LITERALS = re.compile(r"\b\d+\b")


class StatementLog:
    """Every statement the engine sends (an executemany counts once), with its time when
    `timing` is on; `reset()` starts a new count."""

    def __init__(self, engine: Engine, *, timing: bool = False) -> None:
        self.count = 0
        self.timing = timing
        self.spent: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self.trace: list[tuple[str, float]] = []  # since the last reset, when timing
        self._started: dict[int, float] = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self.count = 0
        self.trace = []

    def _before(self, _conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        self.count += 1
        if self.timing:
            self._started[id(cursor)] = time.perf_counter()

    def _after(self, _conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if not self.timing:
            return
        started = self._started.pop(id(cursor), None)
        if started is None:
            return
        shape = _LITERALS.sub("N", _SPACE.sub(" ", statement).strip())
        entry = self.spent[shape]
        spent = time.perf_counter() - started
        entry[0] += 1
        entry[1] += spent
        self.trace.append((shape, spent))

    def top(self, limit: int = 6) -> list[tuple[str, int, float]]:
        """The statements that took the most time: text, how many times, seconds in all."""
        ranked = sorted(self.spent.items(), key=lambda item: item[1][1], reverse=True)
        return [(shape, int(n), float(s)) for shape, (n, s) in ranked[:limit]]

    def clear_timing(self) -> None:
        self.spent.clear()
