"""The chat layer: configuration, adapters and the process that runs the bot."""
