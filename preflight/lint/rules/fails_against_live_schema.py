"""A statement that PostgreSQL will reject because of what the live database already holds: objects that depend on
what it drops or changes, or structure that forbids it.

Reported only with the database (``migrations.lint``, scope "pending"): the catalogs (``pg_depend``,
``pg_constraint``, ``pg_index``, ``pg_rewrite``, ``pg_trigger``, ``pg_attrdef``, ``pg_extension``) are read, a
few queries for all the statements together, and each failure is predicted with the error PostgreSQL raises
(``data.sqlstate``, ``data.verdict = "would-fail"``), as a failure (the migration would stop there):

- ``DROP TABLE`` / ``VIEW`` / ``MATERIALIZED VIEW`` / ``SEQUENCE`` / ``INDEX`` / ``FUNCTION`` / ``PROCEDURE`` /
  ``EXTENSION`` / ``TYPE`` / ``DOMAIN`` / ``SCHEMA`` and ``ALTER TABLE ... DROP COLUMN`` without ``CASCADE``, when
  other objects depend on what is dropped: a view or rule that reads it, a foreign key that references it, a
  trigger that calls the function, a column default that draws from the sequence, an index built with the
  extension's operator class, a column of the type, an object in the schema (2BP01, "cannot drop ... because
  other objects depend on it"). What goes with the object anyway (its indexes, constraints and triggers, a
  sequence it owns, the members of an extension) does not count, as for PostgreSQL;
- ``DROP TABLE`` of a view, ``DROP VIEW`` of a table and the like, ``IF EXISTS`` or not (42809, "is not a
  table");
- ``DROP INDEX`` of the index of a constraint (a primary key, a unique constraint), ``DROP SEQUENCE`` of an
  identity column's sequence, a ``DROP`` of an extension's member: another object requires it (2BP01);
- ``ALTER COLUMN ... TYPE`` of a column a view, rule, trigger or policy uses (0A000), whether or not the type
  change would rewrite the table; without ``USING``, to a type the column's type has no assignment cast to
  (``boolean`` to ``integer``, ``text`` to ``integer``: 42804; to a string type every type converts), or whose
  default (a constant) has none, ``USING`` or not (42804: the default is converted on its own);
- ``TRUNCATE`` of a table that another table's foreign key references, without that table in the same statement
  (0A000);
- ``DROP NOT NULL`` on a column of the primary key (42P16); ``ADD PRIMARY KEY`` on a table that has one (42P16);
- ``ADD FOREIGN KEY`` whose referenced columns no unique constraint or index covers exactly (42830), or whose
  column cannot be compared with the referenced one by the referenced index's equality operator, e.g. ``text``
  against ``bigint`` (42804, "cannot be implemented");
- ``CREATE OR REPLACE VIEW`` whose query gives fewer columns than the view has, or another name at one of the
  view's positions (42P16: a replaced view may only add columns at the end), when the names are known from the
  SQL (no ``*``, no unnamed expression);
- ``CREATE INDEX CONCURRENTLY`` on a partitioned table, outside a transaction block (0A000);
- ``CREATE INDEX`` on a column whose type has no default operator class for the index's access method
  (``USING gin`` on a ``numeric`` column: 42704);
- ``CREATE OR REPLACE FUNCTION`` that returns another type than the function it replaces (42P13);
- ``ALTER COLUMN ... ADD GENERATED ... AS IDENTITY`` on a column that is not ``NOT NULL`` (55000);
- ``DETACH PARTITION ... CONCURRENTLY`` from a table with a default partition, outside a transaction block
  (55000);
- ``ATTACH PARTITION`` or ``CREATE TABLE ... PARTITION OF`` whose bounds overlap those of an existing partition
  (42P17), when the bounds are constants (``MINVALUE``/``MAXVALUE`` too) of a one-column range or list key of a
  built-in type, compared under its default operator class and collation: the constants (the migration's, and
  the existing partitions' as ``pg_get_expr`` prints them) are cast to the key's type and compared on the server
  by its ``<`` and ``=``; nothing else of the migration is evaluated. Only when the partition being attached is
  a plain table with exactly the parent's columns (another error comes first otherwise).

With ``CASCADE`` a drop succeeds and takes the dependent objects with it: that is not reported here (the
data-loss rules say what is destroyed). What the pending migrations do before the statement counts: a dependent
view, trigger, foreign key or constraint that an earlier statement drops (``DROP VIEW``, ``DROP TABLE``,
``DROP TRIGGER``, ``ALTER TABLE ... DROP CONSTRAINT``) no longer blocks it. When an earlier statement may have
changed the objects concerned in another way (renames, ``CREATE OR REPLACE``, other ``ALTER``\\ s, a ``DO``
block that names them, a ``DROP ... CASCADE``, a ``search_path`` set by a migration, a migration preflight
cannot read), nothing is predicted: the outcome is not known. Statements that only read or write rows are taken
not to change objects (a function they call could). Names resolve as in preflight's session, as elsewhere in the
lint. Statements in ``DO`` blocks and function bodies are not judged.

Example::

    DROP TABLE orders;          -- order_lines.order_id REFERENCES orders (id)
    ALTER TABLE orders DROP COLUMN legacy_code;   -- CREATE VIEW legacy_codes AS SELECT id, legacy_code ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.lint.nodes import alter_cmds, list_names, relation, strings, type_label, unwrap
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="fails-against-live-schema",
    kind="fails",
    nodes=("DropStmt", "AlterTableStmt", "TruncateStmt", "IndexStmt", "ViewStmt", "CreateFunctionStmt", "CreateStmt"),
    subtypes=frozenset({"AT_DropColumn", "AT_AlterColumnType", "AT_DropNotNull", "AT_AddConstraint",
                        "AT_AddIdentity", "AT_DetachPartition", "AT_AttachPartition"}),
    reason="PostgreSQL rejects the statement because of what the database already holds",
    alternative="change or drop the dependent objects first, in an earlier statement (or use CASCADE where "
                "dropping them too is intended); make the structure the statement needs first",
    live=True,
)

# DROP kinds judged by the objects that depend on what they drop.
DROPPED = {
    "OBJECT_TABLE": "relation:r,p", "OBJECT_VIEW": "relation:v", "OBJECT_MATVIEW": "relation:m",
    "OBJECT_FOREIGN_TABLE": "relation:f", "OBJECT_SEQUENCE": "relation:S", "OBJECT_INDEX": "relation:i,I",
    "OBJECT_FUNCTION": "function", "OBJECT_PROCEDURE": "function", "OBJECT_ROUTINE": "function",
    "OBJECT_EXTENSION": "extension", "OBJECT_TYPE": "type", "OBJECT_DOMAIN": "type", "OBJECT_SCHEMA": "schema",
}
# ALTER TABLE commands that cannot make another command of the same statement succeed.
HARMLESS_COMMANDS = frozenset({"AT_AddColumn", "AT_SetNotNull", "AT_ColumnDefault", "AT_SetStatistics",
                               "AT_SetStorage", "AT_ValidateConstraint", "AT_SetRelOptions", "AT_ResetRelOptions"})
JUDGED_COMMANDS = frozenset({"AT_DropColumn", "AT_AlterColumnType", "AT_DropNotNull", "AT_AddIdentity"})
# Parameters that make the function's result a row type: its return type is not the RETURNS clause alone.
ROW_RESULT_MODES = frozenset({"FUNC_PARAM_OUT", "FUNC_PARAM_INOUT", "FUNC_PARAM_TABLE"})


def check(node: Node, lint: FileLint) -> None:
    if lint.stmt.context != "top":
        return
    kind = lint.stmt.kind
    if kind == "DropStmt":
        _drop(node, lint)
    elif kind == "TruncateStmt":
        if node.get("behavior") != "DROP_CASCADE":
            found = [r for r in (relation(rv) for rv in node.get("relations", ())) if r]
            tables = [list(r) for r in found]
            if tables:
                lint.hit(RULE, f"TRUNCATE {', '.join(_label(*t) for t in found)} fails if another table's foreign "
                               "key references it", question="truncate", tables=tables)
    elif kind == "AlterTableStmt" and node.get("objtype", "OBJECT_TABLE") == "OBJECT_TABLE":
        _alter_table(node, lint)
    elif kind == "IndexStmt" and node.get("concurrent") and not lint.in_transaction:
        # (inside a transaction block it fails before that, for the transaction: cannot-run-in-transaction)
        table = relation(node.get("relation"))
        if table is not None:
            lint.hit(RULE, f"CREATE INDEX CONCURRENTLY on {_label(*table)} fails if the table is partitioned",
                     question="index-partitioned", table=list(table))
    elif kind == "IndexStmt" and not node.get("if_not_exists") and not node.get("concurrent"):
        _index_columns(node, lint)
    elif kind == "CreateStmt":
        parents = [r for r in (relation(rv) for rv in node.get("inhRelations", ())) if r]
        table = relation(node.get("relation"))
        if node.get("partbound") and len(parents) == 1 and table is not None and not node.get("if_not_exists"):
            _bounds(lint, parents[0], table, node["partbound"], created=True)
    elif kind == "CreateFunctionStmt" and node.get("replace") and not node.get("is_procedure"):
        _replace_function(node, lint)
    elif kind == "ViewStmt" and node.get("replace"):
        view = relation(node.get("view"))
        columns = _view_columns(node)
        if view is not None and columns is not None:
            lint.hit(RULE, f"CREATE OR REPLACE VIEW {_label(*view)} fails if it drops or renames a column of the "
                           "view", question="replace-view", view=list(view), columns=columns)


def _drop(node: Node, lint: FileLint) -> None:
    what = DROPPED.get(node.get("removeType", ""))
    if what is None or node.get("behavior") == "DROP_CASCADE":
        return
    objects: list[list[Any]] = []
    shown: list[str] = []
    for obj in node.get("objects", ()):
        kind, value = unwrap(obj)
        parts = list_names(obj)
        if not parts:
            continue
        args: list[str] | None = None
        if kind == "ObjectWithArgs" and not value.get("args_unspecified"):
            texts = [_type_text(t) for t in value.get("objargs", ())]
            if any(a is None for a in texts):
                continue  # %TYPE and the like: not resolvable here
            args = [a for a in texts if a is not None]
        objects.append([parts[-2] if len(parts) > 1 else None, parts[-1], args])
        if kind == "ObjectWithArgs" and args is not None:  # shown with its arguments, as written
            types = ", ".join(_type_shown(t.get("TypeName", t)) for t in value.get("objargs", ()))
            shown.append(f"{_label(objects[-1][0], parts[-1])}({types})")
        else:
            shown.append(_label(objects[-1][0], parts[-1]))
    if len(objects) > 1 and node.get("concurrent"):
        return  # DROP INDEX CONCURRENTLY of several indexes is refused for that
    if objects:
        noun = node["removeType"].removeprefix("OBJECT_").replace("_", " ")
        lint.hit(RULE, f"DROP {noun} {', '.join(shown)} fails if other objects depend "
                       "on it", question="drop", what=what, noun=noun, objects=objects, shown=shown,
                 missing_ok=bool(node.get("missing_ok")))


def _index_columns(node: Node, lint: FileLint) -> None:
    """An index on plain columns without operator classes: each column's type needs a default operator class of
    the index's access method."""
    table = relation(node.get("relation"))
    columns = [e.get("IndexElem", {}) for e in node.get("indexParams", ())]
    if table is None or not columns or any(not c.get("name") or c.get("opclass") or c.get("expr") for c in columns):
        return
    method = node.get("accessMethod") or "btree"
    lint.hit(RULE, f"CREATE INDEX on {_label(*table)} USING {method} fails if a column's type has no default "
                   "operator class for it", question="index-opclass", table=list(table), method=method,
             columns=[c["name"] for c in columns], unique=bool(node.get("unique")), index=node.get("idxname"))


def _replace_function(node: Node, lint: FileLint) -> None:
    returns = node.get("returnType")
    name = strings(node.get("funcname"))
    if not returns or not name:
        return
    args = []
    for param in node.get("parameters", ()):
        p = param.get("FunctionParameter", {})
        if p.get("mode") in ROW_RESULT_MODES:
            return
        args.append(_type_text(p.get("argType") or {}))
    result = _type_text(returns)
    if result is None or any(a is None for a in args):
        return
    schema = name[-2] if len(name) > 1 else None
    lint.hit(RULE, f"CREATE OR REPLACE FUNCTION {_label(schema, name[-1])} fails if the function returns another type",
             question="replace-function", function=[schema, name[-1]], args=args, returns=result,
             setof=bool(returns.get("setof")), shown=_type_shown(returns))


def _alter_table(node: Node, lint: FileLint) -> None:
    table = relation(node.get("relation"))
    if table is None:
        return
    cmds = alter_cmds(node)
    for cmd in cmds:
        part = (cmd.get("def") or {}).get("PartitionCmd") or {}
        if cmd.get("subtype") == "AT_AttachPartition" and len(cmds) == 1:
            partition = relation(part.get("name"))
            if partition is not None and part.get("bound"):
                _bounds(lint, table, partition, part["bound"], created=False)
            return
        if cmd.get("subtype") == "AT_DetachPartition" and part.get("concurrent") and not lint.in_transaction:
            partition = relation(part.get("name"))
            if partition is not None:
                lint.hit(RULE, f"DETACH PARTITION {_label(*partition)} CONCURRENTLY fails if {_label(*table)} has a "
                               "default partition", question="detach-concurrently", table=list(table),
                         partition=list(partition))
            return
    judged = []
    for cmd in cmds:
        sub = cmd.get("subtype")
        constraint = (cmd.get("def") or {}).get("Constraint") if sub == "AT_AddConstraint" else None
        if sub in JUDGED_COMMANDS or (constraint and constraint.get("contype") in ("CONSTR_PRIMARY",
                                                                                     "CONSTR_FOREIGN")):
            judged.append((cmd, constraint))
        elif sub not in HARMLESS_COMMANDS:
            return  # another command may make the judged one succeed (a dropped constraint, a new key...)
    if any(c is not None for _, c in judged) and len(judged) > 1:
        return  # a key added next to another judged command: the order PostgreSQL runs them in decides
    for cmd, constraint in judged:
        sub = cmd.get("subtype")
        column = cmd.get("name", "")
        t = _label(*table)
        if sub == "AT_DropColumn" and cmd.get("behavior") != "DROP_CASCADE":
            lint.hit(RULE, f"DROP COLUMN {column} of {t} fails if other objects depend on it",
                     question="drop-column", table=list(table), column=column,
                     missing_ok=bool(cmd.get("missing_ok")))
        elif sub == "AT_AlterColumnType":
            definition = (cmd.get("def") or {}).get("ColumnDef") or {}
            tn = definition.get("typeName") or {}
            # without USING the column is cast to the new type as an assignment would be
            cast_to = None if definition.get("raw_default") or tn.get("arrayBounds") else _type_text(tn)
            lint.hit(RULE, f"ALTER COLUMN {column} TYPE of {t} fails if a view, rule, trigger or policy uses the column"
                     + (", or no assignment cast leads to the new type" if cast_to else ""),
                     question="alter-type", table=list(table), column=column, cast_to=cast_to,
                     new_type_text=None if tn.get("arrayBounds") else _type_text(tn), type_shown=_type_shown(tn))
        elif sub == "AT_AddIdentity":
            lint.hit(RULE, f"ADD IDENTITY on {t}.{column} fails if the column is not NOT NULL",
                     question="add-identity", table=list(table), column=column)
        elif sub == "AT_DropNotNull":
            lint.hit(RULE, f"DROP NOT NULL on {t}.{column} fails if the column is in the primary key",
                     question="drop-not-null", table=list(table), column=column)
        elif constraint is not None and constraint.get("contype") == "CONSTR_PRIMARY":
            lint.hit(RULE, f"ADD PRIMARY KEY on {t} fails if the table has one", question="add-primary-key",
                     table=list(table))
        elif constraint is not None and not constraint.get("pk_with_period") and not constraint.get("fk_with_period"):
            ref = relation(constraint.get("pktable"))
            if ref is None:
                continue
            lint.hit(RULE, f"ADD FOREIGN KEY on {t} fails if no unique key of {_label(*ref)} matches, or the "
                           "column types cannot be compared",
                     question="add-foreign-key", table=list(table), ref=list(ref),
                     columns=strings(constraint.get("fk_attrs")), ref_columns=strings(constraint.get("pk_attrs")),
                     constraint=constraint.get("conname"))


def _bounds(lint: FileLint, parent: tuple[str | None, str], partition: tuple[str | None, str], bound: Node,
            created: bool) -> None:
    """A partition's bounds, given as constants (``MINVALUE``/``MAXVALUE`` too): they must not overlap those of
    the parent's other partitions."""
    values = bound_values(bound)
    if values is None:
        return
    what = "CREATE TABLE ... PARTITION OF" if created else "ATTACH PARTITION"
    lint.hit(RULE, f"{what} {_label(*partition)} fails if its bounds overlap those of another partition of "
                   f"{_label(*parent)}", question="partition-overlap", table=list(parent), partition=list(partition),
             created=created, bound=values)


def bound_values(bound: Node) -> dict[str, Any] | None:
    """A ``FOR VALUES`` clause of one range (``FROM (a) TO (b)``) or list (``IN (a, b)``) of constants, as
    ``{"strategy": "r" or "l", "values": [...]}``, each value a constant's text, or ``["minvalue"]`` /
    ``["maxvalue"]``; None for anything else (a default partition, a hash partition, an expression, NULL, several
    key columns)."""
    strategy = bound.get("strategy")
    if bound.get("is_default") or strategy not in ("r", "l"):
        return None
    datums = ([*bound.get("lowerdatums", ()), *bound.get("upperdatums", ())] if strategy == "r"
              else list(bound.get("listdatums", ())))
    if strategy == "r" and len(datums) != 2:
        return None
    out: list[Any] = []
    for datum in datums:
        kind, value = unwrap(datum)
        if kind == "A_Const" and not value.get("isnull"):
            const = next((value[k] for k in ("sval", "ival", "fval") if k in value), None)
            if const is None:
                return None
            out.append(str(next(iter(const.values()), 0)) if const else "0")
        elif kind == "ColumnRef" and strategy == "r" and strings(value.get("fields")) in (["minvalue"],
                                                                                           ["maxvalue"]):
            out.append(strings(value.get("fields")))
        else:
            return None
    return {"strategy": strategy, "values": out} if out else None


def _view_columns(node: Node) -> list[str] | None:
    """The names of the columns a view's query gives, as PostgreSQL names them (its column list first, then each
    output's alias or column name); None when one of them is not known from the SQL alone (``*``, an expression,
    a set operation, ``VALUES``)."""
    kind, query = unwrap(node.get("query"))
    if kind != "SelectStmt" or query.get("op", "SETOP_NONE") != "SETOP_NONE" or query.get("valuesLists"):
        return None
    names: list[str] = []
    for target in query.get("targetList", ()):
        rt = target.get("ResTarget", {})
        if rt.get("name"):
            names.append(rt["name"])
            continue
        fields = (rt.get("val") or {}).get("ColumnRef", {}).get("fields") or [{}]
        last = fields[-1].get("String")
        if last is None:
            return None
        names.append(last.get("sval", ""))
    aliases = strings(node.get("aliases"))
    return aliases + names[len(aliases):]


def _type_text(node: Node) -> str | None:
    """A function argument's type as ``to_regprocedure`` reads it (quoted name parts, ``[]``); None when the
    type is named otherwise (``%TYPE``)."""
    tn = node.get("TypeName", node)
    if tn.get("pct_type"):
        return None
    names = strings(tn.get("names"))
    if not names:
        return None
    quoted = ".".join('"' + n.replace('"', '""') + '"' for n in names)
    return quoted + "[]" * len(tn.get("arrayBounds", ()))


def _type_shown(tn: Node) -> str:
    return type_label(tn) + "[]" * len(tn.get("arrayBounds", ()))


def _label(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name
