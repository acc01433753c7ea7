"""The Lead-to-Cash core: entities, money, rules and use cases, free of any framework."""
