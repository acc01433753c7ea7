"""Credit notes (红字发票): the document that voids an issued invoice without editing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.errors import InvalidInput

CREDIT_NOTE_SERIES = "CN"
MAX_REASON = 500


@dataclass(eq=False)
class CreditNote:
    """Cancels an invoice (CN-<year>-<seq>); linked to it, posted once."""

    number: str
    year: int
    seq: int
    invoice_id: int
    customer_id: int
    currency: str
    amount: Decimal
    reason: str
    issued_on: date
    issued_by: int
    created_at: datetime
    id: int | None = None

    @staticmethod
    def checked_reason(reason: str) -> str:
        """Why the invoice is voided: required, at most MAX_REASON characters."""
        reason = reason.strip()
        if not reason:
            raise InvalidInput("void.reason_required")
        if len(reason) > MAX_REASON:
            raise InvalidInput("field.too_long", field="reason", limit=MAX_REASON)
        return reason
