"""Date and time text as this package reads it: cleaned of width, case, quotes and a closing
full stop, and the numbers in it (3, 三, 两, 十二, two) read as integers."""

from __future__ import annotations

import re
import unicodedata

ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
              "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
              "twelve": 12}
ZH_NUMBER = "[0-9零〇一二两三四五六七八九十]+"


def clean(text: str) -> str:
    """Width-folded, lower-case, single-spaced, without surrounding quotes or a full stop."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    cleaned = cleaned.strip("\"“”„「」『』'‘’ ")
    cleaned = re.sub(r"[。.,，!！]+$", "", cleaned) if not re.search(r"\d[.,]$", cleaned) \
        else cleaned
    return re.sub(r"\s+", " ", cleaned).strip()


def zh_int(word: str) -> int | None:
    """Read 3, 12, 三, 两, 十, 十二, 二十, 二十五 (up to 99); None otherwise."""
    if word.isdigit():
        return int(word)
    if len(word) > 1 and word[0] in "零〇":
        word = word[1:]  # 零五 (as in 十点零五分) is 5
    if "十" in word:
        tens, _, ones = word.partition("十")
        if (tens and tens not in ZH_DIGITS) or (ones and ones not in ZH_DIGITS) or "十" in ones:
            return None
        return (ZH_DIGITS[tens] if tens else 1) * 10 + (ZH_DIGITS[ones] if ones else 0)
    if len(word) == 1 and word in ZH_DIGITS:
        return ZH_DIGITS[word]
    return None
