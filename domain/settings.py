"""The company's business settings as plain values; `bot.config` reads them from config.toml.

How the installation runs (database, chat doors, the times of its jobs, chat ids) is
`bot.runtime.Runtime`, not this."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from domain.vocabulary import Term


@dataclass(frozen=True)
class Stage:
    """One open pipeline stage with its win probability in percent."""

    key: str
    name_en: str
    name_zh: str
    probability: int
    aliases: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en

    @property
    def term(self) -> Term:
        return Term(self.key, self.name_en, self.name_zh, self.aliases)


# The built-in names of the values a company may configure; a settings file that lists only
# keys gets these names for the keys it shares with them.
SOURCES = (
    Term("website", "website", "官网", ("网站", "web", "官方网站", "网络")),
    Term("referral", "referral", "转介绍", ("推荐", "介绍", "老客户介绍", "referred")),
    Term("event", "event", "展会", ("活动", "会展", "trade show", "fair", "exhibition")),
    Term("cold_call", "cold call", "陌生拜访", ("陌拜", "电话营销", "电销", "cold calling")),
    Term("partner", "partner", "合作伙伴", ("渠道", "代理商", "channel")),
    Term("ads", "ads", "广告", ("广告投放", "投放", "advertising", "advert")),
)
PAYMENT_METHODS = (
    Term("bank", "bank transfer", "银行转账", ("transfer", "wire", "转账", "银行", "对公转账")),
    Term("cash", "cash", "现金"),
    Term("cheque", "cheque", "支票", ("check",)),
    Term("card", "card", "刷卡", ("银行卡", "信用卡", "credit card")),
    Term("alipay", "Alipay", "支付宝", ("zhifubao",)),
    Term("wechat", "WeChat Pay", "微信支付", ("weixin", "微信", "wechatpay")),
    Term("other", "other", "其他", ("其它",)),
)
ACTIVITY_KINDS = (
    Term("call", "call", "电话", ("通话", "打电话", "phone", "来电")),
    Term("meeting", "meeting", "会议", ("开会", "会面", "见面", "meet")),
    Term("visit", "visit", "拜访", ("上门", "走访", "参观")),
    Term("email", "email", "邮件", ("电邮", "e-mail", "mail")),
    Term("wechat", "WeChat", "微信", ("weixin", "wx")),
    Term("note", "note", "备注", ("笔记", "记录", "memo")),
)
BUILT_IN = {"source": SOURCES, "method": PAYMENT_METHODS, "kind": ACTIVITY_KINDS}


@dataclass(frozen=True)
class DunningLevel:
    """Chase an invoice `days` after its due date (negative: before) and tell these roles."""

    days: int
    notify: tuple[str, ...]


@dataclass(frozen=True)
class DocumentDetails:
    """What a quote, order, invoice or credit note prints beside the company's name."""

    address: str = ""
    phone: str = ""
    tax_id: str = ""
    bank: str = ""
    account: str = ""
    account_name: str = ""  # the account holder; empty: the company's name
    font: str = ""  # a CJK font file for Chinese documents; empty: the one of mplfonts


def _default_stages() -> tuple[Stage, ...]:
    return (
        Stage("qualification", "Qualification", "资格确认", 10),
        Stage("proposal", "Proposal", "方案报价", 50),
        Stage("negotiation", "Negotiation", "商务谈判", 75),
    )


def _default_dunning() -> tuple[DunningLevel, ...]:
    return (
        DunningLevel(-3, ("owner",)),
        DunningLevel(1, ("owner",)),
        DunningLevel(7, ("owner", "finance")),
        DunningLevel(30, ("manager", "finance")),
    )


@dataclass(frozen=True)
class Settings:
    """How the company does business; every field has a sensible default."""

    company_name: str = "My Company"
    currency: str = "CNY"
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_Hans_CN"
    stages: tuple[Stage, ...] = field(default_factory=_default_stages)
    stale_after_days: int = 14
    sources: tuple[Term, ...] = SOURCES
    payment_methods: tuple[Term, ...] = PAYMENT_METHODS
    activity_kinds: tuple[Term, ...] = ACTIVITY_KINDS
    duplicate_threshold: int = 85
    approval_discount: Decimal = Decimal(15)
    quote_validity_days: int = 30
    default_tax: Decimal = Decimal(13)
    plans: dict[str, str] = field(
        default_factory=lambda: {"standard": "30/60/10", "net30": "net30"}
    )
    dunning: tuple[DunningLevel, ...] = field(default_factory=_default_dunning)
    quiet_hours: str = "21:00-08:00"  # the default for people who set none
    # The shared channels ("finance", "managers", "wins") the company posts to; where each
    # one is on which platform is the installation's business, not the domain's.
    channels: frozenset[str] = frozenset()
    targets: dict[str, Decimal] = field(default_factory=dict)
    # Stock: may a delivery take a product below zero (sell on backorder), and the channel
    # told when a signed order needs more than the free stock (besides finance).
    allow_backorders: bool = False
    stock_channel: str = "ops"
    documents: DocumentDetails = field(default_factory=DocumentDetails)

    def stage(self, key: str) -> Stage | None:
        """The stage with this key, or None."""
        for stage in self.stages:
            if stage.key == key:
                return stage
        return None

    @property
    def first_stage(self) -> Stage:
        return self.stages[0]

    @property
    def lead_sources(self) -> tuple[str, ...]:
        """The keys of the configured lead sources."""
        return tuple(source.key for source in self.sources)

    def terms(self, kind: str) -> tuple[Term, ...]:
        """The values a person may choose: "stage", "source", "method" or "kind"."""
        if kind == "stage":
            return tuple(stage.term for stage in self.stages)
        return {"source": self.sources, "method": self.payment_methods,
                "kind": self.activity_kinds}[kind]

    def term(self, kind: str, key: str) -> Term | None:
        """The value with this key: configured, else built in (an old record may use a value
        no longer offered); None when nobody knows the key."""
        for term in self.terms(kind):
            if term.key == key:
                return term
        return next((t for t in BUILT_IN.get(kind, ()) if t.key == key), None)
