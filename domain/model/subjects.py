"""What an activity or reminder is about: a lead, customer, deal, quote or order."""

from __future__ import annotations

from dataclasses import dataclass

from domain.references import reference

KINDS = ("lead", "customer", "deal", "quote", "order")


@dataclass(frozen=True)
class Subject:
    """A record that activities and reminders can point at, with its owner and customer."""

    kind: str
    id: int
    title: str
    owner_id: int
    team: str | None
    lead_id: int | None = None
    customer_id: int | None = None
    deal_id: int | None = None

    @property
    def number(self) -> str:
        return reference(self.kind, self.id)
