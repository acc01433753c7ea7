"""Database failures in the domain's words: a concurrent change, or a database out of reach.

The dispatcher retries a command that lost a race (a unique key or a serialisation conflict
hit because another transaction committed the same change first) and tells the user, in
their language, when the database cannot be reached; everything else stays a bug.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from domain.errors import ConcurrentChange, StorageUnavailable

# PostgreSQL SQLSTATEs: unique violation, serialization failure, deadlock.
_CONFLICT_STATES = {"23505", "40001", "40P01"}
# Connection exceptions (class 08), shutdown, cannot connect now, too many connections.
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
_SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_SQLITE_UNAVAILABLE = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_NOTADB", "SQLITE_READONLY",
                       "SQLITE_FULL")


def _sqlstate(error: DBAPIError) -> str:
    return str(getattr(error.orig, "sqlstate", None) or "")


def translated(error: BaseException) -> ConcurrentChange | StorageUnavailable | None:
    """The domain's name for a database failure, or None when it is not one of those two."""
    if isinstance(error, PoolTimeout):
        return StorageUnavailable(str(error))
    if not isinstance(error, DBAPIError):
        return None
    state, text = _sqlstate(error), str(error.orig).lower()
    sqlite_name = str(getattr(error.orig, "sqlite_errorname", "") or "")
    if isinstance(error, IntegrityError):
        if state == "23505" or "unique constraint failed" in text:
            return ConcurrentChange(text[:200])
        return None
    if state in _CONFLICT_STATES or sqlite_name.startswith(_SQLITE_BUSY):
        return ConcurrentChange(text[:200])
    if error.connection_invalidated or state.startswith("08") or state in _UNAVAILABLE_STATES \
            or sqlite_name.startswith(_SQLITE_UNAVAILABLE):
        return StorageUnavailable(text[:200])
    if isinstance(error, OperationalError) and not state and not sqlite_name:
        # A server driver without a SQLSTATE: it could not talk to the server at all.
        return StorageUnavailable(text[:200])
    return None
