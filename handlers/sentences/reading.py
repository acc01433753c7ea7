"""Reading one sentence: what it asks for (an intent) and the parts it says (a date, an amount,
a stage, a kind of activity, a payment method, a period), without looking anything up.

The grammar of dates, amounts, stages and payment methods is the commands' own
(`domain.dates`, `handlers.amounts`, the configured terms), so a sentence means what the same
words mean in a command. Which records a sentence names is decided in `records`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from domain.dates import When, split_when
from domain.errors import InvalidInput
from domain.money import Money
from domain.settings import Settings
from handlers.amounts import parse_amount
from handlers.periods import parse_period
from handlers.sentences import words as w

QUESTIONS = ("owes", "todo", "pipeline", "payments", "deal")


@dataclass(frozen=True)
class Span:
    """Where a part was said: [start, end) in the sentence."""

    start: int
    end: int


@dataclass
class Reading:
    """What a sentence says, before any record is looked up."""

    intent: str
    text: str  # the sentence as typed, without a leading "记一下" and trailing full stops
    plain: str  # the same in the form words are compared in (same length, same positions)
    kind: str = "note"
    when: When | None = None
    when_span: Span | None = None
    amount: Money | None = None
    stage: str | None = None
    keyword: Span | None = None  # the words that gave the intent away ("丢了", "lost")
    method: str | None = None
    bank_ref: str | None = None
    paid_on: date | None = None
    scope: str | None = None
    period: str | None = None
    overdue: bool = False
    spans: list[Span] = field(default_factory=list)  # said parts that are not record names

    @property
    def question(self) -> bool:
        return self.intent in QUESTIONS


# --------------------------------------------------------------------------- dates

_DATE_START_CJK = set("今明后下这本上周星礼月年前大昨早晚中凌傍一二三四五六七八九十两")
_DATE_WORDS = re.compile(
    r"(?:today|tomorrow|tmr|tonight|next|this|in|end|mon|tue|wed|thu|fri|sat|sun|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov"
    r"|dec)\b", re.I)


def _starts(text: str) -> list[int]:
    """Positions where a date or time may begin."""
    found = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        number = ch.isdigit() and not before.isdigit() and before not in ".,"
        word = ch.isascii() and ch.isalpha() and not (before.isascii() and before.isalnum()) \
            and _DATE_WORDS.match(text, i) is not None
        if number or word or ch in _DATE_START_CJK:
            found.append(i)
    return found


def find_whens(text: str, today: date) -> list[tuple[When, Span]]:
    """Every date or time said in the sentence, in order, each as long as it reads."""
    found: list[tuple[When, Span]] = []
    end = 0
    for start in _starts(text):
        if start < end:
            continue
        piece = text[start:]
        parsed = split_when(piece, today)
        if parsed is None:
            continue
        when, rest = parsed
        head = len(piece) - len(rest)
        said = piece[:head].rstrip(" ,，:：")
        if re.fullmatch(r"\d+(?:[.,]\d+)?", said) or len(said) < 2 and not said.isdigit():
            continue  # a bare number is an amount or a count, not a date
        if re.fullmatch(r"\d{1,2}", said):
            continue
        found.append((when, Span(start, start + len(said))))
        end = start + len(said)
    return found


def _future(when: When, today: date) -> bool:
    return when.day > today or (when.day == today and when.at is not None)


# --------------------------------------------------------------------------- amounts

_AMOUNT_RE = re.compile(
    r"(?:(?:US\$|\$|¥|￥|RMB|USD|CNY|EUR|HKD)\s*)?\d[\d,]*(?:\.\d+)?\s*"
    r"(?:百万|千万|万|千|百|亿|(?:k|w|m)(?![a-z]))?(?:\s*(?:块钱|块|元|美元|人民币|USD|CNY|EUR|HKD|RMB)"
    r"(?![a-z]))?",
    re.I)


def find_amount(text: str, settings: Settings, avoid: list[Span]) -> tuple[Money, Span] | None:
    """The first amount of money said (not a date, a time or a phone number)."""
    for match in _AMOUNT_RE.finditer(text):
        said = match.group(0).strip()
        start, end = match.start(), match.start() + len(match.group(0).rstrip())
        if any(s.start <= start < s.end for s in avoid):
            continue
        if re.fullmatch(r"\d{7,}", said.replace(",", "")):
            continue  # a phone number
        after = text[end:end + 1]
        if after and (after in "月号日点天周个:/-" or after.isalpha() and after.isascii()):
            continue
        try:
            money = parse_amount(said.replace("￥", "¥"), settings.currency)
        except InvalidInput:
            continue
        if money.amount <= 0:
            continue
        return money, Span(start, end)
    return None


# --------------------------------------------------------------------------- intents


def _search(pattern: re.Pattern[str], text: str) -> Span | None:
    match = pattern.search(text)
    return Span(*match.span()) if match else None


def _scope(text: str) -> str | None:
    for scope, pattern in w.SCOPES:
        if re.search(pattern, text):
            return scope
    return None


def _period(text: str, today: date) -> str:
    for word, pattern in w.PERIODS:
        if re.search(pattern, text):
            return parse_period(word, today).key
    return parse_period("this-month", today).key


def _stage(text: str, settings: Settings) -> tuple[str, Span] | None:
    """A configured stage named in the sentence, by its key, a name, an alias, the start of an
    English one ("negotiat") or a part of a Chinese one (谈判 is 商务谈判); the first said."""
    found: list[tuple[int, int, str]] = []
    for term in settings.terms("stage"):
        for word in term.words:
            folded = w.plain(word)
            if folded.isascii():
                match = re.search(rf"\b{re.escape(folded[:7])}\w*", text)
                if match:
                    found.append((match.start(), -len(match.group(0)), term.key))
                continue
            for i in range(len(folded)):
                for j in range(i + 2, len(folded) + 1):
                    at = text.find(folded[i:j])
                    if at >= 0:
                        found.append((at, -(j - i), term.key))
    if not found:
        return None
    start, length, key = min(found)
    return key, Span(start, start - length)


def _intent(text: str, reading: Reading, settings: Settings) -> str:
    if w.LEAD.search(text):
        return "lead"
    remind = _search(w.REMIND, text)
    if remind is not None:
        reading.keyword = remind
        return "remind"
    if w.OWES.search(text):
        reading.overdue = bool(w.OVERDUE.search(text))
        return "owes"
    if w.TODO.search(text) and not w.PIPELINE.search(text):
        return "todo"
    if w.PIPELINE.search(text):
        return "pipeline"
    if w.PAYMENTS.search(text) and reading.amount is None and (
            w.QUESTION.search(text) or any(re.search(p, text) for _, p in w.PERIODS)
            or re.search(r"情况|总额|合计|\btotal\b", text)):
        return "payments"
    if w.DEAL_STATUS.search(text):
        return "deal"
    lost = _search(w.LOST, text)
    if lost is not None:
        reading.keyword = lost
        return "lost"
    won = _search(w.WON, text)
    if won is not None:
        reading.keyword = won
        return "won"
    stage = _stage(text, settings)
    if stage is not None and w.STAGE_MOVE.search(text) and _activity(text, settings) is None:
        reading.stage, span = stage
        reading.spans.append(span)
        return "stage"
    if reading.amount is not None and w.PAID.search(text):
        return "paid"
    return "log"


def _activity(text: str, settings: Settings) -> tuple[str, int, int] | None:
    """The kind of activity said first; an English verb with a typo counts ("callled")."""
    configured = [(t.key, word) for t in settings.terms("kind") if t.key != "note"
                  for word in t.words]
    found = w.find_first(w.KIND_WORDS, text, configured)
    if found is not None:
        return found
    for match in re.finditer(r"[a-z]{4,}", text):
        for key, words in w.KIND_WORDS.items():
            if any(len(word) >= 4 and word.isascii() and fuzz.ratio(match.group(0), word) >= 85
                   for word in words):
                return key, match.start(), match.end()
    return None


def _payment_details(text: str, reading: Reading, today: date) -> None:
    method = w.find_first(w.METHOD_WORDS, text)
    if method is not None:
        reading.method = method[0]
    ref = re.search(r"(?:流水号|参考号|单号|\bref(?:erence)?\b)\s*[:#]?\s*([A-Za-z0-9][\w-]*)",
                    reading.text, re.I)
    if ref is not None:
        reading.bank_ref = ref.group(1)
        reading.spans.append(Span(*ref.span()))
    if re.search(r"昨天|\byesterday\b", text):
        reading.paid_on = date.fromordinal(today.toordinal() - 1)
    elif re.search(r"前天", text):
        reading.paid_on = date.fromordinal(today.toordinal() - 2)


def read(sentence: str, today: date, settings: Settings) -> Reading:
    """What the sentence asks for and says (see the module docstring)."""
    text = " ".join(sentence.split())
    text = w.RECORD_PREFIX.sub("", text).rstrip("。.!！~～ ")
    low = w.plain(text)
    if len(low) != len(text):  # a rare character whose lower case is longer: compare as typed
        low = text.lower()
    reading = Reading(intent="unknown", text=text, plain=low)
    whens = find_whens(text, today)
    spans = [span for _, span in whens]
    money = find_amount(low, settings, spans)
    if money is not None:
        reading.amount, amount_span = money
        reading.spans.append(amount_span)
    reading.intent = _intent(low, reading, settings)
    reading.spans += spans
    future = [(when, span) for when, span in whens if _future(when, today)]
    if reading.intent in ("log", "remind") and future:
        reading.when, reading.when_span = future[0]
    if reading.intent in ("log", "remind"):
        activity = _activity(low, settings)
        if activity is not None:
            reading.kind = activity[0]
    if reading.intent == "paid":
        _payment_details(low, reading, today)
    if reading.intent in ("pipeline", "payments"):
        reading.scope = _scope(low)
    if reading.intent == "payments":
        reading.period = _period(low, today)
    return reading
