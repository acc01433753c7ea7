"""Reading a sentence without storage: its intent, its dates, amounts and stages, a lead's parts,
and values written back into commands that read them unchanged."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from decimal import Decimal

import pytest

from domain.money import Money
from domain.settings import Settings
from handlers.arguments import tokenize, unquote
from handlers.sentences.leads import LeadParts, read_lead
from handlers.sentences.reading import find_amount, read
from handlers.sentences.writing import free_text, quoted

TODAY = date(2026, 11, 23)  # a Monday
SETTINGS = Settings()


@pytest.mark.parametrize(("sentence", "intent"), [
    ("今天拜访了阿里张总，聊了报价，下周三再跟进", "log"),
    ("called Globex, they want a demo next fri", "log"),
    ("新线索 腾讯 王五 13900001111 来自展会", "lead"),
    ("new lead Wayne Enterprises, contact Bruce Wayne", "lead"),
    ("提醒我明天下午3点给华为打电话", "remind"),
    ("remind me friday to send the contract", "remind"),
    ("华为的单子赢了", "won"),
    ("we closed initech", "won"),
    ("华为的单子丢了，价格太高", "lost"),
    ("把华为推进到方案报价阶段", "stage"),
    ("Globex moved to negotiation", "stage"),
    ("华为付了5万", "paid"),
    ("acme paid us 12,500 yesterday", "paid"),
    ("华为还欠多少钱", "owes"),
    ("is globex overdue", "owes"),
    ("我今天要做什么", "todo"),
    ("what's on my list", "todo"),
    ("我的销售漏斗", "pipeline"),
    ("本月回款多少", "payments"),
    ("how much did we collect this month", "payments"),
    ("华为的单子怎么样了", "deal"),
    ("where are we with initech", "deal"),
])
def test_the_intent_of_everyday_sentences(sentence: str, intent: str) -> None:
    assert read(sentence, TODAY, SETTINGS).intent == intent


def test_a_follow_up_date_and_time_are_read_with_the_commands_grammar() -> None:
    reading = read("今天拜访了阿里张总，聊了报价，下周三再跟进", TODAY, SETTINGS)
    assert reading.when is not None and reading.when.day == date(2026, 12, 2)
    assert reading.kind == "visit"
    timed = read("提醒我明天下午3点给华为打电话", TODAY, SETTINGS)
    assert timed.when is not None
    assert (timed.when.day, timed.when.at) == (date(2026, 11, 24), time(15))


def test_a_reminder_said_at_an_hour_keeps_the_hour_and_not_the_number() -> None:
    timed = read("remind me tomorrow at 10 to send the contract to Globex", TODAY, SETTINGS)
    assert timed.when is not None
    assert (timed.when.day, timed.when.at) == (date(2026, 11, 24), time(10))


def test_today_is_not_a_follow_up() -> None:
    assert read("today I called Initech", TODAY, SETTINGS).when is None


def test_the_kind_of_activity_is_the_first_said_and_allows_a_typo() -> None:
    assert read("今天去腾讯拜访 明天再打电话确认", TODAY, SETTINGS).kind == "visit"
    assert read("和华为李经理微信聊了", TODAY, SETTINGS).kind == "wechat"
    assert read("caled globex no answer", TODAY, SETTINGS).kind == "call"


@pytest.mark.parametrize(("text", "amount"), [
    ("华为付了５万", Money(Decimal(50000), "CNY")),
    ("globex sent payment of $15,000", Money(Decimal(15000), "USD")),
    ("initech paid 2.5k by check", Money(Decimal(2500), "CNY")),
    ("umbrella wired 8000 USD", Money(Decimal(8000), "USD")),
    ("received 3000 from globex", Money(Decimal(3000), "CNY")),
])
def test_amounts_are_read_as_commands_read_them(text: str, amount: Money) -> None:
    found = find_amount(read(text, TODAY, SETTINGS).plain, SETTINGS, [])
    assert found is not None and found[0] == amount


@pytest.mark.parametrize("text", ["新线索 腾讯 王五 13900001111", "跟腾讯聊了12月1号的安排",
                                  "initech wants 20 more seats"])
def test_phone_numbers_dates_and_counts_are_not_amounts(text: str) -> None:
    reading = read(text, TODAY, SETTINGS)
    assert find_amount(reading.plain, SETTINGS, reading.spans) is None


def test_the_stage_is_a_configured_one_by_any_of_its_words() -> None:
    assert read("小米到谈判阶段了", TODAY, SETTINGS).stage == "negotiation"
    assert read("move initech to proposal", TODAY, SETTINGS).stage == "proposal"


def test_payment_method_reference_and_day() -> None:
    reading = read("华为昨天支付宝付了５万，流水号BANK778", TODAY, SETTINGS)
    assert (reading.method, reading.bank_ref, reading.paid_on) == (
        "alipay", "BANK778", date(2026, 11, 22))


@pytest.mark.parametrize(("sentence", "parts"), [
    ("新线索 腾讯 王五 13900001111 来自展会",
     LeadParts("腾讯", "王五", "13900001111", None, "event")),
    ("新线索：字节跳动，联系人陈总，电话13712345678",
     LeadParts("字节跳动", "陈总", "13712345678", None, None)),
    ("新线索 美的集团 联系人 方经理 电话 13800138000 来源 广告",
     LeadParts("美的集团", "方经理", "13800138000", None, "ads")),
    ("new lead: Stark Industries from the trade show, Pepper Potts pepper@stark.com",
     LeadParts("Stark Industries", "Pepper Potts", None, "pepper@stark.com", "event")),
    ("new lead Cyberdyne Systems, Miles Dyson, +1 415 555 0134, cold call",
     LeadParts("Cyberdyne Systems", "Miles Dyson", "+1 415 555 0134", None, "cold_call")),
])
def test_a_leads_parts(sentence: str, parts: LeadParts) -> None:
    assert read_lead(sentence, SETTINGS) == parts


@pytest.mark.parametrize(("value", "stored"), [
    ("Acme", "Acme"), ("Wayne Enterprises", "Wayne Enterprises"), ("a=b", "a=b"),
    ("联系人=王五", "联系人=王五"), ("下次：周五", "下次：周五"),
    ('say "hi"', "say hi"), ("“quoted”", "quoted")])  # quotes are never stored
def test_a_value_is_written_so_that_a_command_reads_it_back(value: str, stored: str) -> None:
    args = tokenize(f"/x {quoted(value, ('next',))} k=1", ("next",))
    assert args.positional[1] == stored
    assert args.options == {"k": "1"}


@pytest.mark.parametrize("note", ["聊了报价,下周三再跟进", "called Globex, they want a demo",
                                  "下次：周五再聊", "price=high", 'he said "ok"'])
def test_a_note_reads_back_as_the_same_words(note: str) -> None:
    args = tokenize(f"D-1 call {free_text(note, ('next',))} next=2026-12-02", ("next",))
    assert args.options == {"next": "2026-12-02"}
    written = unquote(args.text.split(None, 2)[2])  # as /log reads its text
    assert written in (note, note.replace('"', "'"))


def test_reading_a_sentence_loads_the_chinese_dictionary_only_when_needed() -> None:
    code = ("import sys, handlers.dispatch; assert 'jieba' not in sys.modules; "
            "from handlers.sentences.words import segments; "
            "assert segments('阿里巴巴的单子') and 'jieba' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
