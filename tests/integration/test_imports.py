"""Importing spreadsheets on SQLite and PostgreSQL: encodings and formats, English and
Chinese headers, row checks, duplicates skipped or merged, trial and cancel writing nothing,
open invoices as opening balances, and the chat and command-line ways in."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.app import App
from bot.cli import main
from domain.imports import Outcome
from domain.settings import Assignment, Settings
from handlers.i18n import Translator
from handlers.imports import report_text, run_file
from handlers.incoming import Upload
from storage.tables import customers, leads, outbox
from storage.tables_cash import invoices
from tests.support import FakeClock, say

LEADS_ZH = ("公司,联系人,手机,邮箱,来源,备注,负责人\n"
            "华为技术,王总,13800000001,wang@hw.cn,转介绍,有预算,\n"
            "腾讯科技,李经理,13800000002,,官网,,\n"
            ",无名,13800000003,,,,\n"
            "阿里巴巴,马总,12,,,,\n"
            "华为技术有限公司,,13800000001,,,,\n"
            "百度,,,,展会,,rep2\n")


@pytest.fixture
def settings() -> Settings:
    return Settings(company_name="Test Co", assignment=Assignment(round_robin=True))


def _run(app: App, username: str, kind: str, name: str, data: bytes, *, merge: bool = False,
         dry_run: bool = False) -> tuple[object, str]:
    now = app.dispatcher.clock()
    with app.uow() as uow:
        actor = uow.users.by_username(username)
        assert actor is not None
        uow.actor_id = actor.id
        report = run_file(uow, actor, kind, name, data, app.settings, now, date(2026, 11, 23),
                          merge=merge, dry_run=dry_run)
        from domain.notifications import queue_notifications
        queue_notifications(uow, app.settings, now)
        uow.commit()
    return report, report_text(report, Translator("en", "Asia/Shanghai", app.settings))


def _count(app: App, table: object) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_chinese_headers_in_gbk_with_row_checks_and_duplicates(app: App) -> None:
    report, text = _run(app, "mgr", "leads", "线索.csv", LEADS_ZH.encode("gbk"))
    outcomes = [(r.row, r.outcome) for r in report.rows]  # type: ignore[attr-defined]
    assert outcomes == [(2, Outcome.CREATED), (3, Outcome.CREATED), (4, Outcome.REFUSED),
                        (5, Outcome.REFUSED), (6, Outcome.SKIPPED), (7, Outcome.CREATED)]
    assert "2 created" not in text and "3 created, 0 merged, 1 skipped, 2 refused" in text
    assert "Row 4 refused: " in text and "Row 5 refused: " in text
    assert "Row 6 skipped: the same as row 2 of this file" in text
    with app.engine.connect() as conn:
        rows = conn.execute(select(leads.c.company, leads.c.source, leads.c.owner_id)
                            .order_by(leads.c.id)).all()
    assert [(r.company, r.source) for r in rows] == [("华为技术", "referral"),
                                                      ("腾讯科技", "website"), ("百度", "event")]
    owners = [r.owner_id for r in rows]
    assert owners[0] != owners[1]  # in turn among the team's reps
    assert owners[2] == 4  # rep2, named by the owner column


def test_utf8_with_a_bom_and_the_report_in_chinese(app: App) -> None:
    data = "\ufeffCompany,Phone\nAcme,13800000009\n".encode()
    report, _ = _run(app, "rep", "leads", "leads.csv", data)
    zh = report_text(report, Translator("zh_Hans_CN", "Asia/Shanghai", app.settings))  # type: ignore[arg-type]
    assert zh.startswith("导入线索：新建 1，合并 0，跳过 0，拒绝 0。")


def test_an_xlsx_workbook_with_english_headers(app: App) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Customer name", "E-mail", "Tax ID", "Address"])
    sheet.append(["Globex", "ap@globex.com", "91110000X", "1 Main St"])
    sheet.append(["Initech", "not-an-address", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    report, text = _run(app, "rep", "customers", "customers.xlsx", buffer.getvalue())
    assert "1 created, 0 merged, 0 skipped, 1 refused" in text
    with app.engine.connect() as conn:
        assert conn.execute(select(customers.c.name, customers.c.tax_id)).all() == \
            [("Globex", "91110000X")]


def test_duplicates_are_merged_when_asked(app: App) -> None:
    say(app, "rep", "/lead Acme")
    data = b"company,phone,region\nACME,13800000007,Guangdong\n"
    _, skipped = _run(app, "rep", "leads", "a.csv", data)
    assert "0 created, 0 merged, 1 skipped" in skipped and "already on file as L-1" in skipped
    _, merged = _run(app, "rep", "leads", "a.csv", data, merge=True)
    assert "0 created, 1 merged" in merged
    card = say(app, "rep", "/lead L-1").text
    assert "13800000007" in card and "Guangdong" in card


def test_a_dry_run_writes_nothing(app: App) -> None:
    report, text = _run(app, "mgr", "leads", "leads.csv", LEADS_ZH.encode("utf-8"),
                        dry_run=True)
    assert text.startswith("Trial of leads, nothing written yet: 3 would be created")
    assert (_count(app, leads), _count(app, outbox)) == (0, 0)


def test_a_missing_column_is_named(app: App) -> None:
    with pytest.raises(Exception) as refused:
        _run(app, "rep", "leads", "x.csv", b"phone,email\n1,2\n")
    assert getattr(refused.value, "key", "") == "import.missing_columns"


def test_open_invoices_become_balances_that_aging_and_dunning_see(
        app: App, clock: FakeClock) -> None:
    _run(app, "rep", "customers", "c.csv", "客户名称\n华为\n".encode())
    data = ("客户,未收金额,到期日,发票号,开票日期\n"
            "华为,50000,2026-10-01,FP-001,2026-09-01\n"
            "华为,20000,2026-12-31,FP-002,2026-11-01\n"
            "华为,100,2026-12-31,FP-001,2026-11-01\n"
            "不存在,100,2026-12-31,FP-003,2026-11-01\n").encode()
    assert not say(app, "rep", "/import invoices").ok  # reps do not import invoices
    _, text = _run(app, "fin", "invoices", "ar.csv", data)
    assert "2 created, 0 merged, 1 skipped, 1 refused" in text
    assert "no customer named" in text
    with app.engine.connect() as conn:
        totals = sorted(conn.execute(select(invoices.c.total)).scalars())
    assert [str(t) for t in totals] == ["20000.0000", "50000.0000"]
    aging = say(app, "fin", "/aging all").text
    assert "70,000" in aging
    _, again = _run(app, "fin", "invoices", "ar.csv", data)
    assert "0 created" in again  # the same numbers are not brought in twice
    paid = say(app, "fin", "/pay A-1 50000 ref=BANK-1")
    assert paid.ok, paid.text


def test_chat_import_tries_first_then_cancel_writes_nothing_and_confirm_imports(
        app: App) -> None:
    upload = Upload("leads.csv", LEADS_ZH.encode("utf-8"))
    tried = say(app, "mgr", "/import leads", file=upload)
    assert tried.ok and "nothing written yet" in tried.text
    confirm, cancel = tried.buttons[0]
    assert _count(app, leads) == 0
    assert say(app, "mgr", cancel.command).ok
    assert _count(app, leads) == 0 and not say(app, "mgr", confirm.command).ok
    tried = say(app, "mgr", "/import leads", file=upload)
    assert not say(app, "rep", tried.buttons[0][0].command).ok  # not theirs to confirm
    done = say(app, "mgr", tried.buttons[0][0].command)
    assert done.ok and "3 created" in done.text and _count(app, leads) == 3
    with app.engine.connect() as conn:
        keys = sorted(conn.execute(select(outbox.c.key)).scalars())
    assert keys.count("notify.lead_assigned") == 3


def test_the_console_reads_the_file_from_a_path(app: App, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(LEADS_ZH.encode("gbk"))
    tried = say(app, "mgr", f"/import leads {path}")
    assert tried.ok and "3 would be created" in tried.text
    assert not say(app, "mgr", "/import leads").ok  # no file: how to send one


def test_the_command_line_imports_as_a_user_and_dry_runs(
        app: App, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(LEADS_ZH.encode("gbk"))
    config = tmp_path / "config.toml"
    config.write_text('[company]\nname = "Test Co"\nlocale = "en"\n'
                      "[leads.assignment]\nround_robin = true\n", encoding="utf-8")
    monkeypatch.setenv("LTC_DATABASE_URL", database_url)
    monkeypatch.setenv("LTC_CONFIG", str(config))
    assert main(["import", "leads", str(path), "--as", "mgr", "--dry-run"]) == 0
    assert "3 would be created" in capsys.readouterr().out and _count(app, leads) == 0
    assert main(["import", "leads", str(path), "--as", "mgr"]) == 0
    assert "3 created" in capsys.readouterr().out and _count(app, leads) == 3
    assert main(["import", "leads", str(tmp_path / "none.csv")]) == 2


def test_imported_leads_are_found_and_have_their_history(app: App) -> None:
    tried = say(app, "mgr", "/import leads", file=Upload("l.csv", LEADS_ZH.encode("utf-8")))
    assert say(app, "mgr", tried.buttons[0][0].command).ok
    found = say(app, "mgr", "/find 华为")
    assert "华为技术 · lead" in found.text
    assert "腾讯科技" in say(app, "mgr", "/find 13800000002").text
    history = say(app, "mgr", f"/history {found.buttons[0][0].label}").text
    assert "created" in history and "/import" in history
