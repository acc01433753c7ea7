"""Pruning the delivery log: delivery ids are kept as long as a platform may repeat them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete

from storage.tables import processed_deliveries

# Telegram keeps an unconfirmed update for 24 hours and sends it again; Slack retries an
# event within the hour and a signed request is accepted for 5 minutes. A week covers them
# all with room for a bot that was down over a weekend.
RETENTION = timedelta(days=7)


def prune_delivery_log(engine: Engine, now: datetime, keep: timedelta = RETENTION) -> int:
    """Forget delivery ids handled before `now - keep`; returns how many were removed."""
    with engine.begin() as conn:
        done = conn.execute(delete(processed_deliveries)
                            .where(processed_deliveries.c.at < now - keep))
    return int(done.rowcount or 0)
