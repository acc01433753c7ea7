"""What each command option is called in Chinese: the one table the option reader uses.

`联系人=王五` is `contact=王五` to every command; a command that takes `name=` also takes
`名称=` and `姓名=`. The first Chinese name of a key is the one shown to Chinese readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.names import to_simplified

CHINESE: dict[str, str] = {
    "联系人": "contact",
    "电话": "phone", "手机": "phone", "手机号": "phone",
    "邮箱": "email", "电子邮件": "email", "邮件": "email",
    "来源": "source", "线索来源": "source",
    "备注": "note",
    "金额": "amount",
    "成交日期": "close", "预计成交": "close",
    "标题": "title", "职位": "title", "职务": "title",
    "折扣": "discount",
    "税率": "tax",
    "有效期": "valid",
    "签约日期": "signed", "签约": "signed",
    "计划": "plan", "回款计划": "plan",
    "日期": "date",
    "到期": "due", "到期日": "due",
    "分期": "installment", "期次": "installment",
    "参考号": "ref", "流水号": "ref",
    "方式": "method", "付款方式": "method",
    "原因": "reason",
    "下次": "next", "下次跟进": "next",
    "名称": "name", "姓名": "name",
    "公司": "company", "公司名称": "company",
    "地址": "address",
    "税号": "tax_id",
    "客户": "customer",
    "页": "page", "页码": "page",
    "角色": "role",
    "团队": "team",
    "期间": "period", "周期": "period",
    "按": "by",
    "天数": "days",
    "月份": "month",
    "单位": "unit",
    "价格": "price", "单价": "price",
    "库存": "stock",
    "安全库存": "min", "最低库存": "min",
    "启用": "active",
    "管库存": "stocked", "库存管理": "stocked",
    "评论": "comment", "意见": "comment",
    "语言": "lang",
}
# Options whose value is a date or a time: "next=in 3 days" reads on past the first word.
WHEN_OPTIONS = frozenset({"next", "close", "valid", "signed", "date", "due"})

_SHOWN_ZH: dict[str, str] = {}
for _name, _key in CHINESE.items():
    _SHOWN_ZH.setdefault(_key, _name)


def option_key(name: str) -> str | None:
    """The English key of an option name as typed (联系人 -> contact, 聯繫人 -> contact,
    Contact -> contact)."""
    if name in CHINESE:
        return CHINESE[name]
    if to_simplified(name) in CHINESE:
        return CHINESE[to_simplified(name)]
    if name.isascii() and name.replace("_", "").isalpha():
        return name.lower()
    return None


def shown_option(key: str, language: str) -> str:
    """An option's name as the reader writes it."""
    return _SHOWN_ZH.get(key, key) if language == "zh" else key


@dataclass(frozen=True)
class OptionNames:
    """The options a command takes, listed in the reader's language in an error."""

    keys: tuple[str, ...]

    def shown(self, language: str) -> str:
        if not self.keys:
            return "—"
        separator = "、" if language == "zh" else ", "
        return separator.join(f"{shown_option(key, language)}=" for key in self.keys)

    def __str__(self) -> str:
        return self.shown("en")
