"""The company the sentence sets talk about: rep's customers, contacts and deals in Chinese and
English, two customers whose names share a word, a customer with two open deals, a lead not yet
qualified, and rep2's look-alike records that rep may not see.

Built by typing commands, so its numbers are the same on every database: the expected
commands of the sentence sets (held_out.tsv, development.tsv) name them.
"""

from __future__ import annotations

from bot.app import App
from tests.support import FakeClock, say

SETUP: list[tuple[str, str]] = [
    ("rep", "/lead 华为技术有限公司 contact=李经理 phone=13800000001"),
    ("rep", '/qualify L-1 amount=500k title="华为数据中心项目"'),            # A-1 C-1 D-1
    ("rep", "/lead 阿里巴巴 contact=张总 phone=13800000002"),
    ("rep", '/qualify L-2 amount=300k title="阿里云采购"'),                  # A-2 C-2 D-2
    ("rep", "/lead 腾讯科技 contact=马经理"),
    ("rep", '/qualify L-3 amount=200k title="腾讯会议室改造"'),              # A-3 C-3 D-3
    ("rep", "/lead 小米科技"),
    ("rep", '/qualify L-4 amount=150k title="小米工厂MES"'),                # A-4 D-4
    ("rep", "/lead 京东集团 contact=刘总"),
    ("rep", '/qualify L-5 amount=80k title="京东物流仓储"'),                 # A-5 C-4 D-5
    ("rep", '/lead "Globex Corporation" contact="Hank Scorpio" phone=5550100'),
    ("rep", '/qualify L-6 amount=120k title="Globex CRM rollout"'),         # A-6 C-5 D-6
    ("rep", '/lead Initech contact="Bill Lumbergh"'),
    ("rep", '/qualify L-7 amount=40k title="Initech licenses"'),            # A-7 C-6 D-7
    ("rep", '/lead "Acme Ltd" contact="Wile Coyote"'),
    ("rep", '/qualify L-8 amount=90k title="Acme hardware refresh"'),       # A-8 C-7 D-8
    ("rep", '/lead 中信银行 contact=周行长'),
    ("rep", '/qualify L-9 amount=60k title="中信银行网点升级"'),             # A-9 C-8 D-9
    ("rep", "/lead 中信证券"),
    ("rep", '/qualify L-10 amount=70k title="中信证券投研平台"'),            # A-10 D-10
    ("rep", '/lead "Umbrella Corp" contact="Albert Wesker"'),
    ("rep", '/qualify L-11 amount=30k title="Umbrella lab sensors"'),       # A-11 C-9 D-11
    ("rep", "/won D-11"),
    ("rep", "/lead 美团"),
    ("rep", '/qualify L-12 amount=50k title="美团骑手终端"'),                # A-12 D-12
    ("rep", '/lead 星辰科技 contact=赵总 phone=13900002222'),                # L-13, a lead
    ("rep2", '/lead 华为终端有限公司 contact=李经理'),
    ("rep2", '/qualify L-14 amount=70k title="华为终端门店"'),               # A-13 C-10 D-13
    ("rep2", '/lead "Globex Logistics"'),
    ("rep2", '/qualify L-15 customer=new amount=10k title="Globex Logistics pilot"'),  # A-14 D-14
    # The second open deal of customers that have two (a name alone does not say which).
    ("rep", "/lead 阿里巴巴"),
    ("rep", '/qualify L-16 customer=A-2 amount=100k title="阿里钉钉集成"'),      # D-15
    ("rep", '/lead "Acme Ltd"'),
    ("rep", '/qualify L-17 customer=A-8 amount=20k title="Acme support contract"'),  # D-16
    ("rep", "/log D-2 call 聊了价格"),
]


def build(app: App, clock: FakeClock) -> None:
    """Type the company in as its people would."""
    for user, text in SETUP:
        reply = say(app, user, text)
        assert reply.ok, f"{text}: {reply.text}"
    clock.advance(hours=1)
