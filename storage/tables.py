"""The schema: one table per entity, with the indexes the lists and reports need."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import Enum as SAEnum

from domain.model.activities import ActivityKind
from domain.model.deals import AmountSource, DealStatus
from domain.model.leads import LeadStatus
from domain.model.quotes import QuoteStatus
from domain.model.reminders import ReminderStatus
from domain.model.users import Role
from domain.outbox import OutboxStatus
from domain.plans import Trigger
from storage.types import Amount, JSONText, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def enum(cls: type[StrEnum]) -> SAEnum:
    return SAEnum(cls, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


def pk() -> Column[int]:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def user_fk(name: str, nullable: bool = False) -> Column[int]:
    return Column(name, Integer, ForeignKey("users.id"), nullable=nullable)


users = Table(
    "users", metadata, pk(),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", enum(Role), nullable=False),
    Column("team", String(64)),
    Column("locale", String(16), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("quiet_hours", String(16)),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    # A customer-role user's account and contact person (no foreign key: customers point
    # at users already, and a circle of keys would order neither table first).
    Column("customer_id", Integer, index=True),
    Column("contact_id", Integer),
)
Index("ix_users_role_team", users.c.role, users.c.team)

identities = Table(
    "identities", metadata, pk(),
    Column("platform", String(16), nullable=False),
    Column("external_id", String(64), nullable=False),
    user_fk("user_id"),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "external_id", name="uq_identities_platform_external"),
)

invites = Table(
    "invites", metadata, pk(),
    Column("code", String(16), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", enum(Role), nullable=False),
    Column("team", String(64)),
    user_fk("created_by"),
    Column("created_at", UTCDateTime, nullable=False),
    user_fk("used_by", nullable=True),
    Column("used_at", UTCDateTime),
    Column("customer_id", Integer, ForeignKey("customers.id")),
    Column("contact_id", Integer, ForeignKey("contacts.id")),
)

customers = Table(
    "customers", metadata, pk(),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False, index=True),
    user_fk("owner_id"),
    Column("team", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("phone", String(40)),
    Column("email", String(200)),
    Column("address", String(400)),
    Column("tax_id", String(40)),
)
Index("ix_customers_owner", customers.c.owner_id)

contacts = Table(
    "contacts", metadata, pk(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("phone", String(40)),
    Column("email", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("title", String(100)),
    Column("note", Text),
)

leads = Table(
    "leads", metadata, pk(),
    Column("company", String(200), nullable=False),
    Column("name_key", String(200), nullable=False, index=True),
    user_fk("owner_id"),
    Column("team", String(64)),
    Column("status", enum(LeadStatus), nullable=False),
    Column("contact", String(200)),
    Column("phone", String(40)),
    Column("email", String(200)),
    Column("source", String(40)),
    Column("note", Text),
    Column("reason", Text),
    Column("customer_id", Integer, ForeignKey("customers.id")),
    Column("deal_id", Integer),  # the deal it became; deals.lead_id points back
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
)
Index("ix_leads_owner_status", leads.c.owner_id, leads.c.status, leads.c.id)
Index("ix_leads_team_status", leads.c.team, leads.c.status, leads.c.id)
Index("ix_leads_team_id", leads.c.team, leads.c.id)

deals = Table(
    "deals", metadata, pk(),
    Column("title", String(200), nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    user_fk("owner_id"),
    Column("team", String(64)),
    Column("stage", String(40), nullable=False),
    Column("probability", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", Amount),
    Column("close_date", Date),
    Column("status", enum(DealStatus), nullable=False),
    Column("lost_reason", Text),
    Column("next_step", String(200)),
    Column("lead_id", Integer, ForeignKey("leads.id")),
    Column("source", String(40)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_activity_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("amount_source", enum(AmountSource)),
    Column("amount_ref", Integer),  # the quote or order the amount was taken from
)
Index("ix_deals_owner_status", deals.c.owner_id, deals.c.status, deals.c.id)
Index("ix_deals_team_status", deals.c.team, deals.c.status, deals.c.id)
Index("ix_deals_status_stage", deals.c.status, deals.c.stage)
Index("ix_deals_status_id", deals.c.status, deals.c.id)
Index("ix_deals_status_activity", deals.c.status, deals.c.last_activity_at)

stage_changes = Table(
    "stage_changes", metadata, pk(),
    Column("deal_id", Integer, ForeignKey("deals.id"), nullable=False),
    Column("from_stage", String(40)),
    Column("to_stage", String(40), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    user_fk("user_id"),
)
Index("ix_stage_changes_deal_at", stage_changes.c.deal_id, stage_changes.c.at)

activities = Table(
    "activities", metadata, pk(),
    Column("kind", enum(ActivityKind), nullable=False),
    Column("text", Text, nullable=False),
    user_fk("user_id"),
    Column("at", UTCDateTime, nullable=False),
    Column("ref_kind", String(16), nullable=False),
    Column("ref_id", Integer, nullable=False),
    Column("lead_id", Integer, ForeignKey("leads.id")),
    Column("customer_id", Integer, ForeignKey("customers.id")),
    Column("deal_id", Integer, ForeignKey("deals.id")),
)
Index("ix_activities_deal_at", activities.c.deal_id, activities.c.at)
Index("ix_activities_customer_at", activities.c.customer_id, activities.c.at)
Index("ix_activities_lead_at", activities.c.lead_id, activities.c.at)
Index("ix_activities_user_at", activities.c.user_id, activities.c.at)

reminders = Table(
    "reminders", metadata, pk(),
    user_fk("user_id"),
    Column("text", Text, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("status", enum(ReminderStatus), nullable=False),
    Column("ref_kind", String(16)),
    Column("ref_id", Integer),
    Column("ref_number", String(24)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    Column("notified_at", UTCDateTime),
)
Index("ix_reminders_user_status_due", reminders.c.user_id, reminders.c.status, reminders.c.due_at)
Index("ix_reminders_status_due", reminders.c.status, reminders.c.due_at)

quotes = Table(
    "quotes", metadata, pk(),
    Column("deal_id", Integer, ForeignKey("deals.id"), nullable=False, index=True),
    user_fk("owner_id"),
    Column("team", String(64)),
    Column("currency", String(3), nullable=False),
    Column("discount_pct", Numeric(7, 4), nullable=False),
    Column("tax_pct", Numeric(7, 4), nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("status", enum(QuoteStatus), nullable=False),
    Column("total", Amount, nullable=False),
    user_fk("decided_by", nullable=True),
    Column("decided_at", UTCDateTime),
    Column("decision_note", Text),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_quotes_status", quotes.c.status, quotes.c.team)

quote_lines = Table(
    "quote_lines", metadata, pk(),
    Column("quote_id", Integer, ForeignKey("quotes.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("item", String(200), nullable=False),
    Column("quantity", Numeric(18, 4), nullable=False),
    Column("unit_price", Amount, nullable=False),
    Column("product_id", Integer, ForeignKey("products.id")),
)

orders = Table(
    "orders", metadata, pk(),
    Column("quote_id", Integer, ForeignKey("quotes.id"), nullable=False, unique=True),
    Column("deal_id", Integer, ForeignKey("deals.id"), nullable=False, index=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    user_fk("owner_id"),
    Column("team", String(64)),
    Column("currency", String(3), nullable=False),
    Column("total", Amount, nullable=False),
    Column("discount_pct", Numeric(7, 4), nullable=False),
    Column("tax_pct", Numeric(7, 4), nullable=False),
    Column("signed_on", Date, nullable=False),
    Column("plan", String(60), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

order_lines = Table(
    "order_lines", metadata, pk(),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("item", String(200), nullable=False),
    Column("quantity", Numeric(18, 4), nullable=False),
    Column("unit_price", Amount, nullable=False),
    Column("product_id", Integer, ForeignKey("products.id"), index=True),
)

installments = Table(
    "installments", metadata, pk(),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("percent", Numeric(7, 4), nullable=False),
    Column("amount", Amount, nullable=False),
    Column("trigger", enum(Trigger), nullable=False),
    Column("net_days", Integer, nullable=False),
    Column("end_of_month", Boolean, nullable=False),
    Column("on_date", Date),  # the fixed date of a date-triggered installment
)

outbox = Table(
    "outbox", metadata, pk(),
    Column("recipient_kind", String(16), nullable=False),
    Column("recipient", String(64), nullable=False),
    Column("key", String(80), nullable=False),
    Column("params", JSONText, nullable=False),
    Column("dedupe_key", String(160), nullable=False, unique=True),
    Column("status", enum(OutboxStatus), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),
)
Index("ix_outbox_status_next", outbox.c.status, outbox.c.next_attempt_at)

processed_deliveries = Table(
    "processed_deliveries", metadata,
    Column("platform", String(16), primary_key=True),
    Column("delivery_id", String(128), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)
Index("ix_processed_deliveries_at", processed_deliveries.c.at)

audit_log = Table(
    "audit_log", metadata, pk(),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Integer),
    Column("action", String(40), nullable=False),
    Column("entity", String(24), nullable=False),
    Column("entity_id", Integer),
    Column("before", JSONText),
    Column("after", JSONText),
)
Index("ix_audit_entity", audit_log.c.entity, audit_log.c.entity_id)
Index("ix_audit_at", audit_log.c.at)
