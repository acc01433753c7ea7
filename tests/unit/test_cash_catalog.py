"""Every status, method and state the cash commands show has words in English and Chinese."""

from __future__ import annotations

from enum import StrEnum

import pytest

from domain.model.invoices import InvoiceStatus
from domain.model.orders import OrderStatus
from domain.model.payments import PaymentMethod
from handlers.i18n import Translator
from handlers.invoices import SCOPES

LABELS = (
    [f"invoice.status.{s}" for s in InvoiceStatus]
    + [f"order.status.{s}" for s in OrderStatus]
    + [f"payment.method.{m}" for m in PaymentMethod]
    + [f"invoices.scope.{s}" for s in SCOPES]
    + [f"installment.{why}" for why in ("waits_for_delivery", "waits_for_acceptance",
                                        "waits_for_date", "ready", "nothing_to_bill")]
)


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
def test_cash_labels_read_as_words_in_both_languages(locale: str) -> None:
    t = Translator(locale)
    shown = {key: t(key, date="2027-01-15") for key in LABELS}
    assert [key for key, text in shown.items() if text == key] == []


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
@pytest.mark.parametrize("labels", [InvoiceStatus, OrderStatus, PaymentMethod])
def test_each_status_has_its_own_words(locale: str, labels: type[StrEnum]) -> None:
    t = Translator(locale)
    prefix = {InvoiceStatus: "invoice.status", OrderStatus: "order.status",
              PaymentMethod: "payment.method"}[labels]
    texts = [t(f"{prefix}.{member}") for member in labels]
    assert len(set(texts)) == len(texts)


def test_chinese_cash_words_follow_the_glossary() -> None:
    t = Translator("zh_Hans_CN")
    assert t("invoice.status.overdue") == "逾期"
    assert "红字发票" in t("void.done")
    assert "预收款" in t("payment.credit")
    assert "回款计划" in t("order.card.plan")
