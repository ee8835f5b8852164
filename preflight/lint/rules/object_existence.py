"""A statement names an object that does not exist when it runs, or a name that is already taken: it fails.

With the database only (``migrations.lint``, scope "pending"): each statement's names are followed through every
pending migration before it, in run order (creates, renames, ``SET SCHEMA``, drops of relations, columns,
constraints, triggers, types, schemas, functions, enum labels), and the database answers for the names the
pending SQL has not touched. The statement fails, and the finding says so (a warning, ``data.verdict`` =
``would-fail``, ``data.sqlstate`` = the error PostgreSQL will raise: 42P01 undefined table, 42703 column, 42704
object, 42883 function, 3F000 schema, 22023 enum label; 42P07 duplicate table, 42701 column, 42710 object, 42723
function, 42P06 schema), when it:

- alters a table, or names a column (``DROP``/``RENAME``/``ALTER COLUMN``, ``SET NOT NULL``, an index column), a
  constraint (``DROP``/``VALIDATE CONSTRAINT``), a trigger (``DROP TRIGGER``), a function (``DROP FUNCTION``, the
  function of ``CREATE TRIGGER``), a schema (``SET SCHEMA``), a type (``ADD COLUMN``), an index (``UNIQUE USING
  INDEX``) or a referenced table (``REFERENCES``) that does not exist;
- detaches a partition that is not one of the table (``DETACH PARTITION``), or indexes a column whose type has
  no default operator class for the index's access method (``USING gin (price)`` of a ``numeric``);
- adds a primary key to a table that has one, or drops ``NOT NULL`` from a column of its primary key
  (42P16, invalid table definition);
- adds a column, renames a column or a relation to a name, creates an index under a name, adds an enum label, or
  creates an extension (without ``IF NOT EXISTS``), that is already taken;
- creates an extension the server does not have (0A000);
- drops a relation with the wrong ``DROP`` (``DROP TABLE`` of a view: 42809).

``IF EXISTS`` and ``IF NOT EXISTS`` make those cases no-ops: not reported. Statements inside ``DO`` blocks (which
may be guarded, and whose earlier statements are not followed) and function bodies are not judged. Where the answer is not known, the rule
says nothing:

- after a pending ``DO`` block or ``CREATE EXTENSION``, whose effects are not followed, the database's answer may
  no longer hold;
- a function the pending SQL also creates or drops under some signature; a column of a table the rollout
  creates; a type named like a table the pending SQL creates (the table's row type);
- a column, constraint or trigger of a name the pending SQL adds, drops or renames on another table (a
  partition gets its parent's columns); a constraint after one whose name PostgreSQL makes up, or after a
  relation is renamed (renaming an index renames its constraint).

Names without a schema are looked up in preflight's session's ``search_path``: the presumption is that the
runner's is the same. Without the database the rule reports nothing (its static hits list what each statement
needs, for the live judgement). A relation that a data-loss or lock rule already reports as absent is reported
there, not twice.

Example::

    ALTER TABLE orders DROP COLUMN ghost_column;   -- column "ghost_column" of relation "orders" does not exist
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from preflight.lint.nodes import SERIAL_TYPES, label, list_names, relation, strings, type_label
from preflight.lint.rules import Rule

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

RULE = Rule(
    id="object-existence",
    kind="existence",
    nodes=("AlterTableStmt", "RenameStmt", "AlterObjectSchemaStmt", "DropStmt", "CreateTrigStmt", "IndexStmt",
           "AlterEnumStmt", "CreateExtensionStmt"),
    reason="the statement names an object that does not exist when it runs, or a name already taken",
    alternative="fix the name, or create (drop, rename) the object in an earlier statement; where the object may "
                "or may not be there, say so with IF EXISTS / IF NOT EXISTS",
    live=True,
)

Need = dict[str, Any]
_DROP_KINDS = {"OBJECT_TABLE": ("r", "p"), "OBJECT_VIEW": ("v",), "OBJECT_MATVIEW": ("m",),
               "OBJECT_INDEX": ("i", "I"), "OBJECT_SEQUENCE": ("S",), "OBJECT_FOREIGN_TABLE": ("f",)}
_RENAMED_RELATIONS = ("OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX", "OBJECT_SEQUENCE",
                      "OBJECT_FOREIGN_TABLE")
_COLUMN_COMMANDS = ("AT_DropColumn", "AT_AlterColumnType", "AT_SetNotNull", "AT_DropNotNull", "AT_ColumnDefault")


def _need(what: str, rel: tuple[str | None, str] | None, name: str = "", *, absent: bool = False,
          if_exists: bool = False, **more: Any) -> Need:
    """One name the statement needs: ``what`` ("relation", "column", "constraint", "trigger", "label", "type",
    "schema", "function", "free-relation": a relation name that must not be taken) of ``rel`` (the table, the type)
    or, for an object of its own, ``rel`` is its ``(schema, name)``."""
    return {"what": what, "of": list(rel) if rel else None, "name": name, "absent": absent, "if_exists": if_exists,
            **more}


def _alter_table(node: Node, lint: FileLint, needs: list[Need]) -> None:
    rel = lint.relation()
    if rel is None or node.get("objtype", "OBJECT_TABLE") not in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"):
        return
    needs.append(_need("relation", rel, if_exists=bool(node.get("missing_ok"))))
    for cmd in lint.cmds():
        sub, definition = cmd.get("subtype"), cmd.get("def") or {}
        if sub == "AT_AddColumn" and "ColumnDef" in definition:
            column = definition["ColumnDef"]
            if cmd.get("missing_ok"):
                continue  # IF NOT EXISTS: a column already there is kept, whatever type is named
            needs.append(_need("column", rel, column.get("colname", ""), absent=True))
            tn = column.get("typeName") or {}
            names = strings(tn.get("names"))
            if names and not tn.get("pct_type") and not (len(names) == 1 and names[0].lower() in SERIAL_TYPES):
                needs.append(_need("type", (names[-2] if len(names) > 1 else None, names[-1])))
        elif sub in _COLUMN_COMMANDS and cmd.get("name"):
            needs.append(_need("column", rel, cmd["name"], if_exists=sub == "AT_DropColumn"
                               and bool(cmd.get("missing_ok"))))
            if sub == "AT_DropNotNull":
                needs.append(_need("primary-key-column", rel, cmd["name"], absent=True))
        elif sub == "AT_DetachPartition":
            child = relation((definition.get("PartitionCmd") or {}).get("name"))
            if child:
                needs.append(_need("partition", rel, label(*child), child=list(child)))
        elif sub in ("AT_DropConstraint", "AT_ValidateConstraint") and cmd.get("name"):
            needs.append(_need("constraint", rel, cmd["name"], if_exists=bool(cmd.get("missing_ok"))))
        elif sub == "AT_AddConstraint" and "Constraint" in definition:
            constraint = definition["Constraint"]
            if constraint.get("contype") == "CONSTR_PRIMARY":
                needs.append(_need("primary-key", rel, absent=True))
            if constraint.get("indexname"):
                needs.append(_need("relation", (rel[0], constraint["indexname"]), object="index"))
            referenced = relation(constraint.get("pktable"))
            if referenced and referenced != rel:
                needs.append(_need("relation", referenced))


def _rename(node: Node, lint: FileLint, needs: list[Need]) -> None:
    rtype, new = node.get("renameType"), node.get("newname")
    rel = relation(node.get("relation"))
    if rel is None or not new:
        return
    if rtype == "OBJECT_COLUMN":
        needs.append(_need("relation", rel, if_exists=bool(node.get("missing_ok"))))
        needs.append(_need("column", rel, node.get("subname", "")))
        needs.append(_need("column", rel, new, absent=True))
    elif rtype in _RENAMED_RELATIONS:
        needs.append(_need("relation", rel, if_exists=bool(node.get("missing_ok"))))
        needs.append(_need("free-relation", rel, new, absent=True))


def _set_schema(node: Node, lint: FileLint, needs: list[Need]) -> None:
    rel = relation(node.get("relation"))
    if rel is None or node.get("objectType") not in _RENAMED_RELATIONS or not node.get("newschema"):
        return
    needs.append(_need("relation", rel, if_exists=bool(node.get("missing_ok"))))
    needs.append(_need("schema", (None, node["newschema"])))


def _drop(node: Node, lint: FileLint, needs: list[Need]) -> None:
    removes, missing_ok = node.get("removeType", ""), bool(node.get("missing_ok"))
    for obj in node.get("objects", ()):
        parts = list_names(obj)
        if removes in _DROP_KINDS and parts:
            # that the relation exists at all is the data-loss and lock rules' to judge
            needs.append(_need("relation", (parts[-2] if len(parts) > 1 else None, parts[-1]), if_exists=True,
                               relkinds=list(_DROP_KINDS[removes]), object=removes[7:].lower().replace("_", " ")))
        elif removes == "OBJECT_TRIGGER" and len(parts) >= 2:
            table = (parts[-3] if len(parts) > 2 else None, parts[-2])
            needs.append(_need("relation", table))
            needs.append(_need("trigger", table, parts[-1], if_exists=missing_ok))
        elif removes in ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE") and "ObjectWithArgs" in obj:
            owa = obj["ObjectWithArgs"]
            if owa.get("args_unspecified") or not parts:
                continue  # without arguments, any function of that name: left to the function rules
            args = owa.get("objargs", ())
            needs.append(_need("function", (parts[-2] if len(parts) > 1 else None, parts[-1]),
                               if_exists=missing_ok, args=[_type_text(a) for a in args],
                               shown=[type_label(a.get("TypeName")) + ("[]" if a.get("TypeName", {}).get(
                                   "arrayBounds") else "") for a in args]))


def _type_text(arg: Node) -> str:
    """A function argument's type as ``to_regprocedure`` reads it (its qualified name, quoted)."""
    tn = arg.get("TypeName", arg)
    names = ".".join('"' + n.replace('"', '""') + '"' for n in strings(tn.get("names")))
    return names + ("[]" if tn.get("arrayBounds") else "")


def _trigger(node: Node, lint: FileLint, needs: list[Need]) -> None:
    rel = relation(node.get("relation"))
    names = strings(node.get("funcname"))
    if rel is None or not names:
        return
    needs.append(_need("relation", rel))
    needs.append(_need("function", (names[-2] if len(names) > 1 else None, names[-1]), args=[]))


def _index(node: Node, lint: FileLint, needs: list[Need]) -> None:
    rel = relation(node.get("relation"))
    if rel is None:
        return
    needs.append(_need("relation", rel))
    if node.get("idxname") and not node.get("if_not_exists"):
        needs.append(_need("free-relation", rel, node["idxname"], absent=True))
    for param in node.get("indexParams", ()):
        element = param.get("IndexElem", {})
        if element.get("name"):
            needs.append(_need("column", rel, element["name"]))
            if not element.get("opclass"):
                needs.append(_need("opclass", rel, element["name"], method=node.get("accessMethod") or "btree"))


def _enum(node: Node, lint: FileLint, needs: list[Need]) -> None:
    names = strings(node.get("typeName"))
    if not names or not node.get("newVal") or node.get("oldVal") or node.get("skipIfNewValExists"):
        return
    enum = (names[-2] if len(names) > 1 else None, names[-1])
    needs.append(_need("label", enum, node["newVal"], absent=True))


def _extension(node: Node, lint: FileLint, needs: list[Need]) -> None:
    if node.get("extname"):
        needs.append(_need("extension", (None, node["extname"]), absent=not node.get("if_not_exists")))


_NEEDS = {"CreateExtensionStmt": _extension, "AlterTableStmt": _alter_table, "RenameStmt": _rename, "AlterObjectSchemaStmt": _set_schema,
          "DropStmt": _drop, "CreateTrigStmt": _trigger, "IndexStmt": _index, "AlterEnumStmt": _enum}


def check(node: Node, lint: FileLint) -> None:
    needs: list[Need] = []
    _NEEDS[lint.stmt.kind](node, lint, needs)
    if needs:
        said = "; ".join(describe(n) for n in needs)
        lint.hit(RULE, f"the statement needs {said}", needs=needs)


def describe(need: Need) -> str:
    """A need in words: "column note of orders to exist", "relation orders_idx to be free"..."""
    if need.get("relkinds"):
        return f"{need['of'][-1]} to be {article(need['object'])} (if it exists)"
    if need["what"] == "free-relation":
        return f"{what(need)} to be free"
    if need["what"] == "extension":
        return f"{what(need)} to be available" + (" and not installed" if need["absent"] else "")
    return f"{what(need)} to {'be absent' if need['absent'] else 'exist'}" + (
        " (IF EXISTS)" if need["if_exists"] else "")


def article(noun: str) -> str:
    """"a table", "an index"."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def what(need: Need) -> str:
    """The object a need is about, in words: "column note of orders", "function f(integer)"..."""
    of = label(*need["of"]) if need.get("of") else ""
    kind, name = need["what"], need["name"]
    if kind == "relation":
        return f"{need.get('object', 'relation')} {of}"
    if kind == "free-relation":
        return f"relation name {name} (in the schema of {of})"
    if kind in ("column", "constraint"):
        return f"{kind} {name} of {of}"
    if kind == "trigger":
        return f"trigger {name} on {of}"
    if kind == "partition":
        return f"partition {name} of {of}"
    if kind == "primary-key":
        return f"a primary key on {of}"
    if kind == "opclass":
        return f"a default operator class of access method {need['method']} for the type of column {name} of {of}"
    if kind == "primary-key-column":
        return f"column {name} of {of} in its primary key"
    if kind == "label":
        return f"enum label {name!r} of {of}"
    if kind == "function":
        return f"function {of}({', '.join(need.get('shown') or ())})"
    return f"{kind} {of}"
