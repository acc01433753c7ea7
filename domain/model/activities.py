"""Activities: calls, meetings, visits, emails, WeChat messages and notes on a record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInput
from domain.model.subjects import Subject
from domain.settings import Settings
from domain.vocabulary import resolve

MAX_TEXT = 2000


class ActivityKind(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    VISIT = "visit"
    EMAIL = "email"
    WECHAT = "wechat"
    NOTE = "note"


def parse_kind(text: str, settings: Settings | None = None) -> ActivityKind:
    """A kind of activity by key or by any of the company's words for it (电话, meet)."""
    terms = (settings or Settings()).terms("kind")
    return ActivityKind(resolve(terms, text, "kind"))


@dataclass(eq=False)
class Activity:
    """Something a person did about a record, at a time."""

    kind: ActivityKind
    text: str
    user_id: int
    at: datetime
    ref_kind: str
    ref_id: int
    lead_id: int | None = None
    customer_id: int | None = None
    deal_id: int | None = None
    id: int | None = None

    @classmethod
    def about(cls, subject: Subject, kind: ActivityKind, text: str, user_id: int,
              now: datetime) -> Activity:
        """What the person did, in words (required, at most MAX_TEXT characters)."""
        text = text.strip()
        if not text:
            raise InvalidInput("activity.no_text")
        if len(text) > MAX_TEXT:
            raise InvalidInput("field.too_long", field="text", limit=MAX_TEXT)
        return cls(kind=kind, text=text, user_id=user_id, at=now, ref_kind=subject.kind,
                   ref_id=subject.id, lead_id=subject.lead_id, customer_id=subject.customer_id,
                   deal_id=subject.deal_id)
