"""Bringing a company's existing records in from a spreadsheet: which column is which field
(English or Chinese headers), and which rows are already on file.

Duplicates are found by the normalised name, phone number or e-mail address, among the
records on file and the rows read before, as the chat commands find them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from domain.contact_points import email_key, phone_key
from domain.errors import InvalidInput
from domain.names import normalise_company

KINDS = ("leads", "customers", "contacts", "invoices")

# Field -> the headers it is known by (compared without case, spaces, "_" or "-").
HEADERS: dict[str, tuple[str, ...]] = {
    "company": ("company", "company name", "lead", "公司", "公司名称", "企业名称", "单位名称",
                "客户名称", "线索名称", "名称"),
    "name": ("name", "customer", "customer name", "account", "客户", "客户名称", "公司名称",
             "名称", "姓名", "联系人姓名"),
    "contact": ("contact", "contact name", "contact person", "联系人", "联系人姓名"),
    "customer": ("customer", "customer name", "account", "company", "客户", "客户名称",
                 "公司", "公司名称"),
    "phone": ("phone", "mobile", "tel", "telephone", "phone number", "电话", "手机", "手机号",
              "联系电话", "手机号码", "电话号码"),
    "email": ("email", "e-mail", "mail", "email address", "邮箱", "电子邮件", "邮件",
              "电子邮箱"),
    "source": ("source", "lead source", "channel", "来源", "线索来源", "渠道"),
    "note": ("note", "notes", "remark", "remarks", "comment", "备注", "说明", "需求"),
    "amount": ("amount", "budget", "value", "outstanding", "balance", "金额", "预算",
               "预计金额", "未收金额", "欠款", "应收金额", "余额"),
    "region": ("region", "province", "city", "area", "地区", "区域", "省份", "城市"),
    "external_id": ("external id", "id", "form id", "外部编号", "编号", "线索编号"),
    "owner": ("owner", "sales", "rep", "assigned to", "负责人", "销售", "所属销售", "跟进人"),
    "address": ("address", "地址", "公司地址"),
    "tax_id": ("tax id", "tax number", "vat", "税号", "纳税人识别号",
               "统一社会信用代码"),
    "title": ("title", "job title", "position", "职位", "职务"),
    "number": ("number", "invoice", "invoice number", "invoice no", "发票号", "发票号码",
               "单号", "单据编号"),
    "issued": ("issued", "date", "invoice date", "issued on", "开票日期", "日期"),
    "due": ("due", "due date", "due on", "到期日", "到期日期", "应收日期", "付款期限"),
    "currency": ("currency", "币种", "货币"),
}
FIELDS: dict[str, tuple[str, ...]] = {
    "leads": ("company", "contact", "phone", "email", "source", "note", "amount", "region",
              "external_id", "owner"),
    "customers": ("name", "phone", "email", "address", "tax_id", "owner", "note"),
    "contacts": ("customer", "contact", "title", "phone", "email", "note"),
    "invoices": ("customer", "amount", "due", "number", "issued", "currency"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "leads": ("company",), "customers": ("name",), "contacts": ("customer", "contact"),
    "invoices": ("customer", "amount", "due"),
}


def folded(header: str) -> str:
    return "".join(ch for ch in header.strip().lower() if ch not in " _-\u3000:：*")


def map_columns(kind: str, headers: Iterable[str]) -> dict[int, str]:
    """Column index -> field for this kind of record; each field taken by its first column.
    Refused when a required field has no column."""
    if kind not in KINDS:
        raise InvalidInput("import.bad_kind", value=kind, names="|".join(KINDS))
    wanted = FIELDS[kind]
    known = {folded(alias): name for name in wanted for alias in HEADERS[name]}
    mapped: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = known.get(folded(str(header or "")))
        if name is not None and name not in mapped.values():
            mapped[index] = name
    missing = [name for name in REQUIRED[kind] if name not in mapped.values()]
    if missing:
        raise InvalidInput("import.missing_columns", columns=", ".join(missing),
                           known=", ".join(HEADERS[missing[0]][:4]))
    return mapped


class Outcome(StrEnum):
    CREATED = "created"
    MERGED = "merged"
    SKIPPED = "skipped"
    REFUSED = "refused"


@dataclass(frozen=True)
class RowResult:
    """What became of one row (numbered as the spreadsheet numbers it, header = 1)."""

    row: int
    outcome: Outcome
    ref: str = ""
    key: str = ""  # the message saying why (refused, skipped)
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Report:
    kind: str
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


@dataclass
class Known:
    """Records already on file (and rows read before) by normalised name, phone and e-mail:
    key -> (kind, id)."""

    by_key: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    @staticmethod
    def keys(name: str | None, phone: str | None, email: str | None) -> list[tuple[str, str]]:
        found = []
        if name:
            found.append(("name", normalise_company(name)))
        if phone:
            found.append(("phone", phone_key(phone)))
        if email:
            found.append(("email", email_key(email)))
        return [k for k in found if k[1]]

    def find(self, name: str | None, phone: str | None,
             email: str | None) -> tuple[str, tuple[str, int]] | None:
        """(what matched: name, phone or email; (kind, id)) of the first record on file."""
        for key in self.keys(name, phone, email):
            if key in self.by_key:
                return key[0], self.by_key[key]
        return None

    def add(self, kind: str, id_: int, name: str | None, phone: str | None,
            email: str | None) -> None:
        for key in self.keys(name, phone, email):
            self.by_key.setdefault(key, (kind, id_))
