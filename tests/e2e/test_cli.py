"""The real entry point, `python -m bot`, run as a separate process on a fresh SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from bot.config import load_settings
from handlers.i18n import Translator
from storage.database import alembic_config, make_engine
from storage.tables import metadata, users

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_CONFIG = ROOT / "config.toml"


def run_bot(tmp_path: Path, *args: str, stdin: str = "",
            config: Path = SHIPPED_CONFIG) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LTC_DATABASE_URL": f"sqlite:///{tmp_path / 'ltc.db'}",
           "LTC_CONFIG": str(config), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def company_translator() -> Translator:
    """The shipped company's language: what the CLI speaks before anyone chose one."""
    settings = load_settings(SHIPPED_CONFIG, env={})
    return Translator(settings.locale, settings.timezone)


def test_console_on_an_empty_database_makes_the_first_user_admin_and_answers_help(
    tmp_path: Path,
) -> None:
    done = run_bot(tmp_path, "console", "--as", "alice", stdin="/help\n")
    assert done.returncode == 0, done.stderr
    t = company_translator()
    assert t("console.bootstrapped", username="alice") in done.stdout
    assert t("help.title", role=t("role.admin")) in done.stdout
    assert "/invite" in done.stdout  # admins are shown the admin commands
    engine = make_engine(f"sqlite:///{tmp_path / 'ltc.db'}")
    with engine.connect() as conn:
        assert conn.execute(select(users.c.username, users.c.role)).all() == [("alice", "admin")]
    engine.dispose()


def test_users_add_then_list_shows_the_new_user(tmp_path: Path) -> None:
    added = run_bot(tmp_path, "users", "add", "bob", "--role", "rep", "--locale", "en")
    assert added.returncode == 0, added.stderr
    t = Translator("en")  # the language asked for, not the company's
    assert t("cli.user_added", username="bob", role=t("role.rep")) in added.stdout

    listed = run_bot(tmp_path, "users", "list")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert ["bob", "rep", "-", "en", "Asia/Shanghai", "bob"] in rows


def test_migrate_succeeds_twice_and_leaves_every_table(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'ltc.db'}")
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    for _ in range(2):
        done = run_bot(tmp_path, "migrate")
        assert done.returncode == 0, done.stderr
        with engine.connect() as conn:
            assert set(metadata.tables) <= set(inspect(conn).get_table_names())
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            assert set(versions) == heads
    engine.dispose()


def test_bad_config_file_exits_with_2_and_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[company]\nname = "Acme"\n\n[quotes]\napproval_discont = 15\n',
                   encoding="utf-8")
    done = run_bot(tmp_path, "migrate", config=bad)
    assert done.returncode == 2
    assert "quotes.approval_discont" in done.stderr and str(bad) in done.stderr
    assert "approval_discount" in done.stderr  # the setting it was probably meant to be
    assert not (tmp_path / "ltc.db").exists()  # nothing was touched
