"""The shape of config.toml as pydantic models: one model per section, one field per key.

A field is named as the settings object names it and written in the file as its alias
(`[quotes] default_validity_days` is `Settings.quote_validity_days`). Every key may be left
out: what the file does not set keeps the default of `domain.settings.Settings` (the
company's business) or `bot.runtime.Runtime` (how this installation runs).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from bot.config_errors import listing, mistake
from bot.config_terms import Kinds, Methods, Sources, check_words
from bot.config_values import (
    ROLES,
    Cron,
    Currency,
    DatabaseUrl,
    Interval,
    ListenAddress,
    Locale,
    Month,
    Number,
    Plan,
    PlanName,
    Role,
    Table,
    Target,
    TimeOfDay,
    TimeRange,
    TimeZone,
    WebAddress,
    WebAddressOrEmpty,
    Word,
)
from bot.runtime import Runtime
from domain.settings import (
    SOURCES,
    AmountBand,
    Assignment,
    DocumentDetails,
    DunningLevel,
    KeywordRule,
    Pool,
    RoutingRule,
    Scoring,
    Settings,
    Stage,
)

_STAGE = {"key": "proposal", "name_en": "Proposal", "name_zh": "方案报价", "probability": 50}
_RESERVED_STAGES = ("won", "lost")


class Company(Table):
    """[company]: who the company is, its money, its clock and its language."""

    company_name: str | None = Field(default=None, alias="name", examples=["Acme Trading"])
    currency: Currency | None = Field(default=None, examples=["CNY"])
    timezone: TimeZone | None = Field(default=None, examples=["Asia/Shanghai"])
    locale: Locale | None = Field(default=None, examples=["zh_Hans_CN"])


class Database(Table):
    """[database]: where the records are kept."""

    database_url: DatabaseUrl | None = Field(default=None, alias="url",
                                             examples=["sqlite:///data/ltc.db"])


class StageEntry(Table):
    """One open stage of [pipeline] stages."""

    model_config = ConfigDict(title="stage")

    key: Word = Field(examples=["proposal"], description="a short single word")
    name_en: str | None = None
    name_zh: str | None = None
    probability: int = Field(ge=0, le=100, description="the chance in percent, 0 to 100, "
                             "that a deal in this stage is won")
    aliases: list[str] | None = Field(default=None, examples=[["报价"]])

    @field_validator("key")
    @classmethod
    def _not_closing(cls, key: str) -> str:
        if key.lower() in _RESERVED_STAGES:
            raise mistake(f'"{key}" is reserved: won and lost are closing stages the bot adds '
                          "itself", "remove this stage or give it another key")
        return key

    def stage(self) -> Stage:
        name_en = self.name_en or self.key.replace("_", " ").replace("-", " ").capitalize()
        return Stage(self.key, name_en, self.name_zh or name_en, self.probability,
                     tuple(self.aliases or ()))


class Pipeline(Table):
    """[pipeline]: the open stages in order, and when a deal goes stale."""

    stages: list[StageEntry] | None = Field(
        default=None, min_length=1, examples=[[_STAGE]],
        description="won and lost are added by the bot")
    stale_after_days: int | None = Field(default=None, ge=1, le=3650, examples=[14])

    @field_validator("stages")
    @classmethod
    def _distinct(cls, stages: list[StageEntry]) -> list[StageEntry]:
        keys = [stage.key for stage in stages]
        for index, key in enumerate(keys):
            if key in keys[:index]:
                raise mistake(f'the stage key "{key}" is already used by '
                              f"pipeline.stages[{keys.index(key)}]",
                              "give every stage its own key", (index, "key"))
        check_words([stage.stage().term for stage in stages], "stage")
        return stages

    def given(self) -> dict[str, Any]:
        given = super().given()
        if self.stages is not None:
            given["stages"] = tuple(stage.stage() for stage in self.stages)
        return given


class _Terms(Table):
    """A section holding one list of configured values."""

    def given(self) -> dict[str, Any]:
        return {name: tuple(entry.term() for entry in value) if isinstance(value, list)
                else value for name, value in super().given().items()}


class AmountBandEntry(Table):
    """One band of [leads.scoring] amount_bands."""

    model_config = ConfigDict(title="amount band")

    at_least: Number = Field(ge=0, examples=[100000],
                             description="an amount in the company currency")
    points: int = Field(ge=-1000, le=1000, examples=[20])


class KeywordEntry(Table):
    """One entry of [leads.scoring] keywords."""

    model_config = ConfigDict(title="keyword rule")

    words: list[str] = Field(min_length=1, examples=[["预算", "budget"]])
    points: int = Field(ge=-1000, le=1000, examples=[15])


class LeadScoring(Table):
    """[leads.scoring]: the points a lead earns, and the bands of hot and warm leads."""

    sources: dict[str, int] | None = Field(default=None, examples=[{"referral": 30}])
    phone: int | None = Field(default=None, ge=-1000, le=1000, examples=[10])
    email: int | None = Field(default=None, ge=-1000, le=1000, examples=[5])
    amount_bands: list[AmountBandEntry] | None = Field(
        default=None, examples=[[{"at_least": 100000, "points": 20}]])
    keywords: list[KeywordEntry] | None = Field(
        default=None, examples=[[{"words": ["urgent", "急"], "points": 15}]])
    recent_activity_days: int | None = Field(default=None, ge=1, le=365, examples=[7])
    recent_activity: int | None = Field(default=None, ge=-1000, le=1000, examples=[10])
    hot: int | None = Field(default=None, examples=[60])
    warm: int | None = Field(default=None, examples=[30])

    @model_validator(mode="after")
    def _bands_in_order(self) -> LeadScoring:
        hot, warm = self.hot or Scoring.hot, self.warm or Scoring.warm
        if warm > hot:
            raise mistake(f"warm = {warm} is above hot = {hot}",
                          "make warm the lower score, like hot = 60 and warm = 30", ("warm",))
        return self

    def scoring(self) -> Scoring:
        given = self.given()
        if self.amount_bands is not None:
            given["amount_bands"] = tuple(AmountBand(b.at_least, b.points)
                                          for b in self.amount_bands)
        if self.keywords is not None:
            given["keywords"] = tuple(KeywordRule(tuple(k.words), k.points)
                                      for k in self.keywords)
        if self.sources is not None:
            given["sources"] = dict(self.sources)
        return Scoring(**given)


class RoutingRuleEntry(Table):
    """One of [leads.assignment] rules: conditions, and a team or a person."""

    model_config = ConfigDict(title="assignment rule")

    source: str | None = Field(default=None, examples=["partner"])
    region: str | None = Field(default=None, examples=["广东"])
    keyword: str | None = Field(default=None, examples=["医院"])
    team: str | None = Field(default=None, examples=["east"])
    user: str | None = Field(default=None, examples=["wang"])

    @model_validator(mode="after")
    def _one_target(self) -> RoutingRuleEntry:
        if (self.team is None) == (self.user is None):
            raise mistake("a rule names a team or a user, one of the two",
                          'add team = "east" or user = "wang"')
        if self.source is None and self.region is None and self.keyword is None:
            raise mistake("this rule has no condition",
                          'add source = "...", region = "..." or keyword = "..."')
        return self

    def rule(self) -> RoutingRule:
        return RoutingRule(**self.given())


class LeadAssignment(Table):
    """[leads.assignment]: who a lead that arrives without an owner goes to."""

    round_robin: bool | None = Field(default=None, examples=[True])
    rules: list[RoutingRuleEntry] | None = Field(
        default=None, examples=[[{"source": "partner", "team": "east"}]])
    intake_team: str | None = Field(default=None, examples=["east"])

    def assignment(self) -> Assignment:
        given = self.given()
        if self.rules is not None:
            given["rules"] = tuple(rule.rule() for rule in self.rules)
        return Assignment(**given)


class Leads(_Terms):
    """[leads]: where leads come from, how alike two names must be to warn, how leads are
    scored and who gets the ones that arrive without an owner."""

    sources: Sources | None = Field(default=None, min_length=1,
                                    examples=[[{"key": "website", "name_zh": "官网"}]])
    duplicate_threshold: int | None = Field(default=None, ge=0, le=100, examples=[85])
    scoring: LeadScoring | None = None
    assignment: LeadAssignment | None = None

    @model_validator(mode="after")
    def _known_sources(self) -> Leads:
        known = [entry.term().key for entry in self.sources] if self.sources is not None \
            else [term.key for term in SOURCES]
        named = list((self.scoring.sources or {}) if self.scoring else {})
        named += [r.source for r in (self.assignment.rules or [])
                  if r.source is not None] if self.assignment else []
        for key in named:
            if key not in known:
                raise mistake(f'"{key}" is not a lead source',
                              f"use one of {listing(known)}")
        return self

    def given(self) -> dict[str, Any]:
        given = {name: value for name, value in super().given().items()
                 if name not in ("scoring", "assignment")}
        if self.scoring is not None:
            given["scoring"] = self.scoring.scoring()
        if self.assignment is not None:
            given["assignment"] = self.assignment.assignment()
        return given


class PoolSection(Table):
    """[pool]: the public pool (公海): when neglected records return to it, and its limits."""

    model_config = ConfigDict(title="pool")

    enabled: bool | None = Field(default=None, examples=[True])
    reclaim_after_days: int | None = Field(default=None, ge=1, le=3650, examples=[30])
    warn_days: int | None = Field(default=None, ge=0, le=365, examples=[3])
    max_owned: int | None = Field(default=None, ge=1, le=1_000_000, examples=[200])
    reclaim_cooldown_days: int | None = Field(default=None, ge=0, le=3650, examples=[7])

    @model_validator(mode="after")
    def _warn_before(self) -> PoolSection:
        after = self.reclaim_after_days or Pool.reclaim_after_days
        warn = self.warn_days if self.warn_days is not None else Pool.warn_days
        if warn >= after:
            raise mistake(f"warn_days = {warn} is not shorter than reclaim_after_days = "
                          f"{after}", "warn a few days before the record is taken back",
                          ("warn_days",))
        return self

    def given(self) -> dict[str, Any]:
        return {"pool": Pool(**super().given())} if self.model_fields_set else {}


class Payments(_Terms):
    """[payments]: how money arrives."""

    payment_methods: Methods | None = Field(default=None, alias="methods", min_length=1,
                                            examples=[["bank", "alipay"]])


class Activities(_Terms):
    """[activities]: what /log records."""

    activity_kinds: Kinds | None = Field(default=None, alias="kinds", min_length=1,
                                         examples=[["call", "visit"]])


class Quotes(Table):
    """[quotes]: the approval threshold, validity and tax of a new quote."""

    approval_discount: Number | None = Field(default=None, ge=0, le=100, examples=[15])
    quote_validity_days: int | None = Field(default=None, alias="default_validity_days", ge=1,
                                            le=3650, examples=[30])
    default_tax: Number | None = Field(default=None, ge=0, le=100, examples=[13])


class DunningLevelEntry(Table):
    """One level of [dunning] levels."""

    model_config = ConfigDict(title="dunning level")

    days: int = Field(ge=-365, le=3650, examples=[7],
                      description="the days after the due date; negative: before it")
    notify: list[Role] = Field(min_length=1, examples=[["owner", "finance"]],
                               description=f"roles from {listing(ROLES)}")

    def level(self) -> DunningLevel:
        return DunningLevel(self.days, tuple(dict.fromkeys(self.notify)))


class Dunning(Table):
    """[dunning]: when overdue invoices are chased, and who is told."""

    dunning: list[DunningLevelEntry] | None = Field(
        default=None, alias="levels", examples=[[{"days": 7, "notify": ["owner", "finance"]}]])

    @field_validator("dunning")
    @classmethod
    def _distinct(cls, levels: list[DunningLevelEntry]) -> list[DunningLevelEntry]:
        days = [level.days for level in levels]
        for index, day in enumerate(days):
            if day in days[:index]:
                raise mistake(f"days = {day} is already used by "
                              f"dunning.levels[{days.index(day)}]",
                              "merge the two levels into one, listing all roles to notify",
                              (index, "days"))
        return levels

    def given(self) -> dict[str, Any]:
        if self.dunning is None:
            return {}
        return {"dunning": tuple(sorted((level.level() for level in self.dunning),
                                        key=lambda level: level.days))}


class Schedule(Table):
    """[schedule]: the times of the timed jobs, and the default quiet hours."""

    reminders_every: Interval | None = Field(default=None, examples=["1m"])
    dunning_at: TimeOfDay | None = Field(default=None, examples=["09:00"])
    digest_cron: Cron | None = Field(default=None, examples=["0 9 * * mon"])
    quiet_hours: TimeRange | None = Field(default=None, examples=["21:00-08:00"])


class ChannelChats(Table):
    """Where one logical channel is posted, per platform."""

    telegram: str | None = Field(default=None, examples=["-1001234567890"])
    slack: str | None = Field(default=None, examples=["C0FINANCE"])

    @field_validator("telegram", mode="before")
    @classmethod
    def _number_as_text(cls, chat: Any) -> Any:
        """Telegram's group ids are numbers; written without quotes they are still ids."""
        return str(chat) if isinstance(chat, int) and not isinstance(chat, bool) else chat

    @model_validator(mode="after")
    def _some_chat(self) -> ChannelChats:
        if not self.model_fields_set:
            raise mistake("this channel names no chat", "add a chat id per platform, like "
                          '{ telegram = "-1001234567890", slack = "C0FINANCE" }')
        return self


class Telegram(Table):
    """[telegram]: the Bot API server and the webhook."""

    telegram_api_base_url: WebAddress | None = Field(
        default=None, alias="api_base_url", examples=["https://api.telegram.org/bot"])
    telegram_webhook_url: WebAddressOrEmpty | None = Field(
        default=None, alias="webhook_url", examples=["https://bot.example.com/telegram"])
    telegram_webhook_port: int | None = Field(default=None, alias="webhook_port", ge=0, le=65535,
                                              examples=[8443])
    telegram_webhook_host: ListenAddress | None = Field(default=None, alias="webhook_host",
                                                        examples=["127.0.0.1"])
    telegram_messages_per_second: int | None = Field(
        default=None, alias="messages_per_second", ge=0, le=1000, examples=[30])


class Slack(Table):
    """[slack]: the Web API server and the HTTP mode's address."""

    slack_api_base_url: WebAddress | None = Field(default=None, alias="api_base_url",
                                                  examples=["https://slack.com/api/"])
    slack_http_port: int | None = Field(default=None, alias="http_port", ge=0, le=65535,
                                        examples=[3000])
    slack_http_host: ListenAddress | None = Field(default=None, alias="http_host",
                                                  examples=["127.0.0.1"])


class Assistant(Table):
    """[assistant]: a chat-completions endpoint (a self-hosted model) that proposes the command
    a sentence means; its key, if it needs one, comes from LTC_ASSISTANT_KEY."""

    assistant_url: WebAddress | None = Field(
        default=None, alias="url", examples=["http://127.0.0.1:8000/v1/chat/completions"])
    assistant_model: str | None = Field(default=None, alias="model",
                                        examples=["qwen2.5-7b-instruct"])
    assistant_timeout: Number | None = Field(default=None, alias="timeout", ge=Decimal("0.1"),
                                             le=120, examples=[8],
                                             description="seconds to wait for an answer")
    api_key: str | None = Field(default=None, examples=["(none: set LTC_ASSISTANT_KEY)"])

    @field_validator("api_key")
    @classmethod
    def _no_secret(cls, key: str | None) -> str | None:
        raise mistake("secrets never go in the settings file",
                      "remove it and set the LTC_ASSISTANT_KEY environment variable")

    @model_validator(mode="after")
    def _an_address(self) -> Assistant:
        if self.model_fields_set and self.assistant_url is None:
            raise mistake("the assistant has no address", 'add url = "http://127.0.0.1:8000/'
                          'v1/chat/completions", or remove the [assistant] section', ("url",))
        return self

    def given(self) -> dict[str, Any]:
        found = super().given()
        if "assistant_timeout" in found:
            found["assistant_timeout"] = float(found["assistant_timeout"])
        return found


class Stock(Table):
    """[stock]: whether a delivery may take a product below zero, and the channel told when a
    signed order needs more than the free stock (finance is told as well)."""

    allow_backorders: bool | None = Field(default=None, examples=[False])
    stock_channel: Word | None = Field(default=None, alias="alert_channel", examples=["ops"])


class Documents(Table):
    """[documents]: what quotes, orders, invoices and credit notes print beside the name."""

    address: str | None = Field(default=None, examples=["88 Century Ave, Shanghai"])
    phone: str | None = Field(default=None, examples=["+86 21 5555 0000"])
    tax_id: str | None = Field(default=None, examples=["91310000MA1FL0000X"])
    bank: str | None = Field(default=None, examples=["China Merchants Bank, Shanghai Branch"])
    account: str | None = Field(default=None, examples=["6225 8801 2345 6789"])
    account_name: str | None = Field(default=None, examples=["Acme Trading Co., Ltd."])
    font: str | None = Field(default=None, examples=["/usr/share/fonts/noto/NotoSansCJK.ttc"],
                             description="a CJK font file; default: the one of mplfonts")

    def given(self) -> dict[str, Any]:
        found = super().given()
        return {"documents": DocumentDetails(**found)} if found else {}


class ConfigFile(Table):
    """The whole file, sections in the order they are checked and documented."""

    company: Company = Company()
    database: Database = Database()
    pipeline: Pipeline = Pipeline()
    leads: Leads = Leads()
    payments: Payments = Payments()
    activities: Activities = Activities()
    quotes: Quotes = Quotes()
    plans: dict[PlanName, Plan] | None = Field(default=None, examples=[{"standard": "30/60/10"}])
    dunning: Dunning = Dunning()
    pool: PoolSection = PoolSection()
    schedule: Schedule = Schedule()
    channels: dict[str, ChannelChats] | None = Field(
        default=None, examples=[{"finance": {"telegram": "-1001234567890", "slack": "C0FINANCE"}}])
    targets: dict[Month, Target] | None = Field(default=None, examples=[{"2026-12": 500000}])
    telegram: Telegram = Telegram()
    slack: Slack = Slack()
    assistant: Assistant = Assistant()
    stock: Stock = Stock()
    documents: Documents = Documents()

    def settings(self) -> Settings:
        """The company's business settings: what the file sets, the defaults elsewhere."""
        given: dict[str, Any] = {}
        for section in (self.company, self.pipeline, self.leads, self.payments,
                        self.activities, self.quotes, self.dunning, self.pool, self.stock,
                        self.documents):
            given |= section.given()
        if self.schedule.quiet_hours is not None:
            given["quiet_hours"] = self.schedule.quiet_hours
        if self.plans is not None:
            given["plans"] = dict(self.plans)
        if self.channels is not None:
            given["channels"] = frozenset(self.channels)
        if self.targets is not None:
            given["targets"] = dict(self.targets)
        return Settings(**given)

    def runtime(self) -> Runtime:
        """How this installation runs: database, schedules, channels' chats, doors."""
        given = self.database.given() | self.telegram.given() | self.slack.given() \
            | self.assistant.given()
        given |= {name: value for name, value in self.schedule.given().items()
                  if name != "quiet_hours"}
        if self.channels is not None:
            given["channel_chats"] = {name: {platform: chat for platform, chat
                                             in chats.given().items()}
                                      for name, chats in self.channels.items()}
        return Runtime(**given)
