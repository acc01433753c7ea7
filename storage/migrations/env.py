"""Alembic environment: runs on the engine handed over by storage.database.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

import storage.tables_cash  # noqa: F401  (adds the cash tables to the metadata)
import storage.tables_doors  # noqa: F401  (adds the doors' tables to the metadata)
import storage.tables_dunning  # noqa: F401  (adds the dunning log to the metadata)
import storage.tables_products  # noqa: F401  (adds products, stock moves and surveys)
import storage.tables_reports  # noqa: F401  (adds the spend table and report indexes)
import storage.tables_search  # noqa: F401  (adds the search terms)
from storage.tables import metadata

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no engine: call storage.database.migrate(engine)")
    engine = create_engine(url)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
