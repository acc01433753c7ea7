"""Every message key the code can show has English and Chinese text with the same placeholders.

Keys are collected from the source (calls of `t`, the domain error classes, `need`), plus the
keys built at run time (role.<role>, help.<command>.usage, notify.*, ...), and looked up in
every catalog under locales/<locale>/LC_MESSAGES/.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import domain
from domain.errors import DomainError
from domain.model.activities import ActivityKind
from domain.model.leads import LeadStatus
from domain.model.quotes import QuoteStatus
from domain.model.users import Role
from domain.plans import Trigger
from handlers import dispatch  # noqa: F401  (registers every command)
from handlers.commands import COMMANDS
from handlers.i18n import LOCALES, catalog_paths

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("domain", "handlers", "bot")
NOTIFICATION_SOURCES = ("domain",)
KEY_LIKE = re.compile(r"^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+$")


def _error_classes() -> set[str]:
    """DomainError and every subclass the domain defines (InvalidInput, NotFound, ...)."""
    for module in pkgutil.iter_modules(domain.__path__):
        importlib.import_module(f"domain.{module.name}")
    found: set[str] = set()
    pending: list[type] = [DomainError]
    while pending:
        cls = pending.pop()
        found.add(cls.__name__)
        pending += cls.__subclasses__()
    return found


def _keywords() -> dict[str, tuple[int, ...] | None]:
    """Babel keywords: `t(key)`, `SomeError(key)` take the key first, `need(value, key)` second."""
    keywords: dict[str, tuple[int, ...] | None] = {"t": None, "need": (2,)}
    keywords.update((name, None) for name in _error_classes())
    return keywords


def _source_keys() -> dict[str, set[str]]:
    """Key -> the places ("handlers/leads.py:51") that use it literally."""
    used: dict[str, set[str]] = {}
    for directory in SOURCE_DIRS:
        for filename, line, message, _comments, _context in extract_from_dir(
            ROOT / directory, keywords=_keywords(), comment_tags=()
        ):
            texts = message if isinstance(message, tuple) else (message,)
            for text in texts:
                if text and KEY_LIKE.match(text):
                    used.setdefault(text, set()).add(f"{directory}/{filename}:{line}")
    return used


def _notify_keys() -> dict[str, set[str]]:
    """String literals "notify.*" in the domain: the messages the notification policy sends."""
    found: dict[str, set[str]] = {}
    for directory in NOTIFICATION_SOURCES:
        for path in sorted((ROOT / directory).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            # Pieces of f-strings are not whole keys.
            pieces = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                      for v in node.values}
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and id(node) not in pieces and node.value.startswith("notify.")
                        and KEY_LIKE.match(node.value)):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(node.value, set()).add(where)
    return found


def _runtime_keys() -> dict[str, set[str]]:
    """Keys the code builds from values: enum members, command names, groups."""
    built: dict[str, set[str]] = {}

    def add(key: str, why: str) -> None:
        built.setdefault(key, set()).add(why)

    for role in Role:
        add(f"role.{role}", "role.<Role>")
    for lead_status in LeadStatus:
        add(f"lead.status.{lead_status}", "lead.status.<LeadStatus>")
    for closed in ("won", "lost"):
        add(f"deal.status.{closed}", "deal.status.won/lost")
    for quote_status in QuoteStatus:
        add(f"quote.status.{quote_status}", "quote.status.<QuoteStatus>")
    for kind in ActivityKind:
        add(f"activity.kind.{kind}", "activity.kind.<ActivityKind>")
    for trigger in Trigger:
        add(f"plan.trigger.{trigger}", "plan.trigger.<Trigger>")
    for record in ("lead", "customer"):
        add(f"kind.{record}", "kind.<lead|customer>")
    for command in COMMANDS.values():
        add(command.summary_key, f"/{command.name} help")
        add(command.usage_key, f"/{command.name} help")
        add(f"help.group.{command.group}", f"/{command.name} group")
    for key, places in _notify_keys().items():
        built.setdefault(key, set()).update(places)
    return built


@cache
def used_keys() -> dict[str, frozenset[str]]:
    everything: dict[str, set[str]] = {}
    for source in (_source_keys(), _runtime_keys()):
        for key, places in source.items():
            everything.setdefault(key, set()).update(places)
    return {key: frozenset(places) for key, places in everything.items()}


@cache
def catalog(locale: str) -> dict[str, Message]:
    """All entries of the locale's .po files, by key."""
    entries: dict[str, Message] = {}
    for path in catalog_paths(locale):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id:
                    entries[str(message.id)] = message
    return entries


def _text(message: Message | None) -> str:
    if message is None or not isinstance(message.string, str):
        return ""
    return message.string.strip()


def _placeholders(text: str) -> set[str]:
    names = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            names.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    return names


def _listing(problems: Iterator[str] | list[str]) -> str:
    return "\n  ".join(sorted(problems))


def test_key_collection_finds_keys_of_every_kind() -> None:
    keys = used_keys()
    assert "lead.created" in keys  # ctx.t("lead.created", ...)
    assert "lead.no_company" in keys  # need(value, "lead.no_company", usage)
    assert "access.role" in keys  # Forbidden("access.role", ...)
    assert "parse.amount" in keys  # InvalidInput("parse.amount", ...)
    assert "help.lead.usage" in keys and "help.group.sales" in keys
    assert "quote.status.pending_approval" in keys
    assert "notify.deal_won" in keys


def test_every_key_the_code_uses_has_english_and_chinese_text() -> None:
    missing = [
        f"{key} [{locale}] used at {', '.join(sorted(places))}"
        for key, places in used_keys().items()
        for locale in LOCALES
        if not _text(catalog(locale).get(key))
    ]
    assert not missing, f"{len(missing)} keys without text:\n  {_listing(missing)}"


def test_both_catalogs_hold_the_same_keys() -> None:
    en, zh = (set(catalog(locale)) for locale in LOCALES)
    assert en == zh, (f"only in {LOCALES[0]}: {sorted(en - zh)}; "
                      f"only in {LOCALES[1]}: {sorted(zh - en)}")


def test_english_and_chinese_texts_use_the_same_placeholders() -> None:
    english, chinese = (catalog(locale) for locale in LOCALES)
    different = []
    for key in sorted(set(english) & set(chinese)):
        try:
            en_names, zh_names = _placeholders(_text(english[key])), _placeholders(
                _text(chinese[key]))
        except ValueError as error:
            different.append(f"{key}: not a valid format string ({error})")
            continue
        if en_names != zh_names:
            different.append(f"{key}: en {sorted(en_names)} / zh {sorted(zh_names)}")
    assert not different, f"placeholders differ:\n  {_listing(different)}"


def test_no_catalog_entry_is_fuzzy() -> None:
    fuzzy = [f"{key} [{locale}]" for locale in LOCALES
             for key, message in catalog(locale).items() if message.fuzzy]
    assert not fuzzy, f"fuzzy entries:\n  {_listing(fuzzy)}"


def test_no_key_is_defined_in_two_catalog_files() -> None:
    for locale in LOCALES:
        owner: dict[str, str] = {}
        twice = []
        for path in catalog_paths(locale):
            with path.open("rb") as po:
                for message in read_po(po, locale=locale):
                    if not message.id:
                        continue
                    if message.id in owner:
                        twice.append(f"{message.id}: {owner[message.id]} and {path.name}")
                    owner[str(message.id)] = path.name
        assert not twice, f"{locale}: keys in two files:\n" + "\n".join(twice)


_COUNTS = {"count", "rows", "deals", "leads", "customers", "reminders", "moved", "activities",
           "answered"}


def test_no_english_text_counts_one_thing_in_the_plural() -> None:
    """"1 records", "1 open reminders": a count is written so that it reads for one too."""
    english = catalog("en")
    wrong = []
    for key, message in sorted(english.items()):
        text = _text(message)
        try:
            names = _placeholders(text)
        except ValueError:
            continue
        for count in _COUNTS & names:
            filled = text.replace("{" + count + "}", "1")
            found = re.search(r"\b1 (?:[a-z]+ )?[a-z]+s\b", filled)
            if found and not found.group(0).endswith("ss"):
                wrong.append(f"{key}: {found.group(0)!r} in {text!r}")
    assert not wrong, f"plural after one:\n  {_listing(wrong)}"
