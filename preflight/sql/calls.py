"""What a piece of SQL or PL/pgSQL calls and reads, found with PostgreSQL's own parsers, without a database.

:mod:`preflight.db.untrusted_sql` resolves what is found here through the catalogs (``pg_proc``, ``pg_class``,
``pg_operator``, ``pg_cast``) before any user-written SQL runs. This module collects, for one statement, one
function body or one ``DO`` block:

- the functions it names (``f(x)``, and ``t.f``, which PostgreSQL also reads as ``f(t)``), the operators it
  names (``=``, ``~~`` for ``LIKE``...), the relations it reads and the types it casts to;
- and what it would do that read-only SQL never does, each as a reason in the user's words: a statement other
  than ``SELECT`` (``UPDATE``, ``LOCK``, ``COPY``, ``SET``, ``CALL``...), ``SELECT ... INTO`` (creates a table),
  row locks (``FOR UPDATE``/``SHARE``), a data-modifying ``WITH``, ``EXPLAIN ANALYZE`` (runs what it explains),
  and, in PL/pgSQL, ``EXECUTE`` of a computed string (dynamic SQL: what it runs is not known before it runs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pglast.parser import ParseError, parse_plpgsql_json, parse_sql_json

Name = tuple[str | None, str]
"""(schema or None, name), as written."""

_WRITES = {"InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE", "MergeStmt": "MERGE"}
_STATEMENT_WORDS = {
    "VariableSetStmt": "SET", "LockStmt": "LOCK", "CopyStmt": "COPY", "CallStmt": "CALL", "DoStmt": "DO",
    "TransactionStmt": "a transaction command", "NotifyStmt": "NOTIFY", "ListenStmt": "LISTEN",
    "CreateTableAsStmt": "CREATE TABLE AS", "DeclareCursorStmt": "DECLARE CURSOR", "ExecuteStmt": "EXECUTE",
    "PrepareStmt": "PREPARE", "TruncateStmt": "TRUNCATE", "VacuumStmt": "VACUUM/ANALYZE",
    "RefreshMatViewStmt": "REFRESH MATERIALIZED VIEW",
}
# PL/pgSQL statements that run SQL computed at run time: (node, key of the expression that computes it).
_DYNAMIC = {"PLpgSQL_stmt_dynexecute": "query", "PLpgSQL_stmt_dynfors": "query",
            "PLpgSQL_stmt_return_query": "dynquery", "PLpgSQL_stmt_open": "dynquery"}
_LOCKING = {"LCS_FORKEYSHARE": "FOR KEY SHARE", "LCS_FORSHARE": "FOR SHARE",
            "LCS_FORNOKEYUPDATE": "FOR NO KEY UPDATE", "LCS_FORUPDATE": "FOR UPDATE"}
_PARSE_DEFAULT, _PARSE_EXPRESSION = 0, 2  # PostgreSQL's RawParseMode for a PL/pgSQL expression's text


@dataclass
class Calls:
    """What one piece of SQL names, and why it cannot run read-only (empty when nothing says so)."""

    functions: set[Name] = field(default_factory=set)
    attribute_functions: set[str] = field(default_factory=set)
    """``t.f`` may call ``f(t)``: names read as a column of a row that could also be a function of that row."""
    operators: set[Name] = field(default_factory=set)
    relations: set[Name] = field(default_factory=set)
    types: set[Name] = field(default_factory=set)
    refusals: list[str] = field(default_factory=list)

    def refuse(self, reason: str) -> None:
        if reason not in self.refusals:
            self.refusals.append(reason)


def _name(items: list[Any] | None) -> Name | None:
    parts = [i["String"]["sval"] for i in items or () if isinstance(i, dict) and "String" in i]
    if not parts:
        return None
    return (parts[-2] if len(parts) > 1 else None, parts[-1])


def _label(n: Name) -> str:
    return f"{n[0]}.{n[1]}" if n[0] else n[1]


def sql_calls(sql: str, calls: Calls | None = None, *, expression: bool = False) -> Calls:
    """What ``sql`` (statements; or one expression when ``expression``) names and would do."""
    calls = calls if calls is not None else Calls()
    try:
        tree = json.loads(parse_sql_json(f"SELECT {sql}" if expression else sql))
    except ParseError as e:
        calls.refuse(f"does not parse ({e.args[0] if e.args else e}), so what it does cannot be verified")
        return calls
    for raw in tree.get("stmts", ()):
        statement(raw.get("stmt", {}), calls)
    return calls


def statement(node: dict[str, Any], calls: Calls) -> None:
    """One parsed statement (``{"SelectStmt": {...}}``): allowed are SELECT, SHOW and EXPLAIN without ANALYZE."""
    if not node:
        return
    kind, body = next(iter(node.items()))
    if kind == "ExplainStmt":
        for option in body.get("options") or ():
            if (option.get("DefElem") or {}).get("defname") == "analyze":
                calls.refuse("runs EXPLAIN ANALYZE, which executes the statement it explains")
        statement(body.get("query") or {}, calls)
        return
    if kind == "VariableShowStmt":
        return
    if kind == "ReturnStmt":  # the body of a SQL-standard function: RETURN expression
        _walk(body, calls)
        return
    if kind != "SelectStmt":
        word = _WRITES.get(kind) or _STATEMENT_WORDS.get(kind) or kind.removesuffix("Stmt")
        calls.refuse(f"runs {word}, and only SELECT runs read-only")
        return
    if body.get("intoClause"):
        calls.refuse("runs SELECT ... INTO, which creates a table")
    _walk(body, calls)


def _walk(root: Any, calls: Calls) -> None:
    stack = [root]
    while stack:
        n = stack.pop()
        if isinstance(n, list):
            stack.extend(n)
            continue
        if not isinstance(n, dict):
            continue
        for k, v in n.items():
            if k == "FuncCall":
                name = _name(v.get("funcname"))
                if name:
                    calls.functions.add(name)
            elif k == "A_Expr":
                name = _name(v.get("name"))
                if "BETWEEN" in v.get("kind", ""):  # x BETWEEN a AND b is x >= a AND x <= b
                    calls.operators.update({(name[0] if name else None, "<="), (name[0] if name else None, ">=")})
                elif name:
                    calls.operators.add(name)
            elif k == "RangeTableSample":  # TABLESAMPLE method(...): the method is a handler function
                name = _name(v.get("method"))
                if name:
                    calls.functions.add(name)
            elif k == "SubLink" and v.get("subLinkType") == "ANY_SUBLINK" and not v.get("operName") or \
                    k == "CaseExpr" and v.get("arg"):  # x IN (SELECT ...), CASE x WHEN ...: "="
                calls.operators.add((None, "="))
            elif k in ("operName", "useOp"):
                name = _name(v)
                if name:
                    calls.operators.add(name)
            elif k == "TypeCast":
                name = _name((v.get("typeName") or {}).get("names"))
                if name:
                    calls.types.add(name)
            elif k == "RangeVar":
                calls.relations.add((v.get("schemaname"), v["relname"]))
            elif k == "ColumnRef":
                fields = v.get("fields") or []
                if len(fields) >= 2 and "String" in fields[-1]:
                    calls.attribute_functions.add(fields[-1]["String"]["sval"])
            elif k == "LockingClause":
                strength = _LOCKING.get(v.get("strength", ""), "FOR UPDATE")
                calls.refuse(f"runs SELECT ... {strength}, which takes row locks")
            elif k in _WRITES:
                calls.refuse(f"runs {_WRITES[k]} (in a WITH clause), and only SELECT runs read-only")
                continue
            elif k == "intoClause" and v:
                calls.refuse("runs SELECT ... INTO, which creates a table")
            if isinstance(v, dict | list):
                stack.append(v)


def plpgsql_calls(source: str, calls: Calls | None = None) -> Calls:
    """What a PL/pgSQL ``DO`` block or ``CREATE FUNCTION ... LANGUAGE plpgsql`` (its whole text) names and does.

    Every SQL statement and expression in the body is read as SQL. ``EXECUTE`` (and ``RETURN QUERY EXECUTE``,
    ``OPEN ... FOR EXECUTE``, ``FOR ... IN EXECUTE``) of a constant string is read as that SQL; of a computed
    string it is refused: what it would run is only known when it runs."""
    calls = calls if calls is not None else Calls()
    try:
        tree = json.loads(parse_plpgsql_json(source))
    except ParseError as e:
        calls.refuse(f"does not compile as PL/pgSQL ({e.args[0] if e.args else e}), so what it does cannot be "
                     "verified")
        return calls
    stack: list[Any] = [tree]
    while stack:
        n = stack.pop()
        if isinstance(n, list):
            stack.extend(n)
            continue
        if not isinstance(n, dict):
            continue
        for k, v in n.items():
            if k == "PLpgSQL_expr" and isinstance(v, dict):
                _expression(v.get("query", ""), v.get("parseMode", _PARSE_DEFAULT), calls)
                continue
            if k in _DYNAMIC and isinstance(v, dict) and _DYNAMIC[k] in v:
                query = ((v[_DYNAMIC[k]] or {}).get("PLpgSQL_expr") or {}).get("query", "")
                constant = _constant_string(query)
                if constant is None:
                    calls.refuse("runs dynamic SQL (EXECUTE of a computed string), which cannot be verified "
                                 "before it runs")
                else:
                    sql_calls(constant, calls)
            elif k in ("PLpgSQL_stmt_commit", "PLpgSQL_stmt_rollback"):
                calls.refuse("ends the transaction (COMMIT/ROLLBACK)")
            if isinstance(v, dict | list):
                stack.append(v)
    return calls


def _expression(query: str, mode: int, calls: Calls) -> None:
    if mode == _PARSE_DEFAULT:
        sql_calls(query, calls)
        return
    if mode > _PARSE_EXPRESSION:  # an assignment, "target := expression" (or "target = expression")
        for sep in (":=", "="):
            if sep in query:
                query = query.split(sep, 1)[1]
                break
    sql_calls(query, calls, expression=True)


def expression_node(expr: str) -> dict[str, Any] | None:
    """The parse node of one SQL expression (as ``SELECT expr`` gives it), else None: for the string constant of
    a PL/pgSQL ``EXECUTE``."""
    try:
        tree = json.loads(parse_sql_json("SELECT " + expr))
    except ParseError:
        return None
    stmts = tree.get("stmts", [])
    if len(stmts) != 1:
        return None
    targets = stmts[0].get("stmt", {}).get("SelectStmt", {}).get("targetList", [])
    if len(targets) != 1:
        return None
    node = targets[0].get("ResTarget", {}).get("val")
    return node if isinstance(node, dict) else None


def _constant_string(expr: str) -> str | None:
    """The text of a string constant (``'SELECT 1'``, ``$q$...$q$``), else None."""
    value = ((expression_node(expr) or {}).get("A_Const") or {}).get("sval", {})
    text = value.get("sval") if isinstance(value, dict) else None
    return text if isinstance(text, str) else None


def query_calls(sql: str) -> Calls:
    """What one user-written query (a ``db.sql`` query) names and does; more than one statement is refused."""
    calls = sql_calls(sql)
    try:
        count = len(json.loads(parse_sql_json(sql)).get("stmts", ()))
    except ParseError:
        return calls
    if count != 1:
        calls.refuse(f"is {count} statements; user-written SQL runs one statement at a time")
    return calls


def guard_calls(sql: str) -> Calls:
    """What a migration's guard (one ``DO`` block in PL/pgSQL) names and does."""
    try:
        stmts = json.loads(parse_sql_json(sql)).get("stmts", ())
    except ParseError as e:
        return Calls(refusals=[f"does not parse ({e.args[0] if e.args else e})"])
    do = stmts[0].get("stmt", {}).get("DoStmt") if len(stmts) == 1 else None
    if do is None:
        return Calls(refusals=["is not one DO block"])
    for arg in do.get("args") or ():
        elem = arg.get("DefElem") or {}
        if elem.get("defname") == "language":
            language = ((elem.get("arg") or {}).get("String") or {}).get("sval", "")
            if language.lower() != "plpgsql":
                return Calls(refusals=[f"is written in {language}, which preflight cannot inspect"])
    return plpgsql_calls(sql)


def function_body_calls(definition: str, language: str) -> Calls:
    """What a SQL or PL/pgSQL function (its ``pg_get_functiondef`` text) names and does when it runs."""
    if language == "plpgsql":
        return plpgsql_calls(definition)
    calls = Calls()
    try:
        tree = json.loads(parse_sql_json(definition))
    except ParseError as e:
        calls.refuse(f"has a definition that does not parse ({e.args[0] if e.args else e})")
        return calls
    create = (tree.get("stmts") or [{}])[0].get("stmt", {}).get("CreateFunctionStmt", {})
    body = create.get("sql_body")
    if body:  # BEGIN ATOMIC ... END: the statements were parsed with the CREATE FUNCTION
        stack = [body]
        while stack:
            n = stack.pop()
            if isinstance(n, list):
                stack.extend(n)
            elif isinstance(n, dict) and "List" in n:
                stack.extend(n["List"].get("items") or ())
            elif isinstance(n, dict) and n:
                statement(n, calls)
        return calls
    for option in create.get("options") or ():
        elem = option.get("DefElem") or {}
        if elem.get("defname") == "as":
            items = (elem.get("arg") or {}).get("List", {}).get("items") or []
            if items and "String" in items[0]:
                return sql_calls(items[0]["String"]["sval"], calls)
    calls.refuse("has a body that could not be found in its definition")
    return calls


__all__ = ["Calls", "Name", "function_body_calls", "guard_calls", "plpgsql_calls", "query_calls", "sql_calls",
           "statement"]
