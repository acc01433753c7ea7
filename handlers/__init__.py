"""Chat command handlers: text in, domain calls, replies out."""
