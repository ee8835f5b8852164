"""Into ``DO`` blocks and function bodies: their SQL statements, linted as what they are, and guards.

PL/pgSQL bodies are parsed with PostgreSQL's PL/pgSQL parser (``parse_plpgsql_json``); each SQL statement in them
(and each ``EXECUTE`` of a constant string) is parsed with the SQL parser and handed to the rules like a
top-level statement, with its context: ``do`` (runs now, during the migration, inside a transaction) or
``function`` (runs when the function is called, after the migration). ``LANGUAGE sql`` bodies are SQL already;
``BEGIN ATOMIC`` bodies were parsed with their ``CREATE FUNCTION``.

A *guard* is a ``DO`` block at the start of a migration (after ``SET`` statements and other guards) that can
``RAISE EXCEPTION`` (or ``ASSERT``): the author's fail-closed precondition. For each guard the analysis records
the relations it reads, the statements in it that would write, and its exact text, so that ``migrations.guards``
can run it read-only against the live database.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pglast.parser import ParseError, parse_plpgsql_json, parse_sql_json, scan

from preflight.lint.engine import Stmt, statement_text
from preflight.lint.nodes import const_value, defelem, key, range_vars, strings, unwrap
from preflight.sql import parse as pgparser
from preflight.sql.calls import expression_node

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

ELOG_ERROR = 21  # RAISE EXCEPTION's level in PostgreSQL's elog.h
READ_ONLY_KINDS = frozenset({"SelectStmt", "ExplainStmt", "ShowStmt", "VariableShowStmt"})


def _body(flint: FileLint, stmt: Stmt, arg: Node | None) -> tuple[str, int] | None:
    """A function/DO body: its text and the character offset in the file where it starts."""
    if not arg:
        return None
    body_node = arg.get("arg") or {}
    kind, value = unwrap(body_node)
    if kind == "List":
        items = strings(value.get("items"))
        if not items:
            return None
        body = items[0]
    elif kind == "String":
        body = value.get("sval", "")
    else:
        return None
    loc = arg.get("arg_location", -1)
    if loc is None or loc < 0:
        loc = arg.get("location", -1)
    text = flint.src.text
    pos = stmt.parsed.char(loc) if stmt.parsed is not None and loc and loc >= 0 else -1
    if pos >= 0:
        if text.startswith("$", pos):
            close = text.find("$", pos + 1)
            start = close + 1 if close > 0 else pos
        elif text.startswith(("E'", "e'"), pos):
            start = pos + 2
        elif text.startswith("'", pos):
            start = pos + 1
        else:
            start = text.find(body[:40], pos) if body else pos
    else:
        start = text.find(body[:40]) if body else -1
    if start < 0:
        start = stmt.start
    return body, start


def language(stmt: Stmt) -> str:
    options = stmt.node.get("args" if stmt.kind == "DoStmt" else "options")
    lang = defelem(options, "language")
    if lang is None:
        return "plpgsql" if stmt.kind == "DoStmt" else "sql"
    value = const_value(lang.get("arg")) if "A_Const" in (lang.get("arg") or {}) else None
    if value is None:
        value = (strings([lang.get("arg") or {}]) or [""])[0]
    return str(value).lower()


def descend(flint: FileLint, stmt: Stmt) -> None:
    """Lint the statements inside a ``DO`` block or function body (and record a leading guard)."""
    options = stmt.node.get("args" if stmt.kind == "DoStmt" else "options")
    body = _body(flint, stmt, defelem(options, "as"))
    lang = language(stmt)
    context = "do" if stmt.kind == "DoStmt" else "function"
    leading = flint.leading and stmt.context == "top"
    if body is None:
        if stmt.kind == "CreateFunctionStmt" and stmt.node.get("sql_body"):
            _atomic_body(flint, stmt)
        _end_leading(flint, stmt)
        return
    text, body_start = body
    base_line = flint.src.line(body_start)
    if "preflight:" in text:  # comments inside a body are part of a string constant to the SQL scanner
        from preflight.lint.engine import find_suppressions

        for line, ids, reason in find_suppressions(text):
            flint.body_suppressions.append([base_line + line - 1, ids, reason])
    if lang == "sql":
        _lint_sql(flint, text, context, base_line, 1, stmt)
        _end_leading(flint, stmt)
        return
    if lang != "plpgsql":
        _end_leading(flint, stmt)
        return
    try:
        tree = json.loads(parse_plpgsql_json(flint.src.text[stmt.start:stmt.end]))
    except ParseError as e:
        from preflight.lint.rules import syntax_error

        flint.stmt = stmt
        flint.hit(syntax_error.RULE, f"the PL/pgSQL body does not compile: {e.args[0] if e.args else e}")
        _end_leading(flint, stmt)
        return
    walker = _Walker(flint, context, base_line, stmt, guard=context == "do" and leading)
    for fn in tree if isinstance(tree, list) else [tree]:
        walker.walk((fn.get("PLpgSQL_function") or {}).get("action"))  # "datums" are declarations only
    if context == "do" and leading and walker.raises:
        line, column = flint.position(stmt)
        flint.guards.append({
            "index": flint.top_index,
            "line": line,
            "column": column,
            "end_line": line + flint.src.text.count("\n", stmt.start, stmt.end),
            "sql": flint.src.text[stmt.start:stmt.end],
            "statement": flint.text_of(stmt),
            "reads": sorted(walker.reads),
            "reads_unknown": walker.reads_unknown,
            "writes": walker.writes,
            "messages": walker.messages,
        })
    else:
        _end_leading(flint, stmt)


def _atomic_body(flint: FileLint, stmt: Stmt) -> None:
    """Lint the statements of a ``BEGIN ATOMIC ... END`` function body (SQL-standard, PostgreSQL 14 and later).

    The parser parsed them with the ``CREATE FUNCTION``: its ``sql_body`` holds their nodes, which carry no
    position of their own. PostgreSQL's scanner finds where each starts and ends in the file: the body's
    statements are the runs of tokens between ``ATOMIC``, the ``;`` tokens and the closing ``END`` (a ``;``
    token cannot occur inside a statement). If the runs do not match the nodes one for one, every statement is
    reported at the ``CREATE FUNCTION``."""
    kind, body = unwrap(stmt.node.get("sql_body"))
    if kind != "List":
        return  # RETURN expression: no statement
    nodes: list[dict[str, Any]] = []
    for item in body.get("items", ()):
        inner_kind, inner = unwrap(item)
        nodes.extend(inner.get("items", ()) if inner_kind == "List" else [item])
    if not nodes:
        return
    spans = _atomic_spans(flint, stmt)
    if len(spans) != len(nodes):
        spans = [(stmt.start, stmt.end)] * len(nodes)
    for node, (start, end) in zip(nodes, spans, strict=True):
        kind, fields = unwrap(node)
        flint.span(start, end)
        flint.visit(Stmt(kind, fields, start, end, "function"))
    flint.stmt = stmt


def _atomic_spans(flint: FileLint, stmt: Stmt) -> list[tuple[int, int]]:
    """(start, end) in the file of each statement of the ``BEGIN ATOMIC`` body of ``stmt``."""
    text = flint.src.text[stmt.start:stmt.end]
    try:
        tokens = scan(text)
    except ParseError:
        return []
    spans: list[tuple[int, int]] = []
    inside = False
    first = last = -1
    for tok in tokens:
        if tok.name == "SQL_COMMENT" or tok.name == "C_COMMENT":
            continue
        if not inside:
            inside = tok.name == "ATOMIC"
            continue
        if tok.name == "ASCII_59" or tok is tokens[-1]:  # ";" ends a statement, the last token ("END") the body
            if first >= 0:
                spans.append((stmt.start + first, stmt.start + last + 1))  # pglast's offsets: characters
            first = last = -1
        else:
            if first < 0:
                first = tok.start
            last = tok.end
    return spans


def _end_leading(flint: FileLint, stmt: Stmt) -> None:
    """Guards lead a migration (after SET statements): any other statement ends the lead."""
    if stmt.context == "top":
        flint.leading = False


def _lint_sql(flint: FileLint, sql: str, context: str, base_line: int, lineno: int, parent: Stmt,
             guarded: str | None = None, branch: tuple[int, ...] = ()) -> list[str]:
    """Parse ``sql`` (found at body line ``lineno``) and lint its statements; return their node kinds.
    ``guarded`` says why they may not run (see ``GUARDS``)."""
    try:
        parsed = list(pgparser.statements(sql))
    except ParseError:
        return []  # PL/pgSQL checked the syntax it could; a dynamic string may be a fragment
    file_line = base_line + lineno - 1
    column = _column(flint, file_line, sql) if parsed else 0
    for p in parsed:
        flint.span(parent.start, parent.start, file_line, sql.count("\n"))
        inner = Stmt(p.kind, p.node, parent.start, parent.start, context, file_line, column)
        inner.plain = sql
        inner.guarded = guarded
        inner.branch = branch
        flint.visit(inner)
    flint.stmt = parent
    return [p.kind for p in parsed]


def _column(flint: FileLint, file_line: int, sql: str) -> int:
    text = flint.src.text
    pos = flint.src.line_start(file_line)
    if pos < 0:
        return 1
    end = text.find("\n", pos)
    line_text = text[pos:end if end >= 0 else len(text)]
    first = sql.split(None, 1)[0] if sql.split() else ""
    found = line_text.find(first) if first else -1
    if found < 0:
        found = len(line_text) - len(line_text.lstrip())
    return found + 1


# PL/pgSQL statements whose nested statements run only under a condition, or whose errors are caught: the
# author's guard against an object that may be absent. Why, as the lint says it.
GUARDS = {
    "PLpgSQL_stmt_if": "it runs only when an IF condition of its DO block holds",
    "PLpgSQL_stmt_case": "it runs only when a CASE branch of its DO block is taken",
    "PLpgSQL_stmt_while": "it runs only while a WHILE condition of its DO block holds",
}
CAUGHT = "an EXCEPTION handler of its DO block catches its errors"


class _Walker:
    """Walks a PL/pgSQL tree: lints its SQL, and notes what a guard needs (raises, reads, writes)."""

    def __init__(self, flint: FileLint, context: str, base_line: int, parent: Stmt, guard: bool):
        self.flint = flint
        self.guard = guard  # a possible guard: note what it reads and writes
        self.context = context
        self.base_line = base_line
        self.parent = parent
        self.raises = False
        self.messages: list[str] = []
        self.reads: set[str] = set()
        self.reads_unknown = False
        self.writes: list[str] = []
        self.guarded: list[str] = []  # the guards around the current statement, outermost first
        self.bodies: list[int] = []  # the statement lists around the current statement, outermost first

    def walk(self, n: Any, lineno: int = 1) -> None:
        if isinstance(n, list):
            self.bodies.append(id(n))  # a statement list: a branch of an IF, a loop's body, a block's
            try:
                for v in n:
                    self.walk(v, lineno)
            finally:
                self.bodies.pop()
            return
        if not isinstance(n, dict):
            return
        for k, v in n.items():
            if not isinstance(v, dict | list):
                continue
            if k.startswith("PLpgSQL_stmt_") and isinstance(v, dict):
                self.statement(k, v, v.get("lineno", lineno))
            elif k == "PLpgSQL_expr" and isinstance(v, dict):
                if self.guard:
                    self.expression(v.get("query", ""), v.get("parseMode", 0), lineno)
            else:
                self.walk(v, lineno)

    def statement(self, kind: str, v: dict[str, Any], lineno: int) -> None:
        """One PL/pgSQL statement, and the statements and expressions nested in it."""
        why = GUARDS.get(kind) or (CAUGHT if kind == "PLpgSQL_stmt_block" and v.get("exceptions") else None)
        if why:
            self.guarded.append(why)
            try:
                self._statement(kind, v, lineno)
            finally:
                self.guarded.pop()
        else:
            self._statement(kind, v, lineno)

    def _statement(self, kind: str, v: dict[str, Any], lineno: int) -> None:
        if kind == "PLpgSQL_stmt_raise":
            if v.get("elog_level", ELOG_ERROR) >= ELOG_ERROR:
                self.raises = True
                if v.get("message"):
                    self.messages.append(v["message"])
        elif kind == "PLpgSQL_stmt_assert":
            self.raises = True
        if kind == "PLpgSQL_stmt_execsql":
            query = ((v.get("sqlstmt") or {}).get("PLpgSQL_expr") or {}).get("query", "")
            kinds = _lint_sql(self.flint, query, self.context, self.base_line, lineno, self.parent, self._guard(),
                              (self.flint.top_index, *self.bodies))
            if self.guard:
                self._note_sql(query, kinds, lineno)
            self.walk({k: x for k, x in v.items() if k != "sqlstmt"}, lineno)
            return
        if kind == "PLpgSQL_stmt_dynexecute":
            query = ((v.get("query") or {}).get("PLpgSQL_expr") or {}).get("query", "")
            sql = _constant_string(query)
            if sql is not None:
                kinds = _lint_sql(self.flint, sql, self.context, self.base_line, lineno, self.parent,
                                  self._guard(), (self.flint.top_index, *self.bodies))
                if self.guard:
                    self._note_sql(sql, kinds, lineno)
            elif self.guard:
                self.reads_unknown = True
                self.expression(query, 2, lineno)
            self.walk({k: x for k, x in v.items() if k != "query"}, lineno)
            return
        self.walk(v, lineno)

    def _guard(self) -> str | None:
        return self.guarded[0] if self.guarded and self.context == "do" else None

    def _note_sql(self, sql: str, kinds: list[str], lineno: int) -> None:
        for kind in kinds:
            if kind not in READ_ONLY_KINDS:
                label = statement_text(sql)
                self.writes.append(f"line {self.base_line + lineno - 1}: {label}")
        self._reads(sql)

    def expression(self, query: str, mode: int, lineno: int) -> None:
        if mode == 0:
            self._reads(query)
            return
        if mode >= 3:  # an assignment: "target := expression"
            for sep in (":=", "="):
                if sep in query:
                    query = query.split(sep, 1)[1]
                    break
        self._reads("SELECT " + query)

    def _reads(self, sql: str) -> None:
        if "from" not in sql.lower() and "join" not in sql.lower() and "(" not in sql:
            return
        try:
            tree = json.loads(parse_sql_json(sql))
        except ParseError:
            self.reads_unknown = True
            return
        for schema, name in range_vars(tree):
            self.reads.add(key(schema, name))


def _constant_string(expr: str) -> str | None:
    """The SQL of ``EXECUTE 'ALTER TABLE ...'`` (a constant string), else None."""
    value = const_value(expression_node(expr))
    return value if isinstance(value, str) else None
