"""Importing a spreadsheet of leads, customers, contacts or open invoices: `/import <kind>`
with the file (Telegram document, Slack file, a path on the console) and
`python -m bot import <kind> FILE` on the command line.

Each row passes the checks the chat commands apply; rows already on file (same normalised
name, phone or e-mail; for invoices, the same number) are skipped or merged as the person
chooses. In chat the file is first tried without writing anything (the report, with Import /
Cancel buttons), and imported only when the person confirms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.errors import DomainError, Forbidden, InvalidInput
from domain.events import RecordsAssigned
from domain.imports import FIELDS, KINDS, Known, Outcome, Report, RowResult, map_columns
from domain.leads import NewLead, checked_lead
from domain.model.customers import (
    MAX_NAME,
    MAX_NOTE,
    Customer,
    NewContact,
    optional_email,
    optional_phone,
    text_field,
)
from domain.model.leads import Lead
from domain.model.users import Role, User
from domain.names import normalise_company
from domain.opening_balances import open_balance
from domain.records import writable
from domain.references import reference
from domain.routing import Router, tell_assignee
from domain.settings import Settings
from handlers.amounts import parse_amount
from handlers.arguments import need, read_args, usage_of
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.i18n import Translator
from handlers.reply import Button, Reply
from handlers.spreadsheets import read_rows
from handlers.unit_of_work import ChatUnitOfWork

BATCH = 2000
SHOWN_ROWS = 30  # rows of the report listed one by one; the rest are counted
CARDS_PER_OWNER = 3  # leads an assignee hears of one by one; more come as one list
_KIND_WORDS = {"lead": "leads", "线索": "leads", "customer": "customers", "客户": "customers",
               "contact": "contacts", "联系人": "contacts", "invoice": "invoices",
               "发票": "invoices", "应收": "invoices", "期初": "invoices"}
_DUPLICATES = {"skip": "skip", "跳过": "skip", "merge": "merge", "合并": "merge"}
ROLES = {"leads": (Role.REP, Role.MANAGER), "customers": (Role.REP, Role.MANAGER),
         "contacts": (Role.REP, Role.MANAGER), "invoices": (Role.FINANCE,)}


def kind_of(word: str) -> str:
    kind = _KIND_WORDS.get(word.strip().lower(), word.strip().lower())
    if kind not in KINDS:
        raise InvalidInput("import.bad_kind", value=word, names="|".join(KINDS))
    return kind


def duplicates_of(word: str | None) -> str:
    if word is None:
        return "skip"
    found = _DUPLICATES.get(word.strip().lower())
    if found is None:
        raise InvalidInput("import.bad_duplicates", value=word)
    return found


@dataclass
class _Run:
    uow: ChatUnitOfWork
    actor: User
    kind: str
    settings: Settings
    now: datetime
    today: date
    merge: bool
    report: Report
    router: Router
    known: Known = field(default_factory=Known)
    customers: Known = field(default_factory=Known)
    numbers: dict[str, int] = field(default_factory=dict)
    owners: dict[str, User | None] = field(default_factory=dict)
    pending: list[tuple[int, Any]] = field(default_factory=list)
    routed: dict[int, list[Lead]] = field(default_factory=lambda: defaultdict(list))

    # ------------------------------------------------------------ shared parts

    def owner(self, text: str | None) -> User | None:
        """The owner a row names (username or display name); only managers and admins may
        name someone else, and a manager only in their team."""
        if not text:
            return None
        key = text.strip().lstrip("@")
        if key not in self.owners:
            person = self.uow.users.by_username(key) or next(
                (u for u in self.uow.users.with_role(Role.REP, None)
                 + self.uow.users.with_role(Role.MANAGER, None)
                 if u.display_name == key), None)
            self.owners[key] = person
        person = self.owners[key]
        if person is None or not person.active or person.role not in (Role.REP, Role.MANAGER,
                                                                      Role.ADMIN):
            raise InvalidInput("import.bad_owner", value=text)
        if person.id != self.actor.id and not self.actor.has_role(Role.MANAGER):
            raise Forbidden("import.owner_not_you", value=text)
        if not self.actor.can_write(person.id, person.team):
            raise Forbidden("assign.other_team", username=person.username,
                            team=self.actor.team or "")
        return person

    def amount(self, text: str, currency: str | None = None) -> Any:
        return parse_amount(text, currency or self.settings.currency)

    def date(self, text: str, name: str) -> date:
        from domain.dates import parse_date
        try:
            return parse_date(text.strip().split(" ")[0].replace("/", "-"), self.today)
        except DomainError:
            raise InvalidInput("import.bad_date", field=name, value=text) from None

    def flush(self) -> None:
        if not self.pending:
            return
        new_leads = [e for _, e in self.pending if isinstance(e, Lead)]
        if new_leads:
            self.uow.leads.add_many(new_leads)
        else:
            self.uow.flush()
        for row, entity in self.pending:
            self.report.rows.append(RowResult(row, Outcome.CREATED, entity.number))
            if isinstance(entity, Lead):
                self.routed[entity.owner_id].append(entity)
        self.pending.clear()

    # ------------------------------------------------------------ kinds

    def lead(self, row: int, values: dict[str, str]) -> None:
        amount = None
        if values.get("amount"):
            money = self.amount(values["amount"])
            if money.currency != self.settings.currency:
                raise InvalidInput("lead.amount_currency", currency=self.settings.currency)
            amount = money.amount
        lead = checked_lead(NewLead(
            company=values.get("company", ""), contact=values.get("contact"),
            phone=values.get("phone"), email=values.get("email"),
            source=values.get("source"), note=values.get("note"), amount=amount,
            region=values.get("region"), external_id=values.get("external_id")),
            self.settings, self.now)
        owner = self.owner(values.get("owner"))
        same = None
        if lead.external_id:
            on_file = self.uow.pool.by_external_id(lead.external_id)
            if on_file is not None:
                same = ("external_id", ("lead", on_file.id or 0))
        same = same or self.known.find(lead.company, lead.phone, lead.email)
        if same is not None:
            matched, (kind, id_) = same
            if id_ < 0:  # an earlier row of this file
                self.skip(row, str(-id_), "import.duplicate_row", matched)
            elif kind == "customer":
                self.skip(row, reference("customer", id_), "import.already_customer", matched)
            elif self.merge:
                self.merge_lead(row, id_, lead)
            else:
                self.skip(row, reference("lead", id_), "import.duplicate", matched)
            return
        if owner is not None:
            self.router.give(lead, owner)
        else:
            self.router.route(lead, self.actor, self.actor)
        self.pending.append((row, lead))
        self.known.add("lead", -row, lead.company, lead.phone, lead.email)

    def merge_lead(self, row: int, id_: int, new: Lead) -> None:
        lead: Lead = writable(self.uow, self.actor, "lead", id_).entity
        for name in ("contact", "phone", "email", "source", "note", "amount", "region",
                     "external_id"):
            if getattr(lead, name) is None and getattr(new, name) is not None:
                setattr(lead, name, getattr(new, name))
        from domain.scoring import rescore
        rescore(lead, self.settings.scoring, self.now)
        self.report.rows.append(RowResult(row, Outcome.MERGED, lead.number))

    def customer(self, row: int, values: dict[str, str]) -> None:
        name = text_field(values.get("name"), "name", MAX_NAME, required=True) or ""
        phone, email = optional_phone(values.get("phone")), optional_email(values.get("email"))
        address = text_field(values.get("address"), "address", 400)
        tax_id = text_field(values.get("tax_id"), "tax_id", 40)
        owner = self.owner(values.get("owner")) or self.actor
        if owner.role not in (Role.REP, Role.MANAGER, Role.ADMIN):
            raise Forbidden("access.role", role=owner.role.value, allowed="rep/manager")
        same = self.known.find(name, phone, email)
        if same is not None:
            matched, (_, id_) = same
            if self.merge and id_ > 0:
                customer: Customer = writable(self.uow, self.actor, "customer", id_).entity
                for attr, value in (("phone", phone), ("email", email), ("address", address),
                                    ("tax_id", tax_id)):
                    if getattr(customer, attr) is None and value is not None:
                        setattr(customer, attr, value)
                self.report.rows.append(RowResult(row, Outcome.MERGED, customer.number))
            elif id_ < 0:
                self.skip(row, str(-id_), "import.duplicate_row", matched)
            else:
                self.skip(row, reference("customer", id_), "import.duplicate", matched)
            return
        customer = Customer(name=name, name_key=normalise_company(name), owner_id=owner.id or 0,
                            team=owner.team, created_at=self.now, phone=phone, email=email,
                            address=address, tax_id=tax_id, touched_at=self.now)
        self.uow.customers.add(customer)
        self.pending.append((row, customer))
        self.known.add("customer", -row, name, phone, email)

    def _customer_named(self, text: str | None) -> Customer:
        name = (text or "").strip()
        found = self.customers.find(name, None, None)
        if found is None:
            raise InvalidInput("import.no_customer", name=name)
        customer: Customer | None = self.uow.customers.get(found[1][1])
        if customer is None:
            raise InvalidInput("import.no_customer", name=name)
        return customer

    def contact(self, row: int, values: dict[str, str]) -> None:
        customer = self._customer_named(values.get("customer"))
        writable(self.uow, self.actor, "customer", customer.id or 0)
        new = NewContact(name=values.get("contact") or "", title=values.get("title"),
                         phone=values.get("phone"), email=values.get("email"),
                         note=text_field(values.get("note"), "note", MAX_NOTE))
        known = self.uow.contacts.of_customer(customer.id or 0)
        same = next((c for c in known if c.same_person(NewContact(
            new.name, phone=optional_phone(new.phone), email=optional_email(new.email)))), None)
        if same is not None:
            if self.merge:
                checked = customer.new_contact(new, [], self.now)
                for attr in ("title", "phone", "email", "note"):
                    if getattr(same, attr) is None and getattr(checked, attr) is not None:
                        setattr(same, attr, getattr(checked, attr))
                self.report.rows.append(RowResult(row, Outcome.MERGED, same.number))
            else:
                self.skip(row, same.number, "import.duplicate", "name")
            return
        contact = customer.new_contact(new, known, self.now)
        self.uow.contacts.add(contact)
        self.uow.flush()  # the next row may name the same person
        self.report.rows.append(RowResult(row, Outcome.CREATED, contact.number))

    def invoice(self, row: int, values: dict[str, str]) -> None:
        customer = self._customer_named(values.get("customer"))
        currency = (values.get("currency") or "").strip().upper() or None
        amount = self.amount(values.get("amount") or "", currency)
        due = self.date(values.get("due") or "", "due")
        issued = self.date(values["issued"], "issued") if values.get("issued") else \
            min(due, self.today)
        number = (values.get("number") or "").strip()[:60] or f"{customer.number}/{row}"
        if number in self.numbers:
            self.skip(row, reference("deal", self.numbers[number]), "import.duplicate",
                      "number")
            return
        invoice = open_balance(self.uow, self.actor, customer, amount, number, issued, due,
                               self.settings, self.now, self.today)
        self.numbers[number] = invoice.order_id
        self.report.rows.append(RowResult(row, Outcome.CREATED, invoice.number))

    def skip(self, row: int, ref: str, key: str, matched: str) -> None:
        self.report.rows.append(RowResult(row, Outcome.SKIPPED, ref, key,
                                          {"ref": ref, "by": matched}))


def _prepare(run: _Run) -> None:
    queries = run.uow.queries
    if run.kind == "leads":
        for id_, name, phone, email in queries.contact_points("lead"):
            run.known.add("lead", id_, name, phone, email)
        for id_, name, phone, email in queries.contact_points("customer"):
            run.known.add("customer", id_, name, phone, email)
    elif run.kind == "customers":
        for id_, name, phone, email in queries.contact_points("customer"):
            run.known.add("customer", id_, name, phone, email)
    else:
        for id_, name, _, _ in queries.contact_points("customer"):
            run.customers.add("customer", id_, name, None, None)
    if run.kind == "invoices":
        run.numbers = queries.opening_balances()


def _tell_owners(run: _Run) -> None:
    for owner_id, leads in run.routed.items():
        if owner_id == run.actor.id:
            continue
        if len(leads) <= CARDS_PER_OWNER:
            for lead in leads:
                tell_assignee(run.uow, lead, run.actor)
        else:
            run.uow.events.append(RecordsAssigned(owner_id, run.actor.id or 0,
                                                  tuple(lead.number for lead in leads), 0))


def import_rows(uow: ChatUnitOfWork, actor: User, kind: str, rows: Iterable[list[str]],
                settings: Settings, now: datetime, today: date, *,
                merge: bool = False) -> Report:
    """Bring the rows (the header first) in; the caller commits, or rolls back for a trial."""
    actor.require(*ROLES[kind])
    iterator: Iterator[list[str]] = iter(rows)
    header = next(iterator, None)
    if header is None:
        raise InvalidInput("import.empty")
    columns = map_columns(kind, header)
    run = _Run(uow, actor, kind, settings, now, today, merge, Report(kind),
               Router(uow, settings))
    _prepare(run)
    step = {"leads": run.lead, "customers": run.customer, "contacts": run.contact,
            "invoices": run.invoice}[kind]
    for number, cells in enumerate(iterator, start=2):
        values = {name: cells[index].strip() for index, name in columns.items()
                  if index < len(cells) and cells[index] is not None and cells[index].strip()}
        if not values:
            continue  # an empty line
        try:
            step(number, values)
        except DomainError as error:
            run.report.rows.append(RowResult(number, Outcome.REFUSED, "", error.key,
                                             dict(error.params)))
        if len(run.pending) >= BATCH:
            run.flush()
    run.flush()
    run.router.save_turns()
    _tell_owners(run)
    run.report.rows.sort(key=lambda r: r.row)
    return run.report


def run_file(uow: ChatUnitOfWork, actor: User, kind: str, name: str, data: bytes,
             settings: Settings, now: datetime, today: date, *, merge: bool = False,
             dry_run: bool = False) -> Report:
    """Import a file; a dry run is tried and undone inside the caller's transaction."""
    rows = read_rows(name, data)
    if not dry_run:
        return import_rows(uow, actor, kind, rows, settings, now, today, merge=merge)
    with uow.trial():
        report = import_rows(uow, actor, kind, rows, settings, now, today, merge=merge)
    uow.events.clear()
    report.dry_run = True
    return report


def report_text(report: Report, t: Translator) -> str:
    """The report in the reader's language: the counts, then the rows that need a look."""
    summary = "import.summary_dry" if report.dry_run else "import.summary"
    lines = [t(summary, records=t(f"import.kind.{report.kind}"),
               created=report.count(Outcome.CREATED), merged=report.count(Outcome.MERGED),
               skipped=report.count(Outcome.SKIPPED), refused=report.count(Outcome.REFUSED))]
    shown = [r for r in report.rows if r.outcome in (Outcome.REFUSED, Outcome.SKIPPED)]
    for result in shown[:SHOWN_ROWS]:
        params = {"usage": "", **{k: ("" if v is None else v) for k, v in result.params.items()}}
        if "by" in params:
            params["by"] = t(f"import.by.{params['by']}")
        lines.append(t(f"import.row.{result.outcome}", row=result.row,
                       reason=t(result.key, **params).strip()))
    if len(shown) > SHOWN_ROWS:
        lines.append(t("import.more_rows", count=len(shown) - SHOWN_ROWS))
    created = [r.ref for r in report.rows if r.outcome == Outcome.CREATED and r.ref]
    if created and not report.dry_run:
        lines.append(t("import.created_refs", first=created[0], last=created[-1]))
    return "\n".join(lines)


# --------------------------------------------------------------------------- the command


@command("import", roles=READERS, group="records",
         samples=("leads", "customers duplicates=merge", "confirm 1", "cancel 1"))
def import_file(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "import")
    args = read_args(text, "duplicates", usage=usage)
    word = need(args.positional[0] if args.positional else None, "import.need_kind", usage)
    if word.lower() in ("confirm", "确认", "cancel", "取消"):
        pending_id = args.positional[1] if len(args.positional) > 1 else ""
        return _decide(ctx, word.lower() in ("confirm", "确认"), pending_id, usage)
    kind = kind_of(word)
    ctx.user.require(*ROLES[kind])
    merge = duplicates_of(args.option("duplicates"))
    upload = ctx.incoming.file
    if upload is None and ctx.incoming.platform == "console" and len(args.positional) > 1:
        upload = _console_file(" ".join(args.positional[1:]))
    if upload is None:
        return Reply(ctx.t("import.send_file", records=kind, usage=usage), ok=False)
    report = run_file(ctx.uow, ctx.user, kind, upload.name, upload.data, ctx.settings,
                      ctx.now, ctx.today, merge=merge == "merge", dry_run=True)
    if not report.rows:
        return Reply(ctx.t("import.empty"), ok=False)
    pending = ctx.uow.imports.add(ctx.user.id or 0, kind, upload.name, upload.data, merge,
                                  ctx.now)
    return Reply(report_text(report, ctx.t) + "\n" + ctx.t("import.confirm_question"),
                 [[Button(ctx.t("button.import_confirm"), f"/import confirm {pending}"),
                   Button(ctx.t("button.cancel"), f"/import cancel {pending}")]])


def _console_file(path: str) -> Any:
    from pathlib import Path

    from handlers.incoming import Upload
    file = Path(path.strip().strip('"'))
    if not file.is_file():
        raise InvalidInput("import.no_such_file", path=str(file))
    return Upload(file.name, file.read_bytes())


def _decide(ctx: Ctx, confirmed: bool, pending_id: str, usage: str) -> Reply:
    pending = ctx.uow.imports.get(int(pending_id)) if pending_id.isdigit() else None
    if pending is None or pending.user_id != ctx.user.id:
        raise InvalidInput("import.no_pending", usage=usage)
    ctx.uow.imports.delete(pending.id)
    if not confirmed:
        return Reply(ctx.t("import.cancelled", name=pending.name))
    report = run_file(ctx.uow, ctx.user, pending.kind, pending.name, pending.data, ctx.settings,
                      ctx.now, ctx.today, merge=pending.duplicates == "merge")
    return Reply(report_text(report, ctx.t))


__all__ = ["FIELDS", "import_rows", "report_text", "run_file"]
