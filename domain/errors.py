"""Domain errors: each carries a message key and parameters, rendered by the handler layer."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no. `key` names the message; `params` fill it in."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, {self.params!r})"


class InvalidInput(DomainError):
    """The user wrote something we cannot read."""


class NotFound(DomainError):
    """The referenced record does not exist or is not visible to the user."""


class Forbidden(DomainError):
    """The user's role or ownership does not allow the action."""


class Conflict(DomainError):
    """The action contradicts the record's current state."""


class ConcurrentChange(Exception):
    """Another transaction changed the same records first; running again sees its result."""


class StorageUnavailable(Exception):
    """The database cannot be reached; nothing was read or changed."""
