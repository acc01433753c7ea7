"""The words of everyday sentences: what each kind of request sounds like, in English and Chinese,
and Chinese word segmentation (jieba, whose dictionary is loaded on first use, not at start-up).

Everything is compared in one form: width-folded, lower case, simplified script (`plain`).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from domain.names import to_simplified

# A request to write something down, said before the sentence itself ("记一下：…").
RECORD_PREFIX = re.compile(r"^(?:记一下|记录一下|记录|记下|note|log)\s*[:,]?\s*", re.I)

LEAD = re.compile(r"新线索|加个线索|新的线索|有个线索|有个新客户|新客户线索"
                  r"|\bnew lead\b|^lead\s*:", re.I)
REMIND = re.compile(r"(?:别忘了)?提醒(?:一下)?\s*我|\bremind me\b|别忘了|叫我", re.I)

OWES = re.compile(r"欠|应收|没回款|未回款|还差|\bowes?\b|\boutstanding\b|\bunpaid\b|\bbalance\b"
                  r"|逾期|\boverdue\b", re.I)
OVERDUE = re.compile(r"逾期|\boverdue\b|\blate\b", re.I)
TODO = re.compile(r"待办|要做什么|做什么|有什么事|什么任务|今天的任务|我的提醒|有什么提醒"
                  r"|没做|要跟进的"
                  r"|\bto-?dos?\b|\bto do\b|\breminders\b|\bmy list\b|\bon my plate\b"
                  r"|\bwhat do i have\b|\bwhat should i do\b", re.I)
PIPELINE = re.compile(r"漏斗|管道|\bpipe?line\b|\bpipline\b|手上有多少商机|多少商机", re.I)
PAYMENTS = re.compile(r"回款|收款|到账|收了多少|进账|\bpayments?\b|\bcollect(?:ed)?\b|\bcash\b"
                      r"|\bcame in\b|\breceived\b", re.I)
QUESTION = re.compile(r"多少|几|吗|么|如何|情况|\?|\bhow\b|\bwhat\b|\bwhich\b|\bshow\b", re.I)
DEAL_STATUS = re.compile(r"怎么样|进展|进度|到哪一步|什么阶段|什么情况|现在如何|\bstatus\b"
                         r"|\bgoing\b|\bwhere are we\b|\bwhat stage\b|\bhow is\b|\bhow's\b", re.I)
WON = re.compile(r"赢了|赢单|签了|签约|签下|成交|拿下|\bwon\b|\bsigned\b|\bclosed\b", re.I)
LOST = re.compile(r"丢了|丢单|输了|输单|黄了|没戏|\blost\b|\bdead\b", re.I)
STAGE_MOVE = re.compile(r"推进|推到|进入|到了|到|改成|改为|改到|阶段|\bmov(?:e|ed|ing)\b|\badvance"
                        r"|\bstage\b|\bis in\b|\bnow in\b|\bset\b", re.I)
PAID = re.compile(r"付了|付款|支付|回款|打款|到账|转了|打了|汇了|汇款|转账|收到|\bpaid\b|\bpays?\b"
                  r"|\breceived\b|\bwired?\b|\bsent payment\b|\btransferred\b|\bpayment\b", re.I)

# Kinds of activity and the words that say them (the configured words count too).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "call": ("打电话", "打了电话", "电话", "通话", "来电", "回电", "call", "called", "calling",
             "phoned", "phone", "rang", "spoke", "talked"),
    "visit": ("拜访", "上门", "走访", "visit", "visited"),
    "meeting": ("开会", "开完会", "会议", "见面", "会面", "吃饭", "吃了个饭", "meeting", "met",
                "meet", "lunch", "dinner", "coffee"),
    "email": ("邮件", "email", "emailed", "e-mail", "mail", "mailed"),
    "wechat": ("微信", "wechat", "weixin"),
}
METHOD_WORDS: dict[str, tuple[str, ...]] = {
    "alipay": ("支付宝", "alipay"),
    "wechat": ("微信", "wechat"),
    "bank": ("转账", "银行", "wired", "wire", "bank transfer", "bank"),
    "cash": ("现金", "cash"),
    "cheque": ("支票", "cheque", "check"),
    "card": ("刷卡", "信用卡", "card"),
}
SCOPES: tuple[tuple[str, str], ...] = (
    ("all", r"公司|全部|所有|整体|\ball\b|\bwhole company\b|\bcompany\b"),
    ("team", r"团队|\bteam\b"),
    ("mine", r"我|\bmy\b|\bmine\b|\bi\b"),
)
PERIODS: tuple[tuple[str, str], ...] = (
    ("last-month", r"上个月|上月|\blast month\b"),
    ("this-quarter", r"本季度|这个季度|这季度|\bthis quarter\b"),
    ("last-quarter", r"上季度|上个季度|\blast quarter\b"),
    ("this-year", r"今年|本年|\bthis year\b"),
    ("this-week", r"本周|这周|这个星期|\bthis week\b"),
    ("last-week", r"上周|\blast week\b"),
    ("this-month", r"本月|这个月|这月|\bthis months?\b"),
)
# Words that never name a customer, contact or deal (segmented words are looked up otherwise).
NOT_NAMES = frozenset(str.split("""
今天 明天 后天 昨天 下周 本周 这周 周一 周二 周三 周四 周五 周六 周日 上午
下午 晚上 早上 月底 下个月 拜访 电话 打电话 会议 开会 邮件 微信 聊了 沟通
报价 方案 谈判 阶段 商机 单子 项目 客户 线索 联系人 回款 付款 到账 打款 提醒
跟进 进展 进度 情况 什么 多少 还欠 欠款 应收 逾期 发票 预算 需求 价格 合同
赢了 赢单 签约 成交 拿下 丢了 输了 输单 没戏 推进 进入 确认 资格 商务
采购意向 对方 他们 我们 一下 经理 总监 老板 公司 集团 科技 有限公司 团队 本月
上月 今年 本季度 漏斗 管道 待办 任务 事情 一个 这个
the and for with from about they them their our you your today tomorrow yesterday tonight
next this that week month year deal deals call called meeting email emailed visit visited
met phoned paid pay payment payments received lead new contact stage status pipeline owe
owes outstanding remind won lost signed closed move moved advance proposal negotiation
qualification again going how what where when are was were have has had want wants need
needs sent send back today's
"""))


def plain(text: str) -> str:
    """Width-folded, lower case, simplified Chinese: the form sentences are compared in."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def find_first(patterns: dict[str, tuple[str, ...]], text: str,
               extra: Iterable[tuple[str, str]] = ()) -> tuple[str, int, int] | None:
    """The key whose word comes first in `text` (longest word on a tie): (key, start, end)."""
    found: list[tuple[int, int, str]] = []
    pairs = [(key, word) for key, words in patterns.items() for word in words]
    for key, word in [*pairs, *extra]:
        word = plain(word)
        if not word:
            continue
        pattern = re.escape(word) if not word.isascii() else rf"\b{re.escape(word)}\b"
        match = re.search(pattern, text)
        if match is not None:
            found.append((match.start(), -len(word), key))
    if not found:
        return None
    start, length, key = min(found)
    return key, start, start - length


_LOCK = threading.Lock()


@cache
def _segmenter() -> Any:
    """jieba's tokenizer, its dictionary read on the first sentence (kept for the process)."""
    import jieba  # a second to load its dictionary: only once a sentence is read

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with _LOCK:
        tokenizer.initialize()
    return tokenizer


def segments(text: str) -> list[str]:
    """Chinese words of `text`, long ones and the shorter words inside them (中信银行 -> 中信,
    银行, 中信银行); other characters are passed through as jieba cuts them."""
    return [w for w in _segmenter().cut_for_search(text) if w.strip()]


def warm_up() -> None:
    """Load the Chinese dictionary now (a long-running bot does it beside its start), so the
    first sentence is answered as fast as the others."""
    segments("华为")
