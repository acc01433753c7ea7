"""The project's command reference and /help name every command there is."""

from __future__ import annotations

import re
from pathlib import Path

from handlers import dispatch  # noqa: F401  (registers every command)
from handlers.commands import COMMANDS
from handlers.team import GROUPS

ROOT = Path(__file__).resolve().parents[2]


def test_docs_commands_describes_every_command() -> None:
    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    written = set(re.findall(r"`/([a-z_]+)", text))
    assert set(COMMANDS) <= written, f"missing: {sorted(set(COMMANDS) - written)}"


def test_the_readme_points_at_the_reference_in_the_project() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/commands.md)" in readme and "COMMANDS.md" not in readme


def test_help_has_a_section_for_every_group() -> None:
    # /help lists the commands group by group: a command in another group would not show.
    assert {c.group for c in COMMANDS.values()} <= set(GROUPS)
