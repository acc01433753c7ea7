"""The company's settings as plain values; `bot.config` reads them from config.toml."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Stage:
    """One open pipeline stage with its win probability in percent."""

    key: str
    name_en: str
    name_zh: str
    probability: int

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True)
class DunningLevel:
    """Chase an invoice `days` after its due date (negative: before) and tell these roles."""

    days: int
    notify: tuple[str, ...]


def _default_stages() -> tuple[Stage, ...]:
    return (
        Stage("qualification", "Qualification", "资格确认", 10),
        Stage("proposal", "Proposal", "方案报价", 50),
        Stage("negotiation", "Negotiation", "商务谈判", 75),
    )


def _default_dunning() -> tuple[DunningLevel, ...]:
    return (
        DunningLevel(-3, ("owner",)),
        DunningLevel(1, ("owner",)),
        DunningLevel(7, ("owner", "finance")),
        DunningLevel(30, ("manager", "finance")),
    )


@dataclass(frozen=True)
class Settings:
    """Everything a company sets; every field has a sensible default."""

    company_name: str = "My Company"
    currency: str = "CNY"
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_Hans_CN"
    database_url: str = "sqlite:///data/ltc.db"
    stages: tuple[Stage, ...] = field(default_factory=_default_stages)
    stale_after_days: int = 14
    lead_sources: tuple[str, ...] = (
        "website", "referral", "event", "cold_call", "partner", "ads",
    )
    duplicate_threshold: int = 85
    approval_discount: Decimal = Decimal(15)
    quote_validity_days: int = 30
    default_tax: Decimal = Decimal(13)
    plans: dict[str, str] = field(
        default_factory=lambda: {"standard": "30/60/10", "net30": "net30"}
    )
    dunning: tuple[DunningLevel, ...] = field(default_factory=_default_dunning)
    reminders_every: str = "1m"
    dunning_at: str = "09:00"
    digest_cron: str = "0 9 * * mon"
    quiet_hours: str = "21:00-08:00"
    channels: dict[str, dict[str, str]] = field(default_factory=dict)
    targets: dict[str, Decimal] = field(default_factory=dict)
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str = ""
    telegram_webhook_port: int = 8443
    telegram_webhook_host: str = "127.0.0.1"  # the address the webhook listens on
    slack_api_base_url: str = "https://slack.com/api/"
    slack_http_port: int = 3000
    slack_http_host: str = "127.0.0.1"  # the address the HTTP mode listens on

    def stage(self, key: str) -> Stage | None:
        """The stage with this key, or None."""
        for stage in self.stages:
            if stage.key == key:
                return stage
        return None

    @property
    def first_stage(self) -> Stage:
        return self.stages[0]
