"""No English key reaches a Chinese reader: stages, statuses, sources, payment methods and kinds
of activity are named in Chinese in every reply, button, card, list, error, notification, digest,
CSV file and chart a Chinese team can make the bot write.

Two walks: every Chinese catalog text as written, and every message a whole Chinese working
week renders (typed as a phone keyboard produces it), which must include each message that
shows one of those values.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from bot.app import App
from domain.model.activities import ActivityKind
from domain.model.deals import DealStatus
from domain.model.invoices import InvoiceStatus
from domain.model.leads import LeadStatus
from domain.model.orders import OrderStatus
from domain.model.payments import PaymentMethod
from domain.model.quotes import QuoteStatus
from domain.model.reminders import ReminderStatus
from domain.plans import Trigger
from domain.reminders import queue_due_reminders
from domain.settings import Settings
from handlers.charts import Bar
from handlers.i18n import Translator, catalog_paths
from handlers.notifications import render
from handlers.reply import Reply
from storage.tables import outbox
from tests.support import FakeClock, say

ZH = "zh_Hans_CN"
# Placeholders that carry a stage, status, source, method or kind (or a list of them).
TERM_PLACEHOLDERS = {"stage", "old", "new", "status", "source", "method", "kind", "sources",
                     "stages", "methods", "kinds", "choices", "allowed", "scopes"}
# Messages with such a placeholder that no chat message can produce, and why.
UNREACHABLE = {
    "report.bad_scope": "the report commands map their scope words before asking for one",
    "export.bad_kind": "lists the export names to type (deals|invoices|...), not values",
    "ref.wrong_kind": "lists reference examples (D-7, Q-3), not values",
}
_WORD = re.compile(r"(?<![\w/.@-])[a-z_]+(?![\w-])")


def identifiers(settings: Settings) -> frozenset[str]:
    """Every configured key and every status or kind value a reader could be shown raw."""
    keys = {term.key for kind in ("stage", "source", "method", "kind")
            for term in settings.terms(kind)}
    for enum in (LeadStatus, DealStatus, QuoteStatus, InvoiceStatus, OrderStatus,
                 ReminderStatus, PaymentMethod, ActivityKind, Trigger):
        keys |= {member.value for member in enum}
    return frozenset(keys)


def leaks(text: str, settings: Settings) -> set[str]:
    """Identifiers written as words (not as a /command, a file name or part of a reference)."""
    return set(_WORD.findall(text)) & identifiers(settings)


def _catalog() -> Iterator[tuple[str, str]]:
    for path in catalog_paths(ZH):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=ZH):
                if message.id:
                    yield str(message.id), str(message.string)


def test_no_chinese_catalog_text_writes_a_key_itself() -> None:
    settings = Settings()
    found = {key: leaks(re.sub(r"\{[^{}]*\}", " ", text), settings) for key, text in _catalog()}
    assert {key: words for key, words in found.items() if words} == {}


def _term_messages() -> set[str]:
    wanted = set()
    for key, text in _catalog():
        names = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        if names & TERM_PLACEHOLDERS:
            wanted.add(key)
    return wanted


class Rendered:
    """Every message a Chinese translator wrote during the week, by key."""

    def __init__(self) -> None:
        self.texts: dict[str, list[str]] = {}

    def record(self, key: str, text: str) -> None:
        self.texts.setdefault(key, []).append(text)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Rendered:
    seen = Rendered()
    original = Translator.__call__

    def recording(self: Translator, key: str, **params: Any) -> str:
        text = original(self, key, **params)
        if self.language == "zh":
            seen.record(key, text)
        return text

    monkeypatch.setattr(Translator, "__call__", recording)
    return seen


@pytest.fixture
def chart_words(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The words each chart is drawn with: titles, legends, bar and month labels."""
    import handlers.charts as charts

    drawn: dict[str, list[str]] = {}

    def words(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, Bar):
            return [value.label]
        if isinstance(value, list | tuple):
            return [w for item in value for w in words(item)]
        return []

    for name in ("pipeline_chart", "aging_chart", "forecast_chart"):
        draw = getattr(charts, name)

        def recording(*args: Any, _draw: Any = draw, _name: str = name, **kwargs: Any) -> bytes:
            drawn.setdefault(_name, []).extend(words(list(args) + list(kwargs.values())))
            result: bytes = _draw(*args, **kwargs)
            return result

        monkeypatch.setattr(charts, name, recording)
    return drawn


class Week:
    """A Chinese team's week typed into the bot; every reply kept."""

    def __init__(self, app: App, clock: FakeClock) -> None:
        self.app = app
        self.clock = clock
        self.replies: list[tuple[str, Reply]] = []

    def say(self, user: str, text: str, ok: bool | None = True) -> Reply:
        reply = say(self.app, user, text)
        self.replies.append((text, reply))
        if ok is not None:
            assert reply.ok is ok, f"{text}\n{reply.text}"
        return reply

    def outbox(self) -> list[Reply]:
        """Each queued notification rendered for a Chinese reader, as the sender would."""
        with self.app.engine.connect() as conn:
            rows = conn.execute(select(outbox.c.key, outbox.c.params)).all()
        t = Translator(ZH, "Asia/Shanghai", self.app.settings)
        return [render(key, params, t) for key, params in rows]


def _shown(reply: Reply) -> list[str]:
    parts = [reply.text] + [b.label for row in reply.buttons for b in row]
    parts += [f.data.decode("utf-8-sig") for f in reply.files if f.mime == "text/csv"]
    return parts


def _work_the_week(week: Week) -> None:
    """Lead to cash, errors included, as typed on a phone: full-width signs, few spaces."""
    s = week.say
    for user in ("rep", "mgr", "fin", "boss"):
        s(user, "/lang 中文")
    s("rep", "/lead 星辰科技，来源＝展会 联系人：王经理 电话=１３９００００１１１１")
    s("rep", "/lead 星辰科技有限公司")  # a look-alike: lead.similar_item
    s("rep", "/lead 月光贸易 来源=报纸", ok=False)
    s("rep", "/lead 月光贸易 颜色=红", ok=False)
    s("rep", "/lead 月光贸易，来源=官网")
    s("rep", "/leads 全部")
    s("rep", "/qualify L-1 金额=5万 成交日期=月底")
    s("rep", "/qualify L-1", ok=False)
    s("rep", "/stage D-1 谈判")
    s("rep", "/stage D-1 商务谈判", ok=False)
    s("rep", "/stage D-1 飞机", ok=False)
    s("rep", "/log D-1 电 聊了聊", ok=False)  # 电话 or 电邮: pick one
    s("rep", "/log D-1 电话 沟通了价格，下次=明天下午3点")
    s("rep", "/log D-1 传真 发了资料", ok=False)
    s("rep", "/quote D-1 10x服务器@5000；2x安装@3千 折扣=20")
    s("rep", "/deal D-1")
    s("rep", "/lead L-1")  # the lead's card: its status and source
    s("rep", "/find 星辰")  # a lead, a customer and a deal found: statuses and stages
    s("rep", "/edit L-2 来源=官网")
    s("rep", "/history L-2")  # the source before and after, by name
    s("rep", "/deals")
    s("rep", "/deals 飞机", ok=False)
    s("rep", "/pipeline 全部", ok=False)
    s("mgr", "/approve Q-1")
    s("mgr", "/approve Q-1", ok=False)
    s("rep", "/accept Q-1 计划=30/60/10")
    s("rep", "/withdraw Q-1", ok=False)
    s("rep", "/stage D-1 方案报价", ok=False)
    s("rep", "/invoice O-1", ok=False)
    s("fin", "/invoice O-1")
    s("rep", "/order O-1")
    s("rep", "/deliver O-1 2x服务器")
    s("fin", "/pay INV-2026-0001 1000 方式=支付宝 参考号=ＢＡＮＫ－１")
    s("fin", "/pay INV-2026-0001 100 方式=比特币", ok=False)
    s("fin", "/pay A-1 500000 方式=微信")  # more than is due: credit
    s("rep", "/deliver O-1 全部")
    s("fin", "/invoice O-1 分期=2")  # paid from the credit at once
    s("fin", "/invoices 全部")
    s("fin", "/customer A-1")
    s("rep", "/status A-1")  # as the customer sees it: each order's status by name
    s("mgr", "/product add SRV-1 云服务器 4800 单位=台 库存=5")
    s("mgr", "/stock SRV-1 +10 备注=到货")
    s("rep", "/stock SRV-1")  # its moves, each by its kind's name
    s("rep", "/nps A-1 3 评论=交付太慢")  # a detractor: the owner hears how it was given
    s("rep", "/qualify L-3")  # 月光贸易 from the website: a second deal, left open
    s("rep", "/lead 云海科技、来源=转介绍")
    s("rep", "/qualify L-4")
    s("rep", "/won D-3")  # a new customer from a source nobody spent on
    s("rep", "/lead 海风物流")
    s("rep", "/qualify L-5")
    s("rep", "/quote D-4 1x咨询服务@2万")
    s("rep", "/accept Q-2 计划=net30")
    s("rep", "/deliver O-2 全部")
    s("fin", "/invoice O-2")  # left unpaid: something to age
    s("fin", "/aging 全部")
    s("fin", "/spend 展会 5000")
    s("mgr", "/pipeline 团队")
    s("mgr", "/funnel 团队")
    s("mgr", "/funnel 团队 按=飞机", ok=False)
    s("boss", "/kpi 全部")
    # Sentences: drafts name the kind of activity, the stage, the source and the method.
    s("rep", "拜访了月光贸易，聊了二期方案")
    s("rep", "新线索 海天味业 王五 13900001111 来自展会")
    s("rep", "月光贸易的单子推进到谈判")
    s("rep", "星辰科技支付宝付了1000")
    s("fin", "/payments")
    for kind in ("deals", "invoices", "payments", "activities"):
        s("boss", f"/export {kind}")
    week.clock.advance(days=20)
    with week.app.uow() as uow:
        queue_due_reminders(uow, week.clock())
        uow.commit()
    s("mgr", "/stale 团队 天数=10")
    week.clock.now += timedelta(days=(7 - week.clock.now.weekday()) % 7 or 7)
    s("mgr", "/digest")
    s("fin", "/digest")


def test_a_chinese_week_shows_no_key_anywhere(app: App, clock: FakeClock, rendered: Rendered,
                                              chart_words: dict[str, list[str]]) -> None:
    week = Week(app, clock)
    _work_the_week(week)
    assert set(chart_words) == {"pipeline_chart", "aging_chart", "forecast_chart"}
    drawn = [(name, word) for name, texts in chart_words.items() for word in texts
             if leaks(word, app.settings)]
    assert drawn == []
    assert "资格确认" in chart_words["pipeline_chart"]
    shown = [(text, part) for text, reply in week.replies for part in _shown(reply)]
    shown += [("outbox", part) for reply in week.outbox() for part in _shown(reply)]
    assert len(shown) > 60
    leaked = [(text, sorted(leaks(part, app.settings)), part[:200])
              for text, part in shown if leaks(part, app.settings)]
    assert leaked == []
    written = [(key, sorted(leaks(text, app.settings)), text[:200])
               for key, texts in rendered.texts.items() for text in texts
               if leaks(text, app.settings)]
    assert written == []
    missing = _term_messages() - set(rendered.texts) - set(UNREACHABLE)
    assert missing == set(), "messages showing a value that the week never wrote"
