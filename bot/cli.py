"""`python -m bot`: console chat, user administration, migrations, the doors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

from bot.app import App, build_app
from bot.config import Config, ConfigError, load_config
from bot.console import ConsoleSender, default_username, run_console
from bot.delivery import Sender
from bot.doors import DoorError, Secrets, run_doors, senders
from bot.jobs import Jobs
from bot.logs import LogLevelError, configure_logging
from bot.metrics import exposition, use_directory
from bot.product_file import FileProblem, read_rows
from domain.assignment import change_team, hand_over, open_records
from domain.errors import DomainError, NotFound, StorageUnavailable
from domain.model.users import Role, User, check_timezone, parse_locale, parse_role
from domain.notifications import queue_notifications
from domain.products import ProductRow, import_products
from domain.users import add_user, set_active, set_role
from handlers.dispatch import Handled
from handlers.i18n import Translator
from handlers.imports import kind_of, report_text, run_file
from handlers.references import ref_of
from storage import search_index
from storage.failures import translated
from storage.unit_of_work import SqlUnitOfWork

EXIT_UNAVAILABLE = 3  # the database could not be reached


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot",
                                     description="ltcbot: Lead-to-Cash in chat")
    parser.add_argument("--config", help="config file (default: $LTC_CONFIG or ./config.toml)")
    sub = parser.add_subparsers(dest="command")

    console = sub.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument("--as", dest="username", help="act as this user (default: you)")

    users = sub.add_parser("users", help="add or list users")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True,
                     help="rep, manager, finance, admin or customer (with --customer)")
    add.add_argument("--team")
    add.add_argument("--name", help="display name")
    add.add_argument("--locale", help="en or zh (zh_Hans_CN); the answer is in that language")
    add.add_argument("--tz", help="time zone, e.g. Asia/Shanghai")
    add.add_argument("--customer", help="with --role customer: the customer account, A-n")
    users_sub.add_parser("list", help="list users")
    for action, what in (("deactivate", "refuse a person who left (their records stay)"),
                         ("activate", "take a person back")):
        users_sub.add_parser(action, help=what).add_argument("username")
    role = users_sub.add_parser("role", help="give a user another role")
    role.add_argument("username")
    role.add_argument("role", help="rep, manager, finance or admin")
    team = users_sub.add_parser("team", help="move a user (and their open records) to a team")
    team.add_argument("username")
    team.add_argument("team", help="the team, or - for none")
    handover = users_sub.add_parser("handover", help="give everything open of one user to another")
    handover.add_argument("giver")
    handover.add_argument("taker")

    bring = sub.add_parser("import", help="import leads, customers, contacts or open invoices "
                           "from a CSV (UTF-8 or GBK) or .xlsx file")
    bring.add_argument("kind", help="leads, customers, contacts or invoices")
    bring.add_argument("file", help="the spreadsheet")
    bring.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    bring.add_argument("--as", dest="as_user", help="the user who imports (default: the "
                       "first active admin); imported leads go by that user's rules")
    bring.add_argument("--merge", action="store_true",
                       help="fill in records already on file instead of skipping them")
    products = sub.add_parser("products", help="the price list")
    products_sub = products.add_subparsers(dest="products_command", required=True)
    load = products_sub.add_parser(
        "import", help="add or update products from a CSV (UTF-8 or GBK) or .xlsx file")
    load.add_argument("file")

    sub.add_parser("migrate", help="bring the database schema up to date")
    sub.add_parser("reindex", help="file every record again under its search terms "
                                   "(after a change to how names, phones or e-mail compare)")
    run = sub.add_parser("run", help="start every door whose secrets are set (console if none)")
    run.add_argument("--as", dest="username", help="with no door secrets: the console user")
    tick = sub.add_parser("tick", help="run every job that is due now (or --at) once, and exit")
    tick.add_argument("--at", help="the time to run as, e.g. 2026-12-01T09:00 (company time)")
    sub.add_parser("stats", help="print the metrics (Prometheus text format) and exit")
    return parser


def door_senders(app: App) -> list[Sender]:
    """Senders of the chat doors whose secrets are set."""
    return senders(app, Secrets.from_env())


def _change_user(uow: SqlUnitOfWork, t: Translator, args: argparse.Namespace) -> list[str]:
    """Deactivate, activate, change role or team, or hand over; returns what to print."""
    action = args.users_command
    if action in ("deactivate", "activate"):
        user = set_active(uow, None, args.username, action == "activate")
        if action == "activate":
            return [t("users.activated", username=user.username, name=user.display_name)]
        lines = [t("users.deactivated", username=user.username, name=user.display_name)]
        held = open_records(uow, user)
        if not held.empty:
            lines += [t("users.open_records", customers=len(held.customers),
                        deals=len(held.deals), leads=len(held.leads),
                        reminders=len(held.reminders), refs=", ".join(held.refs[:20]) or "—"),
                      t("cli.hand_over_how", username=user.username)]
        return lines
    if action == "role":
        user = set_role(uow, None, args.username, parse_role(args.role))
        return [t("users.role_set", username=user.username, role=t(f"role.{user.role}"))]
    if action == "team":
        user, moved = change_team(uow, None, args.username, args.team)
        return [t("users.team_set", username=user.username, team=user.team or "—",
                  moved=moved)]
    done = hand_over(uow, None, args.giver, args.taker)
    return [t("handover.done", giver=args.giver, to=done.to.display_name, count=len(done.refs),
              refs=", ".join(done.refs[:20]) or "—")]


def _users(app: App, args: argparse.Namespace) -> int:
    t = Translator(app.settings.locale, app.settings.timezone, app.settings)
    if args.users_command == "list":
        with app.uow() as uow:
            for row in uow.queries.users():
                state = "active" if row["active"] else "inactive"
                print(f"{row['username']}\t{row['role']}\t{row['team'] or '-'}\t"
                      f"{row['locale']}\t{row['timezone']}\t{row['display_name']}\t{state}")
        return 0
    now = app.dispatcher.clock()
    try:
        with app.uow() as uow:
            uow.action = f"users {args.users_command}"
            if args.users_command != "add":
                lines = _change_user(uow, t, args)
                if args.users_command == "handover":
                    queue_notifications(uow, app.settings, now)
                uow.commit()
                print("\n".join(lines))
                return 0
            customer_id = ref_of(args.customer, "customer").id if args.customer else None
            user = add_user(
                uow, args.username, parse_role(args.role), now,
                display_name=args.name, team=args.team,
                locale=parse_locale(args.locale) if args.locale else app.settings.locale,
                timezone=check_timezone(args.tz or app.settings.timezone),
                customer_id=customer_id,
            )
            uow.commit()
    except DomainError as error:
        print(t(error.key, **error.params), file=sys.stderr)
        return 2
    # The new user's own language: the one the command asked for.
    t = Translator(user.locale, user.timezone, app.settings)
    print(t("cli.user_added", username=user.username, role=t(f"role.{user.role}")))
    return 0


def _products(app: App, args: argparse.Namespace) -> int:
    """`products import FILE`: every row checked first; nothing is written unless all are
    right."""
    t = Translator(app.settings.locale, app.settings.timezone, app.settings)
    try:
        rows = read_rows(Path(args.file), app.settings.currency)
    except FileProblem as problem:
        print(problem, file=sys.stderr)
        return 2
    except DomainError as refused:  # not a spreadsheet: its format, encoding or size
        print(t(refused.key, **refused.params), file=sys.stderr)
        return 2
    now = app.dispatcher.clock()
    read = [row for row in rows if isinstance(row, ProductRow)]
    errors = [row for row in rows if not isinstance(row, ProductRow)]
    with app.uow() as uow:
        uow.action = "products import"
        result = import_products(uow, read, now)
        errors = sorted(errors + result.errors, key=lambda pair: pair[0])
        if errors:
            for line, error in errors:
                print(t("cli.import_row", line=line, problem=t(error.key, **error.params)),
                      file=sys.stderr)
            print(t("cli.import_nothing", count=len(errors)), file=sys.stderr)
            return 2
        uow.commit()
    print(t("cli.import_done", added=len(result.added), updated=len(result.updated)))
    return 0


def _tick(app: App, args: argparse.Namespace) -> int:
    """Run the due jobs once at `--at` (company time) or now; print what was done."""
    clock = app.dispatcher.clock
    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            print(f"--at: not a time: {args.at!r}; write it like 2026-12-01T09:00", file=sys.stderr)
            return 2
        if at.tzinfo is None:
            at = at.replace(tzinfo=ZoneInfo(app.settings.timezone))
        at = at.astimezone(UTC)
        app.dispatcher.clock = clock = lambda: at
    deliverer = app.deliverer([ConsoleSender(sys.stdout), *door_senders(app)])
    report = Jobs(app, deliverer).tick(clock())
    d = report.delivered
    print(f"reminders queued: {report.reminders}; chasing messages: {report.dunning}; "
          f"pool warnings: {report.pool_warned}, taken back to the pool: "
          f"{report.pool_reclaimed}; digests: {report.digests}; "
          f"sent: {d.sent}, retrying: {d.failed}, parked: {d.parked}, "
          f"held for quiet hours: {d.deferred}")
    return 0


def _import(app: App, args: argparse.Namespace) -> int:
    """`import <kind> FILE`: the report in the importing user's language; 2 when refused."""
    t = Translator(app.settings.locale, app.settings.timezone, app.settings)
    now = app.dispatcher.clock()
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        print(t("import.no_such_file", path=args.file) + f" ({error.strerror})", file=sys.stderr)
        return 2
    try:
        with app.uow() as uow:
            actor = _importer(uow, args.as_user)
            t = Translator(actor.locale, actor.timezone, app.settings)
            uow.actor_id = actor.id
            uow.action = f"import {args.kind}"
            today = now.astimezone(ZoneInfo(actor.timezone)).date()
            report = run_file(uow, actor, kind_of(args.kind), Path(args.file).name, data,
                              app.settings, now, today, merge=args.merge,
                              dry_run=args.dry_run)
            if not args.dry_run:
                queue_notifications(uow, app.settings, now)
                uow.commit()
    except DomainError as error:
        print(t(error.key, **error.params), file=sys.stderr)
        return 2
    print(report_text(report, t))
    return 0


def _importer(uow: SqlUnitOfWork, username: str | None) -> User:
    if username:
        user = uow.users.by_username(username.lstrip("@"))
        if user is None or not user.active:
            raise NotFound("user.unknown", username=username)
        return user
    admins = uow.users.with_role(Role.ADMIN, None)
    if not admins:
        raise NotFound("import.no_admin")
    return admins[0]


def unreachable(config: Config, error: BaseException) -> str:
    """The message for an operator whose database cannot be reached: what it means in the
    company's language, then the cause in one line, never a traceback."""
    settings = config.settings
    t = Translator(settings.locale, settings.timezone, settings)
    where = make_url(config.runtime.database_url).render_as_string(hide_password=True)
    cause = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:300]
    return f"{t('ops.database_unavailable')}\n({where}: {cause})"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        # A server logs one line per command by default; a console (`run` with no chat token
        # among them) keeps its screen clean.
        server = args.command == "run" and Secrets.from_env().any_door
        configure_logging(os.environ, "INFO" if server else "WARNING")
    except LogLevelError as error:
        print(error, file=sys.stderr)
        return 2
    use_directory(os.environ)  # before the first metric: counters outlive the process
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        return _run(args, config)
    except DoorError as error:
        print(error, file=sys.stderr)
        return 2
    except Exception as error:
        if not isinstance(translated(error), StorageUnavailable):
            raise
        print(unreachable(config, error), file=sys.stderr)
        return EXIT_UNAVAILABLE


def _run(args: argparse.Namespace, config: Config) -> int:
    command = args.command or "console"
    app = build_app(config.settings, config.runtime)
    try:
        if command == "migrate":
            print("ok")
            return 0
        if command == "reindex":
            with app.engine.begin() as conn:
                print(f"search terms: {search_index.rebuild(conn)}")
            return 0
        if command == "users":
            return _users(app, args)
        if command == "products":
            return _products(app, args)
        if command == "tick":
            return _tick(app, args)
        if command == "import":
            return _import(app, args)
        if command == "stats":
            sys.stdout.write(exposition(app.engine, app.dispatcher.clock).decode("utf-8"))
            return 0
        username = getattr(args, "username", None) or default_username()
        interactive = sys.stdin.isatty()
        outages: list[Handled] = []

        def count_outage(handled: Handled) -> None:
            if handled.outcome == "unavailable":
                outages.append(handled)

        app.dispatcher.observers.append(count_outage)

        def console() -> None:
            run_console(app, username, sys.stdin, sys.stdout, interactive=interactive)

        if command == "run":
            run_doors(app, Secrets.from_env(), console)
            return 0
        console()
        return EXIT_UNAVAILABLE if outages else 0
    finally:
        app.close()
