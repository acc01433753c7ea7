"""Persistence: SQLAlchemy mapping, repositories, unit of work, read-side SQL, migrations."""
