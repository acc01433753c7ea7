"""Phone numbers and e-mail addresses: checked, and folded into keys that compare as people mean.

"１３８ ００００ ００００", "+86 138-0000-0000", "0086 13800000000" and "(138) 0000 0000" are one
number: full-width digits are folded, spaces, dashes, dots and brackets dropped, and China's
country code (+86, 0086, or a leading 86 before an 11-digit mobile) taken off. E-mail
addresses compare without regard to width or case.
"""

from __future__ import annotations

import re
import unicodedata

from domain.errors import InvalidInput

MAX_PHONE = 40
MAX_EMAIL = 200
_PHONE_CHARS = re.compile(r"^\+?[\d\s\-().]+$")
_EXTENSION = re.compile(r"(?:\s*(?:ext\.?|x|转|分机)\s*\d{1,6})$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MIN_DIGITS, _MAX_DIGITS = 5, 20


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _digits(text: str) -> str:
    """The number's digits without China's country code."""
    plus = text.lstrip().startswith("+")
    digits = re.sub(r"\D", "", text)
    if plus and digits.startswith("86"):
        return digits[2:]
    if digits.startswith("0086"):
        return digits[4:]
    if digits.startswith("86") and len(digits) == 13 and digits[2] == "1":
        return digits[2:]  # 86 13800000000: a mobile written with the code but no plus
    return digits


def clean_phone(text: str) -> str:
    """The number as it will be shown (width folded, spaces tidied); refused if not a phone."""
    shown = _fold(text)
    number = _EXTENSION.sub("", shown)
    digits = re.sub(r"\D", "", number)
    if (not _PHONE_CHARS.match(number) or not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS
            or len(shown) > MAX_PHONE):
        raise InvalidInput("contact.bad_phone", value=text)
    return shown


def phone_key(text: str) -> str:
    """The digits a phone number is compared by: "+86 138-0000-0000" -> "13800000000"."""
    return _digits(_EXTENSION.sub("", _fold(text)))


def clean_email(text: str) -> str:
    """The address as it will be shown (width folded, trimmed); refused if not an address."""
    shown = unicodedata.normalize("NFKC", text).strip()
    if not _EMAIL.match(shown) or len(shown) > MAX_EMAIL:
        raise InvalidInput("contact.bad_email", value=text)
    return shown


def email_key(text: str) -> str:
    """The form an address is compared by: width folded, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def looks_like_phone(text: str) -> bool:
    """True when a search text is (part of) a phone number: digits and separators only."""
    folded = _fold(text)
    return bool(_PHONE_CHARS.match(folded)) and len(re.sub(r"\D", "", folded)) >= 3
