"""Prometheus metrics: commands by name and outcome, their latency, the outbox and dunning.

Counters live in files of prometheus_client's multiprocess mode (in LTC_METRICS_DIR, by
default ./data/metrics), so what a console counted is still there for `python -m bot stats`,
and several bot processes on one machine add up. Without that directory (tests, libraries
importing this module) they live in memory. The outbox figures (depth, oldest pending age,
rows by status) are read from the database at each scrape, so every process reports the same.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from storage.outbox import OutboxStore

if TYPE_CHECKING:
    from prometheus_client import Counter, Histogram

    from handlers.dispatch import Handled  # a type only: sending needs no command modules

log = logging.getLogger(__name__)

DIRECTORY_ENV = "LTC_METRICS_DIR"
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
DEFAULT_DIRECTORY = Path("data") / "metrics"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds; a command is a few milliseconds, a report on a big database up to seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def use_directory(env: Mapping[str, str]) -> Path | None:
    """Keep the counters in files under LTC_METRICS_DIR (default ./data/metrics); must run
    before prometheus_client is first imported, which reads the setting once."""
    directory = Path(env.get(DIRECTORY_ENV) or DEFAULT_DIRECTORY).resolve()
    if "prometheus_client" in sys.modules and os.environ.get(MULTIPROCESS_ENV) != str(directory):
        return None  # too late for this process: its counters stay in memory
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.warning("metrics stay in memory: cannot use %s (%s)", directory, error)
        return None
    os.environ[MULTIPROCESS_ENV] = str(directory)
    return directory


class Metrics:
    """The process's instruments (created on first use, after the mode is chosen)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        self.commands: Counter = Counter(
            "ltc_commands", "Messages handled, by command and outcome",
            ["command", "outcome"], registry=self.registry)
        self.latency: Histogram = Histogram(
            "ltc_command_seconds", "Time to answer a message, by command", ["command"],
            buckets=LATENCY_BUCKETS, registry=self.registry)
        self.outbox: Counter = Counter(
            "ltc_outbox_messages", "Outbox sends by result: sent, retried, parked, deferred",
            ["result"], registry=self.registry)
        self.dunning: Counter = Counter(
            "ltc_dunning_messages", "Chasing messages queued for overdue invoices",
            registry=self.registry)


_metrics: Metrics | None = None


def metrics() -> Metrics:
    global _metrics
    if _metrics is None:
        _metrics = Metrics()
    return _metrics


def observe_command(handled: Handled) -> None:
    """A dispatcher observer: count the message and time it."""
    instruments = metrics()
    instruments.commands.labels(handled.command, handled.outcome).inc()
    instruments.latency.labels(handled.command).observe(handled.ms / 1000)


def observe_delivery(sent: int, retried: int, parked: int, deferred: int) -> None:
    """What one pass over the outbox did."""
    outbox = metrics().outbox
    for result, count in (("sent", sent), ("retried", retried), ("parked", parked),
                          ("deferred", deferred)):
        if count:
            outbox.labels(result).inc(count)


def observe_dunning(count: int) -> None:
    if count:
        metrics().dunning.inc(count)


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_ENV))


class OutboxCollector:
    """Outbox depth, the age of its oldest pending row and rows by status, read at scrape."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.store = OutboxStore(engine)
        self.clock = clock

    def describe(self) -> list[Any]:
        return []

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        try:
            pending, oldest = self.store.backlog()
            counts = self.store.counts()
        except Exception as error:  # the counters are still worth showing
            log.warning("metrics: the database does not answer (%s)", type(error).__name__)
            yield GaugeMetricFamily("ltc_database_up", "1 when the database answers", value=0)
            return
        yield GaugeMetricFamily("ltc_database_up", "1 when the database answers", value=1)
        yield GaugeMetricFamily("ltc_outbox_pending", "Outbox rows waiting to be sent",
                                value=pending)
        age = (self.clock() - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily("ltc_outbox_oldest_pending_seconds",
                                "Age of the oldest outbox row waiting to be sent",
                                value=max(age, 0.0))
        rows = GaugeMetricFamily("ltc_outbox_rows", "Outbox rows by status", labels=["status"])
        for status in ("pending", "sent", "parked"):
            rows.add_metric([status], counts.get(status, 0))
        yield rows


def exposition(engine: Engine, clock: Callable[[], datetime]) -> bytes:
    """Every metric in Prometheus' text format: the counters (of all processes writing to
    the metrics directory, or of this one) and the outbox as the database has it now."""
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.multiprocess import MultiProcessCollector

    if multiprocess():
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = metrics().registry
    outbox = CollectorRegistry(auto_describe=False)
    outbox.register(OutboxCollector(engine, clock))
    return generate_latest(counted) + generate_latest(outbox)
