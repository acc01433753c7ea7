"""How fast the reports answer on a big database, and what storage/reports.py costs over SQL.

Seeds each database with bulk Core inserts (N deals with their leads, stage moves, quotes and
orders, M activities, K invoices with payments, allocations and credit notes, spend), then
for every report times the figure through storage/reports.py and the same figure by one
hand-written SQL query, checks that both give the same numbers, and prints the ratio.

    .venv/bin/python bench/reports.py    # both databases, 100k deals, 1M activities, 200k invoices
    .venv/bin/python bench/reports.py --deals 2000 --activities 20000 --invoices 4000 \\
        --url sqlite:////tmp/r.db --url postgresql+psycopg://postgres@127.0.0.1/bench --reset
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, text  # noqa: E402

from bench.databases import BACKENDS, seeded  # noqa: E402
from bench.seeding import bulk_insert, is_empty, reset  # noqa: E402
from domain.dates import add_months  # noqa: E402
from domain.digests import month_windows
from domain.names import normalise_company  # noqa: E402
from domain.reports import Scope, Window  # noqa: E402
from storage import settled  # noqa: E402
from storage import tables as t  # noqa: E402
from storage import tables_cash as c  # noqa: E402
from storage.database import make_engine, migrate  # noqa: E402
from storage.tables_reports import spend  # noqa: E402
from storage.unit_of_work import SqlUnitOfWork, session_factory  # noqa: E402

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
TEAMS = ("east", "west", "north", "south", "central")
REPS_PER_TEAM = 10
SOURCES = ("website", "referral", "event", "cold_call", "partner", "ads", None)
STAGES = {"qualification": 10, "proposal": 50, "negotiation": 75}
ALL = Scope("all")
YEAR = Window.of("last-365d", TODAY - timedelta(days=364), TODAY + timedelta(days=1), TZ)


# --------------------------------------------------------------------------- seeding

@dataclass(frozen=True)
class Shape:
    deals: int
    activities: int
    invoices: int

    @property
    def customers(self) -> int:
        return max(1, self.deals // 4)

    @property
    def open_leads(self) -> int:
        return max(1, self.deals // 2)


def _instant(rng: random.Random, days: int) -> datetime:
    return NOW - timedelta(minutes=rng.randrange(days * 1440))


def seed(engine: Engine, shape: Shape, rng: random.Random) -> dict[str, float]:
    """Fill an empty database; returns seconds per table."""
    reps = [(team, n) for team in TEAMS for n in range(REPS_PER_TEAM)]
    rep_ids = list(range(2 + len(TEAMS), 2 + len(TEAMS) + len(reps)))
    team_of = {rep_ids[i]: team for i, (team, _) in enumerate(reps)}
    owner_of = [rng.choice(rep_ids) for _ in range(shape.customers)]
    deal_customer = [rng.randrange(shape.customers) for _ in range(shape.deals)]
    status = [rng.choices(("open", "won", "lost"), (6, 3, 1))[0] for _ in range(shape.deals)]
    created = [_instant(rng, 700) for _ in range(shape.deals)]
    won = [i for i, s in enumerate(status) if s == "won"]
    source = [rng.choice(SOURCES) for _ in range(shape.deals)]
    amount = [Decimal(rng.randrange(100_000, 500_000_000)) / 100 for _ in range(shape.deals)]

    def users() -> Iterator[dict[str, Any]]:
        base = {"locale": "en", "timezone": TZ, "active": True, "created_at": NOW}
        yield {**base, "id": 1, "username": "boss", "display_name": "Boss", "role": "admin"}
        for i, team in enumerate(TEAMS):
            yield {**base, "id": 2 + i, "username": f"mgr_{team}", "team": team,
                   "display_name": f"Manager {team}", "role": "manager"}
        yield {**base, "id": 2 + len(TEAMS) + len(reps), "username": "fin",
               "display_name": "Finance", "role": "finance", "team": None}
        for uid, (team, n) in zip(rep_ids, reps, strict=True):
            yield {**base, "id": uid, "username": f"rep_{team}_{n}", "team": team,
                   "display_name": f"Rep {team} {n}", "role": "rep"}

    def customers() -> Iterator[dict[str, Any]]:
        for i, owner in enumerate(owner_of):
            name = f"Customer {i + 1}"
            yield {"id": i + 1, "name": name, "name_key": normalise_company(name),
                   "owner_id": owner, "team": team_of[owner], "created_at": NOW}

    def leads() -> Iterator[dict[str, Any]]:
        for i in range(shape.deals):
            owner = owner_of[deal_customer[i]]
            yield {"id": i + 1, "company": f"Lead {i + 1}", "name_key": f"lead {i + 1}",
                   "owner_id": owner, "team": team_of[owner], "status": "qualified",
                   "source": source[i], "customer_id": deal_customer[i] + 1, "deal_id": i + 1,
                   "created_at": created[i] - timedelta(days=rng.randrange(1, 30)),
                   "closed_at": created[i]}
        for n in range(shape.open_leads):
            owner = rng.choice(rep_ids)
            yield {"id": shape.deals + n + 1, "company": f"Open lead {n}", "status": "new",
                   "name_key": f"open lead {n}", "owner_id": owner, "team": team_of[owner],
                   "source": rng.choice(SOURCES), "created_at": _instant(rng, 365)}

    def deals() -> Iterator[dict[str, Any]]:
        for i in range(shape.deals):
            owner = owner_of[deal_customer[i]]
            stage = rng.choice(list(STAGES)) if status[i] == "open" else status[i]
            closed = created[i] + timedelta(days=rng.randrange(1, 120))
            yield {"id": i + 1, "title": f"Deal {i + 1}", "customer_id": deal_customer[i] + 1,
                   "owner_id": owner, "team": team_of[owner], "stage": stage,
                   "probability": STAGES.get(stage, 100 if stage == "won" else 0),
                   "currency": "CNY", "amount": amount[i] if rng.random() < 0.95 else None,
                   "close_date": (NOW + timedelta(days=rng.randrange(-60, 240))).date()
                   if rng.random() < 0.9 else None,
                   "status": status[i], "lead_id": i + 1, "source": source[i],
                   "created_at": created[i], "last_activity_at": _instant(rng, 60),
                   "closed_at": min(closed, NOW) if status[i] != "open" else None}

    def stage_changes() -> Iterator[dict[str, Any]]:
        for i in range(shape.deals):
            owner = owner_of[deal_customer[i]]
            yield {"deal_id": i + 1, "from_stage": None, "to_stage": "qualification",
                   "at": created[i], "user_id": owner}
            if rng.random() < 0.5:
                yield {"deal_id": i + 1, "from_stage": "qualification", "to_stage": "proposal",
                       "at": _instant(rng, 60), "user_id": owner}

    def activities() -> Iterator[dict[str, Any]]:
        for n in range(shape.activities):
            i = rng.randrange(shape.deals)
            yield {"kind": "call", "text": f"Follow-up {n}", "user_id": owner_of[deal_customer[i]],
                   "at": created[i] - timedelta(days=rng.randrange(-60, 29)), "ref_kind": "deal",
                   "ref_id": i + 1, "lead_id": i + 1, "customer_id": deal_customer[i] + 1,
                   "deal_id": i + 1}

    def quotes() -> Iterator[dict[str, Any]]:
        for n, i in enumerate(won):
            owner = owner_of[deal_customer[i]]
            yield {"id": n + 1, "deal_id": i + 1, "owner_id": owner, "team": team_of[owner],
                   "currency": "CNY", "discount_pct": Decimal(0), "tax_pct": Decimal(13),
                   "valid_until": TODAY, "status": "accepted", "total": amount[i],
                   "created_at": created[i]}

    def orders() -> Iterator[dict[str, Any]]:
        for n, i in enumerate(won):
            owner = owner_of[deal_customer[i]]
            yield {"id": n + 1, "quote_id": n + 1, "deal_id": i + 1,
                   "customer_id": deal_customer[i] + 1, "owner_id": owner,
                   "team": team_of[owner], "currency": "CNY", "total": amount[i],
                   "discount_pct": Decimal(0), "tax_pct": Decimal(13), "plan": "net30",
                   "signed_on": (created[i] + timedelta(days=20)).date(), "created_at": NOW}

    invoice_rows: list[tuple[int, int, int, Decimal, date]] = []  # id, customer, owner, total

    def invoices() -> Iterator[dict[str, Any]]:
        for n in range(shape.invoices if won else 0):
            i = won[n % len(won)]
            owner, customer = owner_of[deal_customer[i]], deal_customer[i] + 1
            issued = TODAY - timedelta(days=rng.randrange(400))
            total = Decimal(rng.randrange(10_000, 20_000_000)) / 100
            invoice_rows.append((n + 1, customer, owner, total, issued))
            yield {"id": n + 1, "number": f"INV-B-{n + 1:07d}", "year": issued.year,
                   "seq": n + 1, "order_id": n % len(won) + 1, "customer_id": customer,
                   "owner_id": owner, "team": team_of[owner], "currency": "CNY", "total": total,
                   "issued_on": issued, "due_on": issued + timedelta(days=30), "issued_by": 1,
                   "created_at": NOW}

    paid: list[tuple[int, int, Decimal]] = []  # payment id, invoice id, amount
    voided: list[int] = []

    def payments() -> Iterator[dict[str, Any]]:
        for invoice_id, customer, owner, total, issued in invoice_rows:
            luck = rng.random()
            if luck < 0.02:
                voided.append(invoice_id)
                continue
            if luck > 0.6:
                continue
            part = total if luck < 0.45 else (total / 2).quantize(Decimal("0.01"))
            paid.append((len(paid) + 1, invoice_id, part))
            yield {"id": len(paid), "customer_id": customer, "owner_id": owner,
                   "team": team_of[owner], "currency": "CNY", "amount": part,
                   "received_on": min(issued + timedelta(days=rng.randrange(60)), TODAY),
                   "method": "bank", "invoice_id": invoice_id, "recorded_by": 1,
                   "created_at": NOW}

    def allocations() -> Iterator[dict[str, Any]]:
        for payment_id, invoice_id, part in paid:
            yield {"payment_id": payment_id, "invoice_id": invoice_id, "amount": part,
                   "created_at": NOW}

    def credit_notes() -> Iterator[dict[str, Any]]:
        totals = {row[0]: row for row in invoice_rows}
        for n, invoice_id in enumerate(voided):
            _, customer, _, total, issued = totals[invoice_id]
            yield {"id": n + 1, "number": f"CN-B-{n + 1:07d}", "year": issued.year,
                   "seq": n + 1, "invoice_id": invoice_id, "customer_id": customer,
                   "currency": "CNY", "amount": total, "reason": "bench",
                   "issued_on": issued + timedelta(days=5), "issued_by": 1, "created_at": NOW}

    def spending() -> Iterator[dict[str, Any]]:
        for months in range(24):
            first = add_months(TODAY.replace(day=1), -months)
            for name in SOURCES[:-1]:
                yield {"source": name, "month": first, "currency": "CNY",
                       "amount": Decimal(rng.randrange(1000, 100_000)), "recorded_by": 1,
                       "created_at": NOW}

    spent: dict[str, float] = {}
    for table, rows in [(t.users, users()), (t.customers, customers()), (t.leads, leads()),
                        (t.deals, deals()), (t.stage_changes, stage_changes()),
                        (t.activities, activities()), (t.quotes, quotes()),
                        (t.orders, orders()), (c.invoices, invoices()),
                        (c.payments, payments()), (c.allocations, allocations()),
                        (c.credit_notes, credit_notes()), (spend, spending())]:
        started = time.perf_counter()
        count = bulk_insert(engine, table, rows)
        spent[f"{table.name} ({count:,})"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:  # the flag a running bot keeps in step
        settled.refresh(conn)
    spent["invoices settled"] = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return spent


# --------------------------------------------------------------------------- the same by hand

# Column kinds, to compare the two answers: k key, n count, m money, w weighted money (sum of
# amount x percent), s seconds.
Kinds = str


def _epoch(column: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(strftime('%s', {column}) AS INTEGER)"
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)"


OUTSTANDING = """(SELECT i.*, i.total - COALESCE(a.paid, 0) - COALESCE(n.credited, 0) AS owed
    FROM invoices i
    LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid FROM allocations GROUP BY invoice_id) a
      ON a.invoice_id = i.id
    LEFT JOIN (SELECT invoice_id, SUM(amount) AS credited FROM credit_notes
      GROUP BY invoice_id) n ON n.invoice_id = i.id)"""


def hand_sql(dialect: str, months: Sequence[Window]) -> dict[str, tuple[str, Kinds]]:
    """Each report's figure written as one SQL statement; parameters are bound by name."""
    ep = _epoch
    month_case = " ".join(f"WHEN close_date >= :m{n}s AND close_date < :m{n}e THEN '{m.key}'"
                          for n, m in enumerate(months))
    won_case = " ".join(f"WHEN closed_at >= :m{n}a AND closed_at < :m{n}b THEN '{m.key}'"
                        for n, m in enumerate(months))
    return {
        "pipeline": ("""SELECT stage, currency, COUNT(*), COALESCE(SUM(amount), 0),
            COALESCE(SUM(amount * probability), 0) FROM deals WHERE status = 'open'
            GROUP BY stage, currency""", "kknmw"),
        "forecast": (f"""SELECT month, currency, SUM(o), SUM(oa), SUM(w), SUM(wd), SUM(wa)
            FROM (SELECT CASE {month_case} END AS month, currency, 1 AS o,
                    COALESCE(amount, 0) AS oa, COALESCE(amount, 0) * probability AS w,
                    0 AS wd, 0 AS wa
                  FROM deals WHERE status = 'open' AND close_date >= :m0s AND close_date < :mze
                  UNION ALL
                  SELECT CASE {won_case} END, currency, 0, 0, 0, 1, COALESCE(amount, 0)
                  FROM deals WHERE status = 'won' AND closed_at >= :m0a AND closed_at < :mzb
            ) f GROUP BY month, currency""", "kknmwnm"),
        "funnel by source": ("""SELECT l.source, COUNT(*),
            SUM(CASE WHEN l.status = 'qualified' THEN 1 ELSE 0 END),
            SUM(CASE WHEN d.status = 'won' OR EXISTS (SELECT 1 FROM quotes q
                WHERE q.deal_id = l.deal_id) THEN 1 ELSE 0 END),
            SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END)
            FROM leads l LEFT JOIN deals d ON d.id = l.deal_id
            WHERE l.created_at >= :since AND l.created_at < :until GROUP BY l.source""",
                             "knnnn"),
        "win rate and cycle": (f"""SELECT
            SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END),
            SUM(CASE WHEN d.status = 'lost' THEN 1 ELSE 0 END),
            SUM(CASE WHEN d.status = 'won' THEN {ep('d.closed_at', dialect)}
                - {ep('COALESCE(l.created_at, d.created_at)', dialect)} END)
            FROM deals d LEFT JOIN leads l ON l.id = d.lead_id
            WHERE d.status IN ('won', 'lost') AND d.closed_at >= :since
              AND d.closed_at < :until""", "nns"),
        "lead response": (f"""SELECT COUNT(*), COUNT(first_at),
            SUM({ep('first_at', dialect)} - {ep('created_at', dialect)})
            FROM (SELECT l.created_at, (SELECT MIN(a.at) FROM activities a
                  WHERE a.lead_id = l.id AND a.at >= l.created_at) AS first_at
                  FROM leads l WHERE l.created_at >= :since AND l.created_at < :until) f""",
                          "nns"),
        "aging totals": (f"""SELECT currency, COUNT(DISTINCT customer_id),
            SUM(CASE WHEN due_on >= :today THEN owed ELSE 0 END),
            SUM(CASE WHEN due_on < :today AND due_on >= :d30 THEN owed ELSE 0 END),
            SUM(CASE WHEN due_on < :d30 AND due_on >= :d60 THEN owed ELSE 0 END),
            SUM(CASE WHEN due_on < :d60 AND due_on >= :d90 THEN owed ELSE 0 END),
            SUM(CASE WHEN due_on < :d90 THEN owed ELSE 0 END), SUM(owed)
            FROM {OUTSTANDING} f WHERE owed > 0 GROUP BY currency""", "knmmmmmm"),
        "aging top 20 customers": (f"""SELECT customer_id, currency, SUM(owed) AS total
            FROM {OUTSTANDING} f WHERE owed > 0 GROUP BY customer_id, currency
            ORDER BY total DESC, customer_id LIMIT 20""", "nkm"),
        "receivables (DSO)": ("""SELECT i.currency,
            SUM(i.total - COALESCE(pd.s, 0) - COALESCE(cn.s, 0)),
            SUM(CASE WHEN i.issued_on >= :start THEN i.total ELSE 0 END)
              - COALESCE(SUM(ci.s), 0)
            FROM invoices i
            LEFT JOIN (SELECT a.invoice_id, SUM(a.amount) AS s FROM allocations a
                JOIN payments p ON p.id = a.payment_id
                LEFT JOIN credit_notes r ON r.id = a.credit_note_id
                WHERE p.received_on < :end AND (a.credit_note_id IS NULL OR r.issued_on < :end)
                GROUP BY a.invoice_id) pd ON pd.invoice_id = i.id
            LEFT JOIN (SELECT invoice_id, SUM(amount) AS s FROM credit_notes
                WHERE issued_on < :end GROUP BY invoice_id) cn ON cn.invoice_id = i.id
            LEFT JOIN (SELECT invoice_id, SUM(amount) AS s FROM credit_notes
                WHERE issued_on >= :start AND issued_on < :end GROUP BY invoice_id) ci
              ON ci.invoice_id = i.id
            WHERE i.issued_on < :end GROUP BY i.currency""", "kmm"),
        "cash due in 4 weeks": (f"""SELECT currency,
            SUM(CASE WHEN due_on < :today THEN owed ELSE 0 END),
            SUM(CASE WHEN due_on >= :today AND due_on < :w1 THEN owed ELSE 0 END),
            SUM(CASE WHEN due_on >= :w1 AND due_on < :w2 THEN owed ELSE 0 END),
            SUM(CASE WHEN due_on >= :w2 AND due_on < :w3 THEN owed ELSE 0 END),
            SUM(CASE WHEN due_on >= :w3 AND due_on < :w4 THEN owed ELSE 0 END)
            FROM {OUTSTANDING} f WHERE owed > 0 GROUP BY currency""", "kmmmmm"),
        "overdue top 10": (f"""SELECT number, owed FROM {OUTSTANDING} f
            WHERE owed > 0 AND due_on < :today ORDER BY owed DESC, due_on, number
            LIMIT 10""", "km"),
        "leaderboard": ("""SELECT u.id, COALESCE(w.won, 0), COALESCE(w.amount, 0),
            COALESCE(a.n, 0), COALESCE(l.n, 0)
            FROM users u
            LEFT JOIN (SELECT owner_id, COUNT(*) AS won, SUM(CASE WHEN currency = 'CNY'
                  THEN amount END) AS amount FROM deals WHERE status = 'won'
                  AND closed_at >= :since AND closed_at < :until GROUP BY owner_id) w
              ON w.owner_id = u.id
            LEFT JOIN (SELECT user_id, COUNT(*) AS n FROM activities WHERE at >= :since
                  AND at < :until GROUP BY user_id) a ON a.user_id = u.id
            LEFT JOIN (SELECT owner_id, COUNT(*) AS n FROM leads WHERE created_at >= :since
                  AND created_at < :until GROUP BY owner_id) l ON l.owner_id = u.id
            WHERE u.active AND u.role IN ('rep', 'manager')
            ORDER BY COALESCE(w.amount, 0) DESC, COALESCE(w.won, 0) DESC,
              COALESCE(a.n, 0) DESC, u.id LIMIT 10""", "nnmnn"),
        "stale deals (count)": ("""SELECT COUNT(*) FROM deals WHERE status = 'open'
            AND last_activity_at < :stale""", "n"),
    }


def _bind(value: Any, dialect: str) -> Any:
    """Parameters as the stored columns hold them (SQLite keeps instants and dates as text)."""
    if dialect != "sqlite":
        return value.astimezone(UTC).replace(tzinfo=None) if isinstance(value, datetime) \
            else value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def parameters(months: Sequence[Window], dialect: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "since": YEAR.since, "until": YEAR.until, "start": YEAR.start, "end": YEAR.end,
        "today": TODAY, "stale": NOW - timedelta(days=14),
        "m0s": months[0].start, "m0a": months[0].since, "mze": months[-1].end,
        "mzb": months[-1].until,
    }
    for n, month in enumerate(months):
        found.update({f"m{n}s": month.start, f"m{n}e": month.end, f"m{n}a": month.since,
                      f"m{n}b": month.until})
    for days in (30, 60, 90):
        found[f"d{days}"] = TODAY - timedelta(days=days)
    for week in range(1, 5):
        found[f"w{week}"] = TODAY + timedelta(days=7 * week)
    return {key: _bind(value, dialect) for key, value in found.items()}


def _value(value: Any, kind: str, dialect: str, stored: bool) -> Any:
    """One figure in a form both answers share; `stored`: as the database returned it."""
    if kind == "k":
        return value
    if value is None:
        return None
    if kind in ("n", "s"):
        return int(value)
    number = Decimal(value)
    if stored and kind == "m":
        number = number.scaleb(-4) if dialect == "sqlite" else number
    if stored and kind == "w":
        number = number.scaleb(-6 if dialect == "sqlite" else -2)
    return number.normalize()


def canonical(rows: Sequence[Sequence[Any]], kinds: Kinds, dialect: str,
              stored: bool) -> list[tuple[Any, ...]]:
    return sorted((tuple(_value(v, k, dialect, stored) for v, k in zip(row, kinds,
                                                                       strict=True))
                   for row in rows), key=repr)


# --------------------------------------------------------------------------- through storage

def through_storage(months: Sequence[Window]) -> dict[str, Callable[[Any], list[tuple[Any, ...]]]]:
    """Each report read through storage/reports.py, as the rows the hand SQL gives."""

    def rows(found: list[dict[str, Any]], *names: str) -> list[tuple[Any, ...]]:
        return [tuple(r[n] for n in names) for r in found]

    buckets = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus", "total")
    return {
        "pipeline": lambda r: rows([x for x in r.pipeline(ALL, None) if x["stage"]], "stage",
                                   "currency", "deals", "amount", "weighted"),
        "forecast": lambda r: rows(r.forecast(ALL, months), "month", "currency", "open_deals",
                                   "open_amount", "weighted", "won_deals", "won_amount"),
        "funnel by source": lambda r: rows(r.funnel(ALL, YEAR, "source"), "key", "leads",
                                           "qualified", "quoted", "won"),
        "win rate and cycle": lambda r: rows([r.closed(ALL, YEAR)], "won", "lost",
                                             "cycle_seconds"),
        "lead response": lambda r: rows([r.lead_response(ALL, YEAR)], "leads", "answered",
                                        "seconds"),
        "aging totals": lambda r: rows(r.aging_totals(ALL, TODAY), "currency", "customers",
                                       *buckets),
        "aging top 20 customers": lambda r: rows(r.aging(ALL, TODAY, 20), "customer_id",
                                                 "currency", "total"),
        "receivables (DSO)": lambda r: rows(r.receivables(ALL, YEAR), "currency",
                                            "outstanding", "invoiced"),
        "cash due in 4 weeks": lambda r: rows(r.cash_due(ALL, TODAY, 4), "currency", "overdue",
                                              "week_1", "week_2", "week_3", "week_4"),
        "overdue top 10": lambda r: rows(r.overdue_top(ALL, TODAY, 10), "number",
                                         "outstanding"),
        "leaderboard": lambda r: rows(r.leaderboard(ALL, YEAR, "CNY", 10), "user_id", "won",
                                      "won_amount", "activities", "leads"),
        "stale deals (count)": lambda r: [(r.stale_count(ALL, NOW - timedelta(days=14)),)],
    }


# --------------------------------------------------------------------------- measuring

def _best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm-up: caches, compiled statements
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return min(runs), statistics.median(runs)


def bench(engine: Engine, repeat: int) -> list[str]:
    """One line per report: storage time, hand SQL time, their ratio, same figures or not."""
    dialect = engine.dialect.name
    months = month_windows(date(2026, 11, 1), date(2027, 2, 1), TZ)
    by_hand = hand_sql(dialect, months)
    params = parameters(months, dialect)
    sessions = session_factory(engine)
    lines = [f"{'report':<26} {'storage ms':>11} {'SQL ms':>9} {'ratio':>6} {'median':>7}"
             f"  same figures"]
    for name, read in through_storage(months).items():
        sql, kinds = by_hand[name]
        statement = text(sql)

        def storage(read: Callable[[Any], list[tuple[Any, ...]]] = read) -> list[Any]:
            with SqlUnitOfWork(sessions) as uow:
                return read(uow.reports)

        def raw(statement: Any = statement) -> list[Any]:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(statement, params)]

        ours, ours_median = _best(storage, repeat)
        theirs, theirs_median = _best(raw, repeat)
        same = canonical(storage(), kinds, dialect, stored=False) == \
            canonical(raw(), kinds, dialect, stored=True)
        lines.append(f"{name:<26} {ours * 1000:>11.1f} {theirs * 1000:>9.1f} "
                     f"{ours / theirs if theirs else 0:>6.2f} "
                     f"{ours_median / theirs_median if theirs_median else 0:>7.2f}  "
                     f"{'yes' if same else 'NO'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both",
                        help="without --url: the kept benchmark database of each (seeded once "
                             "per size and schema revision)")
    parser.add_argument("--url", action="append",
                        help="database URL instead; repeat it to compare backends")
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the data")
    parser.add_argument("--reset", action="store_true",
                        help="with --url: drop every ltcbot table in the database first; "
                             "without: seed the kept databases again")
    parser.add_argument("--reuse", action="store_true",
                        help="with --url: measure the data already there instead of seeding")
    args = parser.parse_args(argv)
    if args.deals < 1 or args.activities < 0 or args.invoices < 0 or args.repeat < 1:
        parser.error("--deals and --repeat must be at least 1; the others at least 0")
    shape = Shape(args.deals, args.activities, args.invoices)
    if args.url:
        urls = args.url
    else:
        key = f"reports_d{shape.deals}_a{shape.activities}_i{shape.invoices}_s{args.seed}"

        def seed_kept(engine: Engine) -> None:
            for label, seconds in seed(engine, shape, random.Random(args.seed)).items():
                print(f"  {label:<32} {seconds:7.1f} s", flush=True)

        backends = BACKENDS if args.backend == "both" else (args.backend,)
        urls = [seeded(b, key, seed_kept, fresh=args.reset) for b in backends]
    failed = False
    for url in urls:
        engine = make_engine(url)
        if args.url and args.reset:
            reset(engine)
        migrate(engine)
        if args.url and not args.reuse:
            if not is_empty(engine):
                parser.error(f"{url} has data: pass --reset to replace it or --reuse to keep it")
            print(f"seeding {url}: {shape.deals:,} deals, {shape.activities:,} activities, "
                  f"{shape.invoices:,} invoices", flush=True)
            started = time.perf_counter()
            for label, seconds in seed(engine, shape, random.Random(args.seed)).items():
                print(f"  {label:<32} {seconds:7.1f} s", flush=True)
            print(f"  {'total':<32} {time.perf_counter() - started:7.1f} s", flush=True)
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) + f" on {os.cpu_count()} cores"
        print(f"\n{engine.dialect.name}: {shape.deals:,} deals, {shape.activities:,} "
              f"activities, {shape.invoices:,} invoices; best of {args.repeat} runs (ratio), "
              f"and the ratio of medians; load {load}")
        for line in bench(engine, args.repeat):
            print(line, flush=True)
            failed = failed or line.endswith(" NO")
        engine.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
