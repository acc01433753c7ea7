"""How well sentences are understood: each sentence of a set is sent as rep of a small company
(tests/sentences/world.py), and the command its draft (or answer, or choice) stands for is
compared with the expected one. Prints the share of exact drafts per intent, the writes made
without Confirm (there must be none) and the time per sentence.

    .venv/bin/python bench/sentences.py                    # the held-out set
    .venv/bin/python bench/sentences.py --set development  # the set the parser is tuned on
    .venv/bin/python bench/sentences.py --misses           # also list every miss
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import App, build_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from domain.settings import Settings  # noqa: E402
from domain.users import Role, add_user  # noqa: E402
from handlers.i18n import Translator  # noqa: E402
from handlers.reply import Reply  # noqa: E402
from handlers.sentences import ANSWER_MARK  # noqa: E402
from tests.hardening.world import watching  # noqa: E402
from tests.sentences import world  # noqa: E402
from tests.support import FakeClock, say  # noqa: E402

SETS = Path(__file__).resolve().parents[1] / "tests" / "sentences"
USERS = [("boss", Role.ADMIN, None), ("mgr", Role.MANAGER, "east"), ("rep", Role.REP, "east"),
         ("rep2", Role.REP, "east"), ("other", Role.REP, "west"), ("fin", Role.FINANCE, None)]


@dataclass(frozen=True)
class Case:
    intent: str
    sentence: str
    expected: str


@dataclass
class Results:
    """Per intent: cases and exact drafts; the misses; writes made; seconds per sentence."""

    cases: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    exact: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[tuple[Case, str]] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        total = sum(self.cases.values())
        return sum(self.exact.values()) / total if total else 0.0


def load(name: str) -> list[Case]:
    """The cases of a sentence set (held_out or development)."""
    cases = []
    for line in (SETS / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            intent, sentence, expected = line.split("\t")
            cases.append(Case(intent, sentence, expected))
    return cases


def understood(reply: Reply) -> str:
    """The command a reply to a sentence stands for: the draft's Confirm, the commands of a
    choice ("?a|b"), the command a question ran, or "-" for none."""
    first = reply.text.split("\n", 1)[0]
    if first.startswith(ANSWER_MARK):
        return first[len(ANSWER_MARK):]
    rows = [[b.command for b in row] for row in reply.buttons]
    for row in rows:
        if len(row) == 3 and row[1] == f"/draft edit {row[0]}":
            return row[0]
    choices = [c.removeprefix("/draft ") for row in rows for c in row
               if len(row) == 1 and c != "/draft cancel"]
    if choices and len(rows) >= 2:
        return "?" + "|".join(choices)
    return "-"


def company(url: str) -> tuple[App, FakeClock]:
    """The small company of the sentence sets, typed in on a new database."""
    clock = FakeClock()
    app = build_app(Settings(company_name="Test Co"), Runtime(database_url=url), clock)
    with app.uow() as uow:
        uow.action = "bench setup"
        for username, role, team in USERS:
            add_user(uow, username, role, clock(), team=team, locale="en",
                     timezone="Asia/Shanghai")
        uow.commit()
    world.build(app, clock)
    return app, clock


def evaluate(app: App, cases: list[Case], user: str = "rep") -> Results:
    """Send every sentence; nothing is confirmed, so nothing may be written."""
    results = Results()
    with watching(app.engine) as writes:
        for case in cases:
            started = time.perf_counter()
            reply = say(app, user, case.sentence)
            results.seconds.append(time.perf_counter() - started)
            results.writes += writes.take()
            got = understood(reply)
            results.cases[case.intent] += 1
            if got == case.expected:
                results.exact[case.intent] += 1
            else:
                results.misses.append((case, got))
    return results


def report(results: Results, out: object = sys.stdout) -> None:
    write = out.write  # type: ignore[attr-defined]
    write(f"{'intent':<10} {'cases':>5} {'exact':>5} {'accuracy':>9}\n")
    for intent in sorted(results.cases):
        n, ok = results.cases[intent], results.exact[intent]
        write(f"{intent:<10} {n:>5} {ok:>5} {ok / n:>9.1%}\n")
    total = sum(results.cases.values())
    write(f"{'all':<10} {total:>5} {sum(results.exact.values()):>5} {results.accuracy:>9.1%}\n")
    write(f"writes without Confirm: {len(results.writes)}\n")
    ms = sorted(s * 1000 for s in results.seconds)
    write(f"ms per sentence: median {statistics.median(ms):.1f}, "
          f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f}, first {results.seconds[0] * 1000:.0f} "
          f"(loads the Chinese dictionary); load average {os.getloadavg()[0]:.2f}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="held_out", choices=("held_out", "development"))
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app, _ = company(f"sqlite:///{folder}/sentences.db")
        try:
            results = evaluate(app, load(args.set))
        finally:
            app.close()
    print(f"sentence set: {args.set} ({Translator('en')('button.confirm')} not pressed)")
    report(results)
    if args.misses:
        for case, got in results.misses:
            print(f"MISS {case.intent}: {case.sentence}\n   want {case.expected}\n   got  {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
