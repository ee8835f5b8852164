"""Data preconditions of the pending statements, probed read-only on the live data.

Two readers use them: the rehearsal (``migrations.rehearse``), whose copy holds the schema and only the small
tables' rows, so that a statement that fails on data (a ``SET NOT NULL`` over NULLs) succeeds on it; and the lint
(``fails-on-live-data``, :mod:`preflight.lint.data_failures`), which runs nothing. For the statements that can
fail on data, a probe asks the live database whether the rows they will meet satisfy them:

===================================================  ====================================================  ========
statement                                            violating rows                                        SQLSTATE
===================================================  ====================================================  ========
``ALTER COLUMN c SET NOT NULL``                      ``c IS NULL``                                         23502
``ADD COLUMN c ... NOT NULL`` without a default      any row (the new column is NULL on every row)         23502
``ADD PRIMARY KEY (a, b)``                           a NULL in a key column, or a duplicated key           23502,
                                                                                                           23505
``ADD UNIQUE``, ``CREATE UNIQUE INDEX``              a duplicated key (``NULLS NOT DISTINCT``, a partial   23505
                                                     index's ``WHERE`` and expressions as declared
``ADD FOREIGN KEY`` (without ``NOT VALID``)          a key with no referenced row (``MATCH FULL``: also    23503
                                                     a partly NULL key)
``ADD CHECK`` (without ``NOT VALID``)                ``CHECK`` expression false                            23514
``VALIDATE CONSTRAINT``                              the constraint's own check, from the pending          23514,
                                                     statement that added it or from the live catalog      23503,
                                                                                                           23502
``ALTER COLUMN c TYPE t [USING e]``                  a value that does not convert (a domain's             raised
                                                     ``CHECK`` too); for ``varchar(n)``, ``char(n)``,      22001,
                                                     ``varbit(n)`` a longer value, for ``bit(n)``          22026
                                                     another length (where a cast would cut or pad)
``ATTACH PARTITION p FOR VALUES ...``                a row of p outside the range or list bounds (a        23514
(range, list or hash; plain key columns)             NULL key in a range), of another hash remainder, a
                                                     row of the parent's default partition inside them
``ADD COLUMN c t DEFAULT <literal> CHECK (...)``     any row, when the default violates the check          23514
``ADD COLUMN c t DEFAULT <literal> REFERENCES r``    any row, when r has no row for the default            23503
``ADD COLUMN c d DEFAULT <literal>`` (d a domain)    any row, when the default is not a valid d (its       raised
                                                     ``CHECK`` or ``NOT NULL``)
===================================================  ====================================================  ========

Each probe runs through preflight's untrusted-SQL path (one statement, read-only, rolled back: the expressions
come from the migration). It is planned first (``EXPLAIN``): a plan that reads more than ``max_scan_bytes`` of
tables or whole indexes is not run, and the probe is "not evaluated: would scan 550 MB". A violated precondition
comes with the count of violating rows, the SQLSTATE the statement will raise (``Probe.sqlstate``: for a
conversion, the one the probe's own conversion raised) and up to three sample keys (the primary key, or
``ctid``); key values of numeric and uuid keys are shown, other keys and the offending values only with
``show_values = true``. A type conversion that fails is found by converting every value (PostgreSQL stops at the
first failure, so the count is "at least 1"), or, for text columns on PostgreSQL 16 and later, counted with
``pg_input_is_valid`` (and its SQLSTATE read with ``pg_input_error_info``).

When both the lint and the rehearsal run, they ask the live database the same questions: each query is asked
once per run and its answer (rows, or the error the server raised) shared.

A probe needs the live rows to be the rows the statement will meet. When an earlier pending statement writes to
the table first (``UPDATE``, ``INSERT``, ``DELETE``, ``COPY``, ``TRUNCATE``, or a ``DO`` block the rehearsal saw
taking a write lock), or the table or column is created by the pending migrations, the live rows are not those:
the probe is not evaluated, unless the copy holds every row of the table, in which case the rehearsal itself ran
the statement on them ("covered by the rehearsal"; the lint, which has no copy, says "not evaluated").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from psycopg import sql

from preflight.sql.schema_changes import name_matches

if TYPE_CHECKING:
    import psycopg

    from preflight.db.target import Database
    from preflight.migrations import Migration
    from preflight.sql.schema_changes import Statement

Position = tuple[int, int]
"""(index of the migration in the pending list, index of the statement in it): run order."""
REDACTED = "<redacted>"
_SHOWN_KEY_TYPES = frozenset({"int2", "int4", "int8", "numeric", "uuid", "oid", "tid"})
_NOT_YET = {"42703", "42883", "42P01", "42704", "3F000"}
"""Undefined column, function, table, object, schema: the probe names something pending migrations create."""


@dataclass
class Probe:
    kind: str
    """"set-not-null", "not-null-column", "primary-key", "unique", "foreign-key", "check", "validate",
    "type-change"."""
    what: str
    """The precondition in words: "no NULL in task_usage.updated_at"."""
    migration: str
    file: str
    line: int
    column: int
    statement: str
    position: Position
    table: tuple[str | None, str]
    only: bool
    spec: dict[str, Any]
    outcome: str = "pending"
    """"holds", "violated", "not-evaluated", "covered", "not-applicable"."""
    count: int | None = None
    at_least: bool = False
    """The count is a lower bound (the conversion stopped at the first failure)."""
    samples: list[str] = field(default_factory=list)
    reason: str | None = None
    scan_bytes: int | None = None
    relation: str | None = None
    """The live table, as the database names it."""
    sqlstate: str | None = None
    """For a violated precondition: the SQLSTATE PostgreSQL raises when the statement meets the rows (for a
    conversion, the one the probe's own conversion raised)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "precondition": self.what, "migration": self.migration,
                               "file": self.file, "line": self.line, "column": self.column,
                               "statement": self.statement, "outcome": self.outcome}
        if self.relation:
            out["table"] = self.relation
        if self.count is not None:
            out["violating_rows"] = self.count
            if self.at_least:
                out["violating_rows_at_least"] = True
        if self.samples:
            out["sample_keys"] = self.samples
        if self.scan_bytes is not None:
            out["scan_bytes"] = self.scan_bytes
        if self.reason:
            out["reason"] = self.reason
        if self.sqlstate:
            out["sqlstate"] = self.sqlstate
        return out


@dataclass
class History:
    """What the pending statements do before a given one, for the probes' grounds."""

    created: list[tuple[Position, str, str]] = field(default_factory=list)
    """(position, relation name created or renamed to, the migration)."""
    added: list[tuple[Position, str, str, str | None, str]] = field(default_factory=list)
    """(position, table, column, its DEFAULT as SQL or None, the migration)."""
    renamed: list[tuple[Position, str, str, str]] = field(default_factory=list)
    """(position, table, column renamed to, the migration): its values are the live column's, under another name."""
    writes: list[tuple[Position, str, str]] = field(default_factory=list)
    """(position, table written to, "file:line")."""
    constraints: list[tuple[Position, str, str, Any]] = field(default_factory=list)
    """(position, table, constraint name, its pglast Constraint node)."""

    def creator(self, table: str, before: Position) -> str | None:
        return next((m for p, name, m in self.created if p < before and name_matches(table, name)), None)

    def renamer(self, table: str, column: str, before: Position) -> str | None:
        return next((m for p, t, c, m in self.renamed if p < before and c == column and name_matches(table, t)), None)

    def added_column(self, table: str, column: str, before: Position) -> tuple[str | None, str] | None:
        for p, t, c, default, m in self.added:
            if p < before and c == column and name_matches(table, t):
                return default, m
        return None

    def writer(self, table: str, before: Position) -> str | None:
        return next((where for p, t, where in self.writes if p < before and name_matches(table, t)), None)

    def constraint(self, table: str, name: str, before: Position) -> Any:
        found = None
        for p, t, c, node in self.constraints:
            if p < before and c == name and name_matches(table, t):
                found = node
        return found


def _rangevar(rv: Any) -> tuple[str | None, str]:
    return rv.schemaname, rv.relname


def _label(table: tuple[str | None, str]) -> str:
    return f"{table[0]}.{table[1]}" if table[0] else table[1]


def _enum(value: Any) -> str:
    return str(getattr(value, "name", value))


def _deparse(node: Any) -> str:
    from pglast.stream import RawStream

    return str(RawStream()(node))


def _strings(items: Any) -> list[str]:
    return [i.sval for i in (items or ()) if hasattr(i, "sval")]


def plan(pending: list[Migration], parsed: list[list[Statement]]) -> tuple[list[Probe], History]:
    """The probes of every pending statement that can fail on data, and what the statements before each one do."""
    import pglast

    planner = _Planner()
    for mi, (m, statements) in enumerate(zip(pending, parsed, strict=True)):
        for si, st in enumerate(statements):
            try:
                (raw,) = pglast.parse_sql(st.text)
            except Exception:  # noqa: BLE001 - a statement pglast cannot read: the rehearsal shows what it does
                continue
            planner.statement(raw.stmt, m, st, (mi, si))
    return planner.probes, planner.history


class _Planner:
    """Walks the pending statements in run order."""

    def __init__(self) -> None:
        self.probes: list[Probe] = []
        self.history = History()

    def statement(self, node: Any, m: Migration, st: Statement, pos: Position) -> None:
        self.m, self.st, self.pos = m, st, pos
        before = m.sql[: st.start]
        self.line = m.sql_line + before.count("\n")
        self.column = st.start - (before.rfind("\n") + 1) + 1
        kind = type(node).__name__
        written: list[Any] = []
        dml = kind in ("InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt")
        if dml or (kind == "CopyStmt" and node.is_from and node.relation is not None):
            written = [node.relation]
        elif kind == "TruncateStmt":
            written = list(node.relations)
        for rv in written:
            self.history.writes.append((pos, _label(_rangevar(rv)), f"{m.file}:{self.line}"))
        if kind in ("CreateStmt", "CreateTableAsStmt", "ViewStmt", "RenameStmt", "AlterObjectSchemaStmt",
                    "CreateForeignTableStmt"):
            self._created(renames=kind == "RenameStmt")
        elif kind == "IndexStmt" and node.unique and node.relation is not None:
            self._unique_index(node)
        elif kind == "AlterTableStmt" and _enum(node.objtype) == "OBJECT_TABLE":
            table = _rangevar(node.relation)
            for cmd in node.cmds or ():
                self._alter(cmd, table, not node.relation.inh)

    def probe(self, kind: str, what: str, table: tuple[str | None, str], only: bool, **spec: Any) -> None:
        self.probes.append(Probe(kind, what, self.m.name, self.m.file, self.line, self.column, _short(self.st.text),
                                 self.pos, table, only, spec))

    def _created(self, renames: bool) -> None:
        from preflight.sql.schema_changes import known_changes

        changes = known_changes(self.st.text)
        for name in sorted(changes.created if changes else ()):
            self.history.created.append((self.pos, name, self.m.name))
        for added in sorted(changes.columns_added if changes else ()):
            table, _, col = added.rpartition(".")
            if renames:  # RENAME COLUMN: a new name for the live values, not a column of NULLs
                self.history.renamed.append((self.pos, table, col, self.m.name))
            else:
                self.history.added.append((self.pos, table, col, None, self.m.name))

    def _unique_index(self, node: Any) -> None:
        table = _rangevar(node.relation)
        elems = []
        for e in node.indexParams or ():
            text = sql.Identifier(e.name).as_string(None) if e.name else f"({_deparse(e.expr)})"
            if e.collation:
                text += " COLLATE " + ".".join(sql.Identifier(c).as_string(None) for c in _strings(e.collation))
            elems.append(text)
        pred = _deparse(node.whereClause) if node.whereClause is not None else None
        self.probe("unique", f"no duplicate ({', '.join(elems)}) in {_label(table)}"
                   + (f" where {pred}" if pred else ""), table, not node.relation.inh, exprs=elems, where=pred,
                   nulls_not_distinct=bool(node.nulls_not_distinct),
                   columns=[e.name for e in node.indexParams or () if e.name])

    def _alter(self, cmd: Any, table: tuple[str | None, str], only: bool) -> None:
        sub = _enum(cmd.subtype)
        label = _label(table)
        if sub == "AT_SetNotNull":
            self.probe("set-not-null", f"no NULL in {label}.{cmd.name}", table, only, columns=[cmd.name])
        elif sub == "AT_AddColumn" and cmd.def_ is not None:
            self._add_column(cmd.def_, table, only, bool(cmd.missing_ok))
        elif sub == "AT_AddConstraint" and type(cmd.def_).__name__ == "Constraint":
            if cmd.def_.conname:
                self.history.constraints.append((self.pos, label, cmd.def_.conname, cmd.def_))
            self._constraint(cmd.def_, table, only)
        elif sub == "AT_ValidateConstraint":
            self.probe("validate", f"every row of {label} satisfies constraint {cmd.name}", table, only,
                       name=cmd.name, columns=[])
        elif sub == "AT_AttachPartition" and type(cmd.def_).__name__ == "PartitionCmd" and cmd.def_.bound:
            self._attach(cmd.def_, table)
        elif sub == "AT_AlterColumnType" and cmd.def_ is not None:
            col = cmd.def_
            type_sql = _deparse(col.typeName)
            using = _deparse(col.raw_default) if col.raw_default is not None else None
            plain = using is None or _is_plain_cast(col.raw_default, cmd.name)
            self.probe("type-change", f"every {label}.{cmd.name} converts to {type_sql}"
                       + (f" using {using}" if using else ""), table, only, columns=[cmd.name], col=cmd.name,
                       type=type_sql, using=using, plain=plain, length=_length_limit(col.typeName))

    def _add_column(self, col: Any, table: tuple[str | None, str], only: bool, if_absent: bool = False) -> None:
        label = _label(table)
        constraints = list(col.constraints or ())
        kinds = {_enum(c.contype) for c in constraints}
        default_node = col.raw_default or next(
            (c.raw_expr for c in constraints if _enum(c.contype) == "CONSTR_DEFAULT"), None)
        default = _deparse(default_node) if default_node is not None else None
        self.history.added.append((self.pos, label, col.colname, default, self.m.name))
        fills = default is not None or kinds & {"CONSTR_IDENTITY", "CONSTR_GENERATED"}
        if kinds & {"CONSTR_NOTNULL", "CONSTR_PRIMARY"} and not fills:
            self.probe("not-null-column", f"{label} has no rows (the new NOT NULL column {col.colname} has no "
                       "default)", table, only, columns=[])
        if default_node is None or not _constant(default_node) or if_absent:
            return  # a default computed per row (or none), or a column that may be there: not known here
        type_sql = _deparse(col.typeName)
        before = len(self.probes)
        for c in constraints:
            contype = _enum(c.contype)
            if contype == "CONSTR_CHECK":
                expr = _deparse(c.raw_expr)
                self.probe("default-check", f"{label} has no rows, or the default of the new column "
                           f"{col.colname} ({default}) satisfies CHECK ({expr})", table, only, columns=[],
                           col=col.colname, type=type_sql, default=default, expr=expr)
            elif contype == "CONSTR_FOREIGN":
                ref = _rangevar(c.pktable)
                self.probe("default-foreign-key", f"{label} has no rows, or the default of the new column "
                           f"{col.colname} ({default}) has a row in {_label(ref)}", table, only, columns=[],
                           type=type_sql, default=default, ref=ref, ref_keys=_strings(c.pk_attrs))
        if len(self.probes) == before and _strings(col.typeName.names)[:1] != ["pg_catalog"]:
            # a type of the database's own (a domain, with its CHECK and NOT NULL): the default must pass it
            self.probe("default-value", f"{label} has no rows, or the default of the new column {col.colname} "
                       f"({default}) is a valid {type_sql}", table, only, columns=[], type=type_sql, default=default)

    def _attach(self, cmd: Any, parent: tuple[str | None, str]) -> None:
        partition = _rangevar(cmd.name)
        bound = cmd.bound
        self.probe("attach-partition", f"every row of {_label(partition)} is within the bounds of its partition of "
                   f"{_label(parent)}", partition, False, columns=[], parent=parent, strategy=bound.strategy,
                   default=bool(bound.is_default), lower=_datums(bound.lowerdatums),
                   upper=_datums(bound.upperdatums), values=_datums(bound.listdatums), modulus=bound.modulus,
                   remainder=bound.remainder)

    def _constraint(self, c: Any, table: tuple[str | None, str], only: bool) -> None:
        label = _label(table)
        contype = _enum(c.contype)
        if contype == "CONSTR_PRIMARY" and c.indexname:
            self.probe("primary-key", f"no NULL in the columns of index {c.indexname} of {label}", table, only,
                       index=c.indexname, keys=[], columns=[])
        elif contype == "CONSTR_PRIMARY":
            keys = _strings(c.keys)
            self.probe("primary-key", f"no NULL and no duplicate ({', '.join(keys)}) in {label}", table, only,
                       keys=keys, columns=keys)
        elif contype == "CONSTR_UNIQUE" and not c.indexname:
            keys = _strings(c.keys)
            self.probe("unique", f"no duplicate ({', '.join(keys)}) in {label}", table, only,
                       exprs=[sql.Identifier(k).as_string(None) for k in keys], where=None,
                       nulls_not_distinct=bool(c.nulls_not_distinct), columns=keys)
        elif contype == "CONSTR_FOREIGN" and not c.skip_validation:
            keys = _strings(c.fk_attrs)
            ref = _rangevar(c.pktable)
            self.probe("foreign-key", f"every ({', '.join(keys)}) of {label} has a row in {_label(ref)}", table,
                       only, keys=keys, ref=ref, ref_keys=_strings(c.pk_attrs), match=c.fk_matchtype, columns=keys)
        elif contype == "CONSTR_CHECK" and not c.skip_validation:
            expr = _deparse(c.raw_expr)
            self.probe("check", f"every row of {label} satisfies CHECK ({expr})", table,
                       only or bool(c.is_no_inherit), expr=expr, columns=[])


def _constant(node: Any) -> bool:
    """A literal, or a literal cast to a type: the same value on every row."""
    if type(node).__name__ == "TypeCast":
        node = node.arg
    return type(node).__name__ == "A_Const"


def _datums(items: Any) -> list[str | None]:
    """A partition bound's values as SQL; None for NULL; "MINVALUE"/"MAXVALUE" as such."""
    out: list[str | None] = []
    for d in items or ():
        if type(d).__name__ == "ColumnRef" and _strings(d.fields) in (["minvalue"], ["maxvalue"]):
            out.append(_strings(d.fields)[0].upper())
        elif type(d).__name__ == "A_Const" and d.isnull:
            out.append(None)
        else:
            out.append(_deparse(d))
    return out


def _is_plain_cast(node: Any, column: str) -> bool:
    """``USING c`` or ``USING c::t`` / ``CAST(c AS t)`` of the altered column itself."""
    if type(node).__name__ == "TypeCast":
        node = node.arg
    return type(node).__name__ == "ColumnRef" and _strings(node.fields)[-1:] == [column]


LENGTHS = {"varchar": "chars", "bpchar": "chars", "bit": "bit", "varbit": "varbit"}
"""Types whose length an assignment checks where an explicit cast (the probe's conversion) truncates or pads."""


def _length_limit(type_name: Any) -> tuple[int, str] | None:
    """(n, the kind of length) of ``varchar(n)`` / ``char(n)`` / ``bit(n)`` / ``varbit(n)``: an assignment to
    them fails on a longer value (``bit(n)``: on any other length), where the probe's explicit cast would cut
    or pad it."""
    names = _strings(type_name.names)
    if not names or names[-1] not in LENGTHS or len(names) > 2 or names[:-1] not in ([], ["pg_catalog"]) \
            or len(type_name.typmods or ()) != 1 or type_name.arrayBounds:
        return None
    val = getattr(type_name.typmods[0], "val", None)
    if val is None or not hasattr(val, "ival"):
        return None
    return int(val.ival), LENGTHS[names[-1]]


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# -- evaluation on the live database ------------------------------------------------------------------------------


@dataclass
class Context:
    """What the probes are judged with."""

    max_scan_bytes: int
    show_values: bool
    copied: dict[tuple[str, str], int]
    """Tables the copy holds in full, with their rows."""
    observed_writes: list[tuple[Position, tuple[str, str], str]]
    """(position, live table, "file:line") of statements the rehearsal saw taking a write lock."""


class _Answers:
    """What the live database answered to each probe query in this run, shared by the checks that probe it (the
    lint and the rehearsal ask the same questions of the same pending statements): each query runs once per run.
    An error the server raised is an answer too (a value that does not convert); a lost connection is not."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, int], list[tuple[Any, ...]] | Exception] = {}

    def get(self, key: tuple[str, int]) -> list[tuple[Any, ...]] | Exception | None:
        with self._lock:
            return self._answers.get(key)

    def put(self, key: tuple[str, int], answer: list[tuple[Any, ...]] | Exception) -> None:
        with self._lock:
            self._answers[key] = answer


def _untrusted(database: Database, query: str, max_rows: int = 20) -> list[tuple[Any, ...]]:
    """A probe's query through the untrusted-SQL path, in a transaction of its own: the probes' catalog reads
    share its session, and neither may see the other's session state. Asked once per run (:class:`_Answers`)."""
    import psycopg

    answers: _Answers = database.cached("probe answers", _Answers)
    key = (query, max_rows)
    known = answers.get(key)
    if isinstance(known, Exception):
        raise known
    if known is not None:
        return list(known)
    with database.connection() as conn:
        conn.rollback()
        try:
            rows = database.run_untrusted(query, max_rows)[1]
        except psycopg.Error as e:
            if not (conn.closed or conn.broken):
                answers.put(key, e)
            raise
        finally:
            if not conn.closed:
                conn.rollback()
    answers.put(key, rows)
    return list(rows)


def evaluate(probes: list[Probe], history: History, database: Database, context: Context) -> None:
    """Run every probe that can be run; each gets its outcome."""
    if not probes:
        return
    import psycopg

    from preflight.errors import ReaderError

    with database.connection() as conn, conn.cursor() as cur:
        for p in probes:
            try:
                _evaluate(p, history, database, cur, context)
            except psycopg.OperationalError as e:
                if conn.closed or conn.broken:
                    raise ReaderError(f"lost the live database while probing: {' '.join(str(e).split())}") from None
                _failed(p, e, context)
            except psycopg.Error as e:
                _failed(p, e, context)
            finally:
                if not conn.closed:
                    conn.rollback()


def _evaluate(p: Probe, history: History, database: Database, cur: psycopg.Cursor[Any], context: Context) -> None:
    label = _label(p.table)
    creator = history.creator(label, p.position)
    if creator is not None:
        p.outcome = "covered"
        p.reason = (f"{label} is created by pending migration {creator}: its rows on the copy are the ones the "
                    "migrations put there, and the rehearsal ran this statement on them")
        return
    ident = sql.Identifier(p.table[0], p.table[1]) if p.table[0] else sql.Identifier(p.table[1])
    cur.execute("select n.nspname, c.relname, c.relkind::text, c.reltuples::float8, c.oid::regclass::text "
                "from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = to_regclass(%s)",
                (ident.as_string(cur),))
    row = cur.fetchone()
    if row is None:
        p.outcome = "not-applicable"
        p.reason = f"{label} does not exist live: the statement fails on it (see the rehearsal)"
        return
    schema, name, relkind, estimate, p.relation = row
    qualified = sql.Identifier(schema, name)
    full = context.copied.get((schema, name))
    writer = history.writer(label, p.position) or next(
        (w for pos, t, w in context.observed_writes if pos < p.position and t == (schema, name)), None)
    if writer is not None:
        _not_the_live_rows(p, full, f"an earlier pending statement ({writer}) writes to {p.relation} first",
                           "; the copy holds all {rows:,} of its rows, and the rehearsal ran this statement after it",
                           ": the live rows are not the rows this statement will meet")
        return
    cur.execute("select attname from pg_attribute where attrelid = to_regclass(%s) and attnum > 0 "
                "and not attisdropped", (qualified.as_string(cur),))
    live_columns = {c for (c,) in cur.fetchall()}
    for col in p.spec.get("columns", []):
        if col in live_columns:
            continue
        renamer = history.renamer(label, col, p.position)
        if renamer is not None:
            p.outcome = "not-evaluated"
            p.reason = f"column {col} is a live column renamed by pending migration {renamer}: not probed under its name"
            return
        added = history.added_column(label, col, p.position)
        if added is None:
            p.outcome = "not-applicable"
            p.reason = f"{p.relation} has no column {col} live: the statement fails on it (see the rehearsal)"
            return
        default, adder = added
        if p.kind == "set-not-null":
            _new_column_not_null(p, database, qualified, default, adder)
            return
        _not_the_live_rows(p, full, f"column {col} is added by pending migration {adder}",
                           "; the copy holds all {rows:,} rows of {relation}, and the rehearsal ran this statement "
                           "on them",
                           ": its values on the live rows come from the migrations, which run only on the copy")
        return
    if p.kind == "not-null-column":
        rows = _untrusted(database, sql.SQL("select count(*) from (select 1 from {} limit 1) s").format(
            qualified).as_string(cur))
        has_rows = bool(rows and rows[0][0])
        p.outcome = "violated" if has_rows else "holds"
        if has_rows:
            p.sqlstate = "23502"
            p.count = max(1, round(estimate)) if estimate and estimate > 0 else 1
            p.at_least = not (estimate and estimate > 0)
            p.reason = (f"{p.relation} holds rows (about {p.count:,}, the planner's estimate): adding a NOT NULL "
                        "column without a default fails on a table that is not empty")
        return
    if p.kind in ("default-check", "default-foreign-key", "default-value"):
        _new_column_default(p, database, cur, qualified, estimate)
        return
    query = _query(p, cur, (schema, name), relkind, history, context, database)
    if query is None:
        return
    _run(p, database, cur, query, context)


def _not_the_live_rows(p: Probe, full: int | None, why: str, covered: str, not_evaluated: str) -> None:
    """The statement will not meet the live rows (``why``): the rehearsal ran it on them when the copy holds the
    whole table: ``covered`` then says so, with ``{rows}`` and ``{relation}`` filled in), else the probe cannot
    tell."""
    p.outcome = "covered" if full is not None else "not-evaluated"
    p.reason = why + (covered.format(rows=full, relation=p.relation) if full is not None else not_evaluated)


def _new_column_default(p: Probe, database: Database, cur: psycopg.Cursor[Any], qualified: sql.Identifier,
                        estimate: float | None) -> None:
    """A new column whose constant default every live row takes: one check of that value, if there are rows."""
    rows = _untrusted(database, sql.SQL("select count(*) from (select 1 from {} limit 1) s").format(
        qualified).as_string(cur))
    if not (rows and rows[0][0]):
        p.outcome, p.reason = "holds", f"{p.relation} has no rows"
        return
    value = sql.SQL("({})::{}").format(sql.SQL(p.spec["default"]), sql.SQL(p.spec["type"]))
    import psycopg

    from preflight.errors import ReaderError

    try:  # the value itself first: a domain's CHECK or NOT NULL rejects it on every row
        _untrusted(database, sql.SQL("select {} is null").format(value).as_string(cur))
    except psycopg.Error as e:
        if e.sqlstate and e.sqlstate[:2] in ("22", "23"):
            p.outcome, p.sqlstate = "violated", e.sqlstate
            p.count = max(1, round(estimate)) if estimate and estimate > 0 else 1
            p.at_least = not (estimate and estimate > 0)
            p.reason = (f"every row of {p.relation} (about {p.count:,}, the planner's estimate) takes the default "
                        f"{p.spec['default']}, which is not a valid {p.spec['type']}: "
                        f"{redact(e.diag.message_primary or str(e), False)}")
        else:
            _failed(p, e, Context(0, False, {}, []))
        return
    except ReaderError as e:
        _failed(p, e, Context(0, False, {}, []))
        return
    if p.kind == "default-value":
        p.outcome = "holds"
        return
    if p.kind == "default-check":
        query = sql.SQL("select ({}) is false from (select {} as {}) s").format(
            sql.SQL(p.spec["expr"]), value, sql.Identifier(p.spec["col"]))
        state, broken = "23514", f"violates CHECK ({p.spec['expr']})"
    else:
        ref = p.spec["ref"]
        ref_ident = sql.Identifier(ref[0], ref[1]) if ref[0] else sql.Identifier(ref[1])
        ref_keys = p.spec["ref_keys"]
        if not ref_keys:
            cur.execute("select array(select a.attname from pg_index i join pg_attribute a on a.attrelid = "
                        "i.indrelid and a.attnum = any(i.indkey) where i.indrelid = to_regclass(%s) and "
                        "i.indisprimary)", (ref_ident.as_string(cur),))
            found = cur.fetchone()
            ref_keys = list(found[0]) if found else []
        if len(ref_keys) != 1:
            p.outcome = "not-evaluated"
            p.reason = f"not evaluated: the key of {_label(ref)} that the new column references is not known live"
            return
        query = sql.SQL("select v is not null and not exists (select 1 from {} r where r.{} = v) "
                        "from (select {} as v) s").format(ref_ident, sql.Identifier(ref_keys[0]), value)
        state, broken = "23503", f"has no row in {_label(ref)}"
    try:
        answer = _untrusted(database, query.as_string(cur))
    except (psycopg.Error, ReaderError) as e:
        _failed(p, e, Context(0, False, {}, []))
        return
    if not (answer and answer[0][0] is True):
        p.outcome = "holds"
        return
    p.outcome, p.sqlstate = "violated", state
    p.count = max(1, round(estimate)) if estimate and estimate > 0 else 1
    p.at_least = not (estimate and estimate > 0)
    p.reason = (f"every row of {p.relation} (about {p.count:,}, the planner's estimate) takes the default "
                f"{p.spec['default']}, which {broken}")


def _new_column_not_null(p: Probe, database: Database, qualified: sql.Identifier, default: str | None,
                         adder: str) -> None:
    """SET NOT NULL on a column a pending migration adds: its live rows hold the column's default."""
    if default is not None:
        value = _untrusted(database, f"select ({default}) is null")
        if value and value[0][0] is False:
            p.outcome = "holds"
            p.reason = f"the column is added by {adder} with a default that is not NULL"
            return
    rows = _untrusted(database, sql.SQL("select count(*) from (select 1 from {} limit 1) s").format(
        qualified).as_string(None))
    has_rows = bool(rows and rows[0][0])
    p.outcome = "violated" if has_rows else "holds"
    p.reason = (f"the column is added by {adder} {'with a NULL default' if default else 'without a default'}, so "
                f"every live row holds NULL there" if has_rows else f"{p.relation} has no rows")
    if has_rows:
        p.count, p.at_least, p.sqlstate = 1, True, "23502"


@dataclass
class Query:
    count: str
    """Returns one row: the number of violating rows (an error, in "error" mode, is a violation)."""
    sample: str | None
    keys: list[tuple[str, bool]]
    """The sample's leading key columns, and whether their values may be shown."""
    errors_violate: bool = False
    """A data error while it runs is the violation (a value that does not convert)."""
    length_check: bool = False
    """The count query converts every value (its error is the violation) and counts, in its first column, the
    values too long for the new type."""
    sqlstate: str | None = None
    """What PostgreSQL raises on a violating row (for a length check: on a value of the wrong length)."""
    state: str | None = None
    """A query that returns the SQLSTATE of the first violating row, when it is not known in advance."""


def _keys(cur: psycopg.Cursor[Any], qualified: sql.Identifier) -> list[tuple[str, bool]]:
    cur.execute(
        """
        select a.attname, t.typname from pg_index i
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          join pg_type t on t.oid = a.atttypid
         where i.indrelid = to_regclass(%s) and i.indisprimary
         order by array_position(i.indkey::int2[], a.attnum)
        """, (qualified.as_string(cur),))
    keys = [(name, typname in _SHOWN_KEY_TYPES) for name, typname in cur.fetchall()]
    return keys or [("ctid", True)]


def _key_columns(keys: list[tuple[str, bool]], alias: str | None = None) -> sql.Composed:
    """The sample's key columns (``ctid`` as text: its binary form is no one's key; with the partition it is
    in, for a partitioned table)."""
    prefix = sql.SQL(f"{alias}.") if alias else sql.SQL("")
    system = {"ctid": "ctid::text", "partition": "tableoid::regclass::text"}
    return sql.SQL(", ").join(prefix + (sql.SQL(system[k]) if k in system else sql.Identifier(k))
                              for k, _ in keys)


def _query(p: Probe, cur: psycopg.Cursor[Any], table: tuple[str, str], relkind: str, history: History,
           context: Context, database: Database) -> Query | None:
    qualified = sql.Identifier(*table)
    source = sql.SQL("only {}").format(qualified) if p.only and relkind != "p" else qualified
    keys = _keys(cur, qualified)
    if relkind == "p" and keys == [("ctid", True)]:
        keys = [("partition", True), ("ctid", True)]
    key_sql = _key_columns(keys)

    def text(q: sql.Composable) -> str:
        return q.as_string(cur)

    if p.kind == "set-not-null":
        col = sql.Identifier(p.spec["columns"][0])
        cond = sql.SQL("{} is null").format(col)
        return Query(text(sql.SQL("select count(*) from {} where {}").format(source, cond)),
                     text(sql.SQL("select {} from {} where {} order by {} limit 3").format(key_sql, source, cond,
                                                                                          key_sql)), keys,
                     sqlstate="23502")
    if p.kind == "primary-key":
        cols = p.spec["keys"]
        if p.spec.get("index"):
            cur.execute("select array(select a.attname from pg_index i join pg_attribute a on a.attrelid = "
                        "i.indrelid and a.attnum = any(i.indkey) where i.indexrelid = to_regclass(%s))",
                        (sql.Identifier(table[0], p.spec["index"]).as_string(cur),))
            found = cur.fetchone()
            cols = list(found[0]) if found else []
        if not cols:
            p.outcome, p.reason = "not-applicable", "the index does not exist live"
            return None
        cond = sql.SQL(" or ").join(sql.SQL("{} is null").format(sql.Identifier(c)) for c in cols)
        if p.spec.get("index"):
            return Query(text(sql.SQL("select count(*) from {} where {}").format(source, cond)),
                         text(sql.SQL("select {} from {} where {} order by {} limit 3").format(
                             key_sql, source, cond, key_sql)), keys, sqlstate="23502")
        nulls = text(sql.SQL("select count(*) from {} where {}").format(source, cond))
        null_probe = _run_count(p, database, nulls, context)
        if null_probe is None:
            return None
        if null_probe > 0:
            p.outcome, p.count, p.sqlstate = "violated", null_probe, "23502"
            p.samples = _samples(database, text(sql.SQL("select {} from {} where {} order by {} limit 3").format(
                key_sql, source, cond, key_sql)), keys, 0, context)
            p.reason = f"{null_probe:,} row{'s' if null_probe != 1 else ''} with a NULL key column"
            return None
        return _duplicates(p, source, [sql.Identifier(c).as_string(cur) for c in cols], None, False, keys, key_sql,
                           text)
    if p.kind == "unique":
        return _duplicates(p, source, p.spec["exprs"], p.spec["where"], p.spec["nulls_not_distinct"], keys,
                           key_sql, text)
    if p.kind == "foreign-key":
        return _foreign_key(p, cur, source, p.spec["keys"], p.spec["ref"], p.spec["ref_keys"], p.spec["match"],
                            keys, key_sql, text)
    if p.kind == "check":
        cond = sql.SQL("({}) is false").format(sql.SQL(p.spec["expr"]))
        return Query(text(sql.SQL("select count(*) from {} where {}").format(source, cond)),
                     text(sql.SQL("select {} from {} where {} order by {} limit 3").format(key_sql, source, cond,
                                                                                          key_sql)), keys,
                     sqlstate="23514")
    if p.kind == "validate":
        added = history.constraint(_label(p.table), p.spec["name"], p.position)
        if added is not None:
            return _validate_added(p, cur, added, source, keys, key_sql, text)
        return _validate(p, cur, qualified, source, keys, key_sql, text)
    if p.kind == "type-change":
        return _type_change(p, cur, qualified, source, keys, key_sql, text)
    if p.kind == "attach-partition":
        return _attach_partition(p, cur, source, keys, key_sql, text)
    return None


def _attach_partition(p: Probe, cur: psycopg.Cursor[Any], source: sql.Composable, keys: list[tuple[str, bool]],
                      key_sql: sql.Composable, text: Any) -> Query | None:
    """The rows of the table to attach that its bounds leave out: PostgreSQL checks each one."""
    parent = p.spec["parent"]
    ident = sql.Identifier(parent[0], parent[1]) if parent[0] else sql.Identifier(parent[1])
    cur.execute("select p.partstrat::text, 0 = any(p.partattrs::int2[]), array(select a.attname from "
                "unnest(p.partattrs::int2[]) with ordinality k(n, o) join pg_attribute a on a.attrelid = p.partrelid "
                "and a.attnum = k.n order by k.o), nullif(p.partdefid, 0)::regclass::text "
                "from pg_partitioned_table p where p.partrelid = to_regclass(%s)", (ident.as_string(cur),))
    row = cur.fetchone()
    if row is None:
        p.outcome, p.reason = "not-applicable", f"{_label(parent)} is not a partitioned table live"
        return None
    strategy, expressions, columns, default_partition = row
    if p.spec["default"] or expressions or strategy != p.spec["strategy"]:
        p.outcome = "not-evaluated"
        p.reason = ("not evaluated: " + ("a default partition takes what the other partitions leave, which is not "
                                         "probed" if p.spec["default"] else
                                         "a partition key with expressions is not probed" if expressions else
                                         "the bound is not of the table's partitioning strategy"))
        return None
    keys_sql = [sql.Identifier(c) for c in columns]
    inside: sql.Composable
    if strategy == "h":
        # The hash partition's own constraint, as PostgreSQL writes it: the server's hashing of the key decides.
        inside = sql.SQL("satisfies_hash_partition({}::regclass::oid, {}, {}, {})").format(
            sql.Literal(ident.as_string(cur)), sql.Literal(p.spec["modulus"]), sql.Literal(p.spec["remainder"]),
            sql.SQL(", ").join(keys_sql))
    elif strategy == "l":
        values = p.spec["values"]
        listed = [v for v in values if v is not None]
        parts = []
        if listed:
            parts.append(sql.SQL("{} in ({})").format(keys_sql[0], sql.SQL(", ").join(sql.SQL(v) for v in listed)))
        if None in values:
            parts.append(sql.SQL("{} is null").format(keys_sql[0]))
        inside = sql.SQL(" or ").join(parts) if parts else sql.SQL("false")
    else:
        inside = sql.SQL(" and ").join([*(sql.SQL("{} is not null").format(k) for k in keys_sql),
                                        _range_side(keys_sql, p.spec["lower"], lower=True),
                                        _range_side(keys_sql, p.spec["upper"], lower=False)])
    cond = sql.SQL("({}) is not true").format(inside)
    count = sql.SQL("select count(*) from {} where {}").format(source, cond)
    if default_partition:
        p.spec["default_partition"] = default_partition
        # the default partition's rows that the new bounds take: PostgreSQL checks those too (23514)
        count = sql.SQL("select ({}) + (select count(*) from {} where ({}) is true)").format(
            count, sql.SQL(default_partition), inside)
    return Query(text(count),
                 text(sql.SQL("select {} from {} where {} order by {} limit 3").format(key_sql, source, cond,
                                                                                      key_sql)), keys,
                 sqlstate="23514")


def _range_side(keys: list[sql.Identifier], datums: list[str | None], *, lower: bool) -> sql.Composable:
    """One side of a range partition's bound: the key, compared as a row, up to the first MINVALUE/MAXVALUE (which
    decides whether that side is inclusive)."""
    finite = []
    infinite = None
    for d in datums:
        if d in ("MINVALUE", "MAXVALUE"):
            infinite = d
            break
        finite.append(sql.SQL(d or "null"))
    if not finite:  # MINVALUE below, MAXVALUE above: no limit; the other way round: nothing is inside
        return sql.SQL("true" if (infinite == "MINVALUE") == lower else "false")
    if lower:
        op = ">" if infinite == "MAXVALUE" else ">="
    else:
        op = "<=" if infinite == "MAXVALUE" else "<"
    return sql.SQL("row({}) {} row({})").format(sql.SQL(", ").join(keys[:len(finite)]), sql.SQL(op),
                                                sql.SQL(", ").join(finite))


def _duplicates(p: Probe, source: sql.Composable, exprs: list[str], where: str | None, nulls_not_distinct: bool,
                keys: list[tuple[str, bool]], key_sql: sql.Composable, text: Any) -> Query:
    conds = [] if nulls_not_distinct else [sql.SQL("({}) is not null").format(sql.SQL(e)) for e in exprs]
    if where:
        conds.append(sql.SQL("({})").format(sql.SQL(where)))
    filt = sql.SQL(" where ") + sql.SQL(" and ").join(conds) if conds else sql.SQL("")
    group = sql.SQL(", ").join(sql.SQL(e) for e in exprs)
    aliased = sql.SQL(", ").join(sql.SQL("{} as {}").format(sql.SQL(e), sql.Identifier(f"preflight_k{i}"))
                                 for i, e in enumerate(exprs))
    dup = sql.SQL("select {} from {}{} group by {} having count(*) > 1").format(aliased, source, filt, group)
    count = sql.SQL("select coalesce(sum(n), 0) from (select count(*) as n from {}{} group by {} "
                    "having count(*) > 1) d").format(source, filt, group)
    join = sql.SQL(" and ").join(sql.SQL("({}) is not distinct from d.{}").format(
        sql.SQL(e), sql.Identifier(f"preflight_k{i}")) for i, e in enumerate(exprs))
    values = sql.SQL(", ").join(sql.SQL("d.{}").format(sql.Identifier(f"preflight_k{i}")) for i in range(len(exprs)))
    t_keys = _key_columns(keys, "t")
    sample = sql.SQL("select {}, {} from {} t join ({} order by 1 limit 3) d on {}{} order by {} limit 3").format(
        t_keys, values, source, dup, join, sql.SQL(" where ({})").format(sql.SQL(where)) if where else sql.SQL(""),
        t_keys)
    return Query(text(count), text(sample), keys, sqlstate="23505")


def _foreign_key(p: Probe, cur: psycopg.Cursor[Any], source: sql.Composable, cols: list[str],
                 ref: tuple[str | None, str], ref_cols: list[str], match: str, keys: list[tuple[str, bool]],
                 key_sql: sql.Composable, text: Any) -> Query | None:
    ref_ident = sql.Identifier(ref[0], ref[1]) if ref[0] else sql.Identifier(ref[1])
    cur.execute("select c.relkind::text from pg_class c where c.oid = to_regclass(%s)", (ref_ident.as_string(cur),))
    row = cur.fetchone()
    if row is None:
        p.outcome = "not-evaluated"
        p.reason = f"the referenced table {_label(ref)} does not exist live (a pending migration creates it?)"
        return None
    if not ref_cols:
        cur.execute("select array(select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid "
                    "and a.attnum = any(i.indkey) where i.indrelid = to_regclass(%s) and i.indisprimary "
                    "order by array_position(i.indkey::int2[], a.attnum))", (ref_ident.as_string(cur),))
        found = cur.fetchone()
        ref_cols = list(found[0]) if found else []
    if len(ref_cols) != len(cols):
        p.outcome, p.reason = "not-applicable", f"{_label(ref)} has no matching key: the statement fails on it"
        return None
    ref_source = ref_ident if row[0] == "p" else sql.SQL("only {}").format(ref_ident)
    matches = sql.SQL(" and ").join(sql.SQL("r.{} = c.{}").format(sql.Identifier(r), sql.Identifier(c))
                                    for r, c in zip(ref_cols, cols, strict=True))
    all_set = sql.SQL(" and ").join(sql.SQL("c.{} is not null").format(sql.Identifier(c)) for c in cols)
    cond = sql.SQL("({} and not exists (select 1 from {} r where {}))").format(all_set, ref_source, matches)
    if match == "f" and len(cols) > 1:
        cond = sql.SQL("({} or num_nonnulls({}) between 1 and {})").format(
            cond, sql.SQL(", ").join(sql.SQL("c.{}").format(sql.Identifier(c)) for c in cols),
            sql.Literal(len(cols) - 1))
    c_keys = _key_columns(keys, "c")
    values = sql.SQL(", ").join(sql.SQL("c.{}").format(sql.Identifier(c)) for c in cols)
    return Query(text(sql.SQL("select count(*) from {} c where {}").format(source, cond)),
                 text(sql.SQL("select {}, {} from {} c where {} order by {} limit 3").format(
                     c_keys, values, source, cond, c_keys)), keys, sqlstate="23503")


def _validate(p: Probe, cur: psycopg.Cursor[Any], qualified: sql.Identifier, source: sql.Composable,
              keys: list[tuple[str, bool]], key_sql: sql.Composable, text: Any) -> Query | None:
    cur.execute(
        """
        select contype::text, convalidated, pg_get_expr(conbin, conrelid),
               array(select attname from pg_attribute a, unnest(conkey) with ordinality k(n, o)
                      where a.attrelid = conrelid and a.attnum = k.n order by k.o),
               confrelid::regclass::text, confmatchtype::text,
               array(select attname from pg_attribute a, unnest(confkey) with ordinality k(n, o)
                      where a.attrelid = confrelid and a.attnum = k.n order by k.o)
          from pg_constraint where conrelid = to_regclass(%s) and conname = %s
        """, (qualified.as_string(cur), p.spec["name"]))
    row = cur.fetchone()
    if row is None:
        p.outcome = "not-evaluated"
        p.reason = (f"constraint {p.spec['name']} is neither on the live table nor added by an earlier pending "
                    "statement preflight could read")
        return None
    contype, validated, expr, cols, ref, match, ref_cols = row
    if validated:
        p.outcome, p.reason = "holds", "the constraint is already validated live: VALIDATE does nothing"
        return None
    if contype == "c":
        cond = sql.SQL("({}) is false").format(sql.SQL(expr))
        return Query(text(sql.SQL("select count(*) from {} where {}").format(source, cond)),
                     text(sql.SQL("select {} from {} where {} order by {} limit 3").format(
                         key_sql, source, cond, key_sql)), keys, sqlstate="23514")
    if contype == "f":
        schema, _, name = ref.rpartition(".")
        return _foreign_key(p, cur, source, list(cols), (schema.strip('"') or None, name.strip('"')), list(ref_cols),
                            match, keys, key_sql, text)
    if contype == "n":
        cond = sql.SQL("{} is null").format(sql.Identifier(cols[0]))
        return Query(text(sql.SQL("select count(*) from {} where {}").format(source, cond)),
                     text(sql.SQL("select {} from {} where {} order by {} limit 3").format(
                         key_sql, source, cond, key_sql)), keys, sqlstate="23502")
    p.outcome, p.reason = "not-applicable", f"constraint type {contype!r} is not probed"
    return None


def _validate_added(p: Probe, cur: psycopg.Cursor[Any], c: Any, source: sql.Composable,
                    keys: list[tuple[str, bool]], key_sql: sql.Composable, text: Any) -> Query | None:
    """VALIDATE of a constraint an earlier pending statement adds (NOT VALID): its definition is that
    statement's."""
    contype = _enum(c.contype)
    if contype == "CONSTR_CHECK":
        cond = sql.SQL("({}) is false").format(sql.SQL(_deparse(c.raw_expr)))
        return Query(text(sql.SQL("select count(*) from {} where {}").format(source, cond)),
                     text(sql.SQL("select {} from {} where {} order by {} limit 3").format(
                         key_sql, source, cond, key_sql)), keys, sqlstate="23514")
    if contype == "CONSTR_FOREIGN":
        return _foreign_key(p, cur, source, _strings(c.fk_attrs), _rangevar(c.pktable), _strings(c.pk_attrs),
                            c.fk_matchtype, keys, key_sql, text)
    p.outcome, p.reason = "not-applicable", "only CHECK and FOREIGN KEY constraints are added NOT VALID"
    return None


def _type_change(p: Probe, cur: psycopg.Cursor[Any], qualified: sql.Identifier, source: sql.Composable,
                 keys: list[tuple[str, bool]], key_sql: sql.Composable, text: Any) -> Query:
    col = sql.Identifier(p.spec["col"])
    cur.execute("select t.typcategory::text, current_setting('server_version_num')::int from pg_attribute a "
                "join pg_type t on t.oid = a.atttypid where a.attrelid = to_regclass(%s) and a.attname = %s",
                (qualified.as_string(cur), p.spec["col"]))
    row = cur.fetchone()
    category, version = (row[0], row[1]) if row else ("", 0)
    if p.spec["plain"] and category == "S" and version >= 160000:
        # Text input is exactly how a string converts: count the values the new type's input rejects.
        cond = sql.SQL("{} is not null and not pg_input_is_valid({}::text, {})").format(col, col,
                                                                                      sql.Literal(p.spec["type"]))
        return Query(text(sql.SQL("select count(*) from {} where {}").format(source, cond)),
                     text(sql.SQL("select {}, {} from {} where {} order by {} limit 3").format(
                         key_sql, col, source, cond, key_sql)), keys,
                     state=text(sql.SQL("select (pg_input_error_info({}::text, {})).sql_error_code from {} where {} "
                                        "limit 1").format(col, sql.Literal(p.spec["type"]), source, cond)))
    expr = sql.SQL(p.spec["using"]) if p.spec["using"] else col
    converted = sql.SQL("count(({})::{})").format(expr, sql.SQL(p.spec["type"]))
    length = p.spec.get("length")
    if length is not None:
        limit, unit = length
        if unit == "chars":  # characters past n fail unless they are spaces (which are cut)
            wrong = sql.SQL("length(rtrim(({})::text, ' ')) > {}").format(expr, sql.Literal(limit))
        else:  # bit(n) takes exactly n bits, varbit(n) at most n
            wrong = sql.SQL("length(({})::varbit) {} {}").format(expr, sql.SQL("<>" if unit == "bit" else ">"),
                                                                 sql.Literal(limit))
        too_long = sql.SQL("count(*) filter (where {})").format(wrong)
        return Query(text(sql.SQL("select {}, {} from {}").format(too_long, converted, source)),
                     text(sql.SQL("select {}, {} from {} where {} order by {} limit 3").format(
                         key_sql, col, source, wrong, key_sql)), keys,
                     errors_violate=True, length_check=True, sqlstate="22026" if unit == "bit" else "22001")
    return Query(text(sql.SQL("select 0, {} from {}").format(converted, source)), None, keys, errors_violate=True,
                 length_check=True)


# -- running a probe ----------------------------------------------------------------------------------------------


def scanned(plan: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(kind, schema, name) of what a plan reads in full: tables it scans sequentially, indexes it reads
    without an index condition."""
    out: list[tuple[str, str, str]] = []

    def walk(node: dict[str, Any]) -> None:
        kind = node.get("Node Type", "")
        schema = node.get("Schema", "")
        if kind == "Seq Scan":
            out.append(("table", schema, node.get("Relation Name", "")))
        elif kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node:
            out.append(("index", schema, node.get("Index Name", "")))
            if kind == "Index Scan":
                out.append(("table", schema, node.get("Relation Name", "")))
        elif kind == "Bitmap Index Scan" and "Index Cond" not in node:
            out.append(("index", schema, node.get("Index Name", "")))
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan)
    return out


def _budget(p: Probe, database: Database, query: str, context: Context) -> bool:
    """Plan ``query``; False (and the reason) when it would read more than the budget."""
    from preflight.db.catalog import human_size

    rows = _untrusted(database, f"explain (format json, verbose) {query}")
    plan = rows[0][0][0]["Plan"] if rows else {}
    reads = scanned(plan)
    if not reads:
        p.scan_bytes = 0
        return True
    sizes = database.query("select coalesce(sum(pg_relation_size(to_regclass(format('%%I.%%I', s, n)))), 0)::int8 "
                           "from unnest(%s::text[], %s::text[]) x(s, n)",
                           ([s for _, s, _ in reads], [n for _, _, n in reads]))
    p.scan_bytes = int(sizes[0][0]) if sizes else 0
    if p.scan_bytes > context.max_scan_bytes:
        names = ", ".join(sorted({n for _, _, n in reads}))
        p.outcome = "not-evaluated"
        p.reason = (f"not evaluated: would scan {human_size(p.scan_bytes)} ({names}), more than max_scan_bytes "
                    f"({human_size(context.max_scan_bytes)}); index what it reads, or raise max_scan_bytes")
        return False
    return True


def _failed(p: Probe, e: Exception, context: Context) -> None:
    """A probe that could not finish: why, as the report says it."""
    import psycopg

    from preflight.db.session import explain_error

    if isinstance(e, psycopg.errors.QueryCanceled):
        p.reason = "not evaluated: stopped by statement_timeout"
    elif isinstance(e, psycopg.errors.ReadOnlySqlTransaction):
        p.reason = "not evaluated: the expression tries to write, and preflight only reads"
    elif isinstance(e, psycopg.Error) and e.sqlstate in _NOT_YET:
        p.reason = (f"not evaluated: it names something the live database does not have yet (created by a pending "
                    f"migration?): {e.diag.message_primary or e}")
    elif isinstance(e, psycopg.Error):
        p.reason = f"not evaluated: {explain_error(e, statement_timeout=0, lock_timeout=0)}"
    else:
        p.reason = f"not evaluated: {e}"
    p.outcome = "not-evaluated"


def _run_count(p: Probe, database: Database, query: str, context: Context) -> int | None:
    import psycopg

    from preflight.errors import ReaderError

    try:
        if not _budget(p, database, query, context):
            return None
        rows = _untrusted(database, query)
    except (psycopg.Error, ReaderError) as e:
        _failed(p, e, context)
        return None
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def _samples(database: Database, query: str, keys: list[tuple[str, bool]], values: int,
             context: Context) -> list[str]:
    import psycopg

    try:
        rows = _untrusted(database, query, max_rows=3)
    except psycopg.errors.QueryCanceled:
        return []
    out = []
    for row in rows:
        parts = []
        for (name, shown), value in zip(keys, row[: len(keys)], strict=True):
            parts.append(f"{name}={value if shown or context.show_values else REDACTED}")
        for value in row[len(keys):]:
            parts.append(f"value={value if context.show_values else REDACTED}")
        out.append(", ".join(parts))
    return out


def _run(p: Probe, database: Database, cur: psycopg.Cursor[Any], query: Query, context: Context) -> None:
    import psycopg

    from preflight.errors import ReaderError

    try:
        if not _budget(p, database, query.count, context):
            return
        rows = _untrusted(database, query.count)
    except psycopg.Error as e:
        if query.errors_violate and e.sqlstate and e.sqlstate[:2] in ("22", "23"):
            message = e.diag.message_primary or str(e)
            p.outcome, p.count, p.at_least, p.sqlstate = "violated", 1, True, e.sqlstate
            p.reason = f"a value does not convert: {redact(message, context.show_values)}"
            return
        _failed(p, e, context)
        return
    except ReaderError as e:
        _failed(p, e, context)
        return
    values = rows[0] if rows else (0,)
    count = int(values[0] or 0)
    if query.length_check:
        if count:
            p.outcome, p.count, p.sqlstate = "violated", count, query.sqlstate
            p.reason = (f"{count:,} value{'s' if count != 1 else ''} "
                        + ("not of the length" if query.sqlstate == "22026" else "longer than")
                        + " the new type allows")
            if query.sample:
                p.samples = _samples(database, query.sample, query.keys, 0, context)
        else:
            p.outcome, p.count = "holds", 0
        return
    p.count = count
    if count == 0:
        p.outcome = "holds"
        return
    p.outcome, p.sqlstate = "violated", query.sqlstate
    if query.state:
        p.sqlstate = _first_state(database, query.state)
    if query.sample:
        p.samples = _samples(database, query.sample, query.keys, 0, context)
    p.reason = f"{count:,} row{'s' if count != 1 else ''} violate{'s' if count == 1 else ''} it"


def _first_state(database: Database, query: str) -> str | None:
    """The SQLSTATE the first violating value raises (None: not known, a probe that finds it says so)."""
    import psycopg

    from preflight.errors import ReaderError

    try:
        rows = _untrusted(database, query, max_rows=1)
    except (psycopg.Error, ReaderError):
        return None
    return str(rows[0][0]) if rows and rows[0][0] else None


def redact(message: str, show_values: bool) -> str:
    """A conversion error quotes the value that failed (``invalid input syntax for type integer: "x1"``)."""
    if show_values:
        return message
    import re

    return re.sub(r'"[^"]*"', f'"{REDACTED}"', message)
