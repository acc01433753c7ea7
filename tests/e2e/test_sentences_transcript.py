"""Sentences typed at the console, in English and in Chinese: each thing to record is a draft
showing its command, records, dates and amounts, with its Confirm / Edit / Cancel buttons printed
as the commands they stand for; nothing changes in the database until Confirm is typed; a
question is answered at once; an unknown sentence gets the nearest commands; roles hold."""

from __future__ import annotations

import re

from bot.app import App
from tests.e2e.session import changed_tables, chat, snapshot
from tests.support import FakeClock


def _buttons(text: str) -> list[tuple[str, str]]:
    return re.findall(r"\[([^:\]]+): ([^\]]+)\]", text)


def _setup(app: App) -> None:
    text, refused = chat(app, "rep", '/lead "Globex Corporation" contact="Hank Scorpio"',
                         "/qualify L-1 amount=120k", "/lead 华为技术有限公司 contact=李经理",
                         "/qualify L-2 amount=500k")
    assert refused == 0, text


def test_an_english_sentence_is_a_draft_until_confirmed(app: App, clock: FakeClock) -> None:
    _setup(app)
    before = snapshot(app)
    text, refused = chat(app, "rep", "called Globex, Hank wants a demo next fri")
    assert refused == 0
    assert "Draft, nothing is saved until you confirm:" in text
    command = "/log D-1 call called Globex, Hank wants a demo next fri next=2026-12-04"
    assert f"  {command}\n" in text
    assert "About D-1 Globex Corporation (customer A-1 Globex Corporation)" in text
    assert "Activity: call: called Globex, Hank wants a demo next fri" in text
    assert "Follow-up reminder: Fri, Dec 4, 2026 09:00" in text
    assert "Contact: C-1 Hank Scorpio" in text
    assert _buttons(text) == [("Confirm", command), ("Edit", f"/draft edit {command}"),
                              ("Cancel", "/draft cancel")]
    assert changed_tables(before, snapshot(app)) == {}
    edit, _ = chat(app, "rep", f"/draft edit {command}")
    assert edit.strip().endswith(command)
    assert "Nothing was saved" in chat(app, "rep", "/draft cancel")[0]
    assert changed_tables(before, snapshot(app)) == {}
    done, refused = chat(app, "rep", command)
    assert refused == 0 and "Logged call on D-1" in done and "Reminder R-1" in done
    assert set(changed_tables(before, snapshot(app))) >= {"activities", "reminders",
                                                          "audit_log"}


def test_chinese_sentences_draft_answer_and_refuse_as_their_commands(
        app: App, clock: FakeClock) -> None:
    _setup(app)
    chat(app, "rep", "/lang zh")
    before = snapshot(app)
    text, refused = chat(app, "rep", "华为付了５万")  # no order yet: said before Confirm
    assert refused == 1 and text.startswith("› /paid A-2 50000\n")
    assert text.split("\n")[1] == "A-2 没有合同订单，无需回款。"
    assert [label for label, _ in _buttons(text)] == ["修改"]
    text, _ = chat(app, "rep", "今天拜访了华为李经理 聊了数据中心方案 下周三再跟进")
    note = "今天拜访了华为李经理 聊了数据中心方案 下周三再跟进"
    assert f"/log D-2 拜访 {note} next=2026-12-02" in text
    assert "下次跟进提醒：2026年12月2日 周三 09:00" in text
    assert "联系人：C-2 李经理" in text
    text, _ = chat(app, "rep", "新线索 腾讯 王五 13900001111 来自展会")
    assert "/lead 腾讯 contact=王五 phone=13900001111 source=展会" in text
    assert changed_tables(before, snapshot(app)) == {}

    answer, refused = chat(app, "rep", "华为还欠多少钱")
    assert refused == 0 and answer.startswith("› /invoices open A-2\n")
    todo, _ = chat(app, "rep", "我今天要做什么")
    assert todo.startswith("› /todo\n")
    team, refused = chat(app, "rep", "团队的漏斗怎么样")  # a rep may not see the team's
    assert refused == 1 and team.startswith("› /pipeline team\n")
    unknown, refused = chat(app, "rep", "帮我订一张机票")
    assert refused == 1 and "这句话我没看懂" in unknown
    assert ("帮助", "/help") in _buttons(unknown)
    assert changed_tables(before, snapshot(app)) == {}


def test_a_payment_sentence_becomes_the_reps_report_to_finance(app: App,
                                                                 clock: FakeClock) -> None:
    _setup(app)
    chat(app, "rep", "/quote D-1 1 x Server @ 50k", "/accept Q-1 plan=net30")
    before = snapshot(app)
    text, refused = chat(app, "rep", "Globex paid 20k yesterday, ref FW-88")
    command = "/paid A-1 20000 date=2026-11-22 ref=FW-88"
    assert refused == 0 and "Draft of a payment report" in text and f"  {command}\n" in text
    assert "Payment of CN¥20,000.00 from A-1 Globex Corporation, received Nov 22, 2026" in text
    assert "Bank reference: FW-88" in text
    assert changed_tables(before, snapshot(app)) == {}
    done, refused = chat(app, "rep", command)  # Confirm
    assert refused == 0
    assert set(changed_tables(before, snapshot(app))) >= {"outbox"}  # finance is asked


def test_a_sentence_respects_roles_as_its_command_would(app: App, clock: FakeClock) -> None:
    _setup(app)
    chat(app, "rep", "/quote D-2 1 x Server @ 500k", "/accept Q-1 plan=net30")
    text, refused = chat(app, "fin", "华为付了5万")  # finance books it itself
    assert refused == 0 and "  /pay A-2 50000\n" in text
    text, refused = chat(app, "other", "华为付了5万")  # another team's rep sees no 华为
    assert refused == 1 and "/paid" not in text
    text, refused = chat(app, "fin", "Globex的单子赢了")  # finance may not close deals
    assert refused == 1 and text.startswith("› /won D-1\nYour role (finance) cannot do that")


def test_the_draft_of_an_incomplete_command_is_refused_as_the_command_would(
        app: App, clock: FakeClock) -> None:
    _setup(app)
    before = snapshot(app)
    for line, says in [("/draft /won", "Which deal?"), ("/draft /stage D-1", "which stage?"),
                       ("/draft /log D-1 call", "what happened"),
                       ("/draft /paid A-1", "How much"), ("/draft /lead", "company")]:
        text, refused = chat(app, "rep", line)
        assert refused == 1 and says in text, (line, text)
    assert changed_tables(before, snapshot(app)) == {}
