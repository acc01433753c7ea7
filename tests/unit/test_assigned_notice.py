"""The new owner's notice is written in their language, with a button to the first record."""

from __future__ import annotations

from handlers.i18n import Translator
from handlers.notifications import render

PARAMS = {"by": "Wang", "count": 2, "refs": "A-1, D-1", "reminders": 1, "first": "A-1"}


def test_the_notice_names_who_gave_what_and_opens_the_first_record() -> None:
    reply = render("notify.assigned", PARAMS, Translator("en"))
    assert reply.text == "Wang gave you these records (2): A-1, D-1. Reminders that came along: 1."
    assert [[b.command for b in row] for row in reply.buttons] == [["/customer A-1"]]


def test_the_notice_reads_in_chinese() -> None:
    reply = render("notify.assigned", PARAMS, Translator("zh_Hans_CN"))
    assert reply.text == "Wang 把 2 条记录交给了你：A-1, D-1。随附提醒：1 条。"
    assert reply.buttons[0][0].label == "打开 A-1"
