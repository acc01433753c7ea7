"""Sending one reminder loads what writing it needs: not the report commands, not matplotlib.

Run in a fresh interpreter, since this test process has long imported everything."""

from __future__ import annotations

from tests.support import run_fresh

SEND_ONE_REMINDER = """
import json, sys
import bot.delivery
from handlers.i18n import Translator
from handlers.notifications import render

reply = render("notify.reminder_due",
               {"reminder": "R-7", "text": "call Li", "about": "D-3"}, Translator("en"))
print(json.dumps({"text": reply.text, "buttons": [b.command for row in reply.buttons for b in row],
                  "loaded": sorted(sys.modules)}))
"""

DRAW_ONE_CHART = """
import json, sys
from decimal import Decimal
from handlers.charts import Bar, aging_chart

before = "matplotlib" in sys.modules
png = aging_chart("aging", [Bar("current", Decimal(5))], str)
print(json.dumps({"before": before, "after": "matplotlib" in sys.modules,
                  "png": png[:4].hex()}))
"""


def test_sending_a_reminder_loads_neither_the_report_commands_nor_matplotlib() -> None:
    sent = run_fresh(SEND_ONE_REMINDER)
    assert sent["text"] == "⏰ Reminder R-7: call Li D-3"
    buttons = sent["buttons"]
    assert isinstance(buttons, list) and "/done R-7" in buttons  # fully written, buttons and all
    loaded = sent["loaded"]
    assert isinstance(loaded, list)
    assert "handlers.notifications" in loaded and "bot.delivery" in loaded
    assert not [m for m in loaded if m == "matplotlib" or m.startswith("matplotlib.")]
    assert "handlers.reports" not in loaded


def test_a_chart_loads_matplotlib_when_it_is_drawn() -> None:
    drawn = run_fresh(DRAW_ONE_CHART)
    assert drawn == {"before": False, "after": True, "png": "89504e47"}
