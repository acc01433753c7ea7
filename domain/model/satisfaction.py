"""Satisfaction surveys: "How likely are you to recommend us? 0-10", asked of a customer's
contact when an order is fully delivered or written down by a rep from a phone call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import Conflict, InvalidInput

MAX_COMMENT = 1000
PROMOTER = 9  # 9 and 10 promote; 7 and 8 are passive; 0 to 6 detract
DETRACTOR = 6


def checked_score(text: str) -> int:
    """A whole score from 0 to 10."""
    cleaned = text.strip()
    if not cleaned.isdigit() or not 0 <= int(cleaned) <= 10:
        raise InvalidInput("nps.bad_score", value=cleaned[:20])
    return int(cleaned)


def checked_comment(text: str | None) -> str | None:
    cleaned = " ".join((text or "").split()) or None
    if cleaned and len(cleaned) > MAX_COMMENT:
        raise InvalidInput("field.too_long", field="comment", limit=MAX_COMMENT)
    return cleaned


@dataclass(eq=False)
class Survey:
    """One question asked (or answer written down) and, once given, its score."""

    customer_id: int
    asked_at: datetime
    source: str = "chat"  # chat: asked in chat; phone: a rep wrote down the answer
    order_id: int | None = None
    user_id: int | None = None  # the customer's contact (a customer-role user) asked
    score: int | None = None
    comment: str | None = None
    answered_at: datetime | None = None
    recorded_by: int | None = None
    id: int | None = None

    @property
    def answered(self) -> bool:
        return self.score is not None

    @property
    def detractor(self) -> bool:
        return self.score is not None and self.score <= DETRACTOR

    def answer(self, score: int, comment: str | None, now: datetime) -> bool:
        """The customer's score (and comment); an answer already given may be changed the
        same day. True when this is the first answer."""
        first = self.score is None
        if not first and self.answered_at is not None \
                and (now - self.answered_at).total_seconds() > 86400:
            raise Conflict("nps.already_answered", score=self.score)
        self.score = score
        if comment is not None:
            self.comment = comment
        self.answered_at = now
        return first

    def add_comment(self, comment: str) -> None:
        if self.score is None:
            raise Conflict("nps.comment_first_score")
        self.comment = checked_comment(comment)
