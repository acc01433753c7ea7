"""CSV exports never carry a live spreadsheet formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.app import App
from handlers.export import write_csv
from handlers.i18n import Translator
from tests.support import say

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
             "\tTAB=1", "\rCR=1"]


def _written(rows: list[list[object]]) -> list[list[str]]:
    buffer = io.BytesIO()
    write_csv(["a"] * len(rows[0]), rows, Translator("en", "Asia/Shanghai"), buffer)
    return list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"), newline="")))[1:]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_starts_like_a_formula_is_written_as_text(text: str) -> None:
    (row,) = _written([[text]])
    assert row == ["'" + text]


def test_numbers_dates_and_plain_text_are_written_unchanged() -> None:
    (row,) = _written([[Decimal("-1500.50"), -3, date(2026, 12, 1),
                        datetime(2026, 12, 1, 2, 0, tzinfo=UTC), "Acme", "D-1", None]])
    assert row == ["-1500.5", "-3", "2026-12-01", "2026-12-01 10:00:00", "Acme", "D-1", ""]


def test_a_lead_named_like_a_formula_reaches_the_deals_export_as_text(app: App) -> None:
    name = '=HYPERLINK("http://evil","x")'
    assert say(app, "rep", f"/lead {name}").ok
    assert say(app, "rep", "/qualify L-1 amount=10k").ok
    reply = say(app, "mgr", "/export deals")
    (attachment,) = reply.files
    text = attachment.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, "the deal is exported"
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + name in cells
