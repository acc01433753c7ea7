"""Which of the reader's records a sentence names: customers, contacts, deals and leads.

The sentence's words (Chinese words as jieba cuts them, English words of three letters or more)
are looked up in the `/find` index, only among the records the reader may see; an English word
found nowhere is looked up by its first letters and compared with rapidfuzz, so a typo still
finds its record. Each record found is scored by how much of its name the sentence says: the
longest run of the name found in the sentence (华为 is half of 华为技术, and all of 北京华为技术's
trade name 华为, the name without the city and the line of business), or for English names the
share of their words said, each allowing a typo. Words every company has (科技, 集团) name none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from rapidfuzz import fuzz

from domain.errors import InvalidInput
from domain.names import normalise_company, trade_name
from domain.references import Ref, parse_ref
from domain.search import Token
from handlers.context import Ctx
from handlers.sentences import words as w
from handlers.sentences.reading import Reading, Span

LOOKUPS = 10  # words looked up per sentence
ROWS = 15  # records taken per word
TYPO = 80  # rapidfuzz ratio from which an English word is the same word with a typo
GENERIC = frozenset(str.split("""
科技 集团 公司 技术 有限 有限公司 银行 证券 电器 汽车 股份 控股 国际 中国
信息 网络 软件 实业 贸易 项目 平台 系统 门店 升级 采购
"""))
_REF_RE = re.compile(r"(?<![A-Za-z0-9])(?:INV-\d{4}-\d+|[LADCQO]-?\d{1,9})(?![A-Za-z0-9])", re.I)


@dataclass(frozen=True)
class Record:
    """A record the sentence names, with how well (0..1) and where."""

    kind: str
    id: int
    name: str
    score: float
    span: Span | None
    customer_id: int | None = None
    open: bool = True


@dataclass
class Mentions:
    """The records a sentence names, best first per kind; `refs` were typed as references."""

    customers: list[Record] = field(default_factory=list)
    deals: list[Record] = field(default_factory=list)
    contacts: list[Record] = field(default_factory=list)
    leads: list[Record] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)


def _ascii_words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z0-9&'-]{2,}", text)


def _lookup_words(reading: Reading) -> list[str]:
    """The words to look up: the sentence without its dates, amounts and intent words."""
    taken = [(s.start, s.end) for s in (*reading.spans, reading.keyword) if s is not None]
    blank = "".join(" " if any(a <= i < b for a, b in taken) else ch
                    for i, ch in enumerate(reading.plain))
    found: list[str] = []
    for word in w.segments(blank):
        if len(word) >= 2 and re.search(r"[\u4e00-\u9fff]", word) and word not in w.NOT_NAMES \
                and word not in GENERIC:
            found.append(word)
            if len(word) >= 3 and word[:2] not in w.NOT_NAMES and word[:2] not in GENERIC:
                found.append(word[:2])  # 美团输 (as jieba may cut it) still finds 美团
    for match in re.finditer(r"[a-z][a-z0-9&'-]{2,}", reading.plain):
        inside = any(a <= match.start() < b for a, b in taken)
        if not inside and match.group(0) not in w.NOT_NAMES:
            found.append(match.group(0))
    return list(dict.fromkeys(found))[:LOOKUPS]


def _longest_run(name: str, text: str) -> tuple[int, int]:
    """(length, start in text) of the longest run of `name` found in `text`."""
    match = SequenceMatcher(None, name, text, autojunk=False).find_longest_match(
        0, len(name), 0, len(text))
    return match.size, match.b


def score(name: str, reading: Reading) -> tuple[float, Span | None]:
    """How much of a record's name the sentence says, and where (see the module docstring)."""
    key = normalise_company(name) or w.plain(name)
    compact = key.replace(" ", "")
    if not compact:
        return 0.0, None
    best, span = 0.0, None
    for part in dict.fromkeys((key, trade_name(key))):  # 北京星辰科技 is called 星辰
        size, start = _longest_run(part, reading.plain)
        run = reading.plain[start:start + size].strip()
        whole = len(part.replace(" ", ""))
        if size >= 2 and run not in GENERIC and not (run.isascii() and size < 3) \
                and len(run.replace(" ", "")) / whole > best:
            best, span = min(1.0, len(run.replace(" ", "")) / whole), Span(start, start + size)
    names = key.split()
    if all(n.isascii() for n in names):
        said = _ascii_words(reading.plain)
        hits = [n for n in names if any(s == n or len(n) >= 4 and len(s) >= 4
                                        and fuzz.ratio(s, n) >= TYPO for s in said)]
        share = len(hits) / len(names)
        if share > best:
            best = share
            first = next((m for m in re.finditer(r"[a-z][a-z0-9&'-]*", reading.plain)
                          if any(fuzz.ratio(m.group(0), n) >= TYPO for n in hits)), None)
            span = Span(*first.span()) if first else span
    return best, span


def _rows(ctx: Ctx, word: str) -> list[dict[str, Any]]:
    owner_id, team = ctx.user.read_filters()
    found = ctx.uow.queries.find([Token(word)], owner_id=owner_id, team=team, page=1,
                                 per_page=ROWS).rows
    if found or not word.isascii() or len(word) < 5:
        return found
    near = ctx.uow.queries.find([Token(word[:3])], owner_id=owner_id, team=team, page=1,
                                per_page=ROWS * 2).rows
    return [row for row in near
            if any(fuzz.ratio(word, part) >= TYPO
                   for part in (normalise_company(row["name"] or "") or "").split())]


def mentioned(ctx: Ctx, reading: Reading) -> Mentions:
    """The records the sentence names (see the module docstring)."""
    mentions = Mentions()
    for match in _REF_RE.finditer(reading.text):
        try:
            mentions.refs.append(parse_ref(match.group(0)))
        except InvalidInput:  # a word that only looks like a reference
            continue
    seen: set[tuple[str, int]] = set()
    for word in _lookup_words(reading):
        for row in _rows(ctx, word):
            key = (row["kind"], row["id"])
            if key in seen:
                continue
            seen.add(key)
            value, span = score(row["name"] or "", reading)
            if value < 0.5:
                continue
            record = Record(row["kind"], row["id"], row["name"], value, span,
                            customer_id=row.get("customer_id"),
                            open=row.get("deal_status") in (None, "open")
                            and row.get("lead_status") in (None, "new"))
            if record.kind == "lead" and not record.open:
                continue
            {"customer": mentions.customers, "deal": mentions.deals,
             "contact": mentions.contacts, "lead": mentions.leads}[record.kind].append(record)
    for found in (mentions.customers, mentions.deals, mentions.contacts, mentions.leads):
        found.sort(key=lambda r: (-r.score, r.id))
    return mentions


def best(records: list[Record], margin: float = 0.1) -> list[Record]:
    """The records that score (nearly) as well as the best one."""
    if not records:
        return []
    top = records[0].score
    return [r for r in records if r.score >= top - margin + 1e-9]


def contacts_of(ctx: Ctx, reading: Reading, customer_ids: list[int],
                least: float = 0.75) -> list[Record]:
    """The named customers' contacts whose names the sentence says (阿里张总: 张总)."""
    found = []
    for customer_id in customer_ids[:3]:
        for person in ctx.uow.contacts.of_customer(customer_id):
            value, span = score(person.name, reading)
            if value >= least and person.id is not None:
                found.append(Record("contact", person.id, person.name, value, span,
                                    customer_id=customer_id))
    return sorted(found, key=lambda r: (-r.score, r.id))
