"""Deals (opportunities): stages with probabilities, the amount they are worth, won and lost.

A deal moves itself and hands back the line of history each move makes (`StageChange`);
the use case stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import Conflict, InvalidInput
from domain.money import Money
from domain.references import reference
from domain.settings import Stage
from domain.vocabulary import Named

WON = "won"
LOST = "lost"
MAX_REASON = 500
MAX_NEXT_STEP = 200


class DealStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class AmountSource(StrEnum):
    """Where a deal's amount comes from: typed by a person, a quote's total, the order's."""

    TYPED = "typed"
    QUOTE = "quote"
    ORDER = "order"


@dataclass(eq=False)
class StageChange:
    """One move of a deal from a stage to another; the deal's history."""

    deal_id: int
    from_stage: str | None
    to_stage: str
    at: datetime
    user_id: int
    id: int | None = None


@dataclass(eq=False)
class Deal:
    """A sales opportunity with a customer (D-n)."""

    title: str
    customer_id: int
    owner_id: int
    team: str | None
    stage: str
    probability: int
    currency: str
    created_at: datetime
    last_activity_at: datetime
    amount: Decimal | None = None
    close_date: date | None = None
    status: DealStatus = DealStatus.OPEN
    lost_reason: str | None = None
    next_step: str | None = None
    closed_at: datetime | None = None
    lead_id: int | None = None
    source: str | None = None
    amount_source: AmountSource | None = None
    amount_ref: int | None = None  # the quote or order the amount was taken from
    id: int | None = None

    @property
    def number(self) -> str:
        return reference("deal", self.id)

    @property
    def value(self) -> Money | None:
        return Money(self.amount, self.currency) if self.amount is not None else None

    @property
    def weighted(self) -> Money | None:
        value = self.value
        return value.percent(Decimal(self.probability)) if value else None

    @property
    def is_open(self) -> bool:
        return self.status == DealStatus.OPEN

    def check_open(self) -> None:
        """Only an open deal moves, is quoted, won or lost."""
        if not self.is_open:
            raise Conflict("deal.closed", ref=self.number,
                           status=Named("deal.status", self.status))

    @staticmethod
    def checked_reason(reason: str) -> str:
        """Why a deal was lost: required, kept to MAX_REASON characters."""
        text = reason.strip()
        if not text:
            raise InvalidInput("deal.reason_required")
        return text[:MAX_REASON]

    def type_amount(self, amount: Decimal | None) -> None:
        """A person sets the amount; it holds until the next quote."""
        self.amount = amount
        self.amount_source = AmountSource.TYPED if amount is not None else None
        self.amount_ref = None

    def follow_quote(self, quote_id: int, total: Decimal) -> None:
        """An open deal is worth its latest quote."""
        if self.is_open:
            self.amount = total
            self.amount_source = AmountSource.QUOTE
            self.amount_ref = quote_id

    def follow_order(self, order_id: int, total: Decimal) -> None:
        """A won deal is worth its signed order."""
        self.amount = total
        self.amount_source = AmountSource.ORDER
        self.amount_ref = order_id

    def touch(self, now: datetime) -> None:
        """Something was done on the deal: it is not silent."""
        self.last_activity_at = now

    def note_activity(self, now: datetime, next_step: str | None = None) -> None:
        """An activity on the deal; with a follow-up, its text is the next step."""
        self.touch(now)
        if next_step is not None:
            self.next_step = next_step[:MAX_NEXT_STEP]

    def opening(self, by: int, now: datetime) -> StageChange:
        """The first line of the deal's history: it entered its stage."""
        return StageChange(deal_id=self.id or 0, from_stage=None, to_stage=self.stage, at=now,
                           user_id=by)

    def move_to(self, stage: Stage, by: int, now: datetime) -> StageChange:
        """Move to another stage; the probability follows the stage."""
        self.check_open()
        if stage.key == self.stage:
            raise Conflict("deal.same_stage", ref=self.number, stage=Named("stage", stage.key))
        change = self._change(stage.key, by, now)
        self.stage = stage.key
        self.probability = stage.probability
        self.touch(now)
        return change

    def win(self, by: int, now: datetime, won_at: datetime | None = None) -> StageChange:
        """Close as won; `won_at` is when it counts as won (the order's signing), else now."""
        self.check_open()
        change = self._change(WON, by, now)
        self.status = DealStatus.WON
        self.stage = WON
        self.probability = 100
        self.closed_at = won_at or now
        self.touch(now)
        return change

    def lose(self, reason: str, by: int, now: datetime) -> StageChange:
        """Close as lost, for a reason."""
        self.check_open()
        reason = self.checked_reason(reason)
        change = self._change(LOST, by, now)
        self.status = DealStatus.LOST
        self.stage = LOST
        self.probability = 0
        self.lost_reason = reason
        self.closed_at = now
        self.touch(now)
        return change

    def give_to(self, owner_id: int, team: str | None) -> None:
        """Another sales person works the deal from now on."""
        self.owner_id = owner_id
        self.team = team

    def _change(self, to_stage: str, by: int, now: datetime) -> StageChange:
        return StageChange(deal_id=self.id or 0, from_stage=self.stage, to_stage=to_stage,
                           at=now, user_id=by)
