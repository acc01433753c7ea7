"""The command and growth benchmarks run end to end on a tiny SQLite database: every command is
timed through its door next to its floor, and a kept database is reused, not seeded again."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import commands, databases, growth


@pytest.fixture
def bench_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(databases, "SQLITE_DIR", tmp_path)
    return tmp_path


def _rows(out: str) -> dict[str, list[str]]:
    return {line[:16].strip(): line[16:].split() for line in out.splitlines()}


def test_every_command_is_timed_through_its_door_against_the_floor(
        bench_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--backend", "sqlite", "--deals", "40", "--repeat", "3", "--warmup", "0",
            "--seconds", "0"]
    assert commands.main(argv) == 0
    out = capsys.readouterr().out
    assert "seeding" in out
    rows = _rows(out)
    for floor in ("telegram floor", "slack floor"):
        assert float(rows[floor][0]) > 0, out
    for name in (*commands.COMMANDS, "/ltc deal"):
        median, p99, in_bot, statements, ratio, *_ = rows[name]
        assert 0 < float(median) <= float(p99), out
        assert float(in_bot) > 0 and int(statements) > 0, out
        assert ratio.endswith("x") and float(ratio[:-1]) > 0, out
    assert len(list(bench_dir.glob("*.db"))) == 1

    assert commands.main([*argv, "--only", "/todo"]) == 0
    again = capsys.readouterr().out
    assert "seeding" not in again and "/todo" in _rows(again) and "/lead" not in _rows(again)


def test_growth_compares_the_two_histories_around_the_same_overdue_set(
        bench_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert growth.main(["--backend", "sqlite", "--paid", "5", "--paid", "30", "--overdue", "8",
                        "--customers", "3", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    table = out.split("sqlite: overdue set of 8 invoices")[1]
    lines = {line[:32].strip(): line[32:].split() for line in table.splitlines()}
    assert lines["invoices in the database"] == ["13", "38"]
    assert lines["invoices the scan returns"] == ["8", "8"]
    for row in ("dunning scan", "first tick", "later tick (nothing new)"):
        small, large, ratio = lines[row]
        assert float(small) > 0 and float(large) > 0 and ratio.endswith("x"), table
    assert int(lines["levels marked"][0]) >= 8
    assert int(lines["chasing messages queued"][0]) > 0


def test_the_import_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import imports
    assert imports.main(["--rows", "60"]) == 0
    out = capsys.readouterr().out
    assert "trial" in out and "import" in out and "rows/s" in out
    assert "created 59" in out and "refused 1" in out
