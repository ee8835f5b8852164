"""ACME's preflight checks (an example of a third-party distribution of check types)."""
