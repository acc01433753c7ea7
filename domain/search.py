"""What /find compares: the search terms a record is filed under, and the tokens of a query.

A record is filed under short normalised terms, so storage answers a search with index range
scans ("starts with") and never reads rows to compare them:

- a name (company, person, deal title) under each word of its normalised key
  (`names.normalise_company`: width-folded, lower case, legal forms dropped); a run of Chinese
  characters under each of its tails, so that 华为 finds 北京华为技术 by "starts with";
- a phone under its digit key (`contact_points.phone_key`) and, reversed, under a tail term,
  so the last digits of a number find it too;
- an e-mail address under its key and under its domain.

A query is cut the same way into tokens; a record matches when every token starts one of its
terms. Exact terms rank above beginnings, phones and addresses above names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from domain.contact_points import email_key, looks_like_phone, phone_key
from domain.errors import InvalidInput
from domain.names import normalise_company

NAME, PHONE, TAIL, EMAIL = "name", "phone", "tail", "email"
MAX_TERM = 64
MAX_RUN = 24  # the tails of a longer run of Chinese characters start within its first 24
MIN_TOKEN = 2
MIN_DIGITS = 3
MAX_TOKENS = 5
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")  # acme.com: an e-mail address's domain

Term = tuple[str, str]  # (field, term)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _name_words(text: str) -> list[str]:
    return normalise_company(text).split()


def name_terms(name: str | None) -> set[Term]:
    """Each word of the normalised name; each tail (2 characters or more) of a Chinese word."""
    terms: set[Term] = set()
    for word in _name_words(name or ""):
        terms.add((NAME, word[:MAX_TERM]))
        if any(_is_cjk(ch) for ch in word):
            for start in range(1, min(len(word) - 1, MAX_RUN)):
                terms.add((NAME, word[start:start + MAX_TERM]))
    return terms


def phone_terms(phone: str | None) -> set[Term]:
    key = phone_key(phone or "")
    if not key:
        return set()
    return {(PHONE, key[:MAX_TERM]), (TAIL, key[::-1][:MAX_TERM])}


def email_terms(email: str | None) -> set[Term]:
    key = email_key(email or "")
    if not key:
        return set()
    terms = {(EMAIL, key[:MAX_TERM])}
    _, _, domain = key.partition("@")
    if domain:
        terms.add((EMAIL, domain[:MAX_TERM]))
    return terms


def record_terms(names: Iterable[str | None] = (), phones: Iterable[str | None] = (),
                 emails: Iterable[str | None] = ()) -> set[Term]:
    """Every term a record with these names, phones and e-mail addresses is filed under."""
    terms: set[Term] = set()
    for name in names:
        terms |= name_terms(name)
    for phone in phones:
        terms |= phone_terms(phone)
    for email in emails:
        terms |= email_terms(email)
    return terms


@dataclass(frozen=True)
class Token:
    """One part of a query: it matches a term starting with `prefix`, or a phone whose reversed
    digits start with `tail` (the number ends with the digits asked for)."""

    prefix: str
    tail: str | None = None


def query_tokens(text: str) -> list[Token]:
    """The tokens of a search text; refused when nothing long enough is left to look for."""
    cleaned = " ".join(text.split())
    if looks_like_phone(cleaned):
        key = phone_key(cleaned)
        if len(key) >= MIN_DIGITS:
            return [Token(key[:MAX_TERM], key[::-1][:MAX_TERM])]
    words: list[str] = []
    rest: list[str] = []
    for part in cleaned.split():
        if "@" in part:
            words.append(email_key(part))
        elif looks_like_phone(part):
            words.append(phone_key(part))
        elif _DOMAIN.match(part):
            words.append(email_key(part))
        else:
            rest.append(part)
    # The name words together, so "Acme Ltd" loses its legal form as a stored name does.
    words += _name_words(" ".join(rest)) if rest else []
    tokens = list(dict.fromkeys(w[:MAX_TERM] for w in words
                                if len(w) >= (MIN_DIGITS if w.isdigit() else MIN_TOKEN)))
    if not tokens:
        raise InvalidInput("find.too_short", value=text, min=MIN_TOKEN)
    return [Token(word) for word in tokens[:MAX_TOKENS]]
