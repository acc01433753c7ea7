"""Whether the timed jobs stay flat as paid history grows: the dunning scan and `tick` with 10k
and with 200k paid invoices around the same overdue set, and the first `tick` (every overdue
invoice marked at its level, the chasing messages queued and the first ones sent).

Each database holds the same overdue set (invoices 1..N, due 1-120 days ago, some partly
paid, over a few thousand customers) and a paid history of P invoices, fully paid over the
past three years. Seeded once per size and schema revision and reused; each run works on a copy.

    .venv/bin/python bench/growth.py                     # both databases, 10k and 200k paid
    .venv/bin/python bench/growth.py --backend sqlite --paid 10000 --paid 50000 --overdue 2000
    .venv/bin/python bench/growth.py --profile /tmp/prof  # cProfile of the first and later tick
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, delete, func, select, update  # noqa: E402

from bench.databases import BACKENDS, scratch, seeded, settle  # noqa: E402
from bench.receivables import NOW, TODAY, Bill, Sale, seed_invoices, seed_orders  # noqa: E402
from bench.seeding import bulk_insert  # noqa: E402
from bench.statements import StatementLog  # noqa: E402
from bot.app import App, build_app  # noqa: E402
from bot.console import ConsoleSender  # noqa: E402
from bot.delivery import Deliverer  # noqa: E402
from bot.jobs import Jobs  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from domain.settings import Settings  # noqa: E402
from storage import tables as t  # noqa: E402
from storage import tables_cash as c  # noqa: E402
from storage.tables_dunning import dunning_marks  # noqa: E402

TEAMS = ("east", "west", "north", "south", "central")
REPS_PER_TEAM = 10
# 09:30 in Shanghai on Monday: the daily chase and the weekly digest are both due.
TICK_AT = NOW - timedelta(minutes=30)


def seeder(overdue: int, paid: int, customers: int, rng_seed: int) -> Callable[[Engine], None]:
    def seed(engine: Engine) -> None:
        rng = random.Random(rng_seed)
        reps = [(team, n) for team in TEAMS for n in range(REPS_PER_TEAM)]
        first_rep = 2 + len(TEAMS)
        team_of = {first_rep + i: team for i, (team, _) in enumerate(reps)}

        def users() -> Iterator[dict[str, Any]]:
            base = {"locale": "en", "timezone": "Asia/Shanghai", "active": True,
                    "created_at": NOW}
            yield {**base, "id": 1, "username": "boss", "display_name": "Boss",
                   "role": "admin", "team": None}
            for i, team in enumerate(TEAMS):
                yield {**base, "id": 2 + i, "username": f"mgr_{team}", "team": team,
                       "display_name": f"Manager {team}", "role": "manager"}
            for uid, team in team_of.items():
                yield {**base, "id": uid, "username": f"rep_{uid}", "team": team,
                       "display_name": f"Rep {uid}", "role": "rep"}
            yield {**base, "id": first_rep + len(reps), "username": "fin",
                   "display_name": "Finance", "role": "finance", "team": None}

        owners = [rng.choice(list(team_of)) for _ in range(customers)]

        def customer_rows() -> Iterator[dict[str, Any]]:
            for i, owner in enumerate(owners, start=1):
                yield {"id": i, "name": f"Customer {i}", "name_key": f"customer {i}",
                       "owner_id": owner, "team": team_of[owner], "created_at": NOW}

        def deals() -> Iterator[dict[str, Any]]:
            for i, owner in enumerate(owners, start=1):
                yield {"id": i, "title": f"Deal {i}", "customer_id": i, "owner_id": owner,
                       "team": team_of[owner], "stage": "won", "probability": 100,
                       "currency": "CNY", "amount": Decimal(1_000_000), "status": "won",
                       "created_at": NOW - timedelta(days=1200),
                       "last_activity_at": NOW - timedelta(days=30),
                       "closed_at": NOW - timedelta(days=1100)}

        for table, rows in [(t.users, users()), (t.customers, customer_rows()),
                            (t.deals, deals())]:
            bulk_insert(engine, table, rows)
        sales = [Sale(i, i, owner, team_of[owner], Decimal(1_000_000))
                 for i, owner in enumerate(owners, start=1)]
        seed_orders(engine, sales)
        # The overdue set comes from its own generator, so it is the same whatever `paid` is.
        open_rng = random.Random(rng_seed + 1)

        def bills() -> Iterator[Bill]:
            for _ in range(overdue):
                due = TODAY - timedelta(days=open_rng.randrange(1, 121))
                total = Decimal(open_rng.randrange(100_000, 5_000_000)) / 100
                part = (total / 3).quantize(Decimal("0.01")) if open_rng.random() < 0.2 \
                    else Decimal(0)
                yield Bill(open_rng.randrange(customers) + 1, due - timedelta(days=30), due,
                           total, part)
            for _ in range(paid):
                due = TODAY - timedelta(days=rng.randrange(1, 3 * 365))
                total = Decimal(rng.randrange(100_000, 5_000_000)) / 100
                yield Bill(rng.randrange(customers) + 1, due - timedelta(days=30), due,
                           total, total)

        for name, count in seed_invoices(engine, sales, bills()).items():
            print(f"  {name} ({count:,})", flush=True)
        settle(engine)

    return seed


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


class Steps:
    """Times each job inside `Jobs.tick` (the instance's methods, wrapped)."""

    def __init__(self, jobs: Jobs) -> None:
        self.spent: dict[str, float] = {}
        for name in ("reminders", "dunning", "digests", "deliver"):
            original = getattr(jobs, name)
            setattr(jobs, name, self._wrap(name, original))

    def _wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args)
            finally:
                self.spent[name] = time.perf_counter() - started
        return run


def _forget_the_chase(engine: Engine) -> None:
    """Back to the state before the first tick: no levels marked, nothing queued."""
    with engine.begin() as conn:
        conn.execute(delete(dunning_marks))
        conn.execute(delete(t.outbox))


def _all_sent(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(update(t.outbox).values(status="sent", sent_at=NOW))


def _profile_lines(profile: cProfile.Profile, title: str, path: Path) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    profile.dump_stats(path)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(
        r"/(domain|handlers|storage|bot)/", 15)
    kept = [ln for ln in out.getvalue().splitlines() if ln.strip()][-17:]
    return [f"--- {title} ({path})", *kept]


def measure(app: App, repeat: int, profile_to: Path | None) -> tuple[dict[str, Any], list[str]]:
    """Scan, first tick (with its steps) and a later tick on one database; with `profile_to`
    (a file name prefix) also cProfile and statement times."""
    profile = profile_to is not None
    engine = app.engine
    log = StatementLog(engine, timing=profile)
    settings = app.settings
    jobs = Jobs(app, Deliverer(engine, settings, [ConsoleSender(io.StringIO())],
                               lambda: TICK_AT))
    steps = Steps(jobs)
    first_level = min(level.days for level in settings.dunning)
    found: dict[str, Any] = {}
    notes: list[str] = []

    def scan() -> Any:
        with app.uow() as uow:
            return uow.dunning.open_invoices(TODAY, first_level)

    _, candidates = _timed(scan)  # warm-up
    log.reset()
    runs = [_timed(scan)[0] for _ in range(repeat)]
    found["scan"] = statistics.median(runs)
    found["scan stmts"] = log.count // repeat
    found["candidates"] = len(candidates)

    firsts, parts, counts = [], [], []
    first_profile = cProfile.Profile() if profile else None
    for n in range(max(1, min(repeat, 3))):
        _forget_the_chase(engine)
        log.reset()
        if first_profile is not None and n == 0:
            first_profile.enable()
        seconds, report = _timed(lambda: jobs.tick(TICK_AT))
        if first_profile is not None and n == 0:
            first_profile.disable()
        firsts.append(seconds)
        parts.append(dict(steps.spent))
        counts.append(log.count)
        found["queued"] = report.dunning
    found["first tick"] = statistics.median(firsts)
    found["first tick stmts"] = int(statistics.median(counts))
    for name in ("reminders", "dunning", "digests", "deliver"):
        found[f"first {name}"] = statistics.median(p[name] for p in parts)
    with engine.connect() as conn:
        found["marks"] = conn.execute(select(func.count()).select_from(dunning_marks)
                                      ).scalar_one()
    if first_profile is not None:
        assert profile_to is not None
        notes += _profile_lines(first_profile, "first tick",
                                profile_to.with_name(profile_to.name + "-first-tick.prof"))
        notes += _statement_lines(log)
        log.clear_timing()

    _all_sent(engine)
    later_profile = cProfile.Profile() if profile else None
    jobs.tick(TICK_AT)  # warm-up
    laters, later_parts = [], []
    log.reset()
    for _ in range(repeat):
        if later_profile is not None:
            later_profile.enable()
        seconds, _ = _timed(lambda: jobs.tick(TICK_AT))
        if later_profile is not None:
            later_profile.disable()
        laters.append(seconds)
        later_parts.append(dict(steps.spent))
    found["tick"] = statistics.median(laters)
    found["tick stmts"] = log.count // repeat
    for name in ("reminders", "dunning", "digests", "deliver"):
        found[f"tick {name}"] = statistics.median(p[name] for p in later_parts)
    if later_profile is not None:
        assert profile_to is not None
        notes += _profile_lines(later_profile, "later tick",
                                profile_to.with_name(profile_to.name + "-later-tick.prof"))
        notes += _statement_lines(log)
    return found, notes


def _statement_lines(log: StatementLog) -> list[str]:
    lines = ["statements that took the most time (count, ms):"]
    for shape, count, seconds in log.top(8):
        lines.append(f"{count:7d} {seconds * 1000:9.1f}  {shape[:200]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--paid", type=int, action="append",
                        help="paid invoices in the history (repeatable; default 10000, 200000)")
    parser.add_argument("--overdue", type=int, default=5000, help="invoices in the overdue set")
    parser.add_argument("--customers", type=int, default=2500)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (first tick: 3)")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="print cProfile and statement times; the .prof files go to DIR")
    parser.add_argument("--fresh", action="store_true", help="seed again even if kept")
    parser.add_argument("--seed", type=int, default=11, help="random seed of the data")
    args = parser.parse_args(argv)
    sizes = args.paid or [10_000, 200_000]
    if args.overdue < 1 or args.customers < 1 or args.repeat < 1 or min(sizes) < 0:
        parser.error("--overdue, --customers and --repeat must be at least 1")
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    for backend in backends:
        results: dict[int, dict[str, Any]] = {}
        for paid in sizes:
            key = f"growth_o{args.overdue}_c{args.customers}_p{paid}"
            kept = seeded(backend, key, seeder(args.overdue, paid, args.customers, args.seed),
                          fresh=args.fresh)
            with scratch(kept) as url:
                app = build_app(Settings(company_name="Bench"), Runtime(database_url=url),
                                lambda: TICK_AT, run_migrations=False)
                load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
                prefix = args.profile / f"growth-{backend}-p{paid}" if args.profile else None
                found, notes = measure(app, args.repeat, prefix)
                with app.engine.connect() as conn:
                    found["invoices"] = conn.execute(
                        select(func.count()).select_from(c.invoices)).scalar_one()
                found["load"] = load
                app.close()
            results[paid] = found
            if notes:
                print(f"\n{backend}, {paid:,} paid invoices:")
                print("\n".join(notes))
        print(f"\n{backend}: overdue set of {args.overdue:,} invoices over "
              f"{args.customers:,} customers; times in ms, median of {args.repeat} "
              f"(first tick: of {min(args.repeat, 3)})")
        _table(results, sizes)
    return 0


def _table(results: dict[int, dict[str, Any]], sizes: list[int]) -> None:
    rows = [
        ("invoices in the database", "invoices", "{:,}"),
        ("invoices the scan returns", "candidates", "{:,}"),
        ("dunning scan", "scan", "ms"),
        ("  statements", "scan stmts", "{}"),
        ("first tick", "first tick", "ms"),
        ("  statements", "first tick stmts", "{:,}"),
        ("  reminders job", "first reminders", "ms"),
        ("  dunning job (marks, queue)", "first dunning", "ms"),
        ("  digests job", "first digests", "ms"),
        ("  delivery (200 rows)", "first deliver", "ms"),
        ("  levels marked", "marks", "{:,}"),
        ("  chasing messages queued", "queued", "{:,}"),
        ("later tick (nothing new)", "tick", "ms"),
        ("  statements", "tick stmts", "{}"),
        ("  dunning job", "tick dunning", "ms"),
        ("  digests job", "tick digests", "ms"),
        (f"load average at start, {os.cpu_count()} cores", "load", "{}"),
    ]
    header = f"{'':<32}" + "".join(f"{f'{p:,} paid':>16}" for p in sizes)
    if len(sizes) == 2:
        header += f"{'ratio':>8}"
    print(header)
    for label, key, fmt in rows:
        cells = []
        for p in sizes:
            value = results[p][key]
            cells.append(f"{value * 1000:16.1f}" if fmt == "ms" else f"{fmt.format(value):>16}")
        line = f"{label:<32}" + "".join(cells)
        if len(sizes) == 2 and fmt == "ms":
            a, b = results[sizes[0]][key], results[sizes[1]][key]
            line += f"{b / a if a else 0:7.2f}x"
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())
