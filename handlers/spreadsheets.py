"""Reading a spreadsheet someone sends: CSV in UTF-8 (with or without the byte-order mark
Excel writes) or GBK (as Excel in China saves it), or an .xlsx workbook's first sheet.
Every cell comes back as text, as a person would type it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from domain.errors import InvalidInput

MAX_FILE = 20_000_000  # bytes
CSV_ENDINGS = (".csv", ".txt", ".tsv")
XLSX_ENDINGS = (".xlsx", ".xlsm")


def _text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # GBK and the characters it lacks
    except UnicodeDecodeError:
        raise InvalidInput("import.bad_encoding") from None


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _text(data)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # loaded only when a workbook comes

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as failure:  # openpyxl raises many kinds for a broken file
        raise InvalidInput("import.bad_file", reason=type(failure).__name__) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(value).strip() for value in row]
    finally:
        book.close()


def read_rows(name: str, data: bytes) -> Iterator[list[str]]:
    """The rows of the file, the header first; refused when it is not a spreadsheet read here."""
    if len(data) > MAX_FILE:
        raise InvalidInput("import.too_large", limit=MAX_FILE // 1_000_000)
    lower = name.lower()
    if lower.endswith(XLSX_ENDINGS) or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data)
    if lower.endswith(CSV_ENDINGS) or "." not in lower:
        return _csv_rows(data)
    raise InvalidInput("import.bad_format", name=name)
