"""Rehearsal: the pending migrations run on a copy of the live schema, observed statement by statement.

- :mod:`~preflight.rehearsal.target`: ``[targets.rehearsal]``, where the rehearsal runs;
- :mod:`~preflight.rehearsal.server`: the rehearsal server and the throwaway database on it;
- :mod:`~preflight.rehearsal.dump`: what is read from the live database (schema, small tables, tracking rows);
- :mod:`~preflight.rehearsal.restore`: restoring that copy;
- :mod:`~preflight.rehearsal.execute`: running the pending migrations as the runner would;
- :mod:`~preflight.rehearsal.observe`: the locks, rewrites and scans of each statement;
- :mod:`~preflight.db.probes` (shared with the lint's ``fails-on-live-data``): data preconditions probed
  read-only on the live data;
- :mod:`~preflight.rehearsal.session`: one rehearsal, start to end;
- :mod:`~preflight.rehearsal.judge`: observations scaled by the live tables, as findings;
- :mod:`~preflight.rehearsal.table`: the per-statement table ``preflight rehearse`` prints.

The ``migrations.rehearse`` check (``checks/migrations_rehearse.py``) and the ``preflight rehearse`` command
(:mod:`~preflight.cli.rehearse`) are built on them. Importing this package imports nothing else: the config
loader imports the target table from here.
"""
