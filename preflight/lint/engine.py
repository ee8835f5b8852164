"""The lint engine: one migration file in, its analysis out.

A file is parsed statement by statement with PostgreSQL's parser (:mod:`preflight.sql.parse`). Each top-level
statement goes to the rules that look at its node type (``RULE.nodes``), in file order, with what the file has
done so far: relations it created, whether ``lock_timeout`` is set, whether a transaction is open. The bodies of
``DO`` blocks and functions are parsed as PL/pgSQL and their SQL statements linted as what they are: a ``DO``
block runs during the migration, inside a transaction; a function body runs only when the function is called
later, so its statements are reported for information only.

The analysis is plain data, independent of the database and of the configuration, so it can be cached by the
file's content hash; ``preflight.lint.report`` applies rule selection, suppressions and severities to it::

    {"hits": [Hit...], "spans": [[start_line, end_line], ...],   # every statement, when the file has suppressions
     "suppressions": [[line, [rule ids], reason]], "guards": [guard...], "error": None or {...},
     "statements": count}
"""

from __future__ import annotations

from itertools import accumulate
from typing import TYPE_CHECKING, Any, NamedTuple

from pglast.parser import ParseError, scan

from preflight.lint import rules
from preflight.lint.nodes import const_value, key, new_columns, relation, same, strings, type_label, type_name
from preflight.sql import parse as pgparser
from preflight.sql.schema_changes import (
    FAMILY_OF_TARGET,
    RELATION,
    Effect,
    Objects,
    PlacedEffects,
    effects,
    placed,
    to_json,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from preflight.lint.nodes import Node
    from preflight.lint.rules import Rule

STATEMENT_TEXT_LIMIT = 240


class Hit(NamedTuple):
    """One finding of a rule in a file, before selection, suppressions and severities."""

    rule: str
    kind: str
    """The rule's kind (data-loss, lock...)."""
    line: int
    """1-based."""
    column: int
    """1-based."""
    statement: str
    """The statement's text on one line, shortened (:func:`statement_text`)."""
    message: str
    """The reason, about this statement."""
    alternative: str
    """The safe way to do it."""
    target: list[Any] | None
    """``[kind, schema, name]`` of what the statement destroys or locks (table, index, schema, type)."""
    if_exists: bool
    context: str
    """"top", "do" (inside a DO block) or "function" (inside a function body)."""
    new: bool
    """The target was created earlier in this file."""
    severity: str | None
    """A fixed severity, or None for the kind's."""
    extra: dict[str, Any]
    """What the rule adds for the live refinement (column, statements...)."""


class Stmt:
    """The statement being linted."""

    __slots__ = ("kind", "node", "start", "end", "context", "line", "column", "parsed", "text", "plain", "cmds",
                 "column_types", "guarded", "branch")

    def __init__(self, kind: str, node: Node, start: int, end: int, context: str,
                 line: int | None = None, column: int | None = None, parsed: pgparser.Statement | None = None):
        self.kind = kind
        self.node = node
        self.start = start
        """Character offset in the file of its first token (for a statement in a body: of the body's statement)."""
        self.end = end
        self.context = context
        self.line = line
        self.column = column
        self.parsed = parsed
        """The parser's statement, for a top-level one: locations in its node (:meth:`pgparser.Statement.char`)."""
        self.text: str | None = None  # on one line, shortened (statement_text)
        self.plain: str | None = None  # the statement's text when it is not the file's (a function body's SQL)
        # What several rules ask of the same statement, worked out once.
        self.cmds: list[Node] | None = None
        self.column_types: list[ColumnType] | None = None
        self.guarded: str | None = None
        """For a statement in a body: why it may not run ("inside IF ... THEN", an error handler...), else None."""
        self.branch: tuple[int, ...] = ()
        """For a statement in a PL/pgSQL body: its top-level statement's index, then the statement lists it is
        nested in (a later statement runs after it whenever its own branch starts with this one)."""


# Statements whose effect later statements depend on (see FileLint._track): settings, transactions, and the
# statements that create, rename or drop objects (preflight.sql.schema_changes.effects).
TRACKED = frozenset({"CreateStmt", "CreateForeignTableStmt", "CreateTableAsStmt", "ViewStmt", "IndexStmt",
                     "CreateSeqStmt", "CreateEnumStmt", "CreateRangeStmt", "CompositeTypeStmt", "CreateDomainStmt",
                     "DefineStmt", "CreateSchemaStmt", "CreateFunctionStmt", "CreateExtensionStmt", "RenameStmt",
                     "AlterObjectSchemaStmt", "DropStmt", "AlterTableStmt",
                     "CreateTrigStmt", "AlterEnumStmt", "VariableSetStmt", "SelectStmt", "TransactionStmt"})


# Settings whose value changes what a later statement does to a table (timestamp <-> timestamptz in place).
TRACKED_SETTINGS = frozenset({"timezone"})


class Source:
    """The file's text, with offset -> line/column mapping."""

    def __init__(self, text: str):
        self.text = text
        self._last = (0, 1)  # (offset, line) of the last lookup: statements come in order
        self._starts: list[int] | None = None

    def line(self, offset: int) -> int:
        last_off, last_line = self._last
        if offset >= last_off:
            line = last_line + self.text.count("\n", last_off, offset)
        else:
            line = last_line - self.text.count("\n", offset, last_off)
        self._last = (offset, line)
        return line

    def line_start(self, line: int) -> int:
        """The offset where 1-based ``line`` starts; -1 past the end."""
        if self._starts is None:
            self._starts = [0, *accumulate(len(part) + 1 for part in self.text.split("\n"))]
        return self._starts[line - 1] if 0 < line < len(self._starts) else -1

    def column(self, offset: int) -> int:
        return offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    def skip_trivia(self, pos: int, end: int) -> int:
        """The offset of the first token at or after ``pos``: whitespace and comments skipped."""
        text = self.text
        while pos < end:
            ch = text[pos]
            if ch in " \t\r\n\f\v":
                pos += 1
            elif text.startswith("--", pos):
                nl = text.find("\n", pos)
                pos = end if nl < 0 else nl + 1
            elif text.startswith("/*", pos):
                depth, pos = 1, pos + 2
                while depth and pos < end:
                    if text.startswith("/*", pos):
                        depth, pos = depth + 1, pos + 2
                    elif text.startswith("*/", pos):
                        depth, pos = depth - 1, pos + 2
                    else:
                        pos += 1
            else:
                break
        return pos


def statement_text(text: str) -> str:
    """The statement on one line (whitespace runs as one space), cut to ``STATEMENT_TEXT_LIMIT`` characters."""
    one_line = " ".join(text.split())
    if len(one_line) > STATEMENT_TEXT_LIMIT:
        return one_line[: STATEMENT_TEXT_LIMIT - 1] + "…"
    return one_line


class ColumnType(NamedTuple):
    """A column that a statement creates, as the column-type rules see it."""

    table: str
    """As written, with its schema if any."""
    column: str
    name: str
    """The last part of its type's name, lower case: ``int4``, ``varchar``, ``bpchar``."""
    type: Node | None
    """The ``TypeName`` node."""

    @property
    def label(self) -> str:
        """The type roughly as a user writes it: ``varchar(255)``."""
        return type_label(self.type)


class FileLint:
    """The state of one file's lint; rules read it and report through :meth:`hit`."""

    def __init__(self, text: str, transaction: str, enabled: frozenset[str] | None = None):
        self.rules = rules.dispatch(rules.default() if enabled is None else enabled)
        self.src = Source(text)
        self.transaction = transaction
        self.hits: list[Hit] = []
        # Statement spans serve only to match suppressions to statements: kept when the file may have some.
        self.keep_spans = "preflight:" in text
        self.spans: list[list[int]] = []
        self.guards: list[dict[str, Any]] = []
        self.objects = Objects()  # what the file's statements so far made of each name
        self.lock_timeout = False
        self.statement_timeout = False
        self.settings: dict[str, str] = {}  # settings the file has SET so far (timezone), by lower-case name
        self.explicit = 0  # depth of BEGIN blocks opened by the file itself
        self.several_statements = False  # the file has more than one statement
        self.state: dict[str, Any] = {}  # rules' own per-file memory, by rule id
        self.stmt: Stmt = Stmt("", {}, 0, 0, "top")
        self.top_index = 0
        self.statement_count = 0
        self.placed: list[PlacedEffects] = []
        self.leading = True  # still in the migration's lead: SET statements and guards
        self.body_suppressions: list[list[Any]] = []
        self.finishing = False  # the rules' finishers run: the objects are as the whole file leaves them
        # ACCESS EXCLUSIVE locks the current transaction holds: relation key -> (line taken, the branch of the
        # statement that took it); see held_lock.
        self.held: dict[str, tuple[int, tuple[int, ...]]] = {}

    # -- what rules ask ----------------------------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        """Whether the current statement runs inside a transaction block."""
        if self.stmt.context != "top":
            return True
        implicit_block = self.transaction == "implicit" and self.several_statements
        return self.transaction == "file" or self.explicit > 0 or implicit_block

    def created_here(self, schema: str | None, name: str) -> bool:
        """Whether an earlier statement of this file created the relation (under this name, after its renames;
        a side without a schema matches the name in any schema)."""
        return self.objects.created(RELATION, schema, name)

    def relation(self) -> tuple[str | None, str] | None:
        """The current statement's ``relation`` field as ``(schema, name)``."""
        return relation(self.stmt.node.get("relation"))

    def cmds(self) -> list[Node]:
        """The current ``ALTER TABLE``'s commands."""
        s = self.stmt
        if s.cmds is None:
            s.cmds = [c["AlterTableCmd"] for c in s.node.get("cmds", ()) if "AlterTableCmd" in c]
        return s.cmds

    def column_types(self) -> list[ColumnType]:
        """Columns the current statement creates (``CREATE TABLE``, ``ADD COLUMN``), with their types."""
        s = self.stmt
        if s.column_types is None:
            s.column_types = [ColumnType(table, c.get("colname", ""), type_name(c.get("typeName")),
                                         c.get("typeName")) for table, c in new_columns(s.kind, s.node)]
        return s.column_types

    def held_lock(self, schema: str | None, name: str) -> int | None:
        """The line of an earlier ``ALTER TABLE`` of the current transaction that took an ``ACCESS EXCLUSIVE``
        lock on the table, held until the transaction ends, when it surely ran before the current statement (not
        in another branch of a ``DO`` block); else None."""
        for rel, (line, branch) in self.held.items():
            if same(rel, key(schema, name)) and self.stmt.branch[:len(branch)] == branch and (
                    self.stmt.context != "function"):
                return line
        return None

    def text_of(self, stmt: Stmt | None = None) -> str:
        s = stmt or self.stmt
        if s.text is None:
            s.text = statement_text(s.plain if s.plain is not None else self.src.text[s.start:s.end])
        return s.text

    def position(self, stmt: Stmt | None = None) -> tuple[int, int]:
        s = stmt or self.stmt
        if s.line is None or s.column is None:
            s.line = self.src.line(s.start)
            s.column = self.src.column(s.start)
        return s.line, s.column

    def hit(self, rule: Rule, message: str, *, alternative: str | None = None,
            target: tuple[str, str | None, str] | None = None, if_exists: bool = False,
            severity: str | None = None, new: bool = False, **extra: Any) -> None:
        """Report the current statement under ``rule``. ``target`` is ``(kind, schema, name)`` of what the
        statement destroys or locks (kind: table, index, schema, type), for data-aware severity; ``new`` says
        the target was created earlier in this file."""
        line, column = self.position()
        if target and not new and not self.finishing:  # a finisher's statement is long past
            new = self.objects.created(FAMILY_OF_TARGET.get(target[0], RELATION), target[1], target[2])
        if self.stmt.guarded:
            extra["guarded"] = self.stmt.guarded
        self.hits.append(Hit(rule.id, rule.kind, line, column, self.text_of(), message,
                             alternative or rule.alternative, list(target) if target else None, if_exists,
                             self.stmt.context, new, severity, extra))

    def span(self, start: int, end: int, line: int = 0, extra_lines: int = 0) -> None:
        """Record a statement's extent, for suppressions: offsets in the file, or (for a statement in a body)
        its first line and how many more it has."""
        if self.keep_spans:
            self.spans.append([start, end, line, extra_lines])

    # -- the walk ----------------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        try:
            for i, (parsed, more) in enumerate(_with_lookahead(pgparser.statements(self.src.text))):
                if i == 0:
                    self.several_statements = more
                self.top_index = i
                self.statement_count = i + 1
                stmt = self._top_level(parsed)
                if parsed.kind not in TRACKED:  # a tracked statement's effects are worked out once, by _track
                    self._place(stmt, effects(parsed.kind, parsed.node))
                self.visit(stmt)
        except ParseError as e:
            return self._syntax_error(e)
        self.finish()
        return self.result()

    def _top_level(self, parsed: pgparser.Statement) -> Stmt:
        """A top-level statement, from its first token to its last (its ``;`` and the whitespace and comments
        around it left out)."""
        text = self.src.text
        start = self.src.skip_trivia(parsed.start, parsed.end)
        end = parsed.end
        while end > start and text[end - 1] in " \t\r\n;":
            end -= 1
        return Stmt(parsed.kind, parsed.node, start, end, "top", parsed=parsed)

    def visit(self, stmt: Stmt) -> None:
        self.stmt = stmt
        kind = stmt.kind
        node = stmt.node
        if stmt.context == "top":
            self.span(stmt.start, stmt.end)
        subtypes = (frozenset(c.get("AlterTableCmd", {}).get("subtype") for c in node.get("cmds", ()))
                    if kind == "AlterTableStmt" else None)
        for check in self.rules.checks(kind, subtypes, stmt.context == "function"):
            check(node, self)
        if kind in TRACKED:
            self._track(stmt)
        if kind == "AlterTableStmt" and stmt.context != "function":
            self._hold(stmt)
        if kind == "DoStmt" or kind == "CreateFunctionStmt":
            from preflight.lint import plpgsql

            plpgsql.descend(self, stmt)
            self.stmt = stmt
        elif self.leading and stmt.context == "top" and not (
                kind == "VariableSetStmt" or (kind == "TransactionStmt" and node.get("kind") in (
                    "TRANS_STMT_BEGIN", "TRANS_STMT_START"))):
            self.leading = False
        if stmt.context == "top" and not self.in_transaction:
            self.held.clear()  # the statement ran on its own: its locks went with it

    def _hold(self, stmt: Stmt) -> None:
        from preflight.lint.locks import ACCESS_EXCLUSIVE, statement_lock

        rel = relation(stmt.node.get("relation"))
        if rel is not None and statement_lock(stmt.kind, stmt.node, self.cmds()) == ACCESS_EXCLUSIVE:
            self.held.setdefault(key(*rel), (self.position(stmt)[0], stmt.branch))

    def _place(self, stmt: Stmt, found: list[Effect]) -> None:
        """A top-level statement's effects, placed, for the files linted after this one (:mod:`lint.history`)."""
        if found and stmt.parsed is not None:
            self.placed.append(placed(self.src.text, stmt.parsed.start, stmt.parsed.end, found, self.src.line))

    def _track(self, stmt: Stmt) -> None:
        """What later statements need to know: relations created, timeouts set, transactions opened."""
        kind, node = stmt.kind, stmt.node
        if stmt.context != "function" and not stmt.guarded:
            found = effects(kind, node)
            for effect in found:
                self.objects.apply(effect)
            self._place(stmt, found)
        if kind == "VariableSetStmt":
            self._track_setting(node.get("name", ""), node)
        elif kind == "SelectStmt":
            for target in node.get("targetList", ()):
                fc = (target.get("ResTarget", {}).get("val") or {}).get("FuncCall")
                if fc and strings(fc.get("funcname"))[-1:] == ["set_config"]:
                    args = fc.get("args", [])
                    if len(args) >= 2:
                        name, value = const_value(args[0]), const_value(args[1])
                        if isinstance(name, str):
                            self._set(name, value)
        elif kind == "TransactionStmt" and stmt.context == "top":
            tk = node.get("kind", "")
            if tk in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
                self.explicit += 1
            elif tk in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_COMMIT_PREPARED",
                        "TRANS_STMT_ROLLBACK_PREPARED", "TRANS_STMT_PREPARE"):
                self.explicit = 0
                self.held.clear()

    def _track_setting(self, name: str, node: Node) -> None:
        vk = node.get("kind", "")
        if vk == "VAR_SET_VALUE":
            args = node.get("args", [])
            self._set(name, const_value(args[0]) if args else None)
        elif vk in ("VAR_RESET", "VAR_SET_DEFAULT", "VAR_RESET_ALL"):
            if vk == "VAR_RESET_ALL":
                self.lock_timeout = self.statement_timeout = False
                self.settings.clear()
            elif name.lower() in TRACKED_SETTINGS:
                self.settings.pop(name.lower(), None)  # back to the session's default
            else:
                self._set(name, 0)

    def _set(self, name: str, value: Any) -> None:
        if name.lower() in TRACKED_SETTINGS:
            if value is None:
                self.settings.pop(name.lower(), None)
            else:
                self.settings[name.lower()] = str(value)
            return
        on = value not in (None, 0, "0", "", "0s", "0ms")
        if name == "lock_timeout":
            self.lock_timeout = on
        elif name == "statement_timeout":
            self.statement_timeout = on

    def finish(self) -> None:
        self.finishing = True
        for r in self.rules.finishers:
            assert r.finish is not None
            r.finish(self)

    def result(self) -> dict[str, Any]:
        suppressions = find_suppressions(self.src.text) + self.body_suppressions
        suppressions.sort(key=lambda s: s[0])
        return {
            "hits": self.hits,
            "spans": self._line_spans() if suppressions else [],
            "suppressions": suppressions,
            "guards": self.guards,
            "error": None,
            "statements": self.statement_count,
            "effects": to_json(tuple(self.placed)),
        }

    def _line_spans(self) -> list[list[int]]:
        out = []
        src = self.src
        for start, end, line, extra_lines in self.spans:
            if line:
                out.append([line, line + extra_lines])
            else:
                first = src.line(start)
                out.append([first, first + src.text.count("\n", start, end)])
        return sorted(out)

    def _syntax_error(self, e: ParseError) -> dict[str, Any]:
        message = str(e.args[0]) if e.args else str(e)
        pos = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], int) else 0
        line, column = self.src.line(pos), self.src.column(pos)
        return {"hits": [], "spans": [], "suppressions": find_suppressions(self.src.text), "guards": [],
                "error": {"line": line, "column": column, "message": message}, "statements": 0, "effects": None}


def _with_lookahead(items: Iterator[pgparser.Statement]) -> Iterator[tuple[pgparser.Statement, bool]]:
    """Each item, and whether another one follows it."""
    previous = next(items, None)
    for item in items:
        assert previous is not None
        yield previous, True
        previous = item
    if previous is not None:
        yield previous, False


def find_suppressions(text: str) -> list[list[Any]]:
    """``-- preflight: ignore <rule-id>[,<rule-id>...] <reason>`` comments as ``[line, [ids], reason]``."""
    if "preflight:" not in text:
        return []
    out: list[list[Any]] = []
    try:
        tokens = scan(text)
    except Exception:  # noqa: BLE001 - an unscannable file already reports its syntax error
        return []
    for tok in tokens:
        if tok.name != "SQL_COMMENT":
            continue
        body = text[tok.start:tok.end + 1].lstrip("-").strip()
        if not body.startswith("preflight:"):
            continue
        words = body[len("preflight:"):].split(None, 2)
        if not words or words[0] != "ignore":
            continue
        ids = [w for w in (words[1].split(",") if len(words) > 1 else []) if w]
        reason = words[2].strip() if len(words) > 2 else ""
        out.append([text.count("\n", 0, tok.start) + 1, ids, reason])
    return out


def analyze(text: str, transaction: str = "implicit", enabled: frozenset[str] | None = None) -> dict[str, Any]:
    """Lint one file's SQL with the ``enabled`` rules (default: every rule that is not opt-in); see the module
    documentation for the shape of the result."""
    return FileLint(text, transaction, enabled).run()


__all__ = ["ColumnType", "FileLint", "Hit", "Stmt", "analyze", "find_suppressions", "statement_text"]
