"""The handlers of `cli.py`'s subcommands, grouped by what they work on; cli.py parses and dispatches."""
