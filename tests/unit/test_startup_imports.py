"""A start loads what a slash command needs: the sentence reading, the charts, the documents and
the spreadsheets load when first used. Run in a fresh interpreter, since this test process has
long imported everything."""

from __future__ import annotations

from tests.support import run_fresh

START = """
import json, sys
import bot.cli
from handlers.commands import find

draft = find("draft")
print(json.dumps({"draft": draft.name if draft else None, "loaded": sorted(sys.modules)}))
"""

LATER = ("handlers.sentences", "jieba", "rapidfuzz", "dateparser", "matplotlib", "fpdf",
         "openpyxl", "telegram", "slack_bolt", "alembic")


def test_a_start_registers_every_command_without_loading_what_comes_later() -> None:
    started = run_fresh(START)
    assert started["draft"] == "draft"  # /draft is registered without the sentence reading
    loaded = started["loaded"]
    assert isinstance(loaded, list)
    assert "handlers.dispatch" in loaded
    assert [m for m in loaded if m.split(".")[0] in LATER or m.startswith(LATER)] == []
