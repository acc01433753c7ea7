"""How long reading what people type takes: the normalisation step, the option reader, the
date and time grammar, choosing a configured value and the company-name key (with the
traditional-to-simplified step), on the real-world inputs of the test table.

    .venv/bin/python bench/typed_text.py            # median and 95th percentile per call, µs
    .venv/bin/python bench/typed_text.py --rounds 2000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.dates import parse_when, split_when  # noqa: E402
from domain.names import normalise_company  # noqa: E402
from domain.settings import Settings  # noqa: E402
from domain.vocabulary import resolve  # noqa: E402
from handlers.arguments import tokenize  # noqa: E402
from handlers.command_line import normalise  # noqa: E402

TODAY = date(2026, 11, 23)
COMMANDS = [
    "上海腾讯科技有限公司，contact=王五",
    "星辰科技 联系人：王五 电话：１３９００００１１１１ 来源：展会",
    "D-1 call talked to Li about the rollout next=in 3 days",
    "D-1 电话 沟通了价格，下次＝明天下午3点",
    'D-4 10 x "Server X1" @ 5,000; 2 x Install @ 2k discount=20',
    "INV-2026-0001 ５万 方式：支付宝 参考号：ＦＷ－１",
]
WHENS = ["明天下午3点", "周五上午10点", "下下周一", "月底", "下个月5号", "tomorrow 3pm",
         "fri 15:00", "in 3 days", "end of month", "December 1"]
REMINDERS = ["明天下午3点给王总打电话，确认合同细节", "fri 3pm send the signed contract to Li"]
CHOICES = [("stage", "谈判"), ("source", "web"), ("method", "支付宝"), ("kind", "电话"),
           ("stage", "Negotiation")]
NAMES = ["華為技術有限公司", "阿里巴巴（中国）有限公司", "ACME Limited", "上海星辰科技有限公司"]


def _read(text: str, options: tuple[str, ...]) -> object:
    return tokenize(normalise(text), options)


def _time(call: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median and 95th percentile of one call, in microseconds."""
    call()  # warm caches (compiled patterns, the converter's dictionaries)
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    rounds = parser.parse_args(argv).rounds
    settings = Settings()
    options = ("contact", "phone", "source", "next", "discount", "method", "ref")
    cases: list[tuple[str, Callable[[], object]]] = []
    cases += [(f"normalise+tokenize {c[:28]}", partial(_read, c, options)) for c in COMMANDS]
    cases += [(f"parse_when {w}", partial(parse_when, w, TODAY)) for w in WHENS]
    cases += [(f"split_when {r[:20]}", partial(split_when, r, TODAY)) for r in REMINDERS]
    cases += [(f"resolve {k} {w}", partial(resolve, settings.terms(k), w, k))
              for k, w in CHOICES]
    cases += [(f"normalise_company {n}", partial(normalise_company, n)) for n in NAMES]
    print(f"{'call':<52} {'median µs':>10} {'p95 µs':>10}")
    for label, call in cases:
        median, p95 = _time(call, rounds)
        print(f"{label:<52} {median:>10.1f} {p95:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
