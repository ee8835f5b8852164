"""A statement uses syntax or a feature that the live server's PostgreSQL version does not have: it fails.

preflight parses with the newest PostgreSQL grammar (pglast), so a statement written for PostgreSQL 18 parses
here even when the database runs PostgreSQL 15, where the server rejects it. With the database the server's
version is known (``server_version_num``): each statement that uses a feature newer than the server is a
failure, "... needs PostgreSQL 18; the server is 15.20: the statement fails", with ``data.verdict``
``would-fail`` and the SQLSTATE the server raises in ``data.sqlstate``. On a server that has the feature the
rule says nothing. Without the database it reports nothing.

The features it knows (``FEATURES``), each with the release that brought it, what an older server raises, and
how the parse tree shows it:

- PostgreSQL 18, 42601: a virtual generated column (``GENERATED ALWAYS AS (...) VIRTUAL``, or without
  ``STORED``, virtual by default on 18): a ``CONSTR_GENERATED`` constraint of kind ``v`` in a column definition;
- PostgreSQL 18, 42601: a named ``NOT NULL`` table constraint (``ADD CONSTRAINT name NOT NULL col``,
  ``CONSTRAINT name NOT NULL col`` in ``CREATE TABLE``): ``CONSTR_NOTNULL`` as a table constraint, not a
  column's;
- PostgreSQL 18, 42601: ``NOT ENFORCED`` on a ``CHECK`` or ``FOREIGN KEY``: such a constraint without
  ``is_enforced``, or a column constraint's ``CONSTR_ATTR_NOT_ENFORCED`` (or ``CONSTR_ATTR_ENFORCED``: ``ENFORCED``
  written out is new syntax too; on a table constraint the tree does not show it, and nothing is claimed);
- PostgreSQL 18, 42601: ``WITHOUT OVERLAPS`` in a key, ``PERIOD`` in a foreign key: ``without_overlaps``,
  ``fk_with_period``;
- PostgreSQL 18, 42809: a ``NOT VALID`` foreign key on a partitioned table: ``ALTER TABLE ... ADD CONSTRAINT ...
  FOREIGN KEY ... NOT VALID`` (``skip_validation``) on a table whose ``relkind`` is ``p`` in the catalogs;
- PostgreSQL 17, 42601: ``ALTER COLUMN ... SET EXPRESSION AS (...)``: ``AT_SetExpression``;
- PostgreSQL 17, 42601: ``ALTER COLUMN ... SET STATISTICS DEFAULT``: ``AT_SetStatistics`` without a value;
- PostgreSQL 17, 42601: ``SET ACCESS METHOD DEFAULT``: ``AT_SetAccessMethod`` without a name;
- PostgreSQL 17, 42601: ``MERGE ... WHEN NOT MATCHED BY SOURCE``: a ``MERGE_WHEN_NOT_MATCHED_BY_SOURCE`` clause;
- PostgreSQL 17, 42601: ``MERGE ... RETURNING``: a ``MERGE`` with a ``RETURNING`` list.

Each is checked against PostgreSQL 15 (where it fails) and 18 (where it runs) by the lint oracle
(``tests/lint_oracle/statements``). The partitioned-table case is asked of the catalogs (``pg_class.relkind``):
a table that the pending migrations create, or change before the statement, is not judged. Statements in
``DO`` blocks and function bodies are not judged.

Example (the database runs PostgreSQL 15)::

    ALTER TABLE orders ADD COLUMN total_double numeric GENERATED ALWAYS AS (total * 2) VIRTUAL;
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preflight.lint.nodes import alter_cmds, constraints_of, relation
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="needs-newer-server",
    kind="fails",
    nodes=("CreateStmt", "AlterTableStmt", "MergeStmt"),
    reason="the statement uses a feature the server's PostgreSQL version does not have",
    alternative="write the statement for the server's version (or upgrade the server before this migration)",
    live=True,
)

SYNTAX = "42601"


@dataclass(frozen=True)
class Feature:
    """A feature of PostgreSQL that older servers refuse."""

    name: str
    """As the finding says it: "a virtual generated column"."""
    since: int
    """``server_version_num`` of the first release that has it."""
    sqlstate: str
    """What an older server raises: 42601 (it does not parse), or another error."""
    found: Callable[[str, Node], bool]
    """Whether a statement (its node type, its node) uses it."""
    needs_partitioned: bool = False
    """The statement fails only on a partitioned table (asked of the catalogs)."""


def _constraints(kind: str, node: Node) -> Iterator[tuple[Node, bool]]:
    """The constraints a ``CREATE TABLE`` or ``ALTER TABLE`` writes, each with whether it is a table constraint
    (not one of a column's)."""
    elements: list[Node] = []
    if kind == "CreateStmt":
        elements = list(node.get("tableElts", ()))
    elif kind == "AlterTableStmt":
        elements = [c.get("def") or {} for c in alter_cmds(node) if c.get("subtype") in ("AT_AddColumn",
                                                                                       "AT_AddConstraint")]
    for element in elements:
        if "ColumnDef" in element:
            for c in constraints_of(element["ColumnDef"]):
                yield c, False
        elif "Constraint" in element:
            yield element["Constraint"], True


def _virtual(kind: str, node: Node) -> bool:
    return any(c.get("contype") == "CONSTR_GENERATED" and c.get("generated_kind") == "v" and not table
               for c, table in _constraints(kind, node))


def _named_not_null(kind: str, node: Node) -> bool:
    return any(c.get("contype") == "CONSTR_NOTNULL" and table for c, table in _constraints(kind, node))


def _not_enforced(kind: str, node: Node) -> bool:
    return any(c.get("contype") in ("CONSTR_ATTR_NOT_ENFORCED", "CONSTR_ATTR_ENFORCED")
               or (c.get("contype") in ("CONSTR_CHECK", "CONSTR_FOREIGN") and not c.get("is_enforced"))
               for c, _table in _constraints(kind, node))


def _temporal(kind: str, node: Node) -> bool:
    return any(c.get("without_overlaps") or c.get("fk_with_period") or c.get("pk_with_period")
               for c, _table in _constraints(kind, node))


def _not_valid_foreign_key(kind: str, node: Node) -> bool:
    return kind == "AlterTableStmt" and any(c.get("contype") == "CONSTR_FOREIGN" and c.get("skip_validation")
                                            for c, table in _constraints(kind, node) if table)


def _command(subtype: str, without: str) -> Callable[[str, Node], bool]:
    def found(kind: str, node: Node) -> bool:
        return kind == "AlterTableStmt" and any(c.get("subtype") == subtype and not c.get(without)
                                                for c in alter_cmds(node))
    return found


def _set_expression(kind: str, node: Node) -> bool:
    return kind == "AlterTableStmt" and any(c.get("subtype") == "AT_SetExpression" for c in alter_cmds(node))


def _merge_by_source(kind: str, node: Node) -> bool:
    return kind == "MergeStmt" and any(
        (w.get("MergeWhenClause") or {}).get("matchKind") == "MERGE_WHEN_NOT_MATCHED_BY_SOURCE"
        for w in node.get("mergeWhenClauses", ()))


def _merge_returning(kind: str, node: Node) -> bool:
    return kind == "MergeStmt" and bool((node.get("returningClause") or {}).get("exprs")
                                        or node.get("returningList"))


FEATURES: tuple[Feature, ...] = (
    Feature("a virtual generated column (VIRTUAL, or GENERATED ALWAYS AS without STORED)", 180000, SYNTAX,
            _virtual),
    Feature("a named NOT NULL table constraint (CONSTRAINT name NOT NULL column)", 180000, SYNTAX,
            _named_not_null),
    Feature("ENFORCED or NOT ENFORCED on a constraint", 180000, SYNTAX, _not_enforced),
    Feature("WITHOUT OVERLAPS or PERIOD in a key", 180000, SYNTAX, _temporal),
    Feature("a NOT VALID foreign key on a partitioned table", 180000, "42809", _not_valid_foreign_key,
            needs_partitioned=True),
    Feature("ALTER COLUMN ... SET EXPRESSION", 170000, SYNTAX, _set_expression),
    Feature("SET STATISTICS DEFAULT", 170000, SYNTAX, _command("AT_SetStatistics", "def")),
    Feature("SET ACCESS METHOD DEFAULT", 170000, SYNTAX, _command("AT_SetAccessMethod", "name")),
    Feature("MERGE ... WHEN NOT MATCHED BY SOURCE", 170000, SYNTAX, _merge_by_source),
    Feature("MERGE ... RETURNING", 170000, SYNTAX, _merge_returning),
)


def check(node: Node, lint: FileLint) -> None:
    if lint.stmt.context != "top":
        return
    kind = lint.stmt.kind
    used = [f for f in FEATURES if f.found(kind, node)]
    if not used:
        return
    table = relation(node.get("relation"))
    lint.hit(RULE, f"{used[0].name} needs PostgreSQL {used[0].since // 10000} or later: the statement fails on an "
                   "older server", features=[_said(f) for f in used], table=list(table) if table else None)


def _said(f: Feature) -> dict[str, Any]:
    return {"name": f.name, "since": f.since, "sqlstate": f.sqlstate, "needs_partitioned": f.needs_partitioned}


def missing(features: list[dict[str, Any]], server: int) -> list[dict[str, Any]]:
    """The features (as a candidate carries them) that a server of ``server_version_num`` does not have."""
    return [f for f in features if server < f["since"]]


def verdict(features: list[dict[str, Any]], version: str) -> tuple[str, str]:
    """The message and the SQLSTATE of a statement that uses ``features`` the server (``version``, as
    ``server_version`` says it) lacks: a syntax error comes first, when there is one (the server parses before it
    runs anything)."""
    first = next((f for f in features if f["sqlstate"] == SYNTAX), features[0])
    named = "; ".join(f"{f['name']} needs PostgreSQL {f['since'] // 10000}" for f in features)
    return f"{named}; the server is {version}: the statement fails", first["sqlstate"]
