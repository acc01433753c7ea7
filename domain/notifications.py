"""The notification policy: domain events become outbox messages in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.events import (
    DealLost,
    DealWon,
    Event,
    InvoiceVoided,
    LeadRouted,
    OrderCreated,
    PaymentClaimed,
    PaymentReceived,
    PoolReclaimed,
    PoolWarning,
    QuoteApproved,
    QuoteNeedsApproval,
    QuoteRejected,
    RecordsAssigned,
    StockShort,
    SurveyAnswered,
    SurveyRequested,
)
from domain.model.products import plain
from domain.model.satisfaction import DETRACTOR
from domain.model.users import Role
from domain.money import quantize
from domain.outbox import OutboxMessage
from domain.references import reference
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork

ASSIGNED_SHOWN = 10


@dataclass
class _Batch:
    now: datetime
    messages: list[OutboxMessage] = field(default_factory=list)

    def to_user(self, user_id: int, key: str, dedupe: str, **params: Any) -> None:
        self.messages.append(OutboxMessage("user", str(user_id), key, params,
                                           f"{dedupe}:u{user_id}", self.now, self.now))

    def to_channel(self, channel: str, key: str, dedupe: str, **params: Any) -> None:
        self.messages.append(OutboxMessage("channel", channel, key, params,
                                           f"{dedupe}:c{channel}", self.now, self.now))


def _refs_shown(refs: tuple[str, ...]) -> str:
    """The first ASSIGNED_SHOWN references, and how many more: "D-1, D-2 (+3)"."""
    shown = ", ".join(refs[:ASSIGNED_SHOWN])
    if len(refs) > ASSIGNED_SHOWN:
        shown += f" (+{len(refs) - ASSIGNED_SHOWN})"
    return shown


def _money(amount: Any, currency: str) -> dict[str, str] | None:
    """An amount as JSON, rounded to its currency as it is shown."""
    return None if amount is None else {"amount": str(quantize(amount, currency)),
                                        "currency": currency}


def _route(event: Event, batch: _Batch, uow: UnitOfWork, settings: Settings) -> None:
    if isinstance(event, QuoteNeedsApproval):
        params = {"quote": reference("quote", event.quote_id),
                  "deal": reference("deal", event.deal_id),
                  "discount": str(event.discount), "total": _money(event.total, event.currency)}
        managers = [u for u in uow.users.with_role(Role.MANAGER, event.team)
                    if u.id != event.owner_id]
        for manager in managers:
            batch.to_user(manager.id or 0, "notify.quote_needs_approval",
                          f"quote-approval:{event.quote_id}", **params)
        if not managers or "managers" in settings.channels:
            batch.to_channel("managers", "notify.quote_needs_approval",
                             f"quote-approval:{event.quote_id}", **params)
    elif isinstance(event, QuoteApproved):
        batch.to_user(event.owner_id, "notify.quote_approved", f"quote-approved:{event.quote_id}",
                      quote=reference("quote", event.quote_id))
    elif isinstance(event, QuoteRejected):
        batch.to_user(event.owner_id, "notify.quote_rejected", f"quote-rejected:{event.quote_id}",
                      quote=reference("quote", event.quote_id), reason=event.reason)
    elif isinstance(event, DealWon):
        channel = "wins" if "wins" in settings.channels else "managers"
        batch.to_channel(channel, "notify.deal_won", f"deal-won:{event.deal_id}",
                         deal=reference("deal", event.deal_id), title=event.title,
                         amount=_money(event.amount, event.currency))
    elif isinstance(event, DealLost):
        batch.to_channel("managers", "notify.deal_lost", f"deal-lost:{event.deal_id}",
                         deal=reference("deal", event.deal_id), title=event.title,
                         reason=event.reason)
    elif isinstance(event, OrderCreated):
        batch.to_channel("finance", "notify.order_created", f"order-created:{event.order_id}",
                         order=reference("order", event.order_id),
                         deal=reference("deal", event.deal_id),
                         total=_money(event.total, event.currency))
    elif isinstance(event, PaymentReceived):
        params = {"payment": reference("payment", event.payment_id), "customer": event.customer,
                  "amount": _money(event.amount, event.currency),
                  "invoices": ", ".join(event.invoices) or "—"}
        batch.to_channel("finance", "notify.payment_received", f"payment:{event.payment_id}",
                         **params)
        batch.to_user(event.owner_id, "notify.payment_received", f"payment:{event.payment_id}",
                      **params)
    elif isinstance(event, PaymentClaimed):
        target = event.invoice or reference("customer", event.customer_id)
        claim = {"customer": event.customer, "target": target,
                 "customer_ref": reference("customer", event.customer_id),
                 "amount": _money(event.amount, event.currency),
                 "received_on": event.received_on.isoformat(), "ref": event.ref or "",
                 "method": event.method}
        claimant = uow.users.get(event.claimed_by)
        claim["by"] = claimant.display_name if claimant else "?"
        dedupe = f"claim:{target}:{event.amount}:{event.received_on}:{event.ref or ''}"
        batch.to_channel("finance", "notify.payment_claimed", dedupe, **claim)
    elif isinstance(event, RecordsAssigned):
        giver = uow.users.get(event.by_user_id) if event.by_user_id else None
        shown = _refs_shown(event.refs)
        batch.to_user(event.to_user_id, "notify.assigned",
                      f"assigned:{event.refs[0] if event.refs else 'R'}:{batch.now.isoformat()}",
                      by=giver.display_name if giver else "admin", count=len(event.refs),
                      refs=shown or "—", reminders=event.reminders,
                      first=event.refs[0] if event.refs else "")
    elif isinstance(event, LeadRouted):
        batch.to_user(event.owner_id, "notify.lead_assigned", f"lead-routed:{event.lead_id}",
                      **event.card)
    elif isinstance(event, PoolWarning):
        shown = _refs_shown(event.refs)
        batch.to_user(event.owner_id, "notify.pool_warning",
                      f"pool-warn:{batch.now.date().isoformat()}", refs=shown,
                      count=len(event.refs), on=event.on.isoformat(), first=event.refs[0])
    elif isinstance(event, PoolReclaimed):
        shown = _refs_shown(event.refs)
        batch.to_user(event.owner_id, "notify.pool_reclaimed",
                      f"pool-reclaimed:{batch.now.isoformat()}", refs=shown,
                      count=len(event.refs))
    elif isinstance(event, InvoiceVoided):
        voided = {"invoice": event.number, "credit_note": event.credit_note,
                  "reason": event.reason, "released": _money(event.released, event.currency)}
        batch.to_channel("finance", "notify.invoice_voided", f"void:{event.number}", **voided)
        batch.to_user(event.owner_id, "notify.invoice_voided", f"void:{event.number}", **voided)

    else:
        _route_customer_side(event, batch, settings)


def _route_customer_side(event: Event, batch: _Batch, settings: Settings) -> None:
    """Stock shortages to finance and the stock channel; surveys to the customer's contact;
    a detractor's answer to the customer's owner."""
    if isinstance(event, StockShort):
        params = {"order": reference("order", event.order_id), "customer": event.customer,
                  "items": "; ".join(f"{sku} {name} {plain(wanted)}/{plain(free)}"
                                     for sku, name, wanted, free in event.items)}
        for channel in dict.fromkeys(("finance", settings.stock_channel)):
            batch.to_channel(channel, "notify.stock_short", f"stock-short:{event.order_id}",
                             **params)
        batch.to_user(event.owner_id, "notify.stock_short", f"stock-short:{event.order_id}",
                      **params)
    elif isinstance(event, SurveyRequested):
        batch.to_user(event.user_id, "notify.nps_ask", f"nps:{event.survey_id}",
                      order=reference("order", event.order_id), company=settings.company_name)
    elif isinstance(event, SurveyAnswered) and event.score <= DETRACTOR:
        batch.to_user(event.owner_id, "notify.nps_detractor", f"nps-detractor:{event.survey_id}",
                      customer=event.customer,
                      customer_ref=reference("customer", event.customer_id),
                      score=event.score, comment=event.comment or "—",
                      source=event.source)


def queue_notifications(uow: UnitOfWork, settings: Settings, now: datetime) -> int:
    """Turn the events recorded so far into outbox rows; returns how many were queued."""
    batch = _Batch(now)
    for event in uow.events:
        _route(event, batch, uow, settings)
    uow.events.clear()
    uow.outbox.add_all(batch.messages)
    return len(batch.messages)
