"""How fast /find answers on a big database.

Seeds the sales lists' data (N deals, their leads and customers, N/2 open leads) plus two
contacts with phone and e-mail per customer, files every record under its search terms (the
work migration 0007 does on an existing database, timed), then times /find through the
dispatcher and the search query alone: a company word, two Chinese characters, a full phone
written with +86 and dashes, a phone's last four digits, an e-mail address, a domain, a
two-letter word that matches many records, as a rep, a manager and an admin. With --explain it
prints each statement's plan and flags full-table scans.

    .venv/bin/python bench/find.py                       # SQLite, 100k deals
    .venv/bin/python bench/find.py --deals 2000
    .venv/bin/python bench/find.py --reset --url postgresql+psycopg://127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402

from bench import sales_lists  # noqa: E402
from bench.sales_lists import NOW, Shape, StatementLog, explain, measure, say, seed  # noqa: E402
from bench.seeding import bulk_insert, is_empty, reset  # noqa: E402
from bot.app import build_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from domain.search import query_tokens  # noqa: E402
from domain.settings import Settings  # noqa: E402
from storage import search_index  # noqa: E402
from storage import tables as t  # noqa: E402
from storage.database import make_engine, migrate  # noqa: E402
from storage.tables_search import search_terms  # noqa: E402

# --explain flags full scans of these too.
sales_lists.SEEDED.update({"contacts", "search_terms"})
PEOPLE = ("Li Ming", "Wang Fang", "Zhang Wei", "Liu Yang", "Chen Jing", "王芳", "李明", "张伟",
          "刘洋", "陈静", "Anna Smith", "John Lee")


def _phone(n: int) -> str:
    return f"+86 13{n % 10}-{(n * 7919) % 10000:04d}-{n % 10000:04d}"


def seed_contacts(engine: Any, customers: int, rng: random.Random) -> int:
    """Two contacts with phone and e-mail per customer."""
    def rows() -> Iterator[dict[str, Any]]:
        n = 0
        for customer in range(1, customers + 1):
            for _ in range(2):
                n += 1
                name = rng.choice(PEOPLE)
                yield {"id": n, "customer_id": customer, "name": name, "phone": _phone(n),
                       "email": f"p{n}@c{customer}.example.cn", "created_at": NOW}
    return bulk_insert(engine, t.contacts, rows())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--url", default=f"sqlite:///{tempfile.gettempdir()}/ltc_bench_find.db",
                        help="database URL (default: a SQLite file in the temp directory)")
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the data")
    parser.add_argument("--reset", action="store_true",
                        help="drop every ltcbot table in the database first")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the data already there instead of seeding")
    parser.add_argument("--explain", action="store_true", help="print plans, flag full scans")
    args = parser.parse_args(argv)
    if args.deals < 1 or args.repeat < 1:
        parser.error("--deals and --repeat must be at least 1")

    engine = make_engine(args.url)
    if args.reset:
        reset(engine)
    migrate(engine)
    shape = Shape(args.deals, activities=0)
    if not args.reuse:
        if not is_empty(engine):
            parser.error("the database has data: pass --reset to replace it or --reuse to keep it")
        rng = random.Random(args.seed)
        print(f"seeding {args.url} with {shape.deals:,} deals", flush=True)
        for label, seconds in seed(engine, shape, rng).items():
            print(f"  {label:<36} {seconds:7.1f} s", flush=True)
        started = time.perf_counter()
        count = seed_contacts(engine, shape.customers, rng)
        print(f"  {f'contacts ({count:,})':<36} {time.perf_counter() - started:7.1f} s")
        started = time.perf_counter()
        with engine.begin() as conn:
            terms = search_index.rebuild(conn)
        print(f"  {f'search terms ({terms:,})':<36} {time.perf_counter() - started:7.1f} s")
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))

    app = build_app(Settings(company_name="Bench"), Runtime(database_url=args.url),
                    lambda: NOW, run_migrations=False)
    log = StatementLog(app.engine)
    with app.engine.connect() as conn:
        counts = {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                  for table in (t.leads, t.customers, t.contacts, t.deals, search_terms)}
        sample = min(4321, counts["contacts"])
        phone, email, customer = conn.execute(
            select(t.contacts.c.phone, t.contacts.c.email, t.contacts.c.customer_id)
            .where(t.contacts.c.id == sample)).one()
        owner = conn.execute(select(t.users.c.username).join(
            t.customers, t.customers.c.owner_id == t.users.c.id)
            .where(t.customers.c.id == customer)).scalar_one()
    domain = email.partition("@")[2]

    def query(words: str, owner_id: int | None = None, team: str | None = None
              ) -> Callable[[], object]:
        tokens = query_tokens(words)

        def run() -> object:
            with app.uow() as uow:
                return uow.queries.find(tokens, owner_id=owner_id, team=team, page=1,
                                        per_page=10)
        return run

    checks: list[tuple[str, Callable[[], object]]] = [
        ("/find acme (admin)", say(app, "boss", "/find acme")),
        ("/find acme (manager east)", say(app, "mgr_east", "/find acme")),
        ("/find acme (rep)", say(app, "rep_east_0", "/find acme")),
        ("/find 华为 (admin)", say(app, "boss", "/find 华为")),
        ("/find 华为 page=50 (admin)", say(app, "boss", "/find 华为 page=50")),
        (f"/find {phone} (owner)", say(app, owner, f"/find {phone}")),
        (f"/find {phone[-4:]} last digits (admin)", say(app, "boss", f"/find {phone[-4:]}")),
        (f"/find {email} (admin)", say(app, "boss", f"/find {email}")),
        (f"/find {domain} domain (admin)", say(app, "boss", f"/find {domain}")),
        ("/find li ming (admin)", say(app, "boss", "/find li ming")),
        ("/find de (admin, very broad)", say(app, "boss", "/find de")),
        ("query only: acme, all", query("acme")),
        ("query only: 华为, team east", query("华为", team="east")),
        ("query only: phone, all", query(phone)),
    ]
    print(f"\n{engine.dialect.name}: " + ", ".join(f"{n:,} {k}" for k, n in counts.items())
          + f"; times in ms over {args.repeat} runs")
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
