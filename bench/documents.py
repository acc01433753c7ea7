"""How long the customer's side takes: each kind of PDF (/pdf of an invoice, an order of many
lines in English and in Chinese, a quote), a quote of SKU lines, and deliveries that take
stock out, through the dispatcher on a fresh SQLite file (or PostgreSQL with --database).

    .venv/bin/python bench/documents.py                  # 5 runs of each, medians
    .venv/bin/python bench/documents.py --lines 40 --runs 9
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import build_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from domain.model.users import Role  # noqa: E402
from domain.settings import DocumentDetails, Settings  # noqa: E402
from domain.users import add_user  # noqa: E402
from tests.support import FakeClock, say  # noqa: E402


def _median_ms(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=20, help="product lines of the order")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ltc-docs-"))
    url = args.database or f"sqlite:///{folder / 'ltc.db'}"
    clock = FakeClock()
    app = build_app(Settings(company_name="Bench Trading", locale="en",
                             documents=DocumentDetails(bank="CMB", account="6225 0000")),
                    Runtime(database_url=url), clock, run_migrations=True)
    with app.uow() as uow:
        for name, role in (("mgr", Role.MANAGER), ("rep", Role.REP), ("fin", Role.FINANCE)):
            add_user(uow, name, role, clock(), team="east", locale="en",
                     timezone="Asia/Shanghai")
        uow.commit()
    for n in range(1, args.lines + 1):
        say(app, "mgr", f"/product add PRD-{n} Product number {n} {100 + n} stock=100000")
    say(app, "rep", "/lead 华为技术有限公司")
    say(app, "rep", "/qualify L-1")
    lines = "; ".join(f"{n} x PRD-{n}" for n in range(1, args.lines + 1))
    rows: list[tuple[str, float, float]] = []
    quote = iter(range(1, 10_000))

    def quote_lines() -> None:
        assert say(app, "rep", f"/quote D-1 {lines}").ok
        next(quote)

    rows.append((f"/quote of {args.lines} SKU lines", *_median_ms(args.runs, quote_lines)))
    assert say(app, "rep", "/accept Q-1 plan=30/60/10").ok
    assert say(app, "fin", "/deliver O-1 1 x PRD-1").ok
    assert say(app, "fin", "/invoice O-1").ok
    with app.uow() as uow:
        add_user(uow, "li", Role.CUSTOMER, clock(), locale="zh_Hans_CN",
                 timezone="Asia/Shanghai", customer_id=1)
        uow.commit()
    for label, text in (("/pdf invoice (zh)", "/pdf INV-2026-0001"),
                        (f"/pdf order, {args.lines} lines (zh)", "/pdf O-1"),
                        (f"/pdf order, {args.lines} lines (en)", "/pdf O-1 lang=en"),
                        (f"/pdf quote, {args.lines} lines (en)", "/pdf Q-2 lang=en")):
        def run(text: str = text) -> None:
            assert say(app, "rep", text).files
        rows.append((label, *_median_ms(args.runs, run)))
    position = iter(range(2, args.lines + 1))

    def deliver() -> None:
        assert say(app, "fin", f"/deliver O-1 1 x #{next(position)}").ok

    rows.append(("/deliver taking stock", *_median_ms(min(args.runs, args.lines - 1), deliver)))
    print(f"{'':40}{'median ms':>12}{'max ms':>10}")
    for label, median, worst in rows:
        print(f"{label:40}{median:12.1f}{worst:10.1f}")
    app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
