"""The conditions a lint finding states without the database, settled by the files linted before it.

``preflight lint A B C`` takes the files in the order given as the order they run: what A and B do is the history
C meets. A finding of C whose claim rests on what only the database knows (:func:`preflight.lint.report.
without_database`: the column's current type, whether it is NOT NULL, a function's volatility, whether a relation
exists, an index exists, a table is partitioned) is settled when the statements before it, in this run, say the
answer: they are replayed in order with the same machinery that ``migrations.lint`` uses for the earlier pending
migrations (:class:`preflight.sql.pending_schema.Replay` over :class:`preflight.sql.schema_changes.Objects`). The
finding then makes the plain claim, with its grounds (the file and line of the statement that gives the answer),
and the severity the live judgement gives the same facts without table sizes: a change that reads no row is
information, the others keep their static severity.

A name the earlier statements did not touch keeps the condition (the database may hold it as anything: the run may
be the new files only), and so does one whose facts date from before a statement the replay cannot follow (a
``DO`` block, ``CREATE EXTENSION``, a file that does not parse): unknown is never a pass. This runs after the
per-file analysis (which the cache keeps by the file's content alone): one file's cached analysis never carries
what another file did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from preflight.lint.nodes import label
from preflight.lint.type_changes import BUILTIN, TIMESTAMPS, ColumnType, decide
from preflight.sql.pending_schema import PendingSchema
from preflight.sql.schema_changes import (
    ABSENT,
    CREATED,
    EXISTING,
    FUNCTION,
    RELATION,
    Effect,
    Known,
    Objects,
    Stamp,
    from_json,
)

Item = dict[str, Any]

CANNOT_TELL = "without the database the lint cannot tell"
_SERIAL = {"serial": "int4", "serial4": "int4", "bigserial": "int8", "serial8": "int8", "smallserial": "int2",
           "serial2": "int2"}


def settle(files: Sequence[tuple[str, dict[str, Any]]], per_file: Sequence[list[Item]],
           fixed: frozenset[str] | set[str] = frozenset(), offsets: dict[str, int] | None = None) -> None:
    """Each file's items (``items(..., live=False)``), in place. ``files``: (name, its analysis) in run order; what
    a file does to the schema is its analysis' ``effects`` (made with the rest of the analysis, and cached with it:
    nothing is parsed again here), none for a file that does not parse. ``fixed``: rules whose severity the selection fixes. ``offsets``: per
    file, the file line of the SQL's first line minus one (the up section of a runner's file), for the grounds."""
    asked = [i for i, items in enumerate(per_file) if any(_conditional(item) for item in items)]
    if not asked:
        return
    files = files[:asked[-1] + 1]  # what comes after the last file with a condition to settle settles nothing
    schema = PendingSchema.from_effects((name, None if analysis.get("effects") is None else
                                         from_json(analysis["effects"])) for name, analysis in files)
    for i, (name, _analysis) in enumerate(files):  # what a file that does not parse did is not followed
        if name in schema.unparsed:
            schema.effects[i] = ((1, 1, (Effect("opaque", "", None, f"{name}, which does not parse"),), 1),)
    replay = schema.replay()
    for index, items in enumerate(per_file):
        statements: dict[tuple[int, int], list[Item]] = {}
        for item in sorted(items, key=lambda i: (i["line"], i["column"])):
            if item.get("context") == "top" and item.get("target") and _conditional(item):
                statements.setdefault((item["line"], item["column"]), []).append(item)
        for (line, column), same in statements.items():
            objects = replay.at(index, line, column)
            _Settle(objects, files[index][0], fixed, offsets or {}).statement(same)


def _conditional(item: Item) -> bool:
    return bool(item.get("condition") or item["extra"].get("unless_not_null"))


class _Settle:
    def __init__(self, objects: Objects, here: str, fixed: frozenset[str] | set[str], offsets: dict[str, int]):
        self.objects, self.here, self.fixed, self.offsets = objects, here, fixed, offsets

    def where(self, stamp: Stamp) -> str:
        line = stamp.line + self.offsets.get(stamp.by or "", 0)
        return f"line {line} of this file" if stamp.by == self.here else f"{stamp.by} line {line}"

    def renames(self, *objects: Known | None) -> str:
        """The renames that gave ``objects`` the names the statement uses, as grounds to follow the ones above:
        what is known of a name another statement created under another name."""
        return "".join(f"; {self.where(at)} renames {what}" for k in objects if k is not None
                       for what, at in k.renamed)

    def known(self, family: str, schema: str | None, name: str) -> Known | None:
        """What the earlier statements made of the name, when they made it (not the database's object, not one
        made IF NOT EXISTS over what the database may hold) and nothing unfollowed ran since."""
        k = self.objects.get(family, schema, name)
        if k is None or k.state != CREATED or k.if_absent or not self.objects.fresh(k.at):
            return None
        return k

    def column(self, item: Item, column: str) -> Known | None:
        """The column as the earlier statements left it: of a table they created, or one they added (or retyped)
        on the database's table."""
        _kind, schema, name = item["target"]
        table = self.objects.get(RELATION, schema, name)
        if table is None or table.state == ABSENT or (table.state == CREATED and (
                table.if_absent or not self.objects.fresh(table.at))):
            return None
        c = table.columns.get(column)
        if c is None or c.state == ABSENT or (c.state == CREATED and c.if_absent):
            return None
        if table.state == EXISTING and c.state != CREATED and c.retyped_by is None:
            return None
        return c

    def info(self, item: Item) -> None:
        if item["rule"] not in self.fixed and item.get("context") == "top":
            item["severity"] = "info"

    def statement(self, items: list[Item]) -> None:
        for item in items:
            item["extra"] = dict(item["extra"])  # the analysis (cached) is not to be changed
            item["condition"] = dict(item.get("condition") or {})
            message = item["message"]
            suffix = ""
            if "if_exists" in item["condition"]:
                cut = message.rfind(" (if ")
                if cut != -1 and message.endswith(f"{CANNOT_TELL})"):
                    message, suffix = message[:cut], message[cut:]
            item["message"] = message
            if "if_exists" in item["condition"] and self._exists(item):
                suffix = ""
            item["_suffix"] = suffix
        rule = items[0]["rule"]
        if rule == "changing-column-type":
            self._type_change(items)
        elif rule == "adding-not-nullable-field":
            self._not_null(items)
        elif rule == "require-concurrent-index-creation":
            for item in items:
                self._index(item)
        elif rule == "adding-field-with-default":
            for item in items:
                self._default(item)
        for item in items:
            item["message"] += item.pop("_suffix")
            if not item["condition"]:
                item.pop("condition")

    # -- if_exists ----------------------------------------------------------------------------------------

    def _exists(self, item: Item) -> bool:
        """``IF EXISTS`` of a relation (a column) an earlier statement created: the statement does what it says."""
        cond = item["condition"]["if_exists"]
        if cond.get("guarded"):
            return False
        kind, schema, name = item["target"]
        table = self.known(RELATION, schema, name)
        if table is None or (kind == "index" and self.objects.index_table(schema, name) is None):
            return False
        what, stamp, renamed = label(schema, name), table.at, self.renames(table)
        if cond.get("column"):
            c = self.column(item, cond["column"])
            if c is None or c.at is None or not self.objects.fresh(c.at):
                return False
            what, stamp, renamed = f"column {cond['column']} of {what}", c.at, self.renames(table, c)
        assert stamp is not None
        item["message"] += f" ({what} exists: {self.where(stamp)} creates it{renamed})"
        del item["condition"]["if_exists"]
        return True

    # -- unless_current_type ------------------------------------------------------------------------------

    def _type_change(self, items: list[Item]) -> None:
        """``ALTER COLUMN ... TYPE``: the verdict of :func:`preflight.lint.type_changes.decide` on the type the
        earlier statements gave each column of the statement, as the live judgement words it."""
        cond = items[0]["condition"].get("unless_current_type")
        if not cond:
            return
        verdicts: dict[str, tuple[Any, str, str] | None] = {}
        for item in items:
            verdicts[item["extra"].get("column", "")] = self._type_verdict(item)
        rewriting = [(c, v) for c, v in verdicts.items() if v is not None and v[0].rewrite]
        if not rewriting and (set(verdicts) != set(cond) or any(v is None or v[0].index_rebuild
                                                               for v in verdicts.values())):
            return
        for item in items:
            column = item["extra"].get("column", "")
            rel = label(item["target"][1], item["target"][2])
            head = f"ALTER COLUMN {column} TYPE {item['extra']['new_type']['label']}"
            verdict = verdicts.get(column)
            if rewriting:
                if verdict is not None and verdict[0].rewrite:
                    why = f"{verdict[0].why} ({verdict[1]})"
                else:
                    other, (v, ground, _) = rewriting[0]
                    why = f"ALTER COLUMN {other} of the same statement rewrites it: {v.why} ({ground})"
                item["message"] = f"{head} rewrites {rel} and its indexes under an ACCESS EXCLUSIVE lock: {why}"
            else:
                assert verdict is not None
                item["message"] = (f"{head} does not rewrite {rel}: {verdict[0].why} ({verdict[1]}); the ACCESS "
                                   "EXCLUSIVE lock is held only for the catalog change")
                self.info(item)
            del item["condition"]["unless_current_type"]

    def _type_verdict(self, item: Item) -> tuple[Any, str, str] | None:
        extra = item["extra"]
        column = extra.get("column", "")
        c = self.column(item, column)
        if c is None or c.type is None or not self.objects.fresh(c.at):
            return None
        old, new = _builtin(c.type), _builtin(extra.get("new_type"))
        if old is None or new is None or {old.name, new.name} <= TIMESTAMPS:
            return None  # the server's version and TimeZone decide: the database's to say
        verdict = decide(old, new, using=extra.get("using", "none"))
        assert c.at is not None
        how = "changes it to" if c.retyped_by is not None else "creates it as" if c.state == CREATED else "gives it"
        renamed = self.renames(self.objects.get(RELATION, *item["target"][1:]), c)
        return verdict, f"{column} is {old.label()}: {self.where(c.at)} {how} {old.label()}{renamed}", column

    # -- unless_not_null ----------------------------------------------------------------------------------

    def _not_null(self, items: list[Item]) -> None:
        """``SET NOT NULL`` (PostgreSQL 18's ``ADD CONSTRAINT ... NOT NULL``) of columns each proven not null by
        the earlier statements: no scan, as the live judgement words it. A column they leave nullable keeps the
        condition (a constraint of the database's may still prove it)."""
        columns = items[0]["extra"].get("unless_not_null") or []
        proofs = {c: self._proof(items[0], c) for c in columns}
        if not columns or any(p is None for p in proofs.values()):
            return
        for item in items:
            column = item["extra"].get("column", "")
            head = str(item["message"]).split(" unless ", 1)[0]
            why = proofs.get(column) or next(p for p in proofs.values() if p)
            item["message"] = f"{head}: {why}, so SET NOT NULL skips the scan of {label(*item['target'][1:])}"
            item["extra"].pop("unless_not_null", None)
            self.info(item)

    def _proof(self, item: Item, column: str) -> str | None:
        c = self.column(item, column)
        _kind, schema, name = item["target"]
        table = self.objects.get(RELATION, schema, name)
        if c is not None and c.not_null and self.objects.fresh(c.not_null_at):
            assert c.not_null_at is not None
            return f"{column} is NOT NULL already: {self.where(c.not_null_at)} makes it so{self.renames(table, c)}"
        for (part, constraint), k in (table.parts.items() if table is not None else ()):
            if part == "constraint" and k.state == CREATED and k.proves == column and k.validated \
                    and self.objects.fresh(k.at):
                assert k.at is not None
                named = "" if constraint == "*" else f" {constraint}"
                return (f"the CHECK ({column} IS NOT NULL) constraint{named}, added and validated before it "
                        f"({self.where(k.at)}{self.renames(table)}), proves it (PostgreSQL 12 and later)")
        return None

    # -- unless_exists, unless_partitioned ----------------------------------------------------------------

    def _index(self, item: Item) -> None:
        """A plain ``CREATE INDEX`` ``IF NOT EXISTS`` (``ON ONLY``): nothing built when the earlier statements
        created the index (the table ``PARTITION BY``); built when they dropped the index (created the table
        without it) and the other condition is settled so too."""
        cond = item["condition"]
        rel = label(item["target"][1], item["target"][2])
        builds: list[str] = []
        index = cond.get("unless_exists")
        if index:
            schema, _, name = index.rpartition(".")
            k = self.objects.get(RELATION, schema or None, name)
            table = self.objects.get(RELATION, item["target"][1], item["target"][2])
            on = self.objects.index_table(schema or None, name)
            if k is not None and k.state == CREATED and not k.if_absent and self.objects.fresh(k.at) and (
                    on is not None and on is table):
                assert k.at is not None
                return self._no_build(item, rel, f"IF NOT EXISTS: {index} already exists ({self.where(k.at)} "
                                                 f"creates it{self.renames(k)}), so nothing is built")
            if k is not None and k.state == ABSENT and self.objects.fresh(k.at):
                assert k.at is not None
                builds.append(f"{index} does not exist: {self.where(k.at)} {k.how}")
        table_name = cond.get("unless_partitioned")
        if table_name:
            table = self.known(RELATION, item["target"][1], item["target"][2])
            if table is not None and table.partitioned:
                assert table.at is not None
                return self._no_build(item, rel, f"ON ONLY the partitioned table ({self.where(table.at)} creates it "
                                                 f"PARTITION BY{self.renames(table)}): its index is created "
                                                 "invalid, empty, until each partition's index is attached")
            if table is not None:
                assert table.at is not None
                builds.append(f"{table_name} is not partitioned: {self.where(table.at)} creates it so"
                              f"{self.renames(table)}")
        if len(builds) == len([c for c in (index, table_name) if c]):
            head = str(item["message"]).split(" and reads every row, unless ", 1)[0]
            item["message"] = f"{head} and reads every row: {'; '.join(builds)}"
            cond.pop("unless_exists", None)
            cond.pop("unless_partitioned", None)

    def _no_build(self, item: Item, rel: str, why: str) -> None:
        item["message"] = f"CREATE INDEX on {rel} reads no row: {why}; the SHARE lock is held only for the catalog change"
        item["condition"].pop("unless_exists", None)
        item["condition"].pop("unless_partitioned", None)
        self.info(item)

    # -- if_volatile --------------------------------------------------------------------------------------

    def _default(self, item: Item) -> None:
        """``ADD COLUMN ... DEFAULT f()`` of functions the earlier statements created: computed once when each is
        declared IMMUTABLE or STABLE, for every row when one is VOLATILE."""
        calls = item["condition"].get("if_volatile")
        if not calls:
            return
        declared: dict[str, tuple[str, Stamp, str]] = {}
        for call in calls:
            schema, _, name = call.rpartition(".")
            k = self.known(FUNCTION, schema or None, name)
            if k is None or k.volatility is None or k.at is None:
                continue
            declared[call] = (k.volatility, k.at, self.renames(k))
        head = str(item["message"]).split(" unless ", 1)[0]
        volatile = [(c, at, renamed) for c, (v, at, renamed) in declared.items() if v == "volatile"]
        if volatile:
            call, at, renamed = volatile[0]
            item["message"] = (f"{head}: the default calls {call}(), declared VOLATILE ({self.where(at)} creates "
                               f"it{renamed}), computed for every row")
        elif len(declared) == len(calls):
            said = ", ".join(f"{c}() is declared {v.upper()} ({self.where(at)} creates it{renamed})"
                             for c, (v, at, renamed) in declared.items())
            rel = label(item["target"][1], item["target"][2])
            item["message"] = (f"ADD COLUMN {item['extra'].get('column', '')} does not rewrite {rel}: {said}, so the "
                               "default is computed once; the ACCESS EXCLUSIVE lock is held only for the catalog "
                               "change")
            self.info(item)
        else:
            return
        del item["condition"]["if_volatile"]


def _builtin(written: dict[str, Any] | None) -> ColumnType | None:
    """A type as written, when it is a built-in one without a collation of its own (what it is does not depend on
    the database); None otherwise."""
    if not written or written.get("mods") is None or written.get("collation"):
        return None
    names = list(written["names"])
    if len(names) == 2 and names[0] == "pg_catalog":
        names = names[1:]
    if len(names) != 1:
        return None
    name = _SERIAL.get(names[0], names[0])
    if name not in BUILTIN:
        return None
    return ColumnType(name, tuple(written["mods"]), bool(written.get("array")))


__all__ = ["settle"]
