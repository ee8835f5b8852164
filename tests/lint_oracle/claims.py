"""The lint's claims about PostgreSQL, read from its JSON findings, and judged against what PostgreSQL did.

A claim is a prediction a finding makes about the server, one of ``KINDS``:

- **data-loss**: the statement destroys data in a table (drops it, drops a column, empties it, deletes or
  overwrites every row);
- **new**: the data-aware verdict "it does not exist yet: earlier pending migration X creates it" (or "is created
  earlier in this migration", or the column version): the relation (column) is made by the rollout, so it holds
  nothing the rollout could lose; wrong when it existed before the rollout under another name;
- **rewrite**: the table is rewritten; **index-rebuild**: its indexes are rebuilt ("... and its indexes");
- **scan**: the table is read in full (or, for a proven NOT NULL, not read);
- **lock**: the statement takes a lock of some strength on a relation (table below);
- **fails**: the statement fails (with the SQLSTATE class its reason implies), or succeeds, or fails under a
  condition ("fails if it holds rows", "fails while columns use it");
- **rows**: the table holds N rows (``data.rows`` with ``data.rows_exact``).

Findings that make no prediction about the server (style, compatibility with the running application) carry no
claim. ``READERS`` below is the one place where claims are read. The rule id says which claims a finding can
make; the relation and the lock mode are in the message text only, so they are read from it with the patterns
below. That is the lint's wording, not a contract: a change of wording shows here as a claim that can no longer
be read (``UnreadClaim``), never as a silent pass. The data-aware verdicts are structured: ``data.verdict`` is
"would-fail", "no-op" (``IF EXISTS`` on an absent object), "guarded" (an absent object, the statement guarded in
its ``DO`` block: it may not run, so the rule's own claims are withdrawn and none is made), "new" or
"new-column"; ``data.relation``, ``data.rows`` and ``data.rows_exact`` are used where present. A "would-fail"
verdict claims the SQLSTATE in ``data.sqlstate``, which every such finding names (one finding without it is an
``UnreadClaim``): ``object-existence`` and the data-aware verdict on a missing object, 42P01/42703/42704/42883/
3F000/22023 for a table, column, object, function, schema or enum label that is not there, 42P07/42701/42710/
42723/42P06 for a name already taken, 42809 a ``DROP`` of the wrong kind, 0A000 an extension the server does not
have, 42P16 a second primary key or ``DROP NOT NULL`` on a key column; ``fails-against-live-schema``, from
the catalogs: 2BP01 other objects depend on what is dropped, 0A000 a view uses the column whose type changes or a
foreign key references the table truncated, 42P16 a primary key in the way, 42830 no unique key to reference,
42804 key types or a column that cannot be cast, 42809 a DROP of the wrong kind of object, 42P13 a replaced
function's return type, 55000 a prerequisite missing, 42704 no default operator class, 42P17 partition bounds
that overlap; ``needs-newer-server``: 42601 syntax the server's version does not have, 42809 a NOT VALID foreign
key on a partitioned table before PostgreSQL 18; ``unsafe-new-enum-value``: 55P04; ``fails-on-live-data``, from
probes of the live rows: 23502 NULLs, 23505 duplicates, 23503 orphans, 23514 a check, a domain or a partition
bound, 22001 / 22026 a length, 22P02 and the like a value that does not convert; its "not-evaluated" claims
nothing).

Lock claims come in four strengths, from the words the message uses:

================================  ==============================================================
the message says                  the claim is right when the strongest mode held on the relation
================================  ==============================================================
"an ACCESS EXCLUSIVE lock" etc.   is exactly that mode
"blocks reads", "every query"     conflicts with ACCESS SHARE (plain SELECT): ACCESS EXCLUSIVE
"blocks writes" (reads go on)     conflicts with ROW EXCLUSIVE (INSERT/UPDATE/DELETE) but not with
                                  ACCESS SHARE: SHARE, SHARE ROW EXCLUSIVE or EXCLUSIVE
"under a lock", "locks T"         conflicts with ROW EXCLUSIVE: writers wait
================================  ==============================================================

Judging (``judge``): a claim is *right*, *wrong*, or *moot*. Moot: a claim about what a statement does when it
fails (only "fails" and "rows" claims are judged then), a data-loss claim about a table that held no rows, a
lock claim where locks cannot be seen (outside a transaction block) or where an earlier statement of the same
transaction already holds locks on the relation, a "fails if objects depend on it" claim unless the statement
fails that way, a claim on a statement never reached (an earlier one of its migration failed). A claim that
names a relation PostgreSQL does not know is wrong. A finding whose data-aware verdict says "IF EXISTS makes the
statement a no-op" claims only that the statement succeeds.

Conditional claims. Without the database (``preflight lint``) some claims rest on what only the catalogs know;
the finding then states the condition in its message ("... without the database the lint cannot tell", else the
finding is ``UnreadClaim``) and carries it in ``data.condition``; each kind of condition applies to some of the
finding's claims (``CONDITIONS``), the others are unconditional. A conditional claim is judged against the
catalogs *before the statement* (:mod:`tests.lint_oracle.observe`):

- ``unless_current_type`` (``changing-column-type``; per changed column of the statement, the current types from
  which its change is metadata-only, as :func:`preflight.lint.type_changes.metadata_only_from` writes them): the
  condition holds when every column's type (under its domains) is one of its alternatives; then the claim is "no
  rewrite" and "no index rebuilt but those on the changed columns" (every other index kept; moot when every
  index uses a changed column), else "rewrites t and every index";
- ``if_exists`` (a statement naming a relation ``IF EXISTS``, or guarded in its ``DO`` block; ``column`` for
  ``DROP COLUMN IF EXISTS``): moot when the relation (the column) did not exist before the statement (nothing
  happens to it), else judged as the plain claim; the guard's own condition is not observed, so a guarded
  statement on an existing object is judged as if it ran;
- ``if_volatile`` (``adding-field-with-default``; the default's functions): a rewrite when one of them is declared
  volatile (``pg_proc.provolatile`` of the functions of that name), else none; moot when one does not exist;
- ``unless_exists`` (``CREATE INDEX IF NOT EXISTS``, the index) and ``unless_partitioned`` (``ON ONLY``, the
  table): the scan claim is "no scan" when the index existed or the table was partitioned, else "scans";
- ``unless_not_null`` (``adding-not-nullable-field``; the columns the statement sets NOT NULL): "no scan" when
  each column was proven not null before the statement (``Truth.not_null``: NOT NULL by a validated constraint,
  or covered by a validated ``CHECK (column IS NOT NULL)``), else "scans".

``missing`` adds the claims the lint should have made and did not, each a wrong claim: a statement that fails
without any "fails" claim; a populated table dropped, emptied or stripped of a column without a data-loss claim
(rows deleted or updated under a WHERE are the migration's intent, and not required); a populated table
rewritten without a rewrite claim; a populated table read while the statement holds a lock that blocks writes,
without a claim of a rewrite, a scan or a lock on it by a rule about the statement itself
(``require-lock-timeout`` and ``require-statement-timeout`` are about the file's settings and disappear when it
sets them, so they do not count).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from preflight.lint.type_changes import domain_sources
from tests.lint_oracle.observe import Truth, blocks_reads, blocks_writes

KINDS = ("data-loss", "new", "rewrite", "index-rebuild", "scan", "lock", "fails", "rows")

EXACT, BLOCKS_READS, BLOCKS_WRITES_ONLY, BLOCKS_WRITES = "exactly", "blocks reads", "blocks writes, not reads", \
    "blocks writes"
MODE_NAMES = {"ACCESS SHARE": "AccessShareLock", "ROW SHARE": "RowShareLock", "ROW EXCLUSIVE": "RowExclusiveLock",
              "SHARE UPDATE EXCLUSIVE": "ShareUpdateExclusiveLock", "SHARE": "ShareLock",
              "SHARE ROW EXCLUSIVE": "ShareRowExclusiveLock", "EXCLUSIVE": "ExclusiveLock",
              "ACCESS EXCLUSIVE": "AccessExclusiveLock"}
# Rules about the file's settings rather than the statement: their lock claims do not answer for a long lock.
SETTINGS_RULES = ("require-lock-timeout", "require-statement-timeout")


@dataclass(frozen=True)
class Claim:
    kind: str
    """One of ``KINDS``; "fails" covers "fails", "succeeds" and "fails if populated" (``value``)."""
    relation: str | None
    """``schema.name``; ``index:schema.name`` for a relation the message names by an index (its table is meant)."""
    value: str
    """rewrite/index-rebuild/scan: "yes" or "no"; lock: the strength (``EXACT`` + mode, or one of the others);
    fails: "fails <SQLSTATEs>", "succeeds", "fails if populated <SQLSTATE>"; rows: the number."""
    rule: str
    severity: str
    file: str
    line: int | None
    message: str
    column: int | None = None
    condition: str = ""
    """The finding's ``data.condition`` (JSON, keys sorted) when the claim rests on it: "" for an unconditional
    claim."""

    def conditions(self) -> dict[str, Any]:
        return json.loads(self.condition) if self.condition else {}

    def describe(self) -> str:
        """The claim in words, e.g. "rewrite: rewrites public.t", "lock: locks public.t (blocks reads)"; a
        conditional claim names its condition."""
        said = self._describe()
        return f"{said} ({', '.join(sorted(self.conditions()))})" if self.condition else said

    def _describe(self) -> str:
        rel = self.relation or ""
        if self.kind == "fails":
            return f"fails: {self.value}" + (f" ({rel})" if rel else "")
        if self.kind == "lock":
            return f"lock: locks {rel} ({self.value})"
        if self.kind == "rows":
            return f"rows: {rel} holds {self.value} rows"
        if self.kind == "new":
            what = self.value if self.value != "table" else "the table"
            return f"new: {what} of {rel} is made by the rollout (holds nothing the rollout could lose)"
        verb = {"data-loss": "destroys data in", "rewrite": "rewrites", "index-rebuild": "rebuilds the indexes of",
                "scan": "scans"}[self.kind]
        return f"{self.kind}: {'does not ' + verb.rstrip('s') if self.value == 'no' else verb} {rel}".rstrip()

    def source(self) -> str:
        return f"{self.rule} ({self.severity}) at {self.file}:{self.line}: {self.message}"


class UnreadClaim(Exception):
    """A finding of a rule that makes claims, whose message no longer matches what the reader expects."""


def qualify(name: str) -> str:
    name = name.replace('"', "").rstrip(",.;")
    return name if "." in name else f"public.{name}"


# -- reading -------------------------------------------------------------------------------------------------

Reader = Callable[[re.Match[str], str], Iterator[tuple[str, str | None, str]]]


def _lock_value(mode_words: str) -> str:
    return f"{EXACT} {MODE_NAMES[mode_words.strip()]}"


def _rewrite_and_lock(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    rel = qualify(m["rel"])
    yield "rewrite", rel, "yes"
    yield "lock", rel, _lock_value(m["mode"])


def _type_change(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield from _rewrite_and_lock(m, msg)
    yield "index-rebuild", qualify(m["rel"]), "yes"
    linked = re.search(rf"foreign keys are checked again, reading (?P<others>.+?) under an? {MODE} lock", msg)
    for other in linked["others"].split(", ") if linked else ():
        yield "scan", qualify(other), "yes"
        yield "lock", qualify(other), _lock_value(linked["mode"])


def _kept_in_place(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    rel = qualify(m["rel"])
    yield "rewrite", rel, "no"
    if m.groupdict().get("read"):
        yield "scan", rel, "yes"
    yield "lock", rel, _lock_value(m["mode"])


def _no_build(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "scan", qualify(m["rel"]), "no"
    yield "lock", qualify(m["rel"]), _lock_value(m["mode"])


def _column_table(column: str) -> str:
    return qualify(column.rsplit(".", 1)[0])


def _set_not_null(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    rel = _column_table(m["col"])
    yield "scan", rel, "no" if "skips the scan" in msg else "yes"
    yield "lock", rel, _lock_value(m["mode"])


def _not_null_constraint(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    rel = qualify(m["rel"])
    yield "scan", rel, "no" if "skips the scan" in msg else "yes"
    yield "lock", rel, _lock_value(m["mode"])


def _validation(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "scan", qualify(m["rel"]), "yes"
    yield "lock", qualify(m["rel"]), BLOCKS_WRITES
    if m.groupdict().get("ref"):
        yield "lock", qualify(m["ref"]), BLOCKS_WRITES


def _column_check(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "scan", qualify(m["rel"]), "yes"
    yield "lock", qualify(m["rel"]), _lock_value(m["mode"])


def _two_locks(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "lock", qualify(m["rel"]), BLOCKS_WRITES
    yield "lock", qualify(m["ref"]), BLOCKS_WRITES


def _index_build(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "scan", qualify(m["rel"]), "yes"
    yield "lock", qualify(m["rel"]), _lock_value(m["mode"]) if m.groupdict().get("mode") else BLOCKS_WRITES_ONLY


def _queue(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    # ACCESS EXCLUSIVE is the only mode that conflicts with ACCESS SHARE: "exactly ACCESS EXCLUSIVE" and "blocks
    # reads" are one claim, read the way the ledger has always named it.
    mode = _lock_value(m["mode"])
    yield "lock", qualify(m["rel"]), BLOCKS_READS if mode == _lock_value("ACCESS EXCLUSIVE") else mode


def _lock(strength: str, prefix: str = "") -> Reader:
    def read(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
        value = _lock_value(m["mode"]) if m.groupdict().get("mode") else strength
        yield "lock", prefix + qualify(m["rel"]), value
    return read


def _fails(states: str) -> Reader:
    def read(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
        yield "fails", None, f"fails {states}".strip()
    return read


def _succeeds(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "fails", None, "succeeds"


def _required_field(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    if "so the statement fails" in msg:
        yield "fails", None, "fails 23502"
    elif "so the statement succeeds" in msg:
        yield "fails", None, "succeeds"
    else:
        yield "fails", qualify(m["rel"]), "fails if populated 23502"


def _loss(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "data-loss", qualify(m["rel"]) if m.groupdict().get("rel") else None, "yes"


def _loss_under_lock(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    """Every row read while the transaction holds the lock an earlier ALTER TABLE took: data loss, and the lock."""
    yield from _loss(m, msg)
    yield "lock", qualify(m["rel"]), _lock_value(m["mode"])


def _dependents(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "fails", None, "fails if dependents 2BP01"


def _generated(m: re.Match[str], msg: str) -> Iterator[tuple[str, str | None, str]]:
    yield "rewrite", _column_table(m["col"]), "yes"


MODE = r"(?P<mode>ACCESS EXCLUSIVE|SHARE ROW EXCLUSIVE|SHARE UPDATE EXCLUSIVE|ROW EXCLUSIVE|ROW SHARE|ACCESS SHARE|EXCLUSIVE|SHARE)"
REL = r"(?P<rel>[^\s:]+)"

# rule id -> [(pattern on the message, reader)]. A finding of a rule listed here must match one of its patterns
# (else UnreadClaim); the patterns that are optional (a rule's variants that make no claim) map to None.
READERS: dict[str, list[tuple[str, Reader | None]]] = {
    "changing-column-type": [
        (rf"TYPE .+ rewrites {REL} and its indexes under an? {MODE} lock", _type_change),
        (rf"TYPE .+ does not rewrite {REL}: .*; but the indexes on \S+ are rebuilt, (?P<read>reading) \S+ under an? "
         rf"{MODE} lock", _kept_in_place),
        (rf"TYPE .+ does not rewrite {REL}: .*; the {MODE} lock is held only for the catalog change", _kept_in_place),
    ],
    "adding-field-with-default": [
        (rf"rewrites {REL} under an? {MODE} lock", _rewrite_and_lock),
        (rf"ADD COLUMN \S+ does not rewrite {REL}: .*; the {MODE} lock is held only for the catalog change",
         _kept_in_place),
    ],
    "prefer-repack": [(rf"(?:CLUSTER|VACUUM FULL) {REL} rewrites the table under an? {MODE} lock", _rewrite_and_lock),
                      (r"^(?:CLUSTER|VACUUM FULL) rewrites every", None)],
    "changing-table-logging": [(rf"SET (?:UN)?LOGGED on {REL} rewrites the table under an? {MODE} lock",
                                _rewrite_and_lock)],
    "attaching-partition": [(rf"ATTACH PARTITION \S+ takes an? {MODE} lock on {REL} and reads its rows", _lock(""))],
    "ban-alter-generated-expression": [(r"SET EXPRESSION on (?P<col>\S+) rewrites the table", _generated)],
    "adding-not-nullable-field": [(rf"SET NOT NULL on (?P<col>\S+) scans the table under an? {MODE} lock",
                                   _set_not_null),
                                  (rf"ADD PRIMARY KEY USING INDEX \S+ on {REL} scans the table under an? {MODE} lock",
                                   _not_null_constraint),
                                  (rf"ADD (?:CONSTRAINT \S+ )?NOT NULL \S+ on {REL} scans the table under an? {MODE} "
                                   "lock", _not_null_constraint)],
    "constraint-missing-not-valid": [
        (rf"without NOT VALID checks every row under a lock on {REL}(?: and on (?P<ref>[^\s:]+))?", _validation),
        (rf"runs in the same transaction as the NOT VALID add, so {REL} stays locked for the whole check",
         _validation),
        (rf"REFERENCES (?P<ref>\S+) locks {REL} and the referenced table", _two_locks),
        (rf"ADD COLUMN \S+ with a CHECK constraint checks every row under an? {MODE} lock on {REL}", _column_check),
    ],
    "disallowed-unique-constraint": [(rf"on {REL} builds (?:its|an) index under an? {MODE} lock", _index_build)],
    "require-concurrent-index-creation": [
        (rf"CREATE INDEX on {REL} without CONCURRENTLY blocks writes", _index_build),
        (rf"CREATE INDEX on {REL} reads no row: .*; the {MODE} lock is held only for the catalog change", _no_build),
    ],
    "require-concurrent-index-deletion": [(rf"DROP INDEX {REL} without CONCURRENTLY takes an? {MODE} lock on its table",
                                           _lock(EXACT, "index:"))],
    "require-concurrent-partition-detach": [(rf"without CONCURRENTLY takes an? {MODE} lock on {REL}",
                                             _lock(EXACT))],
    "require-concurrent-reindex": [(rf"REINDEX of {REL} without CONCURRENTLY blocks writes",
                                    _lock(BLOCKS_WRITES_ONLY, "index:")),
                                   (r"^REINDEX \w+ \S* ?without CONCURRENTLY blocks writes to every table", None)],
    "require-concurrent-refresh": [(rf"REFRESH MATERIALIZED VIEW {REL} without CONCURRENTLY blocks reads",
                                    _lock(BLOCKS_READS))],
    "create-trigger-on-existing-table": [(rf"on {REL} takes an? {MODE} lock", _lock(EXACT))],
    "require-lock-timeout": [(rf"this statement takes an? {MODE} lock on {REL} without lock_timeout", _queue)],
    "require-statement-timeout": [(rf"this statement locks {REL} without statement_timeout", _lock(BLOCKS_WRITES))],
    "adding-required-field": [(rf"NOT NULL without a default fails if {REL} holds rows", _required_field)],
    "cannot-run-in-transaction": [(r"cannot run inside a transaction block", _fails("25001"))],
    "ban-duplicate-column-assignments": [(r"PostgreSQL rejects the statement", _fails("42601 42701"))],
    "syntax-error": [(r"", _fails("42601"))],
    # migrations.guards: a guard that raises says its migration stops there; one that passes, that it does not.
    "guard-raises": [(r"", _fails("P0001 P0004"))],
    "guard-errors": [(r"", _fails(""))],
    "guard-passes": [(r"", _succeeds)],
    "ban-drop-table": [(rf"DROP TABLE {REL} destroys the table and every row in it", _loss)],
    "ban-drop-column": [(rf"destroys the column's data in {REL}", _loss)],
    "ban-truncate": [(rf"TRUNCATE {REL} removes every row of the table", _loss)],
    "delete-without-where": [(rf"DELETE without WHERE removes every row of {REL}, reading every row while this "
                              rf"transaction holds the {MODE} lock", _loss_under_lock),
                             (rf"DELETE without WHERE removes every row of {REL}", _loss)],
    "update-without-where": [(rf"UPDATE without WHERE overwrites .* in every row of {REL}, reading every row while "
                              rf"this transaction holds the {MODE} lock", _loss_under_lock),
                             (rf"UPDATE without WHERE overwrites .* in every row of {REL}", _loss)],
    "ban-drop-schema": [(r"CASCADE destroys every object in it and their rows", _loss),
                        (r"destroys the schema \(and fails if it still holds objects\)", _dependents)],
    "ban-drop-type": [(r"CASCADE drops every column that uses it, with its data", _loss),
                      (r"fails while columns use it", _dependents)],
}


def read(finding: dict[str, Any]) -> list[Claim]:
    """The claims one JSON finding makes."""
    rule, msg = finding.get("rule") or "", finding.get("message") or ""
    loc = finding.get("location") or {}
    out: list[tuple[str, str | None, str]] = []
    if rule in READERS:
        for pattern, reader in READERS[rule]:
            m = re.search(pattern, msg)
            if m:
                if reader is not None:
                    out.extend(reader(m, msg))
                break
        else:
            raise UnreadClaim(f"{rule}: no claim pattern matches {msg!r}")
    data = finding.get("data") or {}
    verdict = data.get("verdict")
    if verdict == "would-fail":  # the error the finding names
        if not data.get("sqlstate"):
            raise UnreadClaim(f"{rule}: a would-fail verdict that names no SQLSTATE: {msg!r}")
        states = data["sqlstate"]
        out.append(("fails", None, f"fails {states}"))
    elif verdict == "no-op":  # the verdict says nothing happens: the rule's own claims are withdrawn
        out = [("fails", None, "succeeds")]
    elif verdict == "guarded":  # the statement may not run at all: its claims are conditional on the guard
        out = []
    elif verdict == "new":  # the object is made by the rollout (so it holds nothing the rollout could lose)
        about = next((rel for kind, rel, _ in out if rel and kind != "fails"), None)
        if about:
            out.append(("new", about.removeprefix("index:"), "table"))
    elif verdict == "new-column":
        m = re.search(r"DROP COLUMN (\S+) destroys the column's data in ([^\s:]+)", msg)
        if m:
            out.append(("new", qualify(m[2]), f"column {m[1]}"))
    if data.get("rows_exact") and data.get("relation") and "rows" in data:
        out.append(("rows", qualify(str(data["relation"])), str(data["rows"])))
    condition = data.get("condition") or {}
    if condition and not (set(condition) <= set(CONDITIONS) and CANNOT_TELL in msg):
        raise UnreadClaim(f"{rule}: a condition {sorted(condition)} the message does not state as one: {msg!r}")
    return [Claim(kind, rel, value, rule, finding.get("severity", ""), loc.get("file", ""), loc.get("line"), msg,
                  loc.get("column"), _condition_of(kind, condition)) for kind, rel, value in dict.fromkeys(out)]


# data.condition -> the claim kinds it is a condition of (the others of the finding are unconditional).
CONDITIONS = {"if_exists": ("data-loss", "new", "rewrite", "index-rebuild", "scan", "lock", "rows"),
              "unless_current_type": ("rewrite", "index-rebuild"), "if_volatile": ("rewrite",),
              "unless_exists": ("scan",), "unless_partitioned": ("scan",), "unless_not_null": ("scan",)}
CANNOT_TELL = "without the database the lint cannot tell"


def _condition_of(kind: str, condition: dict[str, Any]) -> str:
    mine = {k: v for k, v in condition.items() if kind in CONDITIONS.get(k, ())}
    return json.dumps(mine, sort_keys=True) if mine else ""


def read_report(report: dict[str, Any]) -> dict[str, list[Claim]]:
    """Claims of every finding of a JSON report, by the file they are in."""
    out: dict[str, list[Claim]] = {}
    for check in report.get("checks", ()):
        for f in check.get("findings", ()):
            out.setdefault((f.get("location") or {}).get("file", ""), []).extend(read(f))
    return out


# -- judging -------------------------------------------------------------------------------------------------

RIGHT, WRONG, MOOT = "right", "wrong", "moot"


@dataclass(frozen=True)
class Verdict:
    claim: Claim | None
    """None for a claim the lint should have made and did not (``missing``)."""
    kind: str
    verdict: str
    truth: str
    missing: str = ""
    """For a missing claim: what should have been claimed."""

    def describe(self) -> str:
        if self.claim is None:
            return f"MISSING {self.kind} claim: {self.missing}\n      truth: {self.truth}"
        return (f"WRONG {self.claim.describe()}\n      truth: {self.truth}\n      claimed by {self.claim.source()}")


def _partitions(truth: Truth, rel: str) -> set[str]:
    """``rel`` and, for a partitioned table, its partitions."""
    return {rel, *truth.partitions.get(rel, ())}


def _resolve(truth: Truth, rel: str) -> str:
    """The relation a claim is about, by its name before the file ran (its table, for a claim naming an index)."""
    name = rel.removeprefix("index:")
    name = truth.aliases.get(name, name)
    if rel.startswith("index:"):
        return truth.index_table.get(name, name)
    return name


def _lock_right(value: str, mode: str | None) -> bool:
    if mode is None:
        return False
    if value.startswith(EXACT):
        return mode == value.split()[-1]
    if value == BLOCKS_READS:
        return blocks_reads(mode)
    if value == BLOCKS_WRITES_ONLY:
        return blocks_writes(mode) and not blocks_reads(mode)
    return blocks_writes(mode)


def _type_is(alt: dict[str, Any], now: dict[str, Any], truth: Truth) -> bool:
    """Whether a column's type before the statement (``Truth.column_types``) is the alternative the lint names
    (:func:`preflight.lint.type_changes.metadata_only_from` documents the form)."""
    if "domain_base_of" in alt:
        domain = qualify(alt["domain_base_of"])
        base = truth.domains.get(domain)
        return base is not None and domain not in truth.checked_domains and any(
            _type_is(a, now, truth) for a in domain_sources(base["type"], base["mods"], base["array"]))
    mods = now["mods"]
    if alt["type"] != now["type"] or bool(alt.get("array")) != now["array"]:
        return False
    if "mods" in alt:
        ok = mods == alt["mods"]
    elif "length_at_most" in alt:
        ok = bool(mods) and mods[0] <= alt["length_at_most"]
    elif "scale" in alt:
        ok = bool(mods) and mods[0] <= alt["precision_at_most"] and (mods[1] if len(mods) > 1 else 0) == alt["scale"]
    elif "precision_at_most" in alt:
        ok = bool(mods) and mods[0] <= alt["precision_at_most"]
    else:
        ok = True
    if "server_version_at_least" in alt:
        ok = ok and truth.server_version >= alt["server_version_at_least"]
    if alt.get("timezone"):
        ok = ok and truth.timezone.lower() in UTC_NAMES
    return ok


UTC_NAMES = ("utc", "etc/utc", "uct", "etc/uct", "gmt", "etc/gmt", "universal", "etc/universal", "zulu", "etc/zulu")


def _conditional(claim: Claim, truth: Truth) -> Verdict | Claim:
    """A conditional claim (``data.condition``) judged by its condition: moot when it is about an object that did
    not exist before the statement (``if_exists``: the statement does nothing to it); else the claim it makes
    under what the catalogs held before the statement (the claim to judge as usual), or its verdict."""
    def v(ok: bool | None, why: str) -> Verdict:
        return Verdict(claim, claim.kind, MOOT if ok is None else RIGHT if ok else WRONG, why)

    cond = claim.conditions()
    if "if_exists" in cond:
        rel = _resolve(truth, qualify(cond["if_exists"]["relation"]))
        column = cond["if_exists"].get("column")
        if rel not in truth.existed:
            return v(None, f"{rel} did not exist before the file ran (the claim is conditional on it)")
        if column and column not in truth.column_types.get(rel, {}):
            return v(None, f"{rel}.{column} did not exist before the file ran (the claim is conditional on it)")
    said = []
    if "unless_current_type" in cond:
        table = _resolve(truth, claim.relation or "")
        held = []
        for column, alternatives in sorted(cond["unless_current_type"].items()):
            now = truth.column_types.get(table, {}).get(column)
            if now is None:
                return v(None, f"{table}.{column} did not exist before the statement")
            held.append(any(_type_is(a, now, truth) for a in alternatives))
            said.append(f"{column} was {now['format']}")
        holds = all(held)
        said.append("so the condition holds" if holds else "so the condition does not hold")
        if claim.kind == "index-rebuild" and holds:
            columns = set(cond["unless_current_type"])
            indexes = sorted(i for i, t in truth.index_table.items() if t in _partitions(truth, table)
                             and not columns & set(truth.index_columns.get(i, ())))
            if not indexes:
                return v(None, f"{'; '.join(said)}; every index of {table} uses a changed column")
            rebuilt = [i for i in indexes if i in truth.rebuilt_indexes]
            return v(not rebuilt, f"{'; '.join(said)}; " + (f"indexes rebuilt: {', '.join(rebuilt)}" if rebuilt else
                                                            f"indexes of {table} off the changed columns kept"))
        claim = replace(claim, value="no" if holds else "yes")
    if "if_volatile" in cond:
        declared = {f: truth.volatility.get(f.rpartition(".")[2]) for f in cond["if_volatile"]}
        if None in declared.values():
            return v(None, "a function of the default did not exist before the statement")
        claim = replace(claim, value="yes" if "volatile" in declared.values() else "no")
    if "unless_exists" in cond or "unless_partitioned" in cond:
        index = cond.get("unless_exists")
        table = cond.get("unless_partitioned")
        skipped = (index is not None and _resolve(truth, qualify(index)) in truth.existed) or (
            table is not None and truth.kinds.get(_resolve(truth, qualify(table))) == "p")
        claim = replace(claim, value="no" if skipped else "yes")
    if "unless_not_null" in cond:
        table = _resolve(truth, claim.relation or "")
        proven = all(c in truth.not_null.get(table, ()) for c in cond["unless_not_null"])
        claim = replace(claim, value="no" if proven else "yes")
    return replace(claim, condition="")


def judge(claim: Claim, truth: Truth) -> Verdict:
    if claim.condition and truth.error is None:
        settled = _conditional(claim, truth)
        if isinstance(settled, Verdict):
            return settled
        verdict = judge(settled, truth)
        return replace(verdict, claim=claim)
    return _judge(claim, truth)


def _judge(claim: Claim, truth: Truth) -> Verdict:
    def v(ok: bool | None, why: str) -> Verdict:
        return Verdict(claim, claim.kind, MOOT if ok is None else RIGHT if ok else WRONG, why)

    error = truth.error
    failed = f"fails with {error['sqlstate']}: {error['message']}" if error else "succeeds"
    if claim.kind == "fails":
        if claim.value == "succeeds":
            return v(error is None, failed)
        if claim.value.startswith("fails if dependents"):
            # the condition (objects depend on it) is not observed: judged only when it is what happened
            expected = claim.value.split()[-1]
            if error is None or error["sqlstate"] != expected:
                return v(None, f"{failed} (the condition says nothing about that)")
            return v(True, failed)
        if claim.value.startswith("fails if populated"):
            rows = truth.rows.get(_resolve(truth, claim.relation or ""), 0)
            expected = claim.value.split()[-1]
            ok = (error is not None and error["sqlstate"] == expected) if rows else error is None
            return v(ok, f"{claim.relation} holds {rows} rows; the file {failed}")
        states = claim.value.split()[1:]
        return v(error is not None and (not states or error["sqlstate"] in states), failed)
    rel = _resolve(truth, claim.relation or "")
    if claim.kind == "rows":
        rows = truth.rows if truth.rows_at_lint is None else truth.rows_at_lint
        if rel not in rows:  # the lint sizes a view, an index or a type as the relation: not about rows
            return v(None, f"{rel} is not a table")
        return v(rows[rel] == int(claim.value), f"{rel} holds {rows[rel]} rows")
    if error is not None:
        return v(None, failed)
    if claim.kind == "new":
        name = claim.relation or ""
        if claim.value.startswith("column "):
            column = claim.value.split(" ", 1)[1]
            if name not in truth.column_origins:
                return v(None, f"{name} does not exist")
            old = column in truth.column_origins[name]
            return v(not old, f"{name}.{column} existed before the rollout" if old else f"{name}.{column} is new")
        if name not in truth.origins:
            return v(None, f"{name} does not exist")
        then = truth.origins[name]
        held = (truth.rows_at_lint or {}).get(then or "", 0)
        return v(then is None, f"{name} existed before the rollout (as {then}, {held} rows)" if then else f"{name} is new")
    if claim.kind == "data-loss" and not claim.relation:
        lost = ", ".join(f"{t}: {how}" for t, how in truth.lost.items())
        return v(True if truth.lost else None, f"lost: {lost}" if lost else "no table with rows lost data")
    if rel not in truth.existed:
        return v(False, f"{rel} did not exist before the file ran")
    if claim.kind == "data-loss":
        rows = sum(truth.rows.get(t, 0) for t in _partitions(truth, rel))
        if not rows:
            return v(None, f"{rel} held no rows")
        lost = {t: how for t, how in truth.lost.items() if t in _partitions(truth, rel)}
        return v(bool(lost), "; ".join(f"{t}: {how}" for t, how in lost.items()) or f"{rel} ({rows} rows) kept its data")
    if claim.kind == "rewrite":
        done = sorted(_partitions(truth, rel) & set(truth.rewritten))
        said = f"rewritten: {', '.join(done)}" if done else "not rewritten" + (
            " (new relfilenode, but nothing copied: emptied)" if rel in truth.new_filenode else "")
        return v(bool(done) == (claim.value == "yes"), f"{rel} {said}")
    if claim.kind == "index-rebuild":
        indexes = sorted(i for i, t in truth.index_table.items() if t in _partitions(truth, rel))
        if not indexes:
            return v(None, f"{rel} has no index")
        kept = [i for i in indexes if i not in truth.rebuilt_indexes]
        return v(not kept, f"indexes of {rel} kept: {', '.join(kept)}" if kept else f"every index of {rel} rebuilt")
    if claim.kind == "scan":
        read_ = bool(_partitions(truth, rel) & set(truth.scanned))
        return v(read_ == (claim.value == "yes"), f"{rel} {'read' if read_ else 'not read'} by the statement")
    if claim.kind == "lock":
        if truth.locks is None:
            return v(None, "locks not observable (the statement runs outside a transaction block)")
        if rel in truth.locks_before:
            return v(None, f"an earlier statement of the same transaction already locks {rel}")
        mode = truth.locks.get(rel)
        return v(_lock_right(claim.value, mode), f"strongest lock on {rel}: {mode or 'none'}")
    raise AssertionError(claim.kind)


def missing(claims: list[Claim], truth: Truth) -> list[Verdict]:
    """The claims the lint should have made about this statement and did not."""
    out: list[Verdict] = []
    if truth.error is not None:
        if not any(c.kind == "fails" and c.value != "succeeds" for c in claims):
            out.append(Verdict(None, "fails", WRONG, f"fails with {truth.error['sqlstate']}: "
                                                     f"{truth.error['message']}", "the statement fails"))
        return out

    def covered(table: str, kinds: tuple[str, ...], exclude: tuple[str, ...] = ()) -> bool:
        for c in claims:
            if c.kind in kinds and c.rule not in exclude and c.relation and (
                    table in _partitions(truth, _resolve(truth, c.relation))) and c.value != "no":
                return True
        return False

    populated = {t for t, n in truth.rows.items() if n > 0 and truth.kinds.get(t) in ("r", "p")}
    structural = {t: how for t, how in truth.lost.items()
                  if t in populated and any(w in how for w in ("dropped", "emptied"))}
    if structural and not any(c.kind == "data-loss" for c in claims):
        lost = "; ".join(f"{t} ({truth.rows[t]} rows): {how}" for t, how in structural.items())
        out.append(Verdict(None, "data-loss", WRONG, lost, "destroys data"))
    for table in truth.rewritten:
        if table in populated and not covered(table, ("rewrite",)):
            out.append(Verdict(None, "rewrite", WRONG, f"{table} ({truth.rows[table]} rows) rewritten",
                               f"rewrites {table}"))
    if truth.locks is not None:
        for table in sorted(set(truth.scanned) | set(truth.rewritten)):
            mode = truth.locks.get(table)
            if table in populated and mode and blocks_writes(mode) and table not in truth.locks_before and not covered(
                    table, ("rewrite", "scan", "lock"), SETTINGS_RULES):
                out.append(Verdict(None, "lock", WRONG, f"{table} ({truth.rows[table]} rows) read under {mode}",
                                   f"a blocking lock on {table} while the statement reads it"))
    return out
