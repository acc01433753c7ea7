"""Reference numbers of every kind: how each is printed (L-12, A-5, INV-2026-0007) and read back.

A record's number is its kind's letter and its id; invoices and credit notes carry a series,
the year of their date and a gapless sequence instead. This is the one place that knows the
letters, so a new kind of record gets its number here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from domain.errors import InvalidInput

# Kind -> the letter its numbers start with.
PREFIX = {"lead": "L", "customer": "A", "contact": "C", "deal": "D", "quote": "Q",
          "order": "O", "payment": "P", "reminder": "R"}
_KIND_OF = {letter: kind for kind, letter in PREFIX.items()}
# One number of each kind, for messages that show how a reference is written.
EXAMPLE = {"lead": "L-12", "customer": "A-5", "contact": "C-3", "deal": "D-7", "quote": "Q-3",
           "order": "O-3", "invoice": "INV-2026-0007", "payment": "P-9", "reminder": "R-4"}

_DASH = "[-‐‑–—]"
_REF_RE = re.compile(rf"^(?P<prefix>[{''.join(_KIND_OF)}]){_DASH}?(?P<id>\d{{1,18}})$")
_INVOICE_RE = re.compile(rf"^INV{_DASH}?(?P<year>\d{{4}}){_DASH}(?P<seq>\d{{1,18}})$")


def reference(kind: str, id_: int | None) -> str:
    """The number as printed: ("contact", 3) -> "C-3"."""
    return f"{PREFIX[kind]}-{id_}"


def document_number(series: str, year: int, seq: int) -> str:
    """INV-2026-0007: the series, the year of the document's date, a gapless sequence."""
    return f"{series}-{year}-{seq:04d}"


@dataclass(frozen=True)
class Ref:
    """A reference read from text: its kind, its id (0 for invoices) and its canonical number."""

    kind: str
    id: int
    number: str


def parse_ref(text: str) -> Ref:
    """Read a reference such as "L-12", "l12" or "inv-2026-7" into its canonical form."""
    cleaned = unicodedata.normalize("NFKC", text).strip().upper()
    match = _INVOICE_RE.match(cleaned)
    if match:
        seq = int(match.group("seq"))
        if seq > 0:
            return Ref("invoice", 0, document_number("INV", int(match.group("year")), seq))
    match = _REF_RE.match(cleaned)
    if match:
        kind, ident = _KIND_OF[match.group("prefix")], int(match.group("id"))
        if ident > 0:
            return Ref(kind, ident, reference(kind, ident))
    raise InvalidInput("parse.ref", value=text)


_CREDIT_NOTE_RE = re.compile(rf"^CN{_DASH}?(?P<year>\d{{4}}){_DASH}(?P<seq>\d{{1,18}})$")


def parse_credit_note(text: str) -> str | None:
    """"cn-2026-7" -> "CN-2026-0007"; None when the text is no credit note's number."""
    match = _CREDIT_NOTE_RE.match(unicodedata.normalize("NFKC", text).strip().upper())
    if match is None or int(match.group("seq")) == 0:
        return None
    return document_number("CN", int(match.group("year")), int(match.group("seq")))


def looks_like_ref(text: str) -> bool:
    """True when `text` reads as a record reference."""
    try:
        parse_ref(text)
    except InvalidInput:
        return False
    return True
