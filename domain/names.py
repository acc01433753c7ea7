"""Company-name normalisation and similarity.

So "阿里巴巴（中国）有限公司" is seen as "阿里巴巴", "ACME Limited" as "Acme Ltd" and
"華為技術" (traditional characters) as "华为技术".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import opencc
from rapidfuzz import fuzz, process, utils


@dataclass(frozen=True)
class NameMatch:
    """A lead or customer whose normalised name resembles the one asked about."""

    kind: str  # "lead" or "customer"
    id: int
    name: str
    score: float


# Legal-form and filler words that say nothing about which company it is.
_SUFFIXES_ZH = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司", "集团公司",
    "集团", "公司", "分公司", "工作室", "中国", "中国区",
)
_WORDS_EN = {
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation",
    "co", "company", "gmbh", "ag", "sa", "sarl", "bv", "nv", "pte", "pty", "group",
    "holdings", "holding", "the", "and", "international", "intl",
}
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters written as simplified ones (華為 -> 华为); the rest kept."""
    if text.isascii():
        return text
    converted: str = _converter().convert(text)
    return converted


@lru_cache(maxsize=8192)  # an import compares each row's name several times
def normalise_company(name: str) -> str:
    """A key for comparing company names: width-folded, simplified script, lower-case, legal
    forms removed."""
    text = to_simplified(unicodedata.normalize("NFKC", name)).lower()
    text = _BRACKETED.sub(" ", text)
    changed = True
    while changed:
        changed = False
        stripped = text.strip()
        for suffix in _SUFFIXES_ZH:
            if stripped.endswith(suffix) and len(stripped) > len(suffix):
                text = stripped[: -len(suffix)]
                changed = True
                break
    words = [w for w in _PUNCT.sub(" ", text).split() if w not in _WORDS_EN]
    key = " ".join(words).strip()
    return key or to_simplified(unicodedata.normalize("NFKC", name)).strip().lower()


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def fragments(name_key: str, limit: int = 8) -> list[str]:
    """Short pieces a look-alike name would share: word prefixes, or CJK character pairs.

    Storage uses them to narrow the candidates in SQL before the fuzzy scoring.
    """
    found: list[str] = []
    for word in name_key.split():
        if any(_is_cjk(ch) for ch in word):
            pairs = [word[i:i + 2] for i in range(len(word) - 1)] or [word]
            found += pairs
        else:
            found.append(word[:3])
    unique = list(dict.fromkeys(f for f in found if f))
    return unique[:limit]


def similar_names(
    name_key: str, candidates: Iterable[tuple[str, int, str, str]], threshold: float, limit: int = 5
) -> list[NameMatch]:
    """Candidates (kind, id, key, display name) scoring at least `threshold` against the key."""
    rows = list(candidates)
    if not rows:
        return []
    found = process.extract(
        name_key,
        [row[2] for row in rows],
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=threshold,
        limit=limit,
    )
    return [
        NameMatch(kind=rows[i][0], id=rows[i][1], name=rows[i][3], score=score)
        for _key, score, i in found
    ]
