"""The database target: its config, read-only sessions, catalog lookups and the readers of the database."""
