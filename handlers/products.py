"""The price list and the stock in chat: /product, /products, /stock; and the quote lines
that name a SKU instead of an item and a price."""

from __future__ import annotations

from decimal import Decimal

from domain import products
from domain.errors import Conflict, InvalidInput, NotFound
from domain.model.products import Product, Shortage, clean_sku, plain
from domain.model.quotes import LineInput
from domain.money import Money
from handlers.amounts import parse_percent, parse_quantity
from handlers.arguments import need, read_args, usage_of
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.item_lines import QuoteLineText
from handlers.reply import Button, Reply

LIST_ROWS = 30
MOVES_SHOWN = 5
YES = ("yes", "y", "true", "on", "1", "是", "启用", "开")
NO = ("no", "n", "false", "off", "0", "否", "停用", "关")


def _yes_no(text: str) -> bool:
    if text.strip().lower() not in YES + NO:
        raise InvalidInput("product.bad_yes_no", value=text.strip()[:20])
    return text.strip().lower() in YES


def sku_of(text: str) -> str | None:
    """The SKU `text` is written as, or None when it cannot be one."""
    try:
        return clean_sku(text)
    except InvalidInput:
        return None


# --------------------------------------------------------------------------- quote lines


def quote_lines(ctx: Ctx, written: list[QuoteLineText], currency: str
                ) -> tuple[list[LineInput], Decimal | None]:
    """Quote lines from what was typed: a known SKU is a product line at its list price (or
    the price written), anything else free text with its price. Also the tax the products
    agree on (None: the default applies); products of different rates need tax=."""
    lines: list[LineInput] = []
    rates: dict[Decimal, str] = {}
    for line in written:
        sku = sku_of(line.item) if " " not in line.item.strip() else None
        product = ctx.uow.products.by_sku(sku) if sku else None
        if product is None:
            if not line.price:
                raise NotFound("product.unknown_in_quote", sku=line.item[:40])
            lines.append(LineInput(line.quantity, line.item, ctx.amount(line.price, currency)))
            continue
        if not product.active:
            raise Conflict("product.inactive", sku=product.sku)
        if line.price:
            price = ctx.amount(line.price, currency)
        elif product.currency != currency:
            raise InvalidInput("product.currency_mismatch", sku=product.sku,
                               currency=product.currency, expected=currency)
        else:
            price = Money(product.price, currency)
        if product.tax_pct is not None:
            rates.setdefault(product.tax_pct, product.sku)
        lines.append(LineInput(line.quantity, f"{product.sku} {product.name}"[:200], price,
                               product_id=product.id))
    if len(rates) > 1:
        shown = ", ".join(f"{sku} {ctx.t.percent(rate)}" for rate, sku in rates.items())
        raise InvalidInput("quote.mixed_tax", rates=shown)
    return lines, next(iter(rates), None)


def shortage_lines(ctx: Ctx, short: list[Shortage]) -> list[str]:
    """What a signed order lacks, one line per product."""
    if not short:
        return []
    return [ctx.t("stock.short_title")] + [
        ctx.t("stock.short_row", sku=s.sku, name=s.name, wanted=plain(s.wanted),
              free=plain(s.free), missing=plain(s.wanted - max(s.free, Decimal(0))))
        for s in short]


# --------------------------------------------------------------------------- cards and lists


def _price(ctx: Ctx, product: Product) -> str:
    price = ctx.t.money(product.price, product.currency)
    return f"{price}/{product.unit}" if product.unit else price


def _tax(ctx: Ctx, product: Product) -> str:
    return ctx.t.percent(product.tax_pct) if product.tax_pct is not None \
        else ctx.t("product.tax_default")


def _row(ctx: Ctx, product: Product, free: Decimal) -> str:
    if not product.stocked:
        return ctx.t("product.row_unstocked", sku=product.sku, name=product.name,
                     price=_price(ctx, product), tax=_tax(ctx, product))
    key = "product.row" if product.active else "product.row_inactive"
    return ctx.t(key, sku=product.sku, name=product.name, price=_price(ctx, product),
                 tax=_tax(ctx, product), on_hand=plain(product.on_hand), free=plain(free))


def product_card(ctx: Ctx, product: Product) -> Reply:
    free = products.free_stock(ctx.uow, [product])[product.id or 0]
    if product.stocked:
        lines = [ctx.t("product.card", sku=product.sku, name=product.name,
                       price=_price(ctx, product), tax=_tax(ctx, product),
                       on_hand=plain(product.on_hand), reserved=plain(product.on_hand - free),
                       free=plain(free), min=plain(product.min_stock))]
    else:
        lines = [ctx.t("product.card_unstocked", sku=product.sku, name=product.name,
                       price=_price(ctx, product), tax=_tax(ctx, product))]
    if not product.active:
        lines.append(ctx.t("product.inactive_note"))
    for move in ctx.uow.products.moves(product.id or 0, MOVES_SHOWN):
        sign = "+" if move.quantity > 0 else ""
        order = f" O-{move.order_id}" if move.order_id else ""
        lines.append(ctx.t("stock.move", when=ctx.t.when(move.created_at),
                           qty=f"{sign}{plain(move.quantity)}",
                           kind=ctx.t(f"stock.kind.{move.kind}"), order=order,
                           note=f" · {move.note}" if move.note else ""))
    return Reply("\n".join(lines))


def _list(ctx: Ctx, found: list[Product], title: str) -> Reply:
    free = products.free_stock(ctx.uow, found)
    lines = [title] + [_row(ctx, p, free[p.id or 0]) for p in found]
    if len(found) >= LIST_ROWS:
        lines.append(ctx.t("product.narrow"))
    return Reply("\n".join(lines))


# --------------------------------------------------------------------------- commands


def _add(ctx: Ctx, text: str, usage: str) -> Reply:
    args = read_args(text, "unit", "tax", "stock", "min", "stocked", usage=usage)
    if len(args.positional) < 3:
        raise InvalidInput("product.need_parts", usage=usage)
    sku, *name_words, price_text = args.positional
    price = ctx.amount(price_text)
    tax = parse_percent(args.options["tax"]) if "tax" in args.options else None
    stock = parse_quantity(args.options["stock"]) if "stock" in args.options else None
    minimum = Decimal(0) if args.option("min") in ("0", None) \
        else parse_quantity(args.options["min"])
    stocked = _yes_no(args.option("stocked") or "yes")
    if not stocked and stock:
        raise InvalidInput("product.stock_of_unstocked", usage=usage)
    product = products.add_product(ctx.uow, ctx.user, sku, " ".join(name_words), price, ctx.now,
                                   unit=args.option("unit"), tax=tax, stock=stock,
                                   min_stock=minimum, stocked=stocked)
    return Reply(ctx.t("product.added", sku=product.sku, name=product.name,
                       price=_price(ctx, product), on_hand=plain(product.on_hand)),
                 [[Button(ctx.t("button.open_record", ref=product.sku),
                          f"/product {product.sku}")]])


@command("product", roles=READERS, group="sales",
         samples=("add SRV-9 Test Server 1,000 unit=pc stock=5", "SRV-1"))
def product(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "product")
    first, _, rest = text.strip().partition(" ")
    if first.lower() in ("add", "新增", "添加"):
        return _add(ctx, rest, usage)
    sku = need(first, "product.need_parts", usage)
    if rest.strip():
        raise InvalidInput("product.need_parts", usage=usage)
    return product_card(ctx, products.find_product(ctx.uow, sku))


@command("products", roles=READERS, group="sales", samples=("", "server"))
def products_list(ctx: Ctx, text: str) -> Reply:
    args = read_args(text, usage=usage_of(ctx, "products"))
    wanted = args.text.strip()
    found = ctx.uow.products.search(wanted, LIST_ROWS)
    if not found:
        return Reply(ctx.t("product.none", text=wanted or "—"))
    return _list(ctx, found, ctx.t("product.list_title", count=len(found)))


def edit_product(ctx: Ctx, sku: str, options: dict[str, str]) -> Reply:
    """`/edit SRV-1 price=4,800 unit=台 tax=13 min=5 active=no name="..."`."""
    known = products.find_product(ctx.uow, sku)
    values: dict[str, object] = {}
    for name, text in options.items():
        value = text.strip()
        if name == "price":
            values[name] = ctx.amount(value, known.currency)
        elif name == "tax":
            values[name] = None if value in ("", "-", "—") else parse_percent(value)
        elif name == "min":
            values[name] = Decimal(0) if value in ("0", "-", "") else parse_quantity(value)
        elif name in ("active", "stocked"):
            values[name] = _yes_no(value)
        else:
            values[name] = value
    changed, changes = products.edit_product(ctx.uow, ctx.user, sku, values)
    if not changes:
        return Reply(ctx.t("edit.unchanged", ref=changed.sku))
    lines = [ctx.t("edit.done", ref=changed.sku)]
    for change in changes:
        before, after = (_shown(ctx, change.field, v, changed) for v in
                         (change.before, change.after))
        lines.append("  " + ctx.t("history.change", field=ctx.t(f"product.field.{change.field}"),
                                  before=before, after=after))
    return Reply("\n".join(lines), [[Button(ctx.t("button.open_record", ref=changed.sku),
                                            f"/product {changed.sku}")]])


def _shown(ctx: Ctx, field: str, value: object, product: Product) -> str:
    if value is None:
        return "—"
    if field == "price" and isinstance(value, Decimal):
        return ctx.t.money(value, product.currency)
    if field == "tax" and isinstance(value, Decimal):
        return ctx.t.percent(value)
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, bool):
        return ctx.t("product.active_yes") if value else ctx.t("product.active_no")
    return str(value)


@command("stock", roles=READERS, group="sales",
         samples=("", "all", "SRV-1 +50 note=container", "SRV-1"))
def stock(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "stock")
    args = read_args(text, "note", usage=usage)
    if not args.positional:
        low = ctx.uow.products.low(LIST_ROWS)
        if not low:
            return Reply(ctx.t("stock.none_low"))
        lines = [ctx.t("stock.low_title", count=len(low))]
        lines += [ctx.t("stock.low_row", sku=p.sku, name=p.name, on_hand=plain(p.on_hand),
                        free=plain(free), min=plain(p.min_stock)) for p, free in low]
        return Reply("\n".join(lines))
    if len(args.positional) == 1 and args.positional[0].lower() in ("all", "全部"):
        found = ctx.uow.products.search("", LIST_ROWS)
        if not found:
            return Reply(ctx.t("product.none", text="—"))
        return _list(ctx, found, ctx.t("stock.all_title", count=len(found)))
    sku = args.positional[0]
    if len(args.positional) == 1:
        return product_card(ctx, products.find_product(ctx.uow, sku))
    if len(args.positional) != 2:
        raise InvalidInput("stock.need_parts", usage=usage)
    change = args.positional[1].replace("＋", "+").replace("−", "-").replace("－", "-")
    if change[:1] not in "+-" or len(change) < 2:
        raise InvalidInput("stock.need_sign", value=change, usage=usage)
    quantity = parse_quantity(change[1:])
    if change[0] == "-":
        quantity = -quantity
    changed = products.receive_stock(ctx.uow, ctx.user, sku, quantity, ctx.now,
                                     args.option("note"))
    key = "stock.received" if quantity > 0 else "stock.corrected"
    return Reply(ctx.t(key, sku=changed.sku, name=changed.name, qty=plain(abs(quantity)),
                       on_hand=plain(changed.on_hand)))
