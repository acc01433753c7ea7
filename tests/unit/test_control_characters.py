"""Control characters a door may pass on are dropped before a message is read; a NUL could
not even be stored on PostgreSQL."""

from __future__ import annotations

from handlers.command_line import normalise


def test_control_characters_are_dropped_but_tabs_and_line_breaks_kept() -> None:
    assert normalise("/rename A-3 Acme\x00 Ltd\x1b[31m\x7f") == "/rename A-3 Acme Ltd[31m"
    kept = "/quote D-1\n1 x A @ 5\r\n2 x B @ 6\t"
    assert normalise(kept) == kept
