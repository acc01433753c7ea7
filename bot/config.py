"""Read config.toml into the company's business settings (`domain.settings.Settings`) and
this installation's runtime settings (`bot.runtime.Runtime`), with clear errors.

Which file is read: the `path` argument if given, else the file named by the `LTC_CONFIG`
environment variable, else `config.toml` in the current directory if it exists, else no file
(all defaults). `LTC_DATABASE_URL` overrides `database.url`. A relative SQLite path in the file
(or the default one, when a file is read) is taken relative to the file's directory.

The file's shape and rules are the pydantic models of `bot.config_file`. Every problem raises
`ConfigError`, whose message names the file, the key path such as
`pipeline.stages[2].probability` (list positions count from 0), what is wrong and how to fix it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.config_errors import ConfigError, config_error
from bot.config_file import ConfigFile
from bot.runtime import Runtime
from domain.settings import Settings

__all__ = ["Config", "ConfigError", "load_config"]

DEFAULT_FILE = "config.toml"
CONFIG_ENV = "LTC_CONFIG"
DATABASE_ENV = "LTC_DATABASE_URL"

_SQLITE_URL = re.compile(r"(sqlite(?:\+\w+)?):///(.*)", re.DOTALL)


@dataclass(frozen=True)
class Config:
    """What config.toml says: the company's business and how this installation runs."""

    settings: Settings = field(default_factory=Settings)
    runtime: Runtime = field(default_factory=Runtime)


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read, validate and return the settings (see the module docstring)."""
    environ: Mapping[str, str] = os.environ if env is None else env
    override = environ.get(DATABASE_ENV, "")
    file = _choose_file(path, environ)
    if file is None:
        config = Config()
        return replace(config, runtime=replace(config.runtime, database_url=override)) \
            if override else config
    try:
        parsed = ConfigFile.model_validate(_read(file))
    except ValidationError as error:
        raise config_error(str(file), ConfigFile, error) from None
    runtime = parsed.runtime()
    url = override or _resolve_sqlite(runtime.database_url, file.resolve().parent)
    return Config(parsed.settings(), replace(runtime, database_url=url))


def _choose_file(path: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if path is not None:
        return Path(path)
    named = env.get(CONFIG_ENV, "")
    if named:
        return Path(named)
    default = Path(DEFAULT_FILE)
    return default if default.is_file() else None


def _read(file: Path) -> dict[str, Any]:
    def fail(problem: str, fix: str) -> ConfigError:
        return ConfigError(str(file), None, problem, fix)

    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise fail("the configuration file does not exist",
                   f"create it (the project's {DEFAULT_FILE} is a complete example) "
                   f"or point {CONFIG_ENV} at an existing file") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"the file is not valid TOML ({exc})",
                   "correct the syntax at that line; strings need double quotes "
                   "and each [section] may appear only once") from None
    except UnicodeDecodeError:
        raise fail("the file is not UTF-8 text", "save it with UTF-8 encoding") from None
    except OSError as exc:
        raise fail(f"the file cannot be read ({exc.strerror or exc})",
                   "check that the path names a readable file") from None


def _resolve_sqlite(url: str, base: Path) -> str:
    """Make a relative SQLite file path absolute against `base`; leave other URLs alone."""
    match = _SQLITE_URL.fullmatch(url)
    if match is None:
        return url
    scheme, rest = match.groups()
    file_part, separator, query = rest.partition("?")
    if (
        not file_part
        or file_part == ":memory:"
        or file_part.startswith("file:")
        or Path(file_part).is_absolute()
    ):
        return url
    absolute = (base / file_part).resolve()
    return f"{scheme}:///{absolute.as_posix()}{separator}{query}"
