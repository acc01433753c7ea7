"""The real entry point, `python -m bot`, run as a separate process on a fresh SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from bot.app import build_app
from bot.config import load_config
from bot.runtime import Runtime
from domain.model.users import Role
from domain.settings import Settings
from domain.users import add_user
from handlers.i18n import Translator
from storage.database import alembic_config, make_engine
from storage.tables import metadata, users
from tests.support import say

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
    settings = load_config(SHIPPED_CONFIG, env={}).settings
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
    assert ["bob", "rep", "-", "en", "Asia/Shanghai", "bob", "active"] in rows


def test_users_are_deactivated_moved_and_handed_over_from_the_command_line(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ltc.db'}"
    app = build_app(Settings(locale="en"), Runtime(database_url=url))
    with app.uow() as uow:
        for name in ("li", "wang"):
            add_user(uow, name, Role.REP, app.dispatcher.clock(), team="east", locale="en",
                     timezone="Asia/Shanghai")
        uow.commit()
    for line in ("/lead Acme", "/qualify L-1 amount=5k", "/lead Globex"):
        assert say(app, "li", line).ok, line
    t = company_translator()
    done = run_bot(tmp_path, "users", "deactivate", "li")
    assert done.returncode == 0, done.stderr
    assert t("users.deactivated", username="li", name="li") in done.stdout
    assert "A-1, D-1, L-2" in done.stdout
    assert say(app, "li", "/leads").text == Translator("en")("error.deactivated")
    handed = run_bot(tmp_path, "users", "handover", "li", "wang")
    assert handed.returncode == 0, handed.stderr
    assert "A-1, D-1, L-2" in handed.stdout
    moved = run_bot(tmp_path, "users", "team", "wang", "west")
    assert t("users.team_set", username="wang", team="west", moved=3) in moved.stdout
    rows = {line.split("\t")[0]: line.split("\t")
            for line in run_bot(tmp_path, "users", "list").stdout.splitlines()}
    assert rows["li"][-1] == "inactive"
    assert (rows["wang"][2], rows["wang"][-1]) == ("west", "active")
    with app.engine.connect() as conn:
        owners = conn.execute(text("SELECT DISTINCT owner_id FROM deals")).scalars().all()
        wang = conn.execute(select(users.c.id).where(users.c.username == "wang")).scalar_one()
        told = conn.execute(text("SELECT recipient FROM outbox WHERE key = 'notify.assigned'")
                            ).scalars().all()
        terms = conn.execute(text("SELECT count(*) FROM search_terms")).scalar_one()
    app.close()
    assert owners == [wang] and told == [str(wang)]
    reindexed = run_bot(tmp_path, "reindex")
    assert reindexed.returncode == 0 and reindexed.stdout.strip() == f"search terms: {terms}"


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
