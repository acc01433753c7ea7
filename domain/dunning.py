"""Chasing overdue invoices level by level: one combined message per customer and reader."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from domain.model.users import Role
from domain.money import quantize
from domain.outbox import OutboxMessage
from domain.references import reference
from domain.settings import DunningLevel, Settings
from domain.unit_of_work import OpenInvoice, UnitOfWork


def reached_level(levels: tuple[DunningLevel, ...], days_past_due: int) -> int | None:
    """Index (1-based) of the highest level reached `days_past_due` days after the due date."""
    reached = None
    for index, level in enumerate(sorted(levels, key=lambda lv: lv.days), start=1):
        if days_past_due >= level.days:
            reached = index
    return reached


def _recipients(level: DunningLevel, invoice: OpenInvoice, uow: UnitOfWork,
                managers: dict[str | None, list[int]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for role in level.notify:
        if role == "owner":
            found.append(("user", str(invoice.owner_id)))
        elif role == "manager":
            if invoice.team not in managers:
                managers[invoice.team] = [u.id or 0 for u in
                                          uow.users.with_role(Role.MANAGER, invoice.team)]
            found += [("user", str(m)) for m in managers[invoice.team]] or [("channel", "managers")]
        elif role == "finance":
            found.append(("channel", "finance"))
        elif role == "admin":
            found += [("user", str(u.id)) for u in uow.users.with_role(Role.ADMIN, None)]
        elif role == "customer":  # the customer's own contacts, with a polite reminder
            found += [("customer", str(u.id)) for u in uow.users.of_customer(invoice.customer_id)]
    return found


def chase_overdue(uow: UnitOfWork, settings: Settings, today: date, now: datetime) -> int:
    """Queue the chasing messages due `today`; each invoice reaches each level once.

    An invoice paid in full is no longer open, so a payment stops its chase. After downtime
    an invoice jumps to the highest level it has reached; the levels it skipped are marked too.
    """
    levels = tuple(sorted(settings.dunning, key=lambda lv: lv.days))
    if not levels:
        return 0
    candidates = uow.dunning.open_invoices(today, min_days_past_due=levels[0].days)
    sent = uow.dunning.marks([inv.id for inv in candidates])
    managers: dict[str | None, list[int]] = {}
    # (customer, recipient) -> invoices with the level they reached
    batches: dict[tuple[int, tuple[str, str]], list[tuple[OpenInvoice, int]]] = defaultdict(list)
    marks: list[tuple[int, int]] = []
    for invoice in candidates:
        level = reached_level(levels, (today - invoice.due_on).days)
        if level is None or (invoice.id, level) in sent:
            continue
        for lower in range(1, level + 1):
            if (invoice.id, lower) not in sent:
                marks.append((invoice.id, lower))
        for recipient in _recipients(levels[level - 1], invoice, uow, managers):
            batches[(invoice.customer_id, recipient)].append((invoice, level))
    uow.dunning.mark_all(marks, today)
    messages: list[OutboxMessage] = []
    for (customer_id, (kind, who)), items in sorted(batches.items()):
        content = ",".join(f"{inv.number}#{lvl}" for inv, lvl in items)
        digest = hashlib.sha1(content.encode()).hexdigest()[:16]
        params: dict[str, Any] = {
            "customer": items[0][0].customer, "customer_ref": reference("customer", customer_id),
            "items": [{"invoice": inv.number, "level": lvl,
                       "outstanding": {"amount": str(quantize(inv.outstanding, inv.currency)),
                                       "currency": inv.currency},
                       "due": inv.due_on.isoformat(), "days": (today - inv.due_on).days}
                      for inv, lvl in items],
        }
        polite = kind == "customer"
        messages.append(OutboxMessage(
            recipient_kind="user" if polite else kind, recipient=who,
            key="notify.customer_reminder" if polite else "notify.dunning", params=params,
            dedupe_key=f"dunning:{reference('customer', customer_id)}:{digest}:"
                       f"{'k' if polite else kind[0]}{who}",
            created_at=now, next_attempt_at=now,
        ))
    uow.outbox.add_all(messages)
    return len(batches)
