"""A reference with more digits than any record id is simply not found, on both databases
(PostgreSQL would otherwise refuse the number itself)."""

from __future__ import annotations

from bot.app import App
from tests.support import say


def test_a_reference_beyond_any_id_is_not_found(app: App) -> None:
    for line in ("/deal D-999999999999", "/lead L-999999999999", "/history C-999999999999",
                 "/edit A-999999999999 phone=13800000000", "/assign D-999999999999 rep2"):
        reply = say(app, "boss", line)
        assert not reply.ok and "-999999999999 does not exist" in reply.text, (line, reply.text)
