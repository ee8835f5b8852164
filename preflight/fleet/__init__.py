"""Fleets: one gate for many databases.

``[targets.database.fleet]`` names the members (a table of DSNs, a file of them, or a query against a control
database). The engine runs every check that reads the database once per member, each member with its own
read-only sessions and timeouts, and every other check (the image, a lint of every file) once; the migration files
are read and parsed once for the whole fleet.

- :mod:`preflight.fleet.members`: the member list, and the ``max_unreachable`` allowance.
- :mod:`preflight.fleet.shard`: ``--member`` globs and ``--shard I/N`` slices (consistent hashing of the name).
- :mod:`preflight.fleet.outcome`: per-member results folded into one check result and the fleet's tally.
- :mod:`preflight.fleet.runner`: the engine's hook that runs the members, ``fleet_jobs`` at a time.
- :mod:`preflight.fleet.merge`: ``preflight merge``, shard reports combined into one report and exit code.
"""
