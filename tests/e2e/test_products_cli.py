"""`python -m bot products import` and `users add --role customer`, run as the real entry
point on a fresh SQLite file: CSV in UTF-8 with a BOM or in GBK, .xlsx, Chinese column
names, and a file with a wrong row that writes nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from storage.database import make_engine
from storage.tables import users
from storage.tables_products import products
from tests.e2e.test_cli import run_bot


def _products(tmp_path: Path) -> list[tuple[str, str, Decimal, Decimal, str | None]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'ltc.db'}")
    with engine.connect() as conn:
        rows = conn.execute(select(products.c.sku, products.c.name, products.c.price,
                                   products.c.on_hand, products.c.unit)
                            .order_by(products.c.sku)).all()
    engine.dispose()
    return [(r[0], r[1], Decimal(r[2]), Decimal(str(r[3])), r[4]) for r in rows]


def test_a_utf8_csv_with_a_bom_and_english_columns(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_bytes("sku,name,price,unit,tax,stock\r\nSRV-1,Cloud Server,\"4,800\",pc,13,20\r\n"
                     "cbl-2,Cable,12.5,m,,\r\n".encode("utf-8-sig"))
    done = run_bot(tmp_path, "products", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "2" in done.stdout
    assert _products(tmp_path) == [
        ("CBL-2", "Cable", Decimal("12.5"), Decimal(0), "m"),
        ("SRV-1", "Cloud Server", Decimal(4800), Decimal(20), "pc")]


def test_a_gbk_csv_with_chinese_columns_then_an_update(tmp_path: Path) -> None:
    path = tmp_path / "价格表.csv"
    path.write_bytes("编码,名称,单价,单位,库存\nSRV-1,云服务器,4800,台,5\n".encode("gbk"))
    assert run_bot(tmp_path, "products", "import", str(path)).returncode == 0
    path.write_bytes("编码,名称,单价\nSRV-1,云服务器 二代,4600\n".encode("gbk"))
    assert run_bot(tmp_path, "products", "import", str(path)).returncode == 0
    assert _products(tmp_path) == [("SRV-1", "云服务器 二代", Decimal(4600), Decimal(5), "台")]


def test_an_xlsx_file(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "Name", "Price", "Stock"])
    sheet.append(["RCK-1", "Rack", 900, 3])
    sheet.append(["RCK-2", "Rack rail", 45.5, None])
    book.save(tmp_path / "prices.xlsx")
    assert run_bot(tmp_path, "products", "import", str(tmp_path / "prices.xlsx")).returncode == 0
    assert [p[:4] for p in _products(tmp_path)] == [
        ("RCK-1", "Rack", Decimal(900), Decimal(3)),
        ("RCK-2", "Rack rail", Decimal("45.5"), Decimal(0))]


def test_a_wrong_row_is_named_and_nothing_is_imported(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("sku,name,price\nSRV-1,Server,100\nD-1,Looks like a deal,5\n"
                    "SRV-3,Bad price,abc\n", encoding="utf-8")
    done = run_bot(tmp_path, "products", "import", str(path))
    assert done.returncode == 2
    assert "3" in done.stderr and "4" in done.stderr and "D-1" in done.stderr
    assert _products(tmp_path) == []


def test_a_file_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("code,description\nA,B\n", encoding="utf-8")
    done = run_bot(tmp_path, "products", "import", str(path))
    assert done.returncode == 2 and "price" in done.stderr


def test_users_add_a_customer_contact_of_an_account(tmp_path: Path) -> None:
    assert run_bot(tmp_path, "users", "add", "boss", "--role", "admin").returncode == 0
    done = run_bot(tmp_path, "console", "--as", "boss",
                   stdin="/lead Acme\n/qualify L-1\n")
    assert done.returncode == 0, done.stderr
    missing = run_bot(tmp_path, "users", "add", "li", "--role", "customer")
    assert missing.returncode == 2
    added = run_bot(tmp_path, "users", "add", "li", "--role", "customer", "--customer", "A-1",
                    "--locale", "en")
    assert added.returncode == 0, added.stderr
    status = run_bot(tmp_path, "console", "--as", "li", stdin="/status\n/leads\n")
    assert "Acme: orders and invoices" in status.stdout
    assert "/status" in status.stdout.split("Acme: orders and invoices")[1]
    engine = make_engine(f"sqlite:///{tmp_path / 'ltc.db'}")
    with engine.connect() as conn:
        assert conn.execute(select(users.c.role, users.c.customer_id)
                            .where(users.c.username == "li")).one() == ("customer", 1)
    engine.dispose()


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "prices.pdf"
    path.write_bytes(b"%PDF-1.4 not a price list")
    done = run_bot(tmp_path, "products", "import", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "prices.pdf" in done.stderr
    assert _products(tmp_path) == []
