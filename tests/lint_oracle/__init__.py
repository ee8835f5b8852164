"""The lint oracle: every claim ``migrations.lint`` makes about PostgreSQL, checked against PostgreSQL itself.

- :mod:`tests.lint_oracle.observe` runs SQL on a real server and observes what happened (the truth): which
  tables were rewritten and which indexes rebuilt (``relfilenode`` before and after), which tables were read
  (the transaction's own scan counters), which locks the backend holds before commit (``pg_locks``), and the
  error (SQLSTATE).
- :mod:`tests.lint_oracle.claims` reads the lint's claims from the JSON findings of the CLI (``preflight lint``
  and ``preflight run``), in one table, and judges each claim against a truth.
- :mod:`tests.lint_oracle.runners` applies migration files as each runner does and writes its tracking rows.

The harnesses are ``tests/test_lint_oracle_statements.py`` (the differential table, ``statements/*.yaml``) and
``tests/test_lint_oracle_corpus.py`` (migration sets reproducing real projects' patterns, ``corpus/``). Both drive
preflight only through its CLI and its JSON report, never through its modules.
"""
