"""Leads: someone who might buy, worked until qualified into a deal or disqualified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.errors import Conflict, InvalidInput
from domain.names import normalise_company
from domain.references import reference
from domain.vocabulary import Named

MAX_NAME = 200
MAX_REASON = 500


class LeadStatus(StrEnum):
    NEW = "new"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"


@dataclass(eq=False)
class Lead:
    """Someone who might buy (L-n), owned by the rep who logged it."""

    company: str
    name_key: str
    owner_id: int
    team: str | None
    created_at: datetime
    status: LeadStatus = LeadStatus.NEW
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    source: str | None = None
    note: str | None = None
    reason: str | None = None
    customer_id: int | None = None
    deal_id: int | None = None
    closed_at: datetime | None = None
    amount: Decimal | None = None  # what the lead might buy for, in the company currency
    region: str | None = None
    external_id: str | None = None  # the form's or the spreadsheet's own id, unique
    score: int = 0
    score_reasons: list[dict[str, Any]] | None = None  # [{"rule", "value", "points"}]
    first_activity_at: datetime | None = None
    touched_at: datetime | None = None  # created, assigned, claimed or worked: neglect clock
    in_pool: bool = False
    pooled_at: datetime | None = None
    previous_owner_id: int | None = None
    cooldown_until: datetime | None = None
    pool_reason: str | None = None  # why its owner gave it back; None: taken for neglect
    id: int | None = None

    @property
    def number(self) -> str:
        return reference("lead", self.id)

    @property
    def is_open(self) -> bool:
        return self.status == LeadStatus.NEW

    def check_open(self) -> None:
        """Only a lead still to be worked may be qualified or disqualified."""
        if not self.is_open:
            raise Conflict("lead.closed", ref=self.number,
                           status=Named("lead.status", self.status))

    @staticmethod
    def checked_reason(reason: str) -> str:
        """Why a lead will not buy: required, kept to MAX_REASON characters."""
        text = reason.strip()
        if not text:
            raise InvalidInput("lead.reason_required")
        return text[:MAX_REASON]

    def qualify(self, customer_id: int, deal_id: int, now: datetime) -> None:
        """The lead became a deal with this customer."""
        self.check_open()
        self.status = LeadStatus.QUALIFIED
        self.customer_id = customer_id
        self.deal_id = deal_id
        self.closed_at = now

    def disqualify(self, reason: str, now: datetime) -> None:
        """The lead will not buy, for a reason."""
        self.check_open()
        self.reason = self.checked_reason(reason)
        self.status = LeadStatus.DISQUALIFIED
        self.closed_at = now

    def rename(self, company: str) -> None:
        """A new name, and with it the key look-alikes are found by."""
        self.company = company
        self.name_key = normalise_company(company)

    def give_to(self, owner_id: int, team: str | None) -> None:
        """Another sales person works the lead from now on."""
        self.owner_id = owner_id
        self.team = team
        self.in_pool = False

    def note_activity(self, now: datetime) -> None:
        """Someone worked the lead: the first time is its response time."""
        if self.first_activity_at is None:
            self.first_activity_at = now
        self.touched_at = now

    def scored(self, points: int, reasons: list[dict[str, Any]]) -> None:
        self.score = points
        self.score_reasons = reasons
