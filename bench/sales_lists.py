"""How fast the sales lists and cards answer on a big database.

Seeds a database with bulk inserts (N deals, M activities, and the leads, customers, stage moves
and reminders around them), then times the read side: /leads, /deals page 1 and page 500, a deal's
history and the /deal card through the dispatcher, and the duplicate check behind /lead. With
--explain it prints each statement's plan and flags full-table scans.

    .venv/bin/python bench/sales_lists.py                       # SQLite, 100k deals, 1M activities
    .venv/bin/python bench/sales_lists.py --deals 2000 --activities 20000
    .venv/bin/python bench/sales_lists.py --reset --url postgresql+psycopg://127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, event, func, select, text  # noqa: E402

from bench.seeding import bulk_insert, is_empty, reset  # noqa: E402
from bot.app import App, build_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from domain.leads import find_similar  # noqa: E402
from domain.names import normalise_company  # noqa: E402
from domain.settings import Settings  # noqa: E402
from handlers.incoming import Incoming  # noqa: E402
from storage import tables as t  # noqa: E402
from storage.database import make_engine, migrate  # noqa: E402

TEAMS = ("east", "west", "north", "south", "central")
REPS_PER_TEAM = 10
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
WORDS = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell",
         "阿里", "腾讯", "华为", "小米", "京东", "美团", "百度", "字节")
# Tables that grow with the data; a full scan of users (a few dozen rows) is no concern.
SEEDED = {"customers", "leads", "deals", "stage_changes", "activities", "reminders"}
FORMS = ("Ltd", "Trading", "Group", "Tech", "有限公司", "科技有限公司", "Holdings", "")


# --------------------------------------------------------------------------- seeding

@dataclass(frozen=True)
class Shape:
    deals: int
    activities: int

    @property
    def customers(self) -> int:
        return max(1, self.deals // 4)

    @property
    def open_leads(self) -> int:
        return max(1, self.deals // 2)

    @property
    def reminders(self) -> int:
        return max(1, self.activities // 20)


def _company(rng: random.Random, i: int) -> str:
    return f"{rng.choice(WORDS)} {i} {rng.choice(FORMS)}".strip()


def seed(engine: Engine, shape: Shape, rng: random.Random) -> dict[str, float]:
    """Fill an empty database; returns seconds per table."""
    spent: dict[str, float] = {}
    reps = [(team, n) for team in TEAMS for n in range(REPS_PER_TEAM)]
    # ids: 1 admin, then one manager per team, then the reps
    rep_ids = list(range(2 + len(TEAMS), 2 + len(TEAMS) + len(reps)))
    team_of = {rep_ids[i]: team for i, (team, _) in enumerate(reps)}

    def users() -> Iterator[dict[str, Any]]:
        base = {"locale": "en", "timezone": "Asia/Shanghai", "active": True, "created_at": NOW}
        yield {**base, "id": 1, "username": "boss", "display_name": "Boss", "role": "admin",
               "team": None}
        for i, team in enumerate(TEAMS):
            yield {**base, "id": 2 + i, "username": f"mgr_{team}",
                   "display_name": f"Manager {team}", "role": "manager", "team": team}
        for uid, (team, n) in zip(rep_ids, reps, strict=True):
            yield {**base, "id": uid, "username": f"rep_{team}_{n}",
                   "display_name": f"Rep {team} {n}", "role": "rep", "team": team}

    customer_owner = [rng.choice(rep_ids) for _ in range(shape.customers)]

    def customers() -> Iterator[dict[str, Any]]:
        for i, owner in enumerate(customer_owner, start=1):
            name = _company(rng, i)
            yield {"id": i, "name": name, "name_key": normalise_company(name), "owner_id": owner,
                   "team": team_of[owner], "created_at": NOW - timedelta(days=rng.randrange(900))}

    stages = ("qualification", "proposal", "negotiation")
    deal_customer = [rng.randrange(1, shape.customers + 1) for _ in range(shape.deals)]
    deal_status = [rng.choices(("open", "won", "lost"), (7, 2, 1))[0] for _ in range(shape.deals)]
    deal_stage = [rng.choice(stages) if s == "open" else s for s in deal_status]

    def leads() -> Iterator[dict[str, Any]]:
        lead_id = 0
        for i in range(shape.deals):  # every deal came from a lead
            lead_id += 1
            owner = customer_owner[deal_customer[i] - 1]
            name = f"Lead of deal {i + 1}"
            yield {"id": lead_id, "company": name, "name_key": normalise_company(name),
                   "owner_id": owner, "team": team_of[owner], "status": "qualified",
                   "customer_id": deal_customer[i], "deal_id": i + 1,
                   "created_at": NOW - timedelta(days=rng.randrange(700)),
                   "closed_at": NOW - timedelta(days=rng.randrange(600))}
        for _ in range(shape.open_leads):
            lead_id += 1
            owner = rng.choice(rep_ids)
            name = _company(rng, lead_id)
            yield {"id": lead_id, "company": name, "name_key": normalise_company(name),
                   "owner_id": owner, "team": team_of[owner], "status": "new",
                   "source": "website", "created_at": NOW - timedelta(days=rng.randrange(300))}

    def deals() -> Iterator[dict[str, Any]]:
        for i in range(shape.deals):
            owner = customer_owner[deal_customer[i] - 1]
            created = NOW - timedelta(days=rng.randrange(700))
            closed = deal_status[i] != "open"
            yield {"id": i + 1, "title": f"Deal {i + 1}", "customer_id": deal_customer[i],
                   "owner_id": owner, "team": team_of[owner], "stage": deal_stage[i],
                   "probability": {"qualification": 10, "proposal": 50, "negotiation": 75,
                                   "won": 100, "lost": 0}[deal_stage[i]],
                   "currency": "CNY", "amount": Decimal(rng.randrange(1_000, 5_000_000)),
                   "close_date": (NOW + timedelta(days=rng.randrange(-200, 200))).date(),
                   "status": deal_status[i], "lost_reason": "price" if
                   deal_status[i] == "lost" else None, "lead_id": i + 1, "source": "website",
                   "created_at": created, "last_activity_at": created + timedelta(days=3),
                   "closed_at": created + timedelta(days=30) if closed else None}

    def stage_changes() -> Iterator[dict[str, Any]]:
        for i in range(shape.deals):
            owner = customer_owner[deal_customer[i] - 1]
            at = NOW - timedelta(days=rng.randrange(700))
            yield {"deal_id": i + 1, "from_stage": None, "to_stage": "qualification",
                   "at": at, "user_id": owner}
            if deal_stage[i] != "qualification":
                yield {"deal_id": i + 1, "from_stage": "qualification",
                       "to_stage": deal_stage[i], "at": at + timedelta(days=5),
                       "user_id": owner}

    # The busiest deal (D-1) carries 1% of all activities, the rest spread evenly.
    busy = shape.activities // 100

    def activities() -> Iterator[dict[str, Any]]:
        kinds = ("call", "meeting", "visit", "email", "wechat", "note")
        for n in range(shape.activities):
            deal = 1 if n < busy else rng.randrange(1, shape.deals + 1)
            owner = customer_owner[deal_customer[deal - 1] - 1]
            yield {"kind": rng.choice(kinds), "text": f"Follow-up {n}", "user_id": owner,
                   "at": NOW - timedelta(minutes=rng.randrange(1_000_000)), "ref_kind": "deal",
                   "ref_id": deal, "customer_id": deal_customer[deal - 1], "deal_id": deal}

    def reminders() -> Iterator[dict[str, Any]]:
        for n in range(shape.reminders):
            deal = rng.randrange(1, shape.deals + 1)
            yield {"user_id": customer_owner[deal_customer[deal - 1] - 1],
                   "text": f"Call back {n}", "due_at": NOW + timedelta(minutes=rng.randrange(
                       -20_000, 50_000)), "status": rng.choice(("open", "open", "done")),
                   "ref_kind": "deal", "ref_id": deal, "ref_number": f"D-{deal}",
                   "created_at": NOW - timedelta(days=1)}

    for table, rows in [(t.users, users()), (t.customers, customers()), (t.leads, leads()),
                        (t.deals, deals()), (t.stage_changes, stage_changes()),
                        (t.activities, activities()), (t.reminders, reminders())]:
        started = time.perf_counter()
        count = bulk_insert(engine, table, rows)
        spent[f"{table.name} ({count:,})"] = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does after a bulk load
    return spent


# --------------------------------------------------------------------------- measuring

class StatementLog:
    """The SQL statements an engine runs while `capture()` is open."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.active = False
        self.seen: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any,
                _context: Any, executemany: bool) -> None:
        if self.active and not executemany:
            self.seen.append((statement, parameters))

    @contextmanager
    def capture(self) -> Iterator[list[tuple[str, Any]]]:
        self.seen = []
        self.active = True
        try:
            yield self.seen
        finally:
            self.active = False


@dataclass
class Timing:
    name: str
    runs: list[float]
    statements: int

    @property
    def line(self) -> str:
        best, middle = min(self.runs) * 1000, statistics.median(self.runs) * 1000
        return f"{self.name:<44} {best:>9.1f} {middle:>9.1f} {self.statements:>6}"


def measure(name: str, fn: Callable[[], object], log: StatementLog, repeat: int) -> Timing:
    with log.capture() as statements:
        fn()  # warm-up, and the statements it runs
    count = len(statements)
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return Timing(name, runs, count)


def _full_scan(plan_line: str, sqlite: bool) -> bool:
    """A plan step reading a whole table (a subquery's own rows do not count)."""
    words = plan_line.replace("->", " ").split()
    if sqlite:
        return len(words) >= 2 and words[0] == "SCAN" and words[1] in SEEDED \
            and "INDEX" not in plan_line
    return len(words) >= 4 and words[:3] == ["Seq", "Scan", "on"] and words[3] in SEEDED


def _big_sort(plan: list[str], sqlite: bool) -> bool:
    """The plan sorts every matching row of a seeded table before applying LIMIT."""
    if sqlite:
        reads_seeded = any(len(p.split()) >= 2 and p.split()[1] in SEEDED for p in plan)
        return reads_seeded and any("TEMP B-TREE FOR ORDER BY" in p for p in plan)
    for line in plan:
        if line.strip().lstrip("->").strip().startswith("Sort ") and "rows=" in line:
            rows = int(line.split("rows=")[1].split()[0])
            if rows > 1000:
                return True
    return False


def explain(engine: Engine, statements: list[tuple[str, Any]]) -> list[str]:
    """Plans of the statements, with full-table scans and big sorts marked."""
    out: list[str] = []
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        for statement, params in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = conn.exec_driver_sql(prefix + statement, params).all()
            plan = [str(r[-1]) for r in rows]
            scans = [p.strip() for p in plan if _full_scan(p, sqlite)]
            sorts = _big_sort(plan, sqlite)
            if scans and not sorts and " LIMIT " in statement:
                verdict = "  ok (scan in index order, stops at LIMIT): " + "; ".join(scans)
            elif scans:
                verdict = "  !! full scan: " + "; ".join(scans)
            elif sorts:
                verdict = "  !! sorts every match before LIMIT (no index in that order)"
            else:
                verdict = "  ok"
            out.append(verdict + "  <- " + " ".join(statement.split())[:120])
            out += ["       " + p for p in plan] if verdict.startswith("  !!") else []
    return out


def say(app: App, username: str, line: str) -> Callable[[], object]:
    def run() -> object:
        reply = app.dispatcher.handle(Incoming(platform="console", user_id=username,
                                               chat_id="bench", text=line))
        if not reply.ok:
            raise RuntimeError(f"{line}: {reply.text}")
        return reply
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--url", default=f"sqlite:///{tempfile.gettempdir()}/ltc_bench.db",
                        help="database URL (default: a SQLite file in the temp directory)")
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the data")
    parser.add_argument("--reset", action="store_true",
                        help="drop every ltcbot table in the database first")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the data already there instead of seeding")
    parser.add_argument("--explain", action="store_true", help="print plans, flag full scans")
    args = parser.parse_args(argv)
    if args.deals < 1 or args.activities < 0 or args.repeat < 1:
        parser.error("--deals and --repeat must be at least 1, --activities at least 0")

    engine = make_engine(args.url)
    if args.reset:
        reset(engine)
    migrate(engine)
    shape = Shape(args.deals, args.activities)
    if not args.reuse:
        if not is_empty(engine):
            parser.error("the database has data: pass --reset to replace it or --reuse to keep it")
        print(f"seeding {args.url} with {shape.deals:,} deals and "
              f"{shape.activities:,} activities", flush=True)
        started = time.perf_counter()
        for label, seconds in seed(engine, shape, random.Random(args.seed)).items():
            print(f"  {label:<36} {seconds:7.1f} s", flush=True)
        print(f"  {'total':<36} {time.perf_counter() - started:7.1f} s")

    app = build_app(Settings(company_name="Bench"), Runtime(database_url=args.url),
                    lambda: NOW, run_migrations=False)
    log = StatementLog(app.engine)
    with app.engine.connect() as conn:
        deals_total = conn.execute(select(func.count()).select_from(t.deals)).scalar_one()
        typical = conn.execute(select(func.max(t.deals.c.id))).scalar_one() or 1
        busiest = conn.execute(
            select(t.activities.c.deal_id).group_by(t.activities.c.deal_id)
            .order_by(func.count().desc()).limit(1)).scalar() or 1
        owner = conn.execute(select(t.users.c.username).join(
            t.deals, t.deals.c.owner_id == t.users.c.id).where(t.deals.c.id == busiest)
        ).scalar_one()
        history_rows = conn.execute(select(func.count()).select_from(t.activities).where(
            t.activities.c.deal_id == busiest)).scalar_one()

    def history(deal: int) -> Callable[[], object]:
        def run() -> object:
            with app.uow() as uow:
                return uow.queries.deal_history(deal, limit=10)
        return run

    def similar() -> object:
        with app.uow() as uow:
            return find_similar(uow, "阿里巴巴（中国）有限公司", app.settings)

    checks: list[tuple[str, Callable[[], object]]] = [
        ("/leads (rep, new)", say(app, "rep_east_0", "/leads")),
        ("/leads all (manager)", say(app, "mgr_east", "/leads all")),
        ("/leads all (admin)", say(app, "boss", "/leads all")),
        ("/deals (rep, mine)", say(app, "rep_east_0", "/deals")),
        ("/deals team page=1 (manager)", say(app, "mgr_east", "/deals team")),
        ("/deals team page=500 (manager)", say(app, "mgr_east", "/deals team page=500")),
        ("/deals page=1 (admin, all)", say(app, "boss", "/deals team")),
        ("/deals page=500 (admin, all)", say(app, "boss", "/deals team page=500")),
        ("/deals proposal (manager)", say(app, "mgr_east", "/deals proposal")),
        (f"deal_history D-{typical} (typical)", history(typical)),
        (f"deal_history D-{busiest} ({history_rows:,} activities)", history(busiest)),
        (f"/deal D-{typical} card (admin)", say(app, "boss", f"/deal D-{typical}")),
        (f"/deal D-{busiest} card (owner)", say(app, owner, f"/deal D-{busiest}")),
        ("/todo (rep)", say(app, "rep_east_0", "/todo")),
        ("duplicate check behind /lead", similar),
    ]
    print(f"\n{engine.dialect.name}: {deals_total:,} deals; times in ms over "
          f"{args.repeat} runs")
    print(f"{'measurement':<44} {'min':>9} {'median':>9} {'stmts':>6}")
    for name, fn in checks:
        print(measure(name, fn, log, args.repeat).line, flush=True)
    if args.explain:
        print("\nplans:")
        for name, fn in checks:
            with log.capture() as statements:
                fn()
            print(name)
            print("\n".join(explain(app.engine, list(statements))))
    app.close()
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
