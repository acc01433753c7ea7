"""`/pdf`: a quote, order confirmation, invoice or credit note as a PDF in the customer's
language, drawn with fpdf2. Chinese needs a CJK font embedded in the file: the SimHei font
shipped by the pinned `mplfonts` package, or the file `[documents] font` names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from domain import documents
from domain.errors import Conflict, InvalidInput
from domain.model.credit_notes import CreditNote
from domain.model.customers import Customer
from domain.model.invoices import Invoice
from domain.model.orders import Order
from domain.model.products import plain
from domain.model.quotes import Quote
from domain.model.users import Role, parse_locale
from domain.money import quantize
from domain.references import parse_credit_note, parse_ref
from handlers.arguments import need, read_args, usage_of
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.i18n import Translator
from handlers.installments import terms_text, trigger_text
from handlers.reply import Attachment, Reply

FONT_FILE = "SimHei.ttf"  # TrueType outlines: small subsets, text that reads back cleanly
# Signs the font lacks; "CN¥" (English for yuan) reads better as the code.
_WORDS = {"CN¥": "CNY ", "JP¥": "JPY "}
_GLYPHS = {"¥": "￥", "£": "GBP ", "₩": "KRW "}
PDF_MIME = "application/pdf"


@cache
def default_font() -> Path:
    spec = find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise Conflict("pdf.font_missing", path="mplfonts (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE


def font_path(configured: str) -> Path:
    """The font to embed: the configured file, else the one shipped with mplfonts."""
    path = Path(configured).expanduser() if configured else default_font()
    if not path.is_file():
        raise Conflict("pdf.font_missing", path=str(path))
    return path


@dataclass
class Row:
    item: str
    quantity: str
    price: str
    amount: str


@dataclass
class Document:
    """What one PDF shows, already formatted in the reader's language."""

    kind: str  # quote, order, invoice, credit_note
    title: str
    number: str
    facts: list[tuple[str, str]]  # label, value: dates, references
    customer: list[str]
    heading: tuple[str, str, str, str, str]  # #, item, quantity, unit price, amount
    rows: list[Row]
    totals: list[tuple[str, str]]
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # heading, lines


def _text(text: str) -> str:
    for word, shown in _WORDS.items():
        text = text.replace(word, shown)
    return "".join(_GLYPHS.get(ch, ch) for ch in text)


def draw(doc: Document, company: str, header: list[str], font: Path) -> bytes:
    """The PDF: company, title, facts, the customer, the lines, the totals, the sections."""
    from fpdf import FPDF  # loaded at the first document, like matplotlib for charts
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(_text(f"{doc.title} {doc.number}"))
    pdf.set_author(_text(company))
    pdf.add_font("doc", fname=str(font))
    pdf.add_page()
    pdf.set_font("doc", size=16)
    pdf.cell(0, 9, _text(company), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("doc", size=9)
    for line in header:
        pdf.cell(0, 5, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("doc", size=14)
    pdf.cell(0, 8, _text(f"{doc.title} {doc.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("doc", size=10)
    for label, value in doc.facts:
        pdf.cell(45, 6, _text(label))
        pdf.cell(0, 6, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for line in doc.customer:
        pdf.cell(0, 6, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (10, 85, 20, 35, 40)
    with pdf.table(col_widths=widths, text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   first_row_as_headings=True, line_height=6,
                   headings_style=FontFace(emphasis="", fill_color=(230, 230, 230))) as table:
        cells = table.row()
        for heading in doc.heading:
            cells.cell(_text(heading))
        for position, row in enumerate(doc.rows, start=1):
            cells = table.row()
            for value in (str(position), row.item, row.quantity, row.price, row.amount):
                cells.cell(_text(value))
    pdf.ln(2)
    for label, value in doc.totals:
        pdf.cell(150, 6, _text(label), align="R")
        pdf.cell(40, 6, _text(value), align="R", new_x="LMARGIN", new_y="NEXT")
    for heading, lines in doc.sections:
        pdf.ln(3)
        pdf.set_font("doc", size=11)
        pdf.cell(0, 7, _text(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("doc", size=10)
        for line in lines:
            pdf.multi_cell(0, 5, _text(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# --------------------------------------------------------------------------- the documents


def _heading(t: Translator) -> tuple[str, str, str, str, str]:
    return ("#", t("pdf.col.item"), t("pdf.col.qty"), t("pdf.col.price"), t("pdf.col.amount"))


def _customer(t: Translator, customer: Customer | None) -> list[str]:
    if customer is None:
        return []
    lines = [t("pdf.bill_to", name=customer.name)]
    if customer.address:
        lines.append(customer.address)
    if customer.tax_id:
        lines.append(t("pdf.tax_id", value=customer.tax_id))
    return lines


def _bank(t: Translator, ctx: Ctx, reference: str) -> list[tuple[str, list[str]]]:
    details = ctx.settings.documents
    if not (details.bank or details.account):
        return []
    lines = [t("pdf.bank.name", value=details.bank)] if details.bank else []
    lines.append(t("pdf.bank.holder", value=details.account_name or ctx.settings.company_name))
    if details.account:
        lines.append(t("pdf.bank.account", value=details.account))
    lines.append(t("pdf.bank.reference", ref=reference))
    return [(t("pdf.bank.title"), lines)]


def _totals(t: Translator, currency: str, subtotal: Decimal, discount_pct: Decimal,
            tax_pct: Decimal, total: Decimal) -> list[tuple[str, str]]:
    money = t.money
    discount = quantize(subtotal * discount_pct / 100, currency)
    net = subtotal - discount
    rows = [(t("pdf.subtotal"), money(subtotal, currency))]
    if discount_pct:
        rows.append((t("pdf.discount", pct=t.percent(discount_pct)), money(-discount, currency)))
    rows.append((t("pdf.tax", pct=t.percent(tax_pct)), money(total - net, currency)))
    rows.append((t("pdf.total"), money(total, currency)))
    return rows


def _rows(t: Translator, currency: str, lines: list[tuple[str, Decimal, Decimal]]
          ) -> tuple[list[Row], Decimal]:
    rows, subtotal = [], Decimal(0)
    for item, quantity, price in lines:
        amount = quantize(quantity * price, currency)
        subtotal += amount
        rows.append(Row(item, plain(quantity), t.money(price, currency), t.money(amount, currency)))
    return rows, subtotal


def quote_document(ctx: Ctx, t: Translator, quote: Quote, customer: Customer | None
                   ) -> Document:
    c = quote.currency
    rows, _ = _rows(t, c, [(ln.item, ln.quantity, ln.unit_price) for ln in quote.lines])
    return Document(
        "quote", t("pdf.quote"), quote.number,
        [(t("pdf.date"), t.date(quote.created_at.astimezone(t.tz).date())),
         (t("pdf.valid_until"), t.date(quote.valid_until))],
        _customer(t, customer), _heading(t), rows,
        _totals(t, c, quote.subtotal.amount, quote.discount_pct, quote.tax_pct,
                quote.grand_total.amount))


def _plan(ctx: Ctx, t: Translator, order: Order) -> tuple[str, list[str]]:
    local = replace(ctx, t=t)
    lines = [t("pdf.plan.row", seq=part.seq, pct=t.percent(part.percent),
               amount=t.money(part.amount, order.currency), trigger=trigger_text(local, part),
               terms=terms_text(local, part)).rstrip(" ,，") for part in order.installments]
    return t("pdf.plan.title"), lines


def order_document(ctx: Ctx, t: Translator, order: Order, customer: Customer | None
                   ) -> Document:
    c = order.currency
    rows, subtotal = _rows(t, c, [(ln.item, ln.quantity, ln.unit_price) for ln in order.lines])
    return Document(
        "order", t("pdf.order"), order.number,
        [(t("pdf.signed"), t.date(order.signed_on)), (t("pdf.quote_ref"), f"Q-{order.quote_id}")],
        _customer(t, customer), _heading(t), rows,
        _totals(t, c, subtotal, order.discount_pct, order.tax_pct, order.total),
        [_plan(ctx, t, order), *_bank(t, ctx, order.number)])


def invoice_document(ctx: Ctx, t: Translator, invoice: Invoice, order: Order | None,
                     customer: Customer | None) -> Document:
    c = invoice.currency
    money = t.money
    order_ref = order.number if order else f"O-{invoice.order_id}"
    part = order.installment(invoice.installment_seq) if order and invoice.installment_seq \
        else None
    if part is not None and order is not None:
        item = t("pdf.invoice_item", order=order_ref, seq=part.seq,
                 count=len(order.installments), pct=t.percent(part.percent))
    else:
        item = t("pdf.invoice_amount_item", order=order_ref)
    tax_pct = order.tax_pct if order else Decimal(0)
    net = quantize(invoice.total * 100 / (100 + tax_pct), c)
    facts = [(t("pdf.date"), t.date(invoice.issued_on)), (t("pdf.due"), t.date(invoice.due_on)),
             (t("pdf.order_ref"), order_ref)]
    if invoice.is_void:
        notes = ", ".join(n.number for n in invoice.credit_notes)
        facts.append((t("pdf.void"), t("pdf.void_by", notes=notes)))
    totals = [(t("pdf.net"), money(net, c)),
              (t("pdf.tax", pct=t.percent(tax_pct)), money(invoice.total - net, c)),
              (t("pdf.total"), money(invoice.total, c))]
    if invoice.paid:
        totals.append((t("pdf.paid"), money(-invoice.paid, c)))
    if invoice.credited:
        totals.append((t("pdf.credited"), money(-invoice.credited, c)))
    totals.append((t("pdf.outstanding"), money(invoice.outstanding, c)))
    if order is not None and order.discount_pct:
        facts.append((t("pdf.order_discount"), t.percent(order.discount_pct)))
    sections = [] if invoice.is_void or invoice.outstanding <= 0 \
        else _bank(t, ctx, invoice.number)
    return Document("invoice", t("pdf.invoice"), invoice.number, facts, _customer(t, customer),
                    _heading(t), [Row(item, "1", money(invoice.total, c), money(invoice.total, c))],
                    totals, sections)


def credit_note_document(t: Translator, note: CreditNote, invoice: Invoice,
                         customer: Customer | None) -> Document:
    c = note.currency
    money = t.money
    return Document(
        "credit_note", t("pdf.credit_note"), note.number,
        [(t("pdf.date"), t.date(note.issued_on)), (t("pdf.voids"), invoice.number),
         (t("pdf.reason"), note.reason)],
        _customer(t, customer), _heading(t),
        [Row(t("pdf.credit_item", invoice=invoice.number), "1", money(-note.amount, c),
             money(-note.amount, c))],
        [(t("pdf.total"), money(-note.amount, c))])


# --------------------------------------------------------------------------- /pdf


def customer_language(ctx: Ctx, customer_id: int, asked: str | None) -> str:
    """The language of a customer's documents: as asked, else that of its contact in chat,
    else the company's."""
    if asked:
        return parse_locale(asked)
    contacts = ctx.uow.users.of_customer(customer_id)
    return contacts[0].locale if contacts else ctx.settings.locale


def _header(t: Translator, ctx: Ctx) -> list[str]:
    details = ctx.settings.documents
    parts = [details.address, t("pdf.phone", value=details.phone) if details.phone else "",
             t("pdf.tax_id", value=details.tax_id) if details.tax_id else ""]
    return [p for p in parts if p]


def build(ctx: Ctx, ref_text: str, language: str | None = None) -> tuple[Document, bytes]:
    """The document a reference names, as the asker may have it, drawn as a PDF."""
    note_number = parse_credit_note(ref_text)
    if note_number is not None:
        note, invoice = documents.credit_note_document(ctx.uow, ctx.user, note_number)
        customer_id = invoice.customer_id
    else:
        ref = parse_ref(ref_text)
        if ref.kind not in ("quote", "order", "invoice"):
            raise InvalidInput("pdf.wrong_kind", value=ref.number)

    def t_of(customer_id: int) -> Translator:
        return Translator(customer_language(ctx, customer_id, language), ctx.user.timezone,
                          ctx.settings)

    if note_number is not None:
        t = t_of(customer_id)
        doc = credit_note_document(t, note, invoice, ctx.uow.customers.get(customer_id))
    elif ref.kind == "quote":
        quote, customer_id = documents.quote_document(ctx.uow, ctx.user, ref.id)
        t = t_of(customer_id)
        doc = quote_document(ctx, t, quote, ctx.uow.customers.get(customer_id))
    elif ref.kind == "order":
        order = documents.order_document(ctx.uow, ctx.user, ref.id)
        t = t_of(order.customer_id)
        doc = order_document(ctx, t, order, ctx.uow.customers.get(order.customer_id))
    else:
        found = documents.invoice_document(ctx.uow, ctx.user, ref.number)
        t = t_of(found.customer_id)
        doc = invoice_document(ctx, t, found, ctx.uow.orders.get(found.order_id),
                               ctx.uow.customers.get(found.customer_id))
    font = font_path(ctx.settings.documents.font)
    return doc, draw(doc, ctx.settings.company_name, _header(t, ctx), font)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@command("pdf", roles=(*READERS, Role.CUSTOMER), group="cash",
         samples=("Q-1", "O-1", "INV-2026-0001", "INV-2026-0002", "O-2 lang=zh"))
def pdf(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "pdf")
    args = read_args(text, "lang", usage=usage)
    wanted = need(args.positional[0] if args.positional else None, "pdf.need_ref", usage)
    if len(args.positional) > 1:
        raise InvalidInput("pdf.need_ref", usage=usage)
    doc, data = build(ctx, wanted, args.option("lang"))
    name = _SAFE_NAME.sub("_", doc.number) + ".pdf"
    return Reply(ctx.t("pdf.ready", title=ctx.t(f"pdf.{doc.kind}"), number=doc.number),
                 files=[Attachment(name, data, PDF_MIME)])
