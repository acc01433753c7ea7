"""The command table: modules of commands are found without a list, one name is one command,
and the table keeps one order however the modules load."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from handlers import dispatch  # noqa: F401  (registers every command)
from handlers.commands import ALIASES, COMMANDS, LIST_ORDER, command, find, load_all
from handlers.reply import Reply

PROBE = '''
from handlers.commands import command
from handlers.reply import Reply


@command("probeping", group="team", samples=("",))
def probeping(ctx: object, text: str) -> Reply:
    return Reply("pong " + text)
'''


@pytest.fixture
def probe_package(tmp_path: Path) -> Iterator[str]:
    """A package of command modules that no list names, as a new contributor would add one."""
    package = tmp_path / "probe_commands"
    package.mkdir()
    (package / "__init__.py").write_text('"""Commands added later."""\n', encoding="utf-8")
    (package / "ping.py").write_text(PROBE, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        yield "probe_commands"
    finally:
        sys.path.remove(str(tmp_path))
        COMMANDS.pop("probeping", None)
        for name in [m for m in sys.modules if m.split(".")[0] == "probe_commands"]:
            del sys.modules[name]


def test_a_new_module_of_commands_is_found_without_being_listed(probe_package: str) -> None:
    assert find("probeping") is None
    load_all(importlib.import_module(probe_package))
    found = find("probeping")
    assert found is not None and found.group == "team" and found.samples == ("",)
    assert found.fn(None, "hi").text == "pong hi"  # type: ignore[arg-type]


def test_the_table_keeps_one_order_whatever_order_modules_load_in(probe_package: str) -> None:
    load_all(importlib.import_module(probe_package))  # loaded after every listed command
    names = list(COMMANDS)
    assert names[:len(LIST_ORDER)] == list(LIST_ORDER)  # every listed name is a command
    assert names[-1] == "probeping"  # a command not listed comes after the listed ones


def test_modules_no_other_module_imports_register_their_commands() -> None:
    # The dispatcher names no module of commands; these are imported by load_all() alone.
    modules = {c.fn.__module__ for c in COMMANDS.values()}
    assert {"handlers.leads", "handlers.export", "handlers.spend", "handlers.team"} <= modules


def test_one_name_is_one_command() -> None:
    with pytest.raises(ValueError, match="/lead is registered twice"):
        command("lead", group="sales")(lambda ctx, text: Reply(""))
    with pytest.raises(ValueError, match="/link is registered twice"):
        command("linkage", group="team", aliases=("link",))(lambda ctx, text: Reply(""))
    assert "linkage" not in COMMANDS and ALIASES["link"] == "start"
