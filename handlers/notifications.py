"""Rendering an outbox message for its reader: language, time zone, money, buttons."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.digests import FINANCE_DIGEST, MANAGER_DIGEST
from handlers.digests import digest_reply
from handlers.i18n import Translator
from handlers.references import card_command
from handlers.reply import Button, Reply


def _shown(value: Any, t: Translator) -> Any:
    """Parameters are stored as JSON; money and dates are formatted for the reader here."""
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return t.money(Decimal(value["amount"]), value["currency"])
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return t.date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and "T" in value and len(value) >= 19:
        try:
            return t.when(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(_shown(v, t)) for v in value)
    return "—" if value is None else value


def _buttons(key: str, params: dict[str, Any], t: Translator) -> list[list[Button]]:
    if key == "notify.quote_needs_approval":
        quote = params["quote"]
        return [[Button(t("button.approve"), f"/approve {quote}"),
                 Button(t("button.reject"), f"/reject {quote} reason=")],
                [Button(t("button.show_quote"), f"/quote {quote}")]]
    if key == "notify.payment_claimed":
        amount = params["amount"]
        confirm = f"/pay {params['target']} {amount['amount']} {amount['currency']} " \
                  f"date={params['received_on']} method={params['method']}"
        if params.get("ref"):
            confirm += f' ref="{params["ref"]}"'
        return [[Button(t("button.confirm_payment"), confirm),
                 Button(t("button.open_customer"), f"/customer {params['customer_ref']}")]]
    if key == "notify.assigned" and params.get("first"):
        card = card_command(params["first"])
        return [[Button(t("button.open_record", ref=params["first"]), card)]] if card else []
    if key == "notify.nps_ask":
        order = params["order"]
        scores = [Button(str(n), f"/nps {order} {n}") for n in range(11)]
        return [scores[:6], scores[6:]]
    if key == "notify.nps_detractor":
        return [[Button(t("button.open_customer"), f"/customer {params['customer_ref']}")]]
    if key == "notify.stock_short":
        return [[Button(t("button.open_record", ref=params["order"]),
                        f"/order {params['order']}")]]
    if key == "notify.reminder_due":
        ref = params["reminder"]
        return [[Button(t("button.done", ref=ref), f"/done {ref}"),
                 Button(t("button.snooze"), f"/snooze {ref} tomorrow"),
                 Button(t("button.snooze_week"), f"/snooze {ref} next week")]]
    return []


def _dunning(params: dict[str, Any], t: Translator) -> Reply:
    """One message for all of a customer's invoices that reached a chasing level."""
    lines = [t("notify.dunning", customer=params["customer"], ref=params["customer_ref"])]
    for item in params["items"]:
        days = int(item["days"])
        if days > 0:
            key = "dunning.row_overdue"
        elif days == 0:
            key = "dunning.row_today"
        else:
            key = "dunning.row_due"
        lines.append(t(key, invoice=item["invoice"], amount=_shown(item["outstanding"], t),
                       due=_shown(item["due"], t), days=abs(days), level=item["level"]))
    buttons = [[Button(t("button.open_customer"), f"/customer {params['customer_ref']}"),
                Button(t("button.open_invoices"), f"/invoices overdue {params['customer_ref']}")]]
    return Reply("\n".join(lines), buttons)


def _customer_reminder(params: dict[str, Any], t: Translator) -> Reply:
    """A polite reminder to the customer's own contact, with each invoice's document."""
    lines = [t("notify.customer_reminder", company=t.settings.company_name)]
    for item in params["items"]:
        days = int(item["days"])
        key = "reminder.row_overdue" if days > 0 else "reminder.row_due"
        lines.append(t(key, invoice=item["invoice"], amount=_shown(item["outstanding"], t),
                       due=_shown(item["due"], t), days=abs(days)))
    lines.append(t("notify.customer_reminder_end"))
    buttons = [[Button(item["invoice"], f"/pdf {item['invoice']}")
                for item in params["items"][:3]]]
    return Reply("\n".join(lines), buttons)


def render(key: str, params: dict[str, Any], t: Translator) -> Reply:
    """The message `key` with `params`, in the reader's language, with its buttons."""
    if key == "notify.dunning":
        return _dunning(params, t)
    if key == "notify.customer_reminder":
        return _customer_reminder(params, t)
    if key in (MANAGER_DIGEST, FINANCE_DIGEST):
        return digest_reply(key, params, t)
    shown = {name: _shown(value, t) for name, value in params.items() if not name.startswith("_")}
    if key == "notify.payment_claimed":
        shown["ref"] = t("payment.bank_ref", ref=params["ref"]) if params.get("ref") else ""
    if key == "notify.nps_detractor":
        shown["source"] = t(f"nps.source.{params['source']}")
    return Reply(t(key, **shown), _buttons(key, params, t))
