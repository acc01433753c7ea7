"""The report benchmark runs on both backends with small numbers and finds both ways agree."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import BACKENDS, PG_SERVER

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_reports", ROOT / "bench" / "reports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def urls(tmp_path: Path) -> Iterator[list[str]]:
    """A SQLite file and, when PostgreSQL is tested, a database of its own."""
    found = [f"sqlite:///{tmp_path / 'bench.db'}"] if "sqlite" in BACKENDS else []
    name = f"ltc_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    if "postgresql" in BACKENDS:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        found.append(PG_SERVER.rsplit("/", 1)[0] + "/" + name)
    try:
        yield found
    finally:
        if "postgresql" in BACKENDS:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_every_report_is_timed_both_ways_and_gives_the_same_figures(
        urls: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench()
    argv = ["--deals", "300", "--activities", "3000", "--invoices", "600", "--repeat", "1"]
    for url in urls:
        argv += ["--url", url]
    assert bench.main(argv) == 0
    out = capsys.readouterr().out
    reports = list(bench.through_storage([]))
    for dialect in [u.split(":")[0].split("+")[0] for u in urls]:
        section = out.split(f"\n{dialect}: ")[1].split("\n", 1)[1].split("\nseeding ")[0]
        lines = {line[:26].strip(): line.split() for line in section.splitlines()[1:]}
        assert set(reports) <= set(lines), section
        for name in reports:
            *_, storage_ms, sql_ms, ratio, median_ratio, same = lines[name]
            assert same == "yes", f"{dialect} {name}: the figures differ"
            assert float(storage_ms) > 0 and float(sql_ms) > 0 and float(ratio) > 0
            assert float(median_ratio) > 0
    assert "invoices (600)" in out and "activities (3,000)" in out
