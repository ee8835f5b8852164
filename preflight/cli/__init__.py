"""The command line: every ``preflight`` command. Nothing outside this package imports it."""
