"""The first reading of a chat message: one written form for every message (full-width
letters and digits folded, invisible characters dropped), a length limit, and the command's
name split from the rest ("/lead@bot Acme" -> "lead", "Acme")."""

from __future__ import annotations

import re
import unicodedata

from domain.errors import InvalidInput

MAX_TEXT = 4000


def check_length(text: str) -> None:
    """Refuse a message longer than MAX_TEXT characters."""
    if len(text) > MAX_TEXT:
        raise InvalidInput("parse.too_long", limit=MAX_TEXT)


def fold_width(text: str) -> str:
    """Fold full-width digits, letters and signs (５, ＄, ％, ：) into their plain forms."""
    return unicodedata.normalize("NFKC", text)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Control characters other than tabs and line breaks (a NUL cannot even be stored).
_INVISIBLE.update(dict.fromkeys(c for c in [*range(32), 127] if chr(c) not in "\t\n\r"))


def normalise(text: str) -> str:
    """Every message in one form before it is read: full-width letters, digits and signs
    folded (ＦＷ－１ -> FW-1, １３９ -> 139, ，-> ,), invisible joiners a keyboard left and
    control characters dropped."""
    return fold_width(text).translate(_INVISIBLE)


_COMMAND_RE = re.compile(
    r"^\s*[/／](?P<name>[A-Za-z][A-Za-z0-9_-]*)(?:@[A-Za-z0-9_]+)?(?:\s+(?P<rest>.*?))?\s*$",
    re.DOTALL,
)


def split_command(text: str) -> tuple[str, str] | None:
    """Split "/lead@bot Acme Ltd" into ("lead", "Acme Ltd"); None if not a slash command."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return None
    # "/invite-customer" is "/invite_customer": Telegram's menu allows no "-" in a name.
    return match.group("name").lower().replace("-", "_"), (match.group("rest") or "").strip()
