"""The grammar of chat command text: commands, options, amounts, references and quote lines.

Every function here reads what a person typed in a chat and either returns a typed value or
raises `InvalidInput(key, value=<the text>, ...)`, so the reply can quote the text back and
say how to write it. Dates and times are read by `domain.dates` (re-exported here). Nothing
here touches storage or time zones: callers pass the user's `today` in the user's own zone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from domain.dates import looks_like_when, parse_date, parse_time
from domain.errors import InvalidInput
from domain.money import Money, check_currency, quantize
from domain.names import to_simplified
from handlers.option_names import CHINESE, WHEN_OPTIONS, option_key

__all__ = ["parse_date", "parse_time"]  # read here by the handlers, defined with the dates

MAX_TEXT = 4000


def check_length(text: str) -> None:
    """Refuse a message longer than MAX_TEXT characters."""
    if len(text) > MAX_TEXT:
        raise InvalidInput("parse.too_long", limit=MAX_TEXT)


def _nfkc(text: str) -> str:
    """Fold full-width digits, letters and signs (５, ＄, ％, ：) into their plain forms."""
    return unicodedata.normalize("NFKC", text)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Control characters other than tabs and line breaks (a NUL cannot even be stored).
_INVISIBLE.update(dict.fromkeys(c for c in [*range(32), 127] if chr(c) not in "\t\n\r"))


def normalise(text: str) -> str:
    """Every message in one form before it is read: full-width letters, digits and signs
    folded (ＦＷ－１ -> FW-1, １３９ -> 139, ，-> ,), invisible joiners a keyboard left and
    control characters dropped."""
    return _nfkc(text).translate(_INVISIBLE)


# --------------------------------------------------------------------------- commands

_COMMAND_RE = re.compile(
    r"^\s*[/／](?P<name>[A-Za-z][A-Za-z0-9_]*)(?:@[A-Za-z0-9_]+)?(?:\s+(?P<rest>.*?))?\s*$",
    re.DOTALL,
)


def split_command(text: str) -> tuple[str, str] | None:
    """Split "/lead@bot Acme Ltd" into ("lead", "Acme Ltd"); None if not a slash command."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return None
    return match.group("name").lower(), (match.group("rest") or "").strip()


# --------------------------------------------------------------------------- tokens

# Opening quote -> the quotes that may close it; phones mix straight and curly quotes.
_DOUBLE = '"“”„＂'
_QUOTES = {**{q: _DOUBLE for q in _DOUBLE}, "「": "」", "『": "』", "‘": "’", "«": "»"}
# Between a value and the next option: a comma or an enumeration comma, as phones type them.
_OPTION_GAP = ",，、;；"
_NAME_RE = re.compile(rf"(?:{'|'.join(sorted(map(re.escape, CHINESE), key=len, reverse=True))})"
                      r"|[A-Za-z_]+")
_FIRST_NAME_RE = re.compile(r"(?!\d)[\w]+")


@dataclass(frozen=True)
class Args:
    """Command arguments: positional words, key=value options, and the text without options.

    `typed` keeps each option's name as it was written (联系人 for contact), for errors.
    """

    positional: list[str]
    options: dict[str, str]
    text: str
    typed: dict[str, str] = field(default_factory=dict)

    def option(self, key: str) -> str | None:
        """The value of option `key` (any case), or None when it was not given."""
        return self.options.get(key.lower())


@dataclass
class _Token:
    raw: str
    plain: str
    key: str | None = None
    name: str = ""
    colon: bool = False


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _option_at(text: str, i: int, allowed: frozenset[str] | None,
               first: bool) -> tuple[str, str, int, bool] | None:
    """An option name starting at `i` and followed by "=" (or ":" for a command's own
    options): (key, name as typed, index after the sign, colon?)."""
    match = (_FIRST_NAME_RE if first else _NAME_RE).match(text, i)
    if match is None:
        return None
    name = match.group(0)
    if not first and name not in CHINESE and not (i == 0 or not text[i - 1].isascii()
                                                   or text[i - 1] in _OPTION_GAP):
        return None
    end = match.end()
    if first and name not in CHINESE and not name.isascii() \
            and any(name[cut:] in CHINESE for cut in range(1, len(name))):
        return None  # "星辰科技联系人=王五": the option starts inside the word
    sign = text[end:end + 1]
    key = option_key(name) or name
    if sign in ("=", "＝"):
        return key, name, end + 1, False
    if sign in (":", "：") and allowed is not None and key in allowed \
            and (option_key(name) != name or name.isascii()):
        return key, name, end + 1, True
    return None


def _scan(text: str, allowed: frozenset[str] | None = None) -> list[_Token]:
    """Split into tokens on whitespace, keeping quoted runs together and starting a new token
    where an option follows a comma or a Chinese character ("王五,电话=139...")."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        token = _Token("", "")
        found = _option_at(text, i, allowed, first=True)
        if found is not None:
            token.key, token.name, i, token.colon = found
        plain: list[str] = []
        while i < n and not text[i].isspace():
            ch = text[i]
            closing = _QUOTES.get(ch)
            if closing is not None:
                end = next((j for j in range(i + 1, n) if text[j] in closing), -1)
                if end < 0:
                    raise InvalidInput("parse.quote", value=text)
                plain.append(text[i + 1 : end])
                i = end + 1
                continue
            if i > start and (_is_cjk(text[i - 1]) or text[i - 1] in _OPTION_GAP) \
                    and _option_at(text, i, allowed, first=False) is not None:
                break
            plain.append(ch)
            i += 1
        raw = text[start:i].rstrip(_OPTION_GAP) if i < n and not text[i].isspace() \
            else text[start:i]
        body = "".join(plain)
        if i < n and not text[i].isspace():
            body = body.rstrip(_OPTION_GAP)
        token.raw, token.plain = raw, body
        tokens.append(token)
    return tokens


def _absorb(tokens: list[_Token]) -> list[_Token]:
    """Options written with ":" and a space take the next word; date options take the words
    after them that still read as a date ("next=in 3 days", "下次=周五 下午3点")."""
    kept: list[_Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kept.append(token)
        i += 1
        if token.key is None:
            continue
        if token.colon and not token.plain and i < len(tokens) and tokens[i].key is None:
            token.plain = tokens[i].plain
            i += 1
        if token.key not in WHEN_OPTIONS:
            continue
        following: list[str] = []
        while i + len(following) < len(tokens) and len(following) < 4 \
                and tokens[i + len(following)].key is None:
            following.append(tokens[i + len(following)].plain)
        for size in range(len(following), 0, -1):
            longer = " ".join([token.plain, *following[:size]]).strip()
            if looks_like_when(longer, _ANY_DAY):
                token.plain = longer
                i += size
                break
    return kept


_ANY_DAY = date(2000, 1, 3)  # only whether a text reads as a date matters here


def tokenize(text: str, allowed: Iterable[str] | None = None) -> Args:
    """Read `Acme "Big Deal" amount=5k note="call back"` into positional words and options.

    Option names may be written in Chinese (`金额=5万`); `allowed`, when given, also lets an
    option be written with a colon (`联系人：王五`), as people do in Chinese.
    """
    names = frozenset(allowed) if allowed is not None else None
    positional: list[str] = []
    options: dict[str, str] = {}
    typed: dict[str, str] = {}
    kept: list[str] = []
    for token in _absorb(_scan(text, names)):
        if token.key is not None:
            options[token.key] = token.plain
            typed[token.key] = token.name
        else:
            positional.append(token.plain)
            kept.append(token.raw)
    return Args(positional=positional, options=options, text=" ".join(kept), typed=typed)


def unquote(text: str) -> str:
    """Text without the quotes around it, whatever their style: "Server X1", “服务器”, 「A」."""
    value = text.strip()
    while len(value) >= 2 and value[0] in _QUOTES and value[-1] in _QUOTES[value[0]]:
        value = value[1:-1].strip()
    return value


# --------------------------------------------------------------------------- numbers

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"^(?:{_NUMBER})$")


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


def parse_quantity(text: str) -> Decimal:
    """A positive quantity: "2", "1.5", "1,000"."""
    cleaned = _nfkc(text).strip()
    if not _NUMBER_RE.match(cleaned):
        raise InvalidInput("parse.quantity", value=text)
    value = _decimal(cleaned)
    if value <= 0:
        raise InvalidInput("parse.quantity", value=text)
    return value


_PERCENT_RE = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*%?$")


def parse_percent(text: str) -> Decimal:
    """A percentage from 0 to 100: "20", "20%", "12.5", "20％"."""
    match = _PERCENT_RE.match(_nfkc(text).strip())
    if match is None:
        raise InvalidInput("parse.percent", value=text)
    value = Decimal(match.group("num"))
    if value > 100:
        raise InvalidInput("parse.percent", value=text)
    return value


# --------------------------------------------------------------------------- amounts

# Symbols and words written before the number ("¥" is resolved against the default currency).
_PREFIX_CURRENCY = {
    "US$": "USD", "HK$": "HKD", "NT$": "TWD", "NZ$": "NZD", "S$": "SGD", "A$": "AUD",
    "C$": "CAD", "R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW",
    "¥": "¥", "RMB": "CNY",
}
# Words written after the number.
_SUFFIX_CURRENCY = {
    "块钱": "CNY", "元": "CNY", "块": "CNY", "人民币": "CNY", "RMB": "CNY", "美元": "USD",
    "欧元": "EUR", "英镑": "GBP", "港币": "HKD", "港元": "HKD", "日元": "JPY",
}
_MULTIPLIERS = {
    "K": Decimal(10) ** 3, "M": Decimal(10) ** 6, "MN": Decimal(10) ** 6,
    "B": Decimal(10) ** 9, "BN": Decimal(10) ** 9, "W": Decimal(10) ** 4,
    "百": Decimal(10) ** 2, "千": Decimal(10) ** 3, "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8,
    "百万": Decimal(10) ** 6, "千万": Decimal(10) ** 7, "百亿": Decimal(10) ** 10,
    "千亿": Decimal(10) ** 11, "万亿": Decimal(10) ** 12,
}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation trying longer words first."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered)


_AMOUNT_RE = re.compile(
    rf"^(?:(?P<pre>{_alternation(_PREFIX_CURRENCY)}|[A-Z]{{3}})\s*)?"
    rf"(?P<num>{_NUMBER})\s*"
    rf"(?P<mult>{_alternation(_MULTIPLIERS)})?\s*"
    rf"(?P<suf>{_alternation(_SUFFIX_CURRENCY)}|[A-Z]{{3}})?$"
)


def _currency_word(word: str, table: dict[str, str], default_currency: str) -> str:
    code = table.get(word, word)
    if code == "¥":
        # The yen/yuan sign: JPY for a yen company, otherwise Chinese yuan.
        return "JPY" if default_currency == "JPY" else "CNY"
    return check_currency(code)


def parse_amount(text: str, default_currency: str) -> Money:
    """An amount of money: 50,000 / 50k / 1.2m / 5万 / 1.5亿 / ¥50,000 / USD 5000 / 12.5万元.

    Without a currency the amount is in `default_currency`. The value is exact: an amount
    with more decimals than its currency keeps (12.345 USD) is refused, not rounded.
    """
    cleaned = to_simplified(_nfkc(text)).strip().upper()  # 5萬 is 5万
    match = _AMOUNT_RE.match(cleaned)
    if match is None:
        raise InvalidInput("parse.amount", value=text)
    default = check_currency(default_currency)
    pre, suf = match.group("pre"), match.group("suf")
    currencies = {
        _currency_word(word, table, default)
        for word, table in ((pre, _PREFIX_CURRENCY), (suf, _SUFFIX_CURRENCY))
        if word is not None
    }
    if len(currencies) > 1:
        raise InvalidInput("parse.amount", value=text)
    currency = currencies.pop() if currencies else default
    value = _decimal(match.group("num"))
    if match.group("mult"):
        value *= _MULTIPLIERS[match.group("mult")]
    try:
        exact = quantize(value, currency) == value
    except InvalidOperation:
        exact = False
    if not exact:
        raise InvalidInput("parse.amount", value=text)
    return Money(value, currency)


# --------------------------------------------------------------------------- quote lines

_LINE_SPLIT_RE = re.compile(r"[;；\r\n]")
# "10 x Server @ 5,000", "10x服务器@5000", "2 × “Rack” @ 800": an x joined to the item only
# where it cannot be the item's first letter.
_QUOTE_LINE_RE = re.compile(
    r"^(?P<qty>\S+?)\s*(?:[xXｘＸ](?:\s+|(?=[^A-Za-z0-9\s]))|[×*＊✕]\s*)(?P<item>.+)"
    r"\s*[@＠]\s*(?P<price>[^@＠]+)$"
)


@dataclass(frozen=True)
class QuoteLineText:
    """One quote line as written: quantity read, item as text, price still unparsed."""

    quantity: Decimal
    item: str
    price: str


def parse_quote_lines(text: str) -> list[QuoteLineText]:
    """Read "10 x Cloud Server @ 5,000; 2 x Install @ 1k" into lines, one per ";" or newline."""
    lines: list[QuoteLineText] = []
    for raw in _LINE_SPLIT_RE.split(text):
        line = raw.strip()
        if not line:
            continue
        match = _QUOTE_LINE_RE.match(line)
        if match is None:
            raise InvalidInput("parse.quote_line", value=line)
        item, price = unquote(match.group("item")), match.group("price").strip()
        try:
            quantity = parse_quantity(match.group("qty"))
        except InvalidInput:
            if re.match(r"^[-+−]?[\d.,]+$", match.group("qty")):
                raise  # a number, but zero or negative: say so about the quantity
            raise InvalidInput("parse.quote_line", value=line) from None
        if not item or not price:
            raise InvalidInput("parse.quote_line", value=line)
        lines.append(QuoteLineText(quantity=quantity, item=item, price=price))
    if not lines:
        raise InvalidInput("parse.quote_line", value=text)
    return lines
