"""The lint engine: one migration file in, its analysis out.

A file is parsed once with PostgreSQL's parser (pglast's JSON tree). Each top-level statement goes to the rules
that asked for its node type (``NODES`` in the rule module), in file order, with what the file has done so far:
relations it created, whether ``lock_timeout`` is set, whether a transaction is open. The bodies of ``DO`` blocks
and functions are parsed as PL/pgSQL and their SQL statements linted as what they are: a ``DO`` block runs during
the migration, inside a transaction; a function body runs only when the function is called later, so its
statements are reported for information only.

The analysis is plain data (dicts and lists), independent of the database and of the configuration, so it can
be cached by the file's content hash; ``preflight.lint.report`` applies rule selection, suppressions and
severities to it.

An analysis::

    {"hits": [hit...], "spans": [[start_line, end_line], ...],   # every statement, for suppressions
     "suppressions": [[line, [rule ids], reason]], "guards": [guard...], "error": None or {...},
     "statements": count}

A hit is a tuple of the fields ``HIT_FIELDS`` names (a tuple: a run makes thousands, caches and reads them back,
and a tuple costs a fraction of a dict each time; :func:`preflight.lint.hit_dict` gives the dict)::

    (rule id, the rule's KIND, line (1-based), column (1-based), statement text, message (the reason),
     alternative (the safe way), target ([kind, schema, name] or None), if_exists (bool),
     context ("top" | "do" | "function"), new (bool), severity (None or a fixed severity), extra ({...}))
"""

from __future__ import annotations

from operator import itemgetter

from preflight import pgparser
from preflight.lint import rules
from preflight.lint.jsonscan import loads, raw_decode, scan_once
from preflight.lint.nodes import (
    const_value,
    relation,
    strings,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from preflight.lint.nodes import Node

STATEMENT_TEXT_LIMIT = 240
IN_FUNCTION_RULES_MAX = "info"


_UNSET: Any = object()


class Stmt:
    """The statement being linted."""

    __slots__ = ("kind", "_node", "_tree", "_at", "_stop", "start", "end", "context", "line", "column", "_text",
                 "_rel", "_cmds", "_columns", "_coltypes", "plain")

    def __init__(self, kind: str, node: Node | None, start: int, end: int, context: str,
                 line: int | None = None, column: int | None = None, text: str | None = None, tree: str = "",
                 at: int = 0, stop: int = 0):
        self.kind = kind
        self._node = node
        # The node's JSON is tree[at:stop], read in place: the parser's tree for a whole file is not copied.
        self._tree = tree
        self._at = at
        self._stop = stop
        self.start = start
        self.end = end
        self.context = context
        self.line = line
        self.column = column
        self._text = text
        self._rel: Any = _UNSET
        self._cmds: Any = None
        self._columns: Any = None
        self._coltypes: Any = None
        self.plain: str | None = None  # the statement's text when it is not the file's (a function body's SQL)

    @property
    def node(self) -> Node:
        """The parse node's fields, decoded from the parser's JSON on first use: statements no rule looks at
        (INSERTs of seed data, COMMENTs...) are never decoded."""
        if self._node is None:
            node: Node = {}
            if self._stop > self._at:
                try:
                    node, end = scan_once(self._tree, self._at)
                except StopIteration:
                    end = -1
                if end != self._stop:  # never on the parser's JSON: let json say what is wrong
                    node = loads(self._tree[self._at:self._stop])
            self._node = node
        return self._node


# Statements whose effect later statements depend on (see FileLint._track).
TRACKED = frozenset({"CreateStmt", "CreateTableAsStmt", "ViewStmt", "IndexStmt", "CreateSeqStmt",
                      "VariableSetStmt", "SelectStmt", "TransactionStmt"})
# Statements visited whatever the rules: the tracked ones, and those with a body to lint.
_ACTIVE = TRACKED | {"DoStmt", "CreateFunctionStmt"}


class Source:
    """The file's text with offset -> line/column mapping (pglast counts UTF-8 bytes)."""

    def __init__(self, text: str):
        self.text = text
        self.ascii = text.isascii()
        self._encoded = b"" if self.ascii else text.encode("utf-8")
        self._last = (0, 1)  # (offset, line) of the last lookup: statements come in order
        self._starts: list[int] | None = None

    def char(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        return len(self._encoded[:byte_offset].decode("utf-8", errors="ignore"))

    def byte_len(self) -> int:
        return len(self.text) if self.ascii else len(self._encoded)

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
            from itertools import accumulate

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
                pos = end - len(text[pos:end].lstrip(" \t\r\n\f\v"))  # a run of it in one call
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
    # A long statement (a table definition): its start is enough, if long enough once condensed (the condensed
    # start of a text is the start of the condensed text).
    one_line = " ".join(text[:4 * STATEMENT_TEXT_LIMIT].split())
    if len(one_line) <= STATEMENT_TEXT_LIMIT and len(text) > 4 * STATEMENT_TEXT_LIMIT:
        one_line = " ".join(text.split())
    if len(one_line) > STATEMENT_TEXT_LIMIT:
        return one_line[: STATEMENT_TEXT_LIMIT - 1] + "…"
    return one_line


try:  # the C descriptor namedtuple fields use: half the cost of property(itemgetter(i)) per access
    from _collections import _tuplegetter

    def _field(index: int) -> Any:
        return _tuplegetter(index, None)
except ImportError:  # pragma: no cover - not CPython
    def _field(index: int) -> Any:
        return property(itemgetter(index))


class ColumnType(tuple):  # type: ignore[type-arg]
    """A column that a statement creates, as the column-type rules see it: ``table`` (as written, with its
    schema if any), ``column``, ``name`` (the last part of its type's name, lower case: ``int4``, ``varchar``,
    ``bpchar``), ``type`` (the ``TypeName`` node) and ``label`` (the type roughly as a user writes it:
    ``varchar(255)``).

    Built as ``ColumnType((table, column, name, type, at, modified))``: with ``at`` >= 0, ``type`` is JSON text
    whose ``TypeName`` starts at ``at``, decoded when asked for (a rule wants it only for a column it reports);
    ``modified`` is false when the type has no modifiers (``varchar(255)`` has one), so that its label is its
    name's. A tuple, because a ``CREATE TABLE`` has dozens of columns and each costs only its tuple."""

    __slots__ = ()

    if TYPE_CHECKING:
        table: str
        column: str
        name: str
    else:
        table = _field(0)
        column = _field(1)
        name = _field(2)

    @property
    def type(self) -> Node | None:
        node, at = self[3], self[4]
        return raw_decode(node, at)[0] if at >= 0 else node  # type: ignore[no-any-return]

    @property
    def label(self) -> str:
        from preflight.lint.nodes import pretty_type, type_label

        return type_label(self.type) if self[5] else pretty_type(self[2])


class FileLint:
    """The state of one file's lint; rules read it and report through :meth:`hit`."""

    def __init__(self, text: str, transaction: str, enabled: frozenset[str] | None = None):
        self.kinds = rules.KINDS
        # applicable: (node type, ALTER TABLE subtypes, in a function body) -> the rules to call; a few distinct
        # keys cover a whole run, so they are worked out once per rule selection.
        self.dispatch, self.finishers, self.lazy_kinds, self.function_kinds, self.applicable = rules.tables(enabled)
        self.src = Source(text)
        self.transaction = transaction
        self.hits: list[tuple[Any, ...]] = []
        self.spans: list[list[int]] = []
        self.guards: list[dict[str, Any]] = []
        self.created: dict[str, set[str | None]] = {}  # name -> schemas it was created in (None: unqualified)
        self.lock_timeout = False
        self.statement_timeout = False
        self.explicit = 0  # depth of BEGIN blocks opened by the file itself
        self.implicit_block = False  # "implicit" runner mode with several statements
        self.state: dict[str, Any] = {}  # rules' own per-file memory, by rule id
        self.stmt: Stmt = Stmt("", {}, 0, 0, "top")
        self.top_index = 0
        self.statement_count = 0
        self.leading = True  # still in the migration's lead: SET statements and guards
        self.body_suppressions: list[list[Any]] = []

    # -- what rules ask ----------------------------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        """Whether the current statement runs inside a transaction block."""
        if self.stmt.context != "top":
            return True
        return self.transaction == "file" or self.explicit > 0 or self.implicit_block

    def created_here(self, schema: str | None, name: str) -> bool:
        """Whether an earlier statement of this file created the relation (a side without a schema matches
        the name in any schema)."""
        schemas = self.created.get(name)
        if not schemas:
            return False
        return schema is None or None in schemas or schema in schemas

    def _create(self, schema: str | None, name: str) -> None:
        self.created.setdefault(name, set()).add(schema)

    def relation(self) -> tuple[str | None, str] | None:
        """The current statement's ``relation`` field as ``(schema, name)``."""
        s = self.stmt
        if s._rel is _UNSET:
            if s._node is None and s.kind == "CreateStmt":
                s._rel = relation(self.field("relation"))  # its first field: the table itself
            else:
                s._rel = relation(s.node.get("relation"))
        return s._rel  # type: ignore[no-any-return]

    def field(self, name: str) -> Any:
        """One field of the current statement's node, decoded alone when the node is not decoded yet. Only for
        a field that comes before any nested node with a field of the same name (libpg_query writes fields in
        struct order): an INSERT's ``cols`` (after ``relation``), not its ``selectStmt``'s contents."""
        s = self.stmt
        if s._node is not None or s._stop <= s._at:
            return self.stmt.node.get(name)
        at = s._tree.find(f'"{name}":', s._at, s._stop)
        if at < 0:
            return None
        return raw_decode(s._tree, at + len(name) + 3)[0]

    def cmds(self) -> list[Node]:
        """The current ``ALTER TABLE``'s commands."""
        s = self.stmt
        if s._cmds is None:
            s._cmds = [c["AlterTableCmd"] for c in s.node.get("cmds", ()) if "AlterTableCmd" in c]
        return s._cmds  # type: ignore[no-any-return]

    def column_types(self) -> list[ColumnType]:
        """Columns the current statement creates (``CREATE TABLE``, ``ADD COLUMN``), with their types.

        For a ``CREATE TABLE`` not decoded yet, only each column's name and the names of its type are decoded
        (a ``ColumnDef`` starts with its ``colname`` and ``typeName``, and a ``TypeName`` with its ``names``): the
        rest of a table definition (defaults, constraints, expressions) is most of its parse tree, and a rule
        that needs a column's whole ``TypeName`` decodes it then (:attr:`ColumnType.type`)."""
        s = self.stmt
        if s._coltypes is not None:
            return s._coltypes  # type: ignore[no-any-return]
        if s._node is not None or s.kind != "CreateStmt" or s._stop <= s._at:
            s._coltypes = [ColumnType((t, c.get("colname", ""), name, c.get("typeName"), -1, True))
                           for t, c, name in self.columns()]
            return s._coltypes  # type: ignore[no-any-return]
        from preflight.lint.nodes import label, type_name

        rel = self.relation()
        table = label(*rel) if rel else ""
        raw, stop, out = s._tree, s._stop, []
        # Thousands of columns a run: the scanner is called directly (on strings only), and jsonscan's checks run
        # only if it fails (it never does on the parser's JSON).
        find, rfind, startswith, decode = raw.find, raw.rfind, raw.startswith, scan_once
        marker = '{"ColumnDef":{"colname":'
        at = find(marker, s._at, stop)
        while at >= 0:
            start = at
            try:
                colname, at = decode(raw, at + 24)
                if startswith(',"typeName":{"names":[', at):
                    # The names are String nodes, `{"String":{"sval":"..."}}`, the last one the type's own: its
                    # closing quote is the first unescaped one followed by the end of the list.
                    end = find('"}}]', at)
                    if raw[end - 1] != "\\":
                        q = rfind('{"String":{"sval":"', at, end) + 19
                        name = raw[q:end]
                        if "\\" in name:
                            name = decode(raw, q - 1)[0]
                        # The TypeName's next field, if it has modifiers (fields come in struct order).
                        out.append(ColumnType((table, colname, name.lower(), raw, at + 12,
                                               startswith(',"typmods":', end + 4))))
                        at = find(marker, end, stop)
                        continue
                    type_node, at = decode(raw, at + 12)  # not the usual shape: the whole TypeName says
                    out.append(ColumnType((table, colname, type_name(type_node), type_node, -1, True)))
                elif startswith(',"typeName":', at):
                    type_node, at = decode(raw, at + 12)
                    out.append(ColumnType((table, colname, type_name(type_node), type_node, -1, True)))
                else:
                    out.append(ColumnType((table, colname, "", None, -1, True)))
            except StopIteration:
                decode, at = raw_decode, start  # raises the JSON error
                continue
            at = find(marker, at, stop)
        s._coltypes = out
        return out

    def columns(self) -> list[tuple[str, Node, str]]:
        """Columns the current statement creates (``CREATE TABLE``, ``ADD COLUMN``) as (table, ColumnDef,
        type name)."""
        s = self.stmt
        if s._columns is None:
            from preflight.lint.nodes import new_columns, type_name

            s._columns = [(t, c, type_name(c.get("typeName"))) for t, c in new_columns(s.kind, s.node)]
        return s._columns  # type: ignore[no-any-return]

    def text_of(self, stmt: Stmt | None = None) -> str:
        s = stmt or self.stmt
        if s._text is None:
            s._text = statement_text(s.plain if s.plain is not None else self.src.text[s.start:s.end])
        return s._text

    def position(self, stmt: Stmt | None = None) -> tuple[int, int]:
        s = stmt or self.stmt
        if s.line is None:
            s.line = self.src.line(s.start)
            s.column = self.src.column(s.start)
        assert s.column is not None
        return s.line, s.column

    def hit(self, rule_id: str, message: str, alternative: str, *,
            target: tuple[str, str | None, str] | None = None, if_exists: bool = False,
            severity: str | None = None, new: bool = False, **extra: Any) -> None:
        """Report the current statement under ``rule_id``. ``target`` is ``(kind, schema, name)`` of what the
        statement destroys or locks (kind: table, index, schema, type), for data-aware severity; ``new`` says
        the target was created earlier in this file."""
        s = self.stmt
        if s.line is None:
            self.position(s)
        if s._text is None:
            self.text_of(s)
        self.hits.append((rule_id, self.kinds[rule_id], s.line, s.column, s._text, message, alternative,
                          list(target) if target else None, if_exists, s.context, new, severity, extra))

    # -- the walk ----------------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        src = self.src
        text = src.text
        try:
            tree = pgparser.parse_sql_json(text)
        except pgparser.ParseError as e:
            return self._syntax_error(e)
        raw = split_statements(tree)
        self.statement_count = len(raw)
        self.implicit_block = self.transaction == "implicit" and len(raw) > 1
        total = src.byte_len()
        char = None if src.ascii else src.char  # offsets are characters already in an ASCII file
        skip_trivia = src.skip_trivia
        dispatch = self.dispatch
        for i, (kind, at, stop, b_start, b_len) in enumerate(raw):
            b_end = b_start + b_len if b_len else total
            start, end = (b_start, b_end) if char is None else (char(b_start), char(b_end))
            if start < end and (text[start] <= " " or text[start] in "-/"):
                start = skip_trivia(start, end)
            stmt_end = end
            while stmt_end > start and text[stmt_end - 1] in " \t\r\n;":
                stmt_end -= 1
            self.top_index = i
            if kind not in dispatch and kind not in _ACTIVE:  # read by no rule, changes nothing tracked: a span
                self.spans.append([start, stmt_end, 0, 0])
                self.leading = False
                continue
            self.visit(Stmt(kind, None, start, stmt_end, "top", None, None, None, tree, at, stop))
        self.finish()
        return self.result()

    def visit(self, stmt: Stmt) -> None:
        self.stmt = stmt
        if stmt.context == "top":
            self.spans.append([stmt.start, stmt.end, 0, 0])
        kind = stmt.kind
        if kind in self.dispatch:
            if kind in self.lazy_kinds:  # rules that read what they need themselves (lint.stmt), without the node
                node, subtypes = None, None
            else:
                node = stmt.node
                subtypes = (frozenset([c.get("AlterTableCmd", {}).get("subtype") for c in node.get("cmds", ())])
                            if kind == "AlterTableStmt" else None)
            key = (kind, subtypes, stmt.context == "function")
            checks = self.applicable.get(key)
            if checks is None:
                checks = self.applicable[key] = self._applicable(*key)
            for check in checks:
                check(node, self)
        if kind in TRACKED:
            self._track(stmt)
        if kind == "DoStmt" or kind == "CreateFunctionStmt":
            from preflight.lint import plpgsql

            plpgsql.descend(self, stmt)
            self.stmt = stmt
        elif self.leading and stmt.context == "top" and not (
                stmt.kind == "VariableSetStmt" or (stmt.kind == "TransactionStmt" and stmt.node.get("kind") in (
                    "TRANS_STMT_BEGIN", "TRANS_STMT_START"))):
            self.leading = False

    def _applicable(self, kind: str, subtypes: frozenset[str] | None, in_function: bool) -> list[Any]:
        """The ``check`` functions to call for a statement: those of the rules of its node type that look at one
        of its ``ALTER TABLE`` commands, and inside a function body those that look there."""
        return [(ref.module or ref.load()).check for ref in self.dispatch[kind]
                if (ref.subtypes is None or subtypes is None or not ref.subtypes.isdisjoint(subtypes))
                and (not in_function or ref.in_functions)]

    def _track(self, stmt: Stmt) -> None:
        """What later statements need to know: relations created, timeouts set, transactions opened."""
        kind = stmt.kind
        if (kind == "SelectStmt" and stmt._node is None
                                   and stmt._tree.find("set_config", stmt._at, stmt._stop) < 0):
            return
        if kind == "ViewStmt" and stmt._node is None and stmt._tree.startswith('{"view":', stmt._at):
            # The view's name is the first field: decode it alone, not the view's query.
            r = relation(raw_decode(stmt._tree, stmt._at + 8)[0])
            if r:
                self._create(*r)
            return
        if kind == "CreateStmt":
            r = self.relation()
            if r:
                self._create(*r)
            return
        node = stmt.node
        if kind == "CreateTableAsStmt":
            r = relation((node.get("into") or {}).get("rel"))
            if r:
                self._create(*r)
        elif kind == "ViewStmt":
            r = relation(node.get("view"))
            if r:
                self._create(*r)
        elif kind == "IndexStmt":
            r = relation(node.get("relation"))
            if r and node.get("idxname"):
                self._create(r[0], node["idxname"])
        elif kind == "CreateSeqStmt":
            r = relation(node.get("sequence"))
            if r:
                self._create(*r)
        elif kind == "VariableSetStmt":
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

    def _track_setting(self, name: str, node: Node) -> None:
        vk = node.get("kind", "")
        if vk == "VAR_SET_VALUE":
            args = node.get("args", [])
            self._set(name, const_value(args[0]) if args else None)
        elif vk in ("VAR_RESET", "VAR_SET_DEFAULT", "VAR_RESET_ALL"):
            if vk == "VAR_RESET_ALL":
                self.lock_timeout = self.statement_timeout = False
            else:
                self._set(name, 0)

    def _set(self, name: str, value: Any) -> None:
        on = value not in (None, 0, "0", "", "0s", "0ms")
        if name == "lock_timeout":
            self.lock_timeout = on
        elif name == "statement_timeout":
            self.statement_timeout = on

    def finish(self) -> None:
        for ref in self.finishers:
            (ref.module or ref.load()).finish(self)

    def result(self) -> dict[str, Any]:
        suppressions = find_suppressions(self.src.text) + self.body_suppressions
        suppressions.sort(key=lambda s: s[0])
        return {
            "hits": self.hits,
            # Statement spans serve only to match suppressions to statements.
            "spans": self._line_spans() if suppressions else [],
            "suppressions": suppressions,
            "guards": self.guards,
            "error": None,
            "statements": self.statement_count,
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

    def _syntax_error(self, e: Exception) -> dict[str, Any]:
        message = str(e.args[0]) if e.args else str(e)
        byte_pos = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], int) else None
        pos = self.src.char(byte_pos) if byte_pos is not None else 0
        line, column = self.src.line(pos), self.src.column(pos)
        return {"hits": [], "spans": [], "suppressions": find_suppressions(self.src.text), "guards": [],
                "error": {"line": line, "column": column, "message": message}, "statements": 0}


def find_suppressions(text: str) -> list[list[Any]]:
    """``-- preflight: ignore <rule-id>[,<rule-id>...] <reason>`` comments as ``[line, [ids], reason]``."""
    if "preflight:" not in text:
        return []
    out: list[list[Any]] = []
    try:
        tokens = pgparser.scan(text)
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


def split_statements(tree: str) -> list[tuple[str, int, int, int, int]]:
    """The parser's JSON for a script, cut into its statements without decoding or copying them: ``(node type,
    start, stop, byte offset, byte length)`` each, the node's JSON being ``tree[start:stop]``.

    The JSON is ``{"version":N,"stmts":[{"stmt":{"<Type>":{...}},"stmt_location":N,"stmt_len":N},...]}``, with
    zero-valued fields left out. ``{"stmt":{"`` can only be the start of a statement: ``stmt`` is a field of
    ``RawStmt`` alone, and a quote inside a JSON string is always escaped."""
    out: list[tuple[str, int, int, int, int]] = []
    append, find, rfind = out.append, tree.find, tree.rfind
    step, last = len(_STMT), len(tree) - 1
    at = find(_STMT)
    while at >= 0:
        start = at + step
        quote = find('"', start)
        at = find(_STMT, quote)
        end = (at if at >= 0 else last) - 2  # before the RawStmt's closing "}," (or "}]")
        location = length = 0
        cut = rfind(',"stmt_len":', quote, end)
        if cut > 0:
            digits = tree[cut + 12:end]
            if digits.isdigit():
                length, end = int(digits), cut
        cut = rfind(',"stmt_location":', quote, end)
        if cut > 0:
            digits = tree[cut + 17:end]
            if digits.isdigit():
                location, end = int(digits), cut
        append((tree[start:quote], quote + 2, end - 1, location, length))
    return out


_STMT = '{"stmt":{"'


def analyze(text: str, transaction: str = "implicit", enabled: frozenset[str] | None = None) -> dict[str, Any]:
    """Lint one file's SQL with the ``enabled`` rules (default: every rule that is not opt-in); see the module
    documentation for the shape of the result."""
    return FileLint(text, transaction, enabled).run()


__all__ = ["ColumnType", "FileLint", "Stmt", "analyze", "find_suppressions", "split_statements", "statement_text"]
