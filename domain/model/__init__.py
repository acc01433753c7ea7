"""The entities: records with their rules and state changes; no port, no use case here."""
