"""Credit a void released while other invoices were open is applied with /apply."""

from __future__ import annotations

from bot.app import App
from tests.integration.test_dunning import _invoice
from tests.support import say


def test_credit_released_by_a_void_settles_the_other_open_invoice(app: App) -> None:
    first = _invoice(app, "Acme")
    second = _invoice(app, "Acme Ltd")  # the same customer A-1, CN¥11,300.00 each
    assert say(app, "fin", f"/pay {first} 11300 ref=B-1").ok
    assert say(app, "fin", f"/void {first} reason=duplicate").ok
    reply = say(app, "fin", "/apply A-1")
    assert reply.ok, reply.text
    assert reply.text.splitlines() == [
        "Credit of A-1 applied:",
        f"  {second}: CN¥11,300.00 applied, outstanding now CN¥0.00",
    ]
    listed = say(app, "fin", "/invoices all A-1").text.splitlines()
    row = next(line for line in listed if line.startswith(second))
    assert row.endswith("· paid"), row
    again = say(app, "fin", "/apply A-1")
    assert not again.ok
    assert again.text == "A-1 has no credit to apply, or no open invoice to apply it to."


def test_only_finance_applies_credit(app: App) -> None:
    _invoice(app)
    reply = say(app, "rep", "/apply A-1")
    assert not reply.ok and "finance" in reply.text
