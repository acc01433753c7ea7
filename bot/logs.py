"""Logging for operators: the level from LTC_LOG_LEVEL, one line per event, no secrets.

At INFO every handled message writes one line of `key=value` pairs (platform, delivery id,
user id, command name, outcome, milliseconds), never the message's text. Libraries that
would print request URLs at INFO (httpx puts the Telegram token in every URL) are held at
WARNING whatever the level.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

LEVEL_ENV = "LTC_LOG_LEVEL"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Their INFO lines carry URLs with tokens, or one line per scheduler run.
QUIET_LIBRARIES = ("httpx", "httpcore", "telegram", "apscheduler", "uvicorn.access")


class LogLevelError(ValueError):
    """LTC_LOG_LEVEL names no level."""


def level_from(env: Mapping[str, str], default: str = "WARNING") -> int:
    """The level LTC_LOG_LEVEL names (any case), else `default`."""
    name = (env.get(LEVEL_ENV) or default).strip().upper()
    if name not in LEVELS:
        raise LogLevelError(f"{LEVEL_ENV}={env.get(LEVEL_ENV)!r} is not a log level; "
                            f"use one of {', '.join(LEVELS)}")
    return int(logging.getLevelName(name))


def configure_logging(env: Mapping[str, str], default: str = "WARNING") -> None:
    """Set the root logger's level and format; keep chatty libraries at WARNING."""
    level = level_from(env, default)
    logging.basicConfig(level=level, format=FORMAT, force=True)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
