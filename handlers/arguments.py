"""A command's arguments as people type them: positional words, `key=value` options (named in
English or Chinese, `联系人：王五` too), quoted values in any quote style; checking a command's
options, the shared ones (page=), and what a command says about them (its usage, the next
page of a list).

Reading raises `InvalidInput(key, value=<the text>, ...)`, so the reply can quote the text back
and say how to write it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from domain.dates import looks_like_when
from domain.errors import InvalidInput
from handlers.context import Ctx
from handlers.option_names import CHINESE, WHEN_OPTIONS, OptionNames, option_key

PER_PAGE = 20

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
    after them that still read as a date ("next=in 3 days", "下次=周五 下午3点"); a phone takes
    the digit groups after it ("phone=+86 138 0000 0000")."""
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
        if token.key == "phone":
            while i < len(tokens) and tokens[i].key is None and _phone_group(tokens[i].plain) \
                    and _digits(token.plain) < _FULL_PHONE:
                token.plain = f"{token.plain} {tokens[i].plain}"
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
# A phone written in groups ("+86 138 0000 0000", "010 8888 6666", "+86 138-0013-8000") takes
# the groups after it until it has the digits of a whole number.
_FULL_PHONE = 11
_PHONE_GROUP_RE = re.compile(r"[\d()\-]{1,15}")


def _phone_group(word: str) -> bool:
    return _PHONE_GROUP_RE.fullmatch(word) is not None and any(c.isdigit() for c in word)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


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


def read_args(text: str, *allowed: str, usage: str) -> Args:
    """Tokenize and refuse options the command does not know (listed in the reader's words).

    Options may be named in English or Chinese (`discount=5`, `折扣=5`, `折扣：5`).
    """
    args = tokenize(text, allowed)
    for key in args.options:
        if key not in allowed:
            raise InvalidInput("parse.unknown_option", option=args.typed.get(key, key),
                               allowed=OptionNames(allowed), usage=usage)
    return args


def page_of(args: Args) -> int:
    raw = args.option("page")
    if raw is None:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 100000:
        raise InvalidInput("parse.page", value=raw)
    return int(raw)


def need(value: str | None, key: str, usage: str) -> str:
    """A required part of the command; missing means: show how to write it."""
    if value is None or not value.strip():
        raise InvalidInput(key, usage=usage)
    return value.strip()


def usage_of(ctx: Ctx, command: str) -> str:
    """How to write `command`, in the reader's language: what a refusal shows."""
    return ctx.t(f"help.{command}.usage")


def next_page(ctx: Ctx, has_more: bool, command_text: str, page: int) -> list[str]:
    """The line that says how to see the next page of a list, when there is one."""
    return [ctx.t("list.more", command=f"{command_text} page={page + 1}")] if has_more else []
