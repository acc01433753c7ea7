"""How long an import of a big spreadsheet takes: N leads (50,000 by default) in a CSV with
Chinese headers, a few rows bad and a few duplicates, imported by a manager whose team takes
the leads in turn, with scoring, duplicate checks, the audit trail and the search terms.
Prints the seconds for the trial (nothing written) and for the import, and rows a second.

    .venv/bin/python bench/imports.py                      # SQLite, 50,000 rows
    .venv/bin/python bench/imports.py --rows 2000 --xlsx
    .venv/bin/python bench/imports.py --url postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from domain.imports import Outcome  # noqa: E402
from domain.model.users import Role  # noqa: E402
from domain.notifications import queue_notifications  # noqa: E402
from domain.settings import AmountBand, Assignment, Scoring, Settings  # noqa: E402
from domain.users import add_user  # noqa: E402
from handlers.imports import run_file  # noqa: E402
from storage.tables import metadata  # noqa: E402

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "Wuhan", "Nanjing")
SOURCES = ("官网", "转介绍", "展会", "陌拜", "渠道", "广告")
SETTINGS = Settings(company_name="Bench Co",
                    scoring=Scoring(sources={"referral": 30, "website": 10}, phone=10, email=5,
                                    amount_bands=(AmountBand(100000, 15),)),  # type: ignore[arg-type]
                    assignment=Assignment(round_robin=True))


def sheet(rows: int, seed: int = 7) -> str:
    """A CSV of `rows` leads; one in 200 has a bad phone, one in 100 repeats an earlier one."""
    rng = random.Random(seed)
    lines = ["公司名称,联系人,手机,邮箱,来源,地区,预算,备注"]
    for n in range(1, rows + 1):
        if n % 100 == 0:
            copy = rng.randrange(1, n)
            lines.append(f"{rng.choice(CITIES)}客户{copy}有限公司,,,,,,,")
            continue
        phone = "12" if n % 200 == 1 else f"13{n % 10}{n:08d}"
        lines.append(f"{rng.choice(CITIES)}客户{n}有限公司,联系人{n},{phone},c{n}@example.cn,"
                     f"{rng.choice(SOURCES)},{rng.choice(CITIES)},{rng.randrange(1, 500)}千,"
                     f"{'有预算' if n % 7 == 0 else ''}")
    return "\n".join(lines) + "\n"


def to_xlsx(csv_text: str) -> bytes:
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    page = book.create_sheet()
    for line in csv_text.splitlines():
        page.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--url", help="a database to use (emptied first); default: a temporary "
                        "SQLite file")
    parser.add_argument("--xlsx", action="store_true", help="send an .xlsx workbook, not CSV")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="ltc-bench-import-")
    url = args.url or f"sqlite:///{folder}/bench.db"
    app = build_app(SETTINGS, Runtime(database_url=url), lambda: NOW)
    if args.url:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with app.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    with app.uow() as uow:
        for name, role in (("boss", Role.ADMIN), ("mgr", Role.MANAGER), ("a", Role.REP),
                           ("b", Role.REP), ("c", Role.REP)):
            add_user(uow, name, role, NOW, team=None if role == Role.ADMIN else "east",
                     locale="en", timezone="Asia/Shanghai")
        uow.commit()
    csv_text = sheet(args.rows)
    data, name = (to_xlsx(csv_text), "leads.xlsx") if args.xlsx else \
        (csv_text.encode("gbk"), "leads.csv")
    print(f"{args.rows} rows, {len(data) / 1e6:.1f} MB {'xlsx' if args.xlsx else 'CSV (GBK)'}"
          f" on {app.engine.dialect.name}")
    for dry_run in (True, False):
        started = time.perf_counter()
        with app.uow() as uow:
            uow.action = "import leads"
            actor = uow.users.by_username("mgr")
            assert actor is not None
            report = run_file(uow, actor, "leads", name, data, SETTINGS, NOW, NOW.date(),
                              dry_run=dry_run)
            if not dry_run:
                queue_notifications(uow, SETTINGS, NOW)
                uow.commit()
        seconds = time.perf_counter() - started
        counts = ", ".join(f"{o.value} {report.count(o)}" for o in Outcome)
        print(f"{'trial ' if dry_run else 'import'}  {seconds:7.1f} s  "
              f"{args.rows / seconds:8.0f} rows/s  ({counts})")
    app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
