"""What people really type, in English and Chinese, and what the bot reads from it.

Each row is an input seen in a sales team's chats (phone keyboards: full-width signs, no
spaces, mixed quotes) with its parsed outcome worked out by hand. Today is Monday 2026-11-23.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from domain.dates import (
    parse_date,
    parse_interval,
    parse_time,
    parse_time_range,
    parse_when,
    split_when,
)
from domain.errors import InvalidInput
from domain.model.payments import bank_ref_key
from domain.names import normalise_company
from domain.references import parse_ref
from domain.settings import Settings
from domain.vocabulary import Ambiguous, resolve
from handlers.amounts import parse_amount
from handlers.arguments import tokenize
from handlers.command_line import normalise
from handlers.item_lines import parse_quote_lines

TODAY = date(2026, 11, 23)  # a Monday
SETTINGS = Settings()


def _d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# --------------------------------------------------------------------------- dates and times

WHEN = [
    # Chinese, as typed
    ("明天下午3点", _d(11, 24), time(15)),
    ("明天下午三点", _d(11, 24), time(15)),
    ("明天下午3点半", _d(11, 24), time(15, 30)),
    ("明天 下午3点", _d(11, 24), time(15)),
    ("明天15:00", _d(11, 24), time(15)),
    ("明天15：00", _d(11, 24), time(15)),
    ("后天上午10点", _d(11, 25), time(10)),
    ("大后天", _d(11, 26), None),
    ("周五上午10点", _d(11, 27), time(10)),
    ("周五", _d(11, 27), None),
    ("星期五下午两点", _d(11, 27), time(14)),
    ("礼拜三", _d(11, 25), None),
    ("下周一", _d(11, 30), None),
    ("下周一上午9点", _d(11, 30), time(9)),
    ("下下周一", _d(12, 7), None),
    ("下下周", _d(12, 7), None),
    ("下周", _d(11, 30), None),
    ("这周五", _d(11, 27), None),
    ("本周日", _d(11, 29), None),
    ("月底", _d(11, 30), None),
    ("本月底", _d(11, 30), None),
    ("下个月底", _d(12, 31), None),
    ("下个月5号", _d(12, 5), None),
    ("下月5号", _d(12, 5), None),
    ("下个月初", _d(12, 1), None),
    ("5号", _d(12, 5), None),
    ("25号", _d(11, 25), None),
    ("年底", _d(12, 31), None),
    ("12月1日", _d(12, 1), None),
    ("12月1号下午3点", _d(12, 1), time(15)),
    ("2026年12月8日", _d(12, 8), None),
    ("3天后", _d(11, 26), None),
    ("三天后", _d(11, 26), None),
    ("两周后", _d(12, 7), None),
    ("一个月后", _d(12, 23), None),
    ("半个月后", _d(12, 8), None),
    ("今晚8点", _d(11, 23), time(20)),
    ("明早", _d(11, 24), time(9)),
    ("明天上午", _d(11, 24), time(9)),
    ("明天下午", _d(11, 24), time(14)),
    ("今天下午5点", _d(11, 23), time(17)),
    ("下午3点", _d(11, 23), time(15)),
    ("晚上8点半", _d(11, 23), time(20, 30)),
    ("中午12点", _d(11, 23), time(12)),
    ("“明天下午3点”", _d(11, 24), time(15)),
    ("「周五上午10点」", _d(11, 27), time(10)),
    # English, as typed
    ("tomorrow 3pm", _d(11, 24), time(15)),
    ("tomorrow at 3pm", _d(11, 24), time(15)),
    ("tomorrow 15:00", _d(11, 24), time(15)),
    ('"tomorrow 15:00"', _d(11, 24), time(15)),
    ("“fri 3pm”", _d(11, 27), time(15)),
    ("Tomorrow 3 PM", _d(11, 24), time(15)),
    ("3pm tomorrow", _d(11, 24), time(15)),
    ("fri 15:00", _d(11, 27), time(15)),
    ("tomorrow at 10", _d(11, 24), time(10)),
    ("fri at 9:30", _d(11, 27), time(9, 30)),
    ("tomorrow at 3", _d(11, 24), time(15)),  # "at 3" in working hours is the afternoon
    ("tomorrow @ 11", _d(11, 24), time(11)),
    ("fri", _d(11, 27), None),
    ("Friday", _d(11, 27), None),
    ("next fri", _d(12, 4), None),
    ("next friday 10am", _d(12, 4), time(10)),
    ("this fri", _d(11, 27), None),
    ("mon", _d(11, 30), None),
    ("in 3 days", _d(11, 26), None),
    ("in three days", _d(11, 26), None),
    ("in 2 weeks", _d(12, 7), None),
    ("3d", _d(11, 26), None),
    ("end of month", _d(11, 30), None),
    ("end of the month", _d(11, 30), None),
    ("end of next month", _d(12, 31), None),
    ("eom", _d(11, 30), None),
    ("next week", _d(11, 30), None),
    ("next month", _d(12, 23), None),
    ("the 5th", _d(12, 5), None),
    ("tonight", _d(11, 23), time(20)),
    ("tomorrow morning", _d(11, 24), time(9)),
    ("2026-12-01 9:30", _d(12, 1), time(9, 30)),
    ("12/01 14:00", _d(12, 1), time(14)),
    ("December 1", _d(12, 1), None),
    ("15:00", _d(11, 23), time(15)),
    ("３ｐｍ", _d(11, 23), time(15)),
]


@pytest.mark.parametrize(("text", "day", "at"), WHEN)
def test_dates_and_times_as_people_write_them(text: str, day: date, at: time | None) -> None:
    when = parse_when(text, TODAY)
    assert (when.day, when.at) == (day, at)


@pytest.mark.parametrize("text", ["明天吃饭", "blah", "5", "1,000", "下午", "2026-02-30",
                                  "13月1日", "fri 25:00"])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_when(text, TODAY)
    assert refused.value.key == "parse.date"


@pytest.mark.parametrize(("text", "day", "at", "rest"), [
    ("明天下午3点给王总打电话", _d(11, 24), time(15), "给王总打电话"),
    ("周五上午10点半和王总见面", _d(11, 27), time(10, 30), "和王总见面"),
    ("下下周 回访", _d(12, 7), None, "回访"),
    ("月底前催款", _d(11, 30), None, "前催款"),
    ("tomorrow 15:00 call Li", _d(11, 24), time(15), "call Li"),
    ("fri 3pm send the contract", _d(11, 27), time(15), "send the contract"),
    ("monday meeting", _d(11, 30), None, "meeting"),
    ("in 3 days follow up", _d(11, 26), None, "follow up"),
])
def test_a_reminder_text_starts_with_when(text: str, day: date, at: time | None,
                                          rest: str) -> None:
    found = split_when(text, TODAY)
    assert found is not None
    when, left = found
    assert (when.day, when.at, left) == (day, at, rest)


@pytest.mark.parametrize(("text", "day"), [
    ("close=月底", _d(11, 30)), ("valid=下个月5号", _d(12, 5)), ("2026/12/31", _d(12, 31)),
    ("下周五下午3点", _d(12, 4)),
])
def test_date_options_read_the_day(text: str, day: date) -> None:
    assert parse_date(text.split("=")[-1], TODAY) == day


@pytest.mark.parametrize(("text", "expected"), [
    ("22:00-07:30", (time(22), time(7, 30))),
    ("22:00~7:30", (time(22), time(7, 30))),
    ("晚上10点到早上7点半", (time(22), time(7, 30))),
    ("10pm to 7am", (time(22), time(7))),
    ("21：00－08：00", (time(21), time(8))),
])
def test_quiet_hours_as_written(text: str, expected: tuple[time, time]) -> None:
    assert parse_time_range(normalise(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("30s", timedelta(seconds=30)), ("1m", timedelta(minutes=1)),
    ("5 min", timedelta(minutes=5)), ("1h", timedelta(hours=1)),
    ("5分钟", timedelta(minutes=5)), ("1小时", timedelta(hours=1)),
])
def test_intervals_as_written(text: str, expected: timedelta) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("3点", time(3)), ("下午3点", time(15)), ("凌晨2点", time(2)), ("3:30 p.m.", time(15, 30)),
    ("10点一刻", time(10, 15)), ("noon", time(12)),
])
def test_times_of_day(text: str, expected: time) -> None:
    assert parse_time(text) == expected


# --------------------------------------------------------------------------- options


OPTIONS = [
    ("上海腾讯科技有限公司，contact=王五", ["上海腾讯科技有限公司"], {"contact": "王五"}),
    ("上海腾讯科技有限公司，联系人=王五", ["上海腾讯科技有限公司"], {"contact": "王五"}),
    ("星辰科技 联系人：王五 电话：13900001111", ["星辰科技"],
     {"contact": "王五", "phone": "13900001111"}),
    ("星辰科技 联系人＝王五", ["星辰科技"], {"contact": "王五"}),
    ("星辰科技、来源=展会", ["星辰科技"], {"source": "展会"}),
    ("星辰科技联系人=王五", ["星辰科技"], {"contact": "王五"}),
    ("星辰科技 联系人=王五,电话=139 备注=“下午 再打”", ["星辰科技"],
     {"contact": "王五", "phone": "139", "note": "下午 再打"}),
    ('Acme "Big Deal" amount=5k note="call back"', ["Acme", "Big Deal"],
     {"amount": "5k", "note": "call back"}),
    ("D-1 金额=5万 成交日期=月底", ["D-1"], {"amount": "5万", "close": "月底"}),
    ("Q-1 计划=30/60/10 签约日期=今天", ["Q-1"], {"plan": "30/60/10", "signed": "今天"}),
    ("INV-2026-0001 1000 方式=支付宝 参考号=BANK-9", ["INV-2026-0001", "1000"],
     {"method": "支付宝", "ref": "BANK-9"}),
    ("D-1 call talked to Li next=in 3 days", ["D-1", "call", "talked", "to", "Li"],
     {"next": "in 3 days"}),
    ("D-1 电话 沟通了价格 下次=周五 下午3点", ["D-1", "电话", "沟通了价格"],
     {"next": "周五 下午3点"}),
    ("D-1 call x next=fri 3pm call him", ["D-1", "call", "x", "call", "him"],
     {"next": "fri 3pm"}),
    ("Q-1 原因=「价格太高」", ["Q-1"], {"reason": "价格太高"}),
    ("O-1 分期=2 到期=下个月5号", ["O-1"], {"installment": "2", "due": "下个月5号"}),
    ("10 x 服务器 @ 5000;2 x 安装 @ 3千 折扣=5",
     ["10", "x", "服务器", "@", "5000;2", "x", "安装", "@", "3千"], {"discount": "5"}),
    ("页=2", [], {"page": "2"}),
    ("A-5 名称=星辰 税号=91310000 地址=上海", ["A-5"],
     {"name": "星辰", "tax_id": "91310000", "address": "上海"}),
    ("A-5 姓名=王五 职位=经理", ["A-5"], {"name": "王五", "title": "经理"}),
    ("L-1 金額=5萬 聯繫人：王五", ["L-1"], {"amount": "5萬", "contact": "王五"}),
    ("see https://x.com/?a=b", ["see", "https://x.com/?a=b"], {}),
    ("Acme, Inc. contact=Li", ["Acme,", "Inc."], {"contact": "Li"}),
    ("reason=", [], {"reason": ""}),
]


@pytest.mark.parametrize(("text", "positional", "options"), OPTIONS)
def test_options_as_people_write_them(text: str, positional: list[str],
                                      options: dict[str, str]) -> None:
    allowed = ("contact", "phone", "source", "note", "amount", "close", "plan", "signed",
               "method", "ref", "next", "reason", "installment", "due", "discount", "page",
               "name", "tax_id", "address", "title")
    args = tokenize(normalise(text), allowed)
    assert (args.positional, args.options) == (positional, options)


def test_a_colon_is_only_an_option_sign_for_the_commands_own_options() -> None:
    args = tokenize(normalise("D-1 电话 备注：明天再打"), ("next",))
    assert (args.positional, args.options) == (["D-1", "电话", "备注:明天再打"], {})


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("5万", "50000", "CNY"), ("５万", "50000", "CNY"), ("3千", "3000", "CNY"),
    ("1.5亿", "150000000", "CNY"), ("¥50,000", "50000", "CNY"), ("5萬", "50000", "CNY"),
    ("￥５０，０００", "50000", "CNY"),
    ("50k", "50000", "CNY"), ("12.5万元", "125000", "CNY"), ("USD 5000", "5000", "USD"),
    ("5000美元", "5000", "USD"), ("1,234.56", "1234.56", "CNY"),
    ("２０００块", "2000", "CNY"),
])
def test_amounts_as_written(text: str, amount: str, currency: str) -> None:
    money = parse_amount(normalise(text), "CNY")
    assert (money.amount, money.currency) == (Decimal(amount), currency)


# --------------------------------------------------------------------------- quote lines


@pytest.mark.parametrize(("text", "lines"), [
    ('10 x "Server X1" @ 5,000', [("10", "Server X1", "5,000")]),
    ("2 x “Rack Cabinet” @ 800", [("2", "Rack Cabinet", "800")]),
    ("10x服务器@5000；2x安装@3千", [("10", "服务器", "5000"), ("2", "安装", "3千")]),
    ("10 × 服务器 @ 5000", [("10", "服务器", "5000")]),
    ("１０ｘ服务器＠５０００", [("10", "服务器", "5000")]),
    ("3 * 「年度维保」 @ 1.2万", [("3", "年度维保", "1.2万")]),
    ("1 x Xeon box @ 900", [("1", "Xeon box", "900")]),
])
def test_quote_lines_as_written(text: str, lines: list[tuple[str, str, str]]) -> None:
    read = parse_quote_lines(normalise(text))
    assert [(f"{line.quantity:f}", line.item, line.price) for line in read] == lines


# --------------------------------------------------------------------------- configured values


@pytest.mark.parametrize(("kind", "text", "key"), [
    ("stage", "谈判", "negotiation"), ("stage", "商务谈判", "negotiation"),
    ("stage", "negotiation", "negotiation"), ("stage", "Negotiation", "negotiation"),
    ("stage", "方案", "proposal"), ("stage", "prop", "proposal"),
    ("stage", "资格", "qualification"),
    ("stage", "商務談判", "negotiation"),
    ("source", "展会", "event"), ("source", "展會", "event"), ("source", "web", "website"),
    ("source", "官网", "website"), ("source", "转介绍", "referral"),
    ("source", "cold call", "cold_call"),
    ("source", "陌拜", "cold_call"), ("source", "ＷＥＢ", "website"),
    ("method", "支付宝", "alipay"), ("method", "微信", "wechat"), ("method", "转账", "bank"),
    ("method", "银行卡", "card"), ("method", "Alipay", "alipay"), ("method", "现金", "cash"),
    ("kind", "电话", "call"), ("kind", "拜访", "visit"), ("kind", "会", "meeting"),
    ("kind", "wechat", "wechat"), ("kind", "邮件", "email"), ("kind", "Call", "call"),
])
def test_configured_values_by_key_name_or_part(kind: str, text: str, key: str) -> None:
    assert resolve(SETTINGS.terms(kind), normalise(text), kind) == key


@pytest.mark.parametrize(("kind", "text", "choices"), [
    ("kind", "电", {"call", "email"}),
    ("method", "银行", {"bank"}),
    ("source", "c", {"cold_call", "partner"}),
])
def test_a_word_fitting_several_values_asks_which(kind: str, text: str,
                                                  choices: set[str]) -> None:
    if len(choices) == 1:
        assert resolve(SETTINGS.terms(kind), text, kind) in choices
        return
    with pytest.raises(Ambiguous) as asked:
        resolve(SETTINGS.terms(kind), text, kind)
    assert set(asked.value.choices.keys) <= choices and len(asked.value.choices.keys) > 1


# --------------------------------------------------------------------------- one form


@pytest.mark.parametrize(("typed", "stored"), [
    ("１３９００００１１１１", "13900001111"), ("ＦＷ－１", "FW-1"),
    ("ｌｉ＠ａｃｍｅ．ｃｏｍ", "li@acme.com"),
    ("/lead　星辰科技", "/lead 星辰科技"), ("a\u200bb", "ab"),
])
def test_one_form_for_every_incoming_text(typed: str, stored: str) -> None:
    assert normalise(typed) == stored


@pytest.mark.parametrize(("one", "other"), [
    ("BANK-9", "bank-9"), ("BANK-9", "ＢＡＮＫ－９"), ("FW 123", "fw  123"),
])
def test_bank_refs_compare_folded(one: str, other: str) -> None:
    assert bank_ref_key(one) == bank_ref_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("華為技術有限公司", "华为技术"), ("阿里巴巴（中国）有限公司", "阿里巴巴"),
    ("ACME Limited", "Acme Ltd"),
    ("臺灣積體電路製造", "台湾积体电路制造"),
])
def test_company_names_compare_across_scripts_and_forms(one: str, other: str) -> None:
    assert normalise_company(one) == normalise_company(other)


@pytest.mark.parametrize(("text", "number"), [
    ("d-1", "D-1"), ("Ｄ－１２", "D-12"), ("inv-2026-7", "INV-2026-0007"), ("L12", "L-12"),
])
def test_references_as_typed(text: str, number: str) -> None:
    assert parse_ref(normalise(text)).number == number
