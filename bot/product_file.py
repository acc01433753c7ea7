"""Reading a price list from a file (CSV in UTF-8 or GBK, or .xlsx, through the one spreadsheet
reader, handlers/spreadsheets.py), with column names in English or Chinese."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from domain.errors import DomainError, InvalidInput
from domain.products import ProductRow
from handlers.amounts import parse_amount, parse_percent, parse_quantity
from handlers.spreadsheets import read_rows as spreadsheet_rows

# Column name as written (folded to lower case, no spaces) -> field.
COLUMNS = {
    "sku": "sku", "code": "sku", "itemcode": "sku", "编码": "sku", "货号": "sku",
    "物料编码": "sku", "产品编码": "sku", "商品编码": "sku",
    "name": "name", "product": "name", "description": "name", "名称": "name", "品名": "name",
    "产品名称": "name", "商品名称": "name",
    "price": "price", "listprice": "price", "unitprice": "price", "单价": "price",
    "价格": "price", "售价": "price",
    "unit": "unit", "uom": "unit", "单位": "unit",
    "tax": "tax", "taxrate": "tax", "vat": "tax", "税率": "tax",
    "stock": "stock", "onhand": "stock", "qty": "stock", "库存": "stock", "数量": "stock",
    "min": "min", "minstock": "min", "reorder": "min", "安全库存": "min", "最低库存": "min",
    "currency": "currency", "币种": "currency",
    "stocked": "stocked", "库存管理": "stocked",
}
REQUIRED = ("sku", "name")


class FileProblem(Exception):
    """The file cannot be read as a price list (message for the operator)."""


def read_rows(path: Path, currency: str) -> list[ProductRow | tuple[int, DomainError]]:
    """Each data row as a ProductRow, or its line number and what is wrong with it."""
    if not path.is_file():
        raise FileProblem(f"{path}: no such file")
    cells = spreadsheet_rows(path.name, path.read_bytes())  # InvalidInput: not a spreadsheet
    header = next(cells, None)
    if header is None:
        raise FileProblem(f"{path}: the file is empty")
    fields = [COLUMNS.get("".join(h.split()).lower().replace("_", "")) for h in header]
    missing = [name for name in REQUIRED if name not in fields]
    if missing or "price" not in fields:
        raise FileProblem(f"{path}: the first row names the columns; missing: "
                          f"{', '.join(missing or ['price'])} (e.g. sku,name,price,unit,tax,"
                          "stock or 编码,名称,单价,单位,税率,库存)")
    rows: list[ProductRow | tuple[int, DomainError]] = []
    for line, values in enumerate(cells, start=2):
        record = {f: v.strip() for f, v in zip(fields, values, strict=False) if f}
        if not any(record.values()):
            continue
        try:
            rows.append(_row(line, record, currency))
        except DomainError as error:
            rows.append((line, error))
    return rows


def _number(record: dict[str, str], name: str) -> Decimal | None:
    text = record.get(name, "")
    if not text:
        return None
    if name == "tax":
        return parse_percent(text)
    if not text.strip("0.,"):
        return Decimal(0)  # a zero stock or minimum is no error
    return parse_quantity(text)


def _row(line: int, record: dict[str, str], currency: str) -> ProductRow:
    if not record.get("sku"):
        raise InvalidInput("product.bad_sku", value="")
    price_text = record.get("price", "")
    if record.get("currency") and price_text:
        price_text = f"{price_text} {record['currency']}"
    price = parse_amount(price_text, currency) if price_text else None
    return ProductRow(line=line, sku=record["sku"], name=record.get("name", ""), price=price,
                      unit=record.get("unit") or None, tax=_number(record, "tax"),
                      stock=_number(record, "stock"), min_stock=_number(record, "min"),
                      stocked=record.get("stocked", "").lower() not in ("no", "n", "0", "false",
                                                                         "否"))
