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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc



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
    import opencc  # loaded with the first Chinese name, not at start-up

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


# Around the trade name (字号) of a Chinese company: the place it is registered in before it, its
# line of business after it. People call 北京星辰科技有限公司 "星辰".
_PLACES = tuple(sorted(str.split("""
中国 北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北
湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 深圳 广州
杭州 南京 苏州 成都 武汉 西安 长沙 郑州 青岛 厦门 宁波 无锡 大连 沈阳 合肥 济南 福州 东莞 佛山 珠海
昆明 哈尔滨 长春 石家庄 太原 南昌 南宁 贵阳 兰州 海口 三亚 温州 常州 烟台 中山 惠州 绍兴 嘉兴 泉州
"""), key=len, reverse=True))
_PLACE_ENDS = "省市区县"
_TRADES = tuple(sorted(str.split("""
科技 技术 信息 网络 软件 电子 通信 通讯 实业 贸易 商贸 咨询 服务 管理 文化 传媒 发展 电器 汽车 医疗
生物 制药 医药 教育 建设 工程 物流 能源 材料 机械 设备 数据 智能 环保 食品 投资 控股 股份 国际 系统
互联网 云计算 计算机 新材料 供应链 电气 仪器 印刷 包装 家居 建材 化工 纺织 服饰 餐饮 酒店 地产 置业
"""), key=len, reverse=True))


def _without_place_and_trade(word: str) -> str:
    changed = True
    while changed:
        changed = False
        for place in _PLACES:
            if word.startswith(place):
                rest = word[len(place):]
                rest = rest[1:] if rest[:1] and rest[0] in _PLACE_ENDS else rest
                if len(rest) >= 2:
                    word, changed = rest, True
                    break
    changed = True
    while changed:
        changed = False
        for trade in _TRADES:
            if word.endswith(trade) and len(word) > len(trade):
                word, changed = word[: -len(trade)], True
                break
            if word == trade:
                return ""
    return word


def trade_name(name_key: str) -> str:
    """The trade name inside a normalised Chinese company name, which is what people call the
    company: "北京星辰科技" -> "星辰", "星辰 信息技术" -> "星辰", "深圳市星辰网络科技" -> "星辰".
    Names in other scripts, and names that would be left with less than two characters, are
    returned as they are."""
    if not any(_is_cjk(ch) for ch in name_key):
        return name_key
    kept = [core for word in name_key.split()
            if (core := _without_place_and_trade(word) if any(_is_cjk(c) for c in word)
                else word)]
    core = " ".join(kept)
    return core if len(core.replace(" ", "")) >= 2 else name_key


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
    from rapidfuzz import fuzz, process, utils  # loaded with the first comparison

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
