"""How this installation runs: its database, its doors and the times of its timed jobs.

These are the machinery's settings, kept apart from the company's business settings
(`domain.settings.Settings`): the domain never needs a database URL, a port or a chat id.
`bot.config` reads both from config.toml; `bot.app` hands each to the parts that use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Runtime:
    """Everything an operator sets to run the bot; every field has a working default."""

    database_url: str = "sqlite:///data/ltc.db"
    reminders_every: str = "1m"  # how often due follow-up reminders are looked for
    dunning_at: str = "09:00"  # company time, daily
    digest_cron: str = "0 9 * * mon"  # weekly digests, company time
    # Logical channel -> platform -> chat id; the domain knows only the channels' names.
    channel_chats: dict[str, dict[str, str]] = field(default_factory=dict)
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str = ""  # empty: long polling
    telegram_webhook_port: int = 8443
    telegram_webhook_host: str = "127.0.0.1"  # the address the webhook listens on
    # Sends paced to at most this many a second in all (Telegram's published limit; a bot with
    # paid broadcasts may send up to 1000); 0: not paced overall. Groups: 20 a minute always.
    telegram_messages_per_second: int = 30
    slack_api_base_url: str = "https://slack.com/api/"
    slack_http_port: int = 3000
    slack_http_host: str = "127.0.0.1"  # the address the HTTP mode listens on
    assistant_url: str = ""  # a chat-completions endpoint proposing sentences' commands
    assistant_model: str = ""
    assistant_timeout: float = 8.0  # seconds; a slower answer leaves the sentence to the parser
