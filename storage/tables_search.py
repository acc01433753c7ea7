"""The search terms /find looks records up by (see domain/search.py).

One row per (record, field, term), with the owner and team the record is read by (a
contact's are its customer's), so a search narrows to what the reader may see inside the
index. The primary key deletes a record's terms when it changes; the indexes answer "starts
with" as a range scan for everyone, one owner, or one team. The term compares byte by byte
(collation "C" on PostgreSQL, SQLite's default), so a range [prefix, next prefix) is exactly
the terms starting with the prefix, whatever the server's locale.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table

from storage.tables import metadata

TERM = String(64).with_variant(String(64, collation="C"), "postgresql")

search_terms = Table(
    "search_terms", metadata,
    Column("kind", String(16), primary_key=True),  # lead, customer, contact, deal
    Column("record_id", Integer, primary_key=True),
    Column("field", String(8), primary_key=True),  # name, phone, tail, email
    Column("term", TERM, primary_key=True),
    Column("owner_id", Integer, nullable=False),
    Column("team", String(64)),
)
Index("ix_search_terms_term", search_terms.c.term)
Index("ix_search_terms_owner_term", search_terms.c.owner_id, search_terms.c.term)
Index("ix_search_terms_team_term", search_terms.c.team, search_terms.c.term)
# The duplicate check behind /lead: names of one kind starting with a fragment.
Index("ix_search_terms_kind_field_term", search_terms.c.kind, search_terms.c.field,
      search_terms.c.term)
