"""The statement fails on the rows it meets: the live data violates what it requires.

Reported only with the database (``migrations.lint``, scope "pending"). Each pending statement that can fail on
data is checked against the live rows with a read-only probe, the same probes the rehearsal uses
(:mod:`preflight.db.probes`), and reported when the rows violate what it requires, as a failure with
``data.verdict`` "would-fail", the number of violating rows, up to three sample keys (values redacted), and
``data.sqlstate``, the error PostgreSQL will raise:

===========================================================  =========================================  ========
statement                                                    fails when a live row                      SQLSTATE
===========================================================  =========================================  ========
``ALTER COLUMN c SET NOT NULL`` (c live, or added            holds NULL in c (a column added earlier    23502
earlier without a non-NULL default)                          holds its default)
``ADD PRIMARY KEY``                                          has a NULL key column; shares its key      23502,
                                                                                                        23505
``ADD UNIQUE``, ``CREATE UNIQUE INDEX``                      shares its key with another row (partial   23505
                                                             ``WHERE``, expressions, ``NULLS NOT
                                                             DISTINCT`` as declared)
``ADD FOREIGN KEY`` (without ``NOT VALID``)                  has a key with no referenced row           23503
``ADD CHECK`` (without ``NOT VALID``)                        makes the expression false                 23514
``VALIDATE CONSTRAINT``                                      violates the constraint                    23514,
                                                                                                        23503
``ALTER COLUMN c TYPE t [USING e]``                          holds a value that does not convert        the one
                                                             (a bad input, a domain's ``CHECK``, a      raised
                                                             value too long for ``varchar(n)``/
                                                             ``char(n)``/``varbit(n)``, a length other
                                                             than n for ``bit(n)``: 22001, 22026)
``ATTACH PARTITION p FOR VALUES ...`` (range or list)        of p lies outside the bounds, or of the    23514
                                                             parent's default partition inside them
``ADD COLUMN c ... DEFAULT <literal> CHECK (...)`` /         exists at all, when the default violates   23514,
``REFERENCES t``, or of a domain type                        the check / has no row in t / is not a     23503,
                                                             valid value of the domain                  raised
===========================================================  =========================================  ========

(``ADD COLUMN ... NOT NULL`` without a default on a table with rows is ``adding-required-field``'s.)

Cost: each probe is one query through preflight's untrusted-SQL path (read-only, rolled back, its functions
vetted: the expressions come from the migration). It is planned first: one that would read more than
``thresholds.max_scan_bytes`` (tables scanned, indexes read whole; default 100 MB) is not run. Only statements of
the kinds above get a probe; a migration without them adds no query.

When the answer is not known, the statement is reported as information ("not evaluated"), with why, and does not
block: the probe would read more than ``max_scan_bytes``, it timed out, it names something the database does
not have yet, or the live rows are not the rows the statement will meet: an earlier pending statement writes
to the table (``INSERT``, ``UPDATE``, ``DELETE``, ``COPY``, ``TRUNCATE``, a ``CALL``, a ``DO`` block other than a
guard whose statements only read), the same statement changes a column's type before the rows are checked, the
table or the column is created or renamed by the pending migrations (a table made by a plain ``CREATE TABLE``
and not written since is empty: nothing is reported), a type the conversion or default names is made or changed
by an earlier pending statement, or an earlier pending migration cannot be read. The rehearsal
(``migrations.rehearse``) runs the statements on a copy and tells what those leave open. Statements that only
read are taken not to write (a function they call, or a trigger, could). A type change without ``USING`` and
without an assignment cast fails before any row is read (``fails-against-live-schema``'s 42804), and
``CREATE UNIQUE INDEX IF NOT EXISTS`` of an index that exists does nothing: neither is predicted here. A
statement already reported as failing by ``fails-against-live-schema``, ``object-existence`` or
``adding-required-field`` is not reported again. A conversion's count is "at least 1" where PostgreSQL stops at
the first value that fails.

Example::

    ALTER TABLE accounts ALTER COLUMN region SET NOT NULL;    -- 36 live rows have region NULL: 23502
    ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="fails-on-live-data",
    kind="fails",
    nodes=("AlterTableStmt", "IndexStmt"),
    subtypes=frozenset({"AT_SetNotNull", "AT_AddColumn", "AT_AddConstraint", "AT_ValidateConstraint",
                        "AT_AlterColumnType", "AT_AttachPartition"}),
    reason="PostgreSQL rejects the statement because of the rows it meets",
    alternative="fix the violating rows first (a backfill, a cleanup of duplicates or orphans) in an earlier "
                "migration, or add the constraint NOT VALID and VALIDATE it once the rows are fixed",
    live=True,
)


def check(node: Node, lint: FileLint) -> None:
    if lint.stmt.context != "top":
        return
    if lint.stmt.kind == "IndexStmt" and not node.get("unique"):
        return
    if lint.stmt.kind == "AlterTableStmt" and node.get("objtype", "OBJECT_TABLE") != "OBJECT_TABLE":
        return
    # which commands the live rows decide is the probes' planning (preflight.db.probes), done with the database
    lint.hit(RULE, "the statement fails if the live rows violate what it requires")
