"""How fast the chat commands answer through the real doors on a big database, against the floor
of the chat library itself measured in the same run.

Seeds (once; later runs reuse it, per size and schema revision) a database of 100k deals, 150k
leads, 25k customers, 200k activities, 10k reminders and 20k invoices with their orders and
payments, on SQLite and on PostgreSQL, and works on a copy of it. Then, in rounds so that a
noisy machine affects all alike, it sends `/todo /deal /customer /log /lead /pay` through the
Telegram door (python-telegram-bot `Application.process_update`, answering into a recording Bot
API) and `/ltc deal` through the Slack door (a signed request into Bolt's `App.dispatch`, the
Web API a local HTTP server), each next to its floor: python-telegram-bot processing one update
through an echo handler, Bolt acknowledging a signed slash command with
`process_before_response=True`. It prints median and p99 latency, the part spent in ltcbot's
dispatcher, SQL statements per command and the ratio to the floor; then updates per second of
one and of two processes working through the read/write mix.

    .venv/bin/python bench/commands.py                           # both databases, full size
    .venv/bin/python bench/commands.py --backend sqlite --repeat 50 --seconds 5
    .venv/bin/python bench/commands.py --leads 10000 --only /lead  # /lead at 10k leads
    .venv/bin/python bench/commands.py --profile /tmp/prof       # cProfile and top statements

PostgreSQL: the server of $LTC_BENCH_PG (default postgres@127.0.0.1:5432); the databases are
named ltc_bench_*. SQLite files go to data/bench/.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, func, select  # noqa: E402

from bench import sales_lists  # noqa: E402
from bench.databases import BACKENDS, scratch, seeded, settle  # noqa: E402
from bench.doors import SlackDrive, TelegramDrive, text_update  # noqa: E402
from bench.receivables import NOW, TODAY, Bill, Sale, seed_invoices, seed_orders  # noqa: E402
from bench.seeding import bulk_insert  # noqa: E402
from bench.statements import StatementLog  # noqa: E402
from bot.app import App, build_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from domain.settings import Settings  # noqa: E402
from handlers.dispatch import Dispatcher  # noqa: E402
from handlers.reply import Button, Reply  # noqa: E402
from storage import search_index  # noqa: E402
from storage import tables as t  # noqa: E402
from storage import tables_cash as c  # noqa: E402
from tests.doors.slack_fake import SlackApi  # noqa: E402

TELEGRAM_BASE = 700_000  # a user's Telegram id is this plus their ltcbot id
FINANCE = "fin"
COMMANDS = ("/todo", "/deal", "/customer", "/log", "/lead", "/pay")
# Targets (median ratio to the floor): SQLite, PostgreSQL.
TARGETS = {"/todo": (8, 15), "/deal": (8, 15), "/customer": (20, 40), "/log": (20, 40),
           "/pay": (20, 40), "/lead": (20, 20)}
WORDS = sales_lists.WORDS
FORMS = sales_lists.FORMS
TRADES = ("Logistics", "Robotics", "Foods", "Medical", "物流", "医疗", "能源", "食品")


def runtime(url: str) -> Runtime:
    """The bot as configured for the run: sends not paced overall. Paced (Telegram's 30 a
    second, the default), an answer would wait its turn after the one before, and that wait is
    Telegram's limit, not the work measured here; the echo floor is not paced either."""
    return Runtime(database_url=url, telegram_messages_per_second=0)


def slack_id(user_id: int) -> str:
    return f"U{user_id:07d}"


# --------------------------------------------------------------------------- the data

@dataclass(frozen=True)
class Size:
    """The database, scaled from the number of deals."""

    deals: int

    @property
    def leads(self) -> int:
        return self.deals + self.deals // 2

    @property
    def customers(self) -> int:
        return max(1, self.deals // 4)

    @property
    def activities(self) -> int:
        return 2 * self.deals

    @property
    def invoices(self) -> int:
        return max(1, self.deals // 5)

    @property
    def key(self) -> str:
        return f"commands_d{self.deals}"

    def describe(self) -> str:
        return (f"{self.deals:,} deals, {self.leads:,} leads, {self.customers:,} customers, "
                f"{self.activities:,} activities, {self.activities // 20:,} reminders, "
                f"{self.invoices:,} invoices")


def seeder(size: Size, rng_seed: int) -> Callable[[Engine], None]:
    """Fills an empty, migrated database of `size`."""

    def seed(engine: Engine) -> None:
        rng = random.Random(rng_seed)
        spent = sales_lists.seed(engine, sales_lists.Shape(size.deals, size.activities), rng)
        for label, seconds in spent.items():
            print(f"  {label:<36} {seconds:7.1f} s", flush=True)
        started = time.perf_counter()
        with engine.connect() as conn:
            top = conn.execute(select(func.max(t.users.c.id))).scalar_one()
        finance = top + 1
        bulk_insert(engine, t.users, iter([{
            "id": finance, "username": FINANCE, "display_name": "Finance", "role": "finance",
            "team": None, "locale": "en", "timezone": "Asia/Shanghai", "active": True,
            "created_at": NOW}]))

        def identities() -> Iterator[dict[str, Any]]:
            for uid in range(1, finance + 1):
                yield {"platform": "telegram", "external_id": str(TELEGRAM_BASE + uid),
                       "user_id": uid, "created_at": NOW}
                yield {"platform": "slack", "external_id": slack_id(uid), "user_id": uid,
                       "created_at": NOW}

        bulk_insert(engine, t.identities, identities())
        with engine.connect() as conn:
            won = conn.execute(select(t.deals.c.id, t.deals.c.customer_id, t.deals.c.owner_id,
                                      t.deals.c.team, t.deals.c.amount)
                               .where(t.deals.c.status == "won").order_by(t.deals.c.id)).all()
        sales = [Sale(r[0], r[1], r[2], r[3], Decimal(r[4] or 1000)) for r in won]
        seed_orders(engine, sales)

        def bills() -> Iterator[Bill]:
            for n in range(size.invoices if sales else 0):
                issued = TODAY - timedelta(days=rng.randrange(400))
                total = Decimal(rng.randrange(100_000, 20_000_000)) / 100
                luck = rng.random()
                paid = total if luck < 0.45 else (total / 2).quantize(Decimal("0.01")) \
                    if luck < 0.6 else Decimal(0)
                yield Bill(n % len(sales) + 1, issued, issued + timedelta(days=30), total, paid)

        for name, count in seed_invoices(engine, sales, bills()).items():
            print(f"  {name} ({count:,})", flush=True)
        with engine.begin() as conn:  # the search terms a running bot keeps in step
            print(f"  search terms ({search_index.rebuild(conn):,})", flush=True)
        settle(engine)
        print(f"  {'users, identities, orders, invoices':<36} "
              f"{time.perf_counter() - started:7.1f} s", flush=True)

    return seed


@dataclass
class Cast:
    """Who sends what: reps with their open deals and their customers that have invoices,
    the finance user and open invoices to pay."""

    reps: list[int]
    deals: dict[int, list[int]]
    customers: dict[int, list[int]]
    finance: int
    open_invoices: list[str]

    @classmethod
    def of(cls, engine: Engine) -> Cast:
        with engine.connect() as conn:
            reps = list(conn.execute(select(t.users.c.id).where(t.users.c.role == "rep")
                                     .order_by(t.users.c.id)).scalars())
            finance = conn.execute(select(t.users.c.id).where(
                t.users.c.username == FINANCE)).scalar_one()
            deals: dict[int, list[int]] = {}
            for deal, owner in conn.execute(
                    select(t.deals.c.id, t.deals.c.owner_id)
                    .where(t.deals.c.status == "open").order_by(t.deals.c.id)):
                deals.setdefault(owner, []).append(deal)
            customers: dict[int, list[int]] = {}
            for customer, owner in conn.execute(
                    select(c.invoices.c.customer_id, c.invoices.c.owner_id).distinct()
                    .order_by(c.invoices.c.customer_id)):
                customers.setdefault(owner, []).append(customer)
            paid = select(c.allocations.c.invoice_id)
            open_invoices = list(conn.execute(
                select(c.invoices.c.number).where(c.invoices.c.id.not_in(paid))
                .order_by(c.invoices.c.id).limit(5000)).scalars())
        reps = [r for r in reps if deals.get(r) and customers.get(r)]
        if not reps or not open_invoices:
            raise SystemExit("the database has no rep with open deals and invoiced customers")
        return cls(reps, deals, customers, finance, open_invoices)

    def line(self, command: str, n: int, rng: random.Random) -> tuple[int, str]:
        """The n-th message of a kind: (ltcbot user id, text)."""
        rep = self.reps[n % len(self.reps)]
        if command == "/todo":
            return rep, "/todo"
        if command == "/deal":
            return rep, f"/deal D-{rng.choice(self.deals[rep])}"
        if command == "/customer":
            return rep, f"/customer A-{rng.choice(self.customers[rep])}"
        if command == "/log":
            return rep, f"/log D-{rng.choice(self.deals[rep])} call talked about the rollout"
        if command == "/lead":
            # A new name sharing its first word with 1 in 16 of the seeded names.
            name = f"{WORDS[n % len(WORDS)]} {TRADES[n % len(TRADES)]} {rng.choice(FORMS)}"
            return rep, f'/lead "{name.strip()}" contact=Li phone=13800000000 source=website'
        if command == "/pay":
            return self.finance, f"/pay {self.open_invoices[n % len(self.open_invoices)]} 1"
        raise ValueError(command)


# --------------------------------------------------------------------------- measuring

@dataclass
class Series:
    """One command's runs."""

    name: str
    runs: list[float] = field(default_factory=list)
    inner: list[float] = field(default_factory=list)  # in the dispatcher
    statements: list[int] = field(default_factory=list)
    done: list[float] = field(default_factory=list)  # Slack: until the reply was posted

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p99(self) -> float:
        return _p99(self.runs)


def _without_work(app: App) -> App:
    """The same door wiring whose dispatcher answers at once with a card of typical size: what
    the door itself costs over the floor."""
    dispatcher = Dispatcher(app.dispatcher.uow_factory, app.settings, app.dispatcher.clock)
    card = Reply("\n".join(f"R-{n} tomorrow 10:00 D-{n} call back about the rollout"
                           for n in range(8)),
                 [[Button("Done R-1", "/done R-1"), Button("Snooze", "/snooze R-1 tomorrow")]])
    dispatcher.handle = lambda incoming: card  # type: ignore[method-assign]
    return App(app.settings, app.runtime, app.engine, dispatcher)


class DispatcherClock:
    """Times each call of the dispatcher (and profiles it when asked), in whatever thread the
    door runs it."""

    def __init__(self, app: App) -> None:
        self.handle = app.dispatcher.handle
        self.last = 0.0
        self.reply: Any = None
        self.profile: cProfile.Profile | None = None
        app.dispatcher.handle = self._timed  # type: ignore[method-assign]

    def _timed(self, incoming: Any) -> Any:
        started = time.perf_counter()
        if self.profile is not None:
            self.profile.enable()
        try:
            self.reply = self.handle(incoming)
            return self.reply
        finally:
            if self.profile is not None:
                self.profile.disable()
            self.last = time.perf_counter() - started


def _load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) + f" on {os.cpu_count()} cores"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


def _check(command: str, reply: Any) -> None:
    """A command that failed would be timed as fast; stop instead."""
    if reply is None or not reply.ok or not reply.text:
        raise SystemExit(f"{command} did not work: {getattr(reply, 'text', '')[:300]!r}")


def _p99(runs: list[float]) -> float:
    ordered = sorted(runs)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def latency(app: App, cast: Cast, repeat: int, warmup: int, only: set[str],
            profile_dir: Path | None, rng: random.Random) -> list[str]:
    """Interleaved rounds: the floors and each command once per round."""
    engine = app.engine
    log = StatementLog(app.engine, timing=profile_dir is not None)
    clock = DispatcherClock(app)
    floor = TelegramDrive(None)
    door = TelegramDrive(app)
    bare = TelegramDrive(_without_work(app))
    api = SlackApi()
    api.start()
    slack_floor = SlackDrive(None, api)
    slack_door = SlackDrive(app, api)
    commands = [cmd for cmd in COMMANDS if not only or cmd in only]
    series = {name: Series(name) for name in
              ["telegram floor", "door, no work", *commands, "slack floor", "/ltc deal"]}
    profiles = {name: cProfile.Profile() for name in series} if profile_dir else {}
    traces: dict[str, list[tuple[str, float]]] = {}
    update_id = 0
    trigger = 0
    try:
        for round_no in range(warmup + repeat):
            keep = round_no >= warmup
            update_id += 1
            text = "hello, floor"
            runs = floor.run([text_update(update_id, TELEGRAM_BASE + cast.reps[0], text)])
            if keep:
                series["telegram floor"].runs += runs
            update_id += 1
            runs = bare.run([text_update(update_id, TELEGRAM_BASE + cast.reps[0], "/todo")])
            if keep:
                series["door, no work"].runs += runs
            for command in commands:
                user_id, text = cast.line(command, round_no, rng)
                update_id += 1
                log.reset()
                clock.profile = profiles.get(command) if keep else None
                runs = door.run([text_update(update_id, TELEGRAM_BASE + user_id, text)])
                clock.profile = None
                if round_no == 0:
                    _check(command, clock.reply)
                if keep:
                    traces[command] = log.trace
                    s = series[command]
                    s.runs += runs
                    s.inner.append(clock.last)
                    s.statements.append(log.count)
            trigger += 1
            acked, _ = slack_floor.command("deal D-1", slack_id(cast.reps[0]), f"f{trigger}")
            if keep:
                series["slack floor"].runs.append(acked)
            rep = cast.reps[round_no % len(cast.reps)]
            deal = rng.choice(cast.deals[rep])
            log.reset()
            clock.profile = profiles.get("/ltc deal") if keep else None
            acked, done = slack_door.command(f"deal D-{deal}", slack_id(rep), f"t{trigger}")
            clock.profile = None
            if round_no == 0:
                _check("/ltc deal", clock.reply)
            if keep:
                traces["/ltc deal"] = log.trace
                s = series["/ltc deal"]
                s.runs.append(acked)
                s.done.append(done)
                s.inner.append(clock.last)
                s.statements.append(log.count)
        if not api.of("chat.postMessage"):
            raise SystemExit("/ltc deal posted nothing")
    finally:
        floor.close()
        door.close()
        bare.close()
        slack_floor.close()
        slack_door.close()
        api.stop()

    dialect = engine.dialect.name
    column = 0 if dialect == "sqlite" else 1
    tg_floor = series["telegram floor"].median
    sl_floor = series["slack floor"].median
    lines = [f"{'command':<16} {'median ms':>9} {'p99 ms':>8} {'in bot ms':>9} {'stmts':>5} "
             f"{'x floor':>8} {'target':>7}"]
    for name, s in series.items():
        base = sl_floor if name in ("slack floor", "/ltc deal") else tg_floor
        inner = _ms(statistics.median(s.inner)) if s.inner else " " * 8
        stmts = f"{statistics.median(s.statements):5.0f}" if s.statements else "     "
        ratio = "" if name.endswith("floor") else f"{s.median / base:7.1f}x"
        target = f"<={TARGETS[name][column]}x" if name in TARGETS else \
            "<=1 ms" if name == "/ltc deal" else ""
        lines.append(f"{name:<16} {_ms(s.median):>9} {_ms(s.p99):>8} {inner:>9} {stmts} "
                     f"{ratio:>8} {target:>7}")
    replies = series["/ltc deal"].done
    lines.append(f"{'/ltc deal reply':<16} {_ms(statistics.median(replies)):>9} "
                 f"{_ms(_p99(replies)):>8}"
                 f"  (ack, then the lazy listener's work and chat.postMessage)")
    if profile_dir is not None:
        lines += _profiles(profiles, log, profile_dir, dialect)
        lines.append("\nthe statements of each command's last run (ms, at execute; rows are "
                     "fetched afterwards):")
        for name, trace in traces.items():
            lines.append(f"--- {name}")
            lines += [f"  {seconds * 1000:7.2f}  {shape[:150]}" for shape, seconds in trace]
    return lines


def _profiles(profiles: dict[str, cProfile.Profile], log: StatementLog, folder: Path,
              dialect: str) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"\nprofiles ({folder}/{dialect}-*.prof; dispatcher only, all timed runs):"]
    for name, profile in profiles.items():
        if name not in TARGETS and name != "/ltc deal":
            continue  # the floors and the bare door run no ltcbot code
        path = folder / f"{dialect}-{name.strip('/').replace(' ', '_')}.prof"
        profile.dump_stats(path)
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(r"/(domain|handlers|storage|bot)/", 18)
        lines.append(f"--- {name}")
        lines += [ln for ln in out.getvalue().splitlines() if ln.strip()][-22:]
    lines.append("\nstatements that took the most time over all timed runs (count, ms):")
    for shape, count, seconds in log.top(15):
        lines.append(f"{count:6d} {seconds * 1000:9.1f}  {shape[:220]}")
    return lines


# --------------------------------------------------------------------------- throughput

MIXES = {"six commands in turn": COMMANDS,
         "the same without /lead": tuple(c for c in COMMANDS if c != "/lead")}


def _mix(cast: Cast, commands: tuple[str, ...], count: int,
         rng: random.Random) -> list[tuple[int, str]]:
    """A read/write mix: the commands in turn."""
    return [cast.line(commands[n % len(commands)], n // len(commands), rng)
            for n in range(count)]


def worker(plan_path: str) -> int:
    """One process of the throughput run: set up, say ready, wait for go, work, report."""
    plan = json.loads(Path(plan_path).read_text())
    app = None
    if plan["kind"] == "ltcbot":
        app = build_app(Settings(company_name="Bench"), runtime(plan["url"]),
                        lambda: NOW, run_migrations=False)
    refused = 0

    def count_refusals() -> None:
        nonlocal refused
        refused += clock is not None and clock.reply is not None and not clock.reply.ok

    clock = DispatcherClock(app) if app is not None else None
    drive = TelegramDrive(app)
    lines = plan["lines"]
    offset = plan["offset"]
    print("ready", flush=True)
    sys.stdin.readline()
    deadline = time.perf_counter() + plan["seconds"]
    done = 0
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        user_id, text = lines[done % len(lines)]
        drive.run([text_update(offset + done, TELEGRAM_BASE + user_id, text)],
                  after=count_refusals)
        done += 1
    elapsed = time.perf_counter() - started
    answers = drive.answers()
    drive.close()
    if app is not None:
        app.close()
    print(json.dumps({"updates": done, "seconds": elapsed, "answers": answers,
                      "refused": refused}), flush=True)
    return 0


def throughput(url: str, cast: Cast, seconds: float, rng: random.Random) -> list[str]:
    lines = [f"{'updates/s, read/write mix':<44} {'1 process':>10} {'2 processes':>12}"]
    runs: list[tuple[str, str, tuple[str, ...]]] = [("telegram floor (echo)", "floor", COMMANDS)]
    runs += [(f"ltcbot telegram door: {name}", "ltcbot", mix) for name, mix in MIXES.items()]
    with tempfile.TemporaryDirectory(prefix="ltc_bench_") as folder:
        for label, kind, mix in runs:
            figures = []
            for processes in (1, 2):
                plans = []
                for n in range(processes):
                    path = Path(folder) / f"{kind}-{len(mix)}-{processes}-{n}.json"
                    offset = 10_000_000 * (1 + n + 2 * processes + 4 * len(mix))
                    path.write_text(json.dumps({
                        "kind": kind, "url": url, "seconds": seconds, "offset": offset,
                        "lines": _mix(cast, mix, 600, random.Random(rng.random() + n))}))
                    plans.append(path)
                figures.append(_run_workers(plans))
            lines.append(f"{label:<44} {figures[0]:>10.0f} {figures[1]:>12.0f}")
    lines.append("(each process works through its updates one after another; 2 processes: "
                 "the sum of both, on one database)")
    return lines


def _run_workers(plans: list[Path]) -> float:
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", str(p)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for p in plans]
    for proc in procs:
        assert proc.stdout is not None
        ready = proc.stdout.readline().strip()
        if ready != "ready":
            raise SystemExit(f"a throughput worker did not start: {ready!r}")
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    total = 0.0
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        result = json.loads(out.strip().splitlines()[-1])
        if result["answers"] < result["updates"] or result["refused"]:
            raise SystemExit(f"a worker answered {result['answers']} of {result['updates']}, "
                             f"{result['refused']} of them refused")
        total += result["updates"] / result["seconds"]
    return total


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--deals", type=int, default=100_000,
                        help="size of the database (leads 1.5x, customers 1/4, activities 2x, "
                             "invoices 1/5 of it)")
    parser.add_argument("--leads", type=int, help="size by leads instead (--leads 10000)")
    parser.add_argument("--repeat", type=int, default=200, help="timed rounds")
    parser.add_argument("--warmup", type=int, default=10, help="rounds not counted, first")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="length of each throughput run (0: none)")
    parser.add_argument("--only", action="append", default=[],
                        help="time only this Telegram command (repeatable), e.g. --only /lead")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="profile the dispatcher (cProfile, files in DIR) and time statements")
    parser.add_argument("--fresh", action="store_true", help="seed again even if kept")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the data")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    deals = round(args.leads / 1.5) if args.leads else args.deals
    if deals < 10 or args.repeat < 1 or args.warmup < 0:
        parser.error("the size must be at least 10 deals, --repeat at least 1")
    unknown = set(args.only) - set(COMMANDS)
    if unknown:
        parser.error(f"--only takes {', '.join(COMMANDS)}")
    size = Size(deals)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    rng = random.Random(args.seed)
    for backend in backends:
        kept = seeded(backend, size.key, seeder(size, args.seed), fresh=args.fresh)
        with scratch(kept) as url:
            app = build_app(Settings(company_name="Bench"), runtime(url),
                            lambda: NOW, run_migrations=False)
            load = _load()
            print(f"\n{backend}: {size.describe()}; {args.repeat} rounds; load {load}; "
                  "Telegram sends not paced (telegram.messages_per_second = 0)", flush=True)
            cast = Cast.of(app.engine)
            for line in latency(app, cast, args.repeat, args.warmup,
                                set(args.only), args.profile, rng):
                print(line, flush=True)
            app.close()
            if args.seconds > 0 and not args.only:
                print()
                for line in throughput(url, cast, args.seconds, rng):
                    print(line, flush=True)
            print(f"load at the end {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
