"""When ``ALTER COLUMN ... TYPE`` rewrites the table: PostgreSQL's rules, as a table the lint rules consult.

PostgreSQL skips the rewrite when the old value can be reinterpreted as the new type without a function
(``ATColumnChangeRequiresRewrite``): the types are the same or binary-coercible (``pg_cast.castmethod = 'b'``:
``varchar`` to ``text``, ``cidr`` to ``inet``, ``bit`` to ``varbit``...), and the new type's length or precision
cannot reject or change an old value (the planner support functions of ``varchar``, ``numeric``, ``varbit``,
``time``, ``timetz``, ``timestamp``, ``timestamptz`` and ``interval``). ``timestamp`` and ``timestamptz``
convert into each other without a rewrite from PostgreSQL 12 when the session's ``TimeZone`` is UTC. A domain
with constraints always rewrites (its checks run on every row); one without is its base type (with the domain's
length or precision), so ``varchar(50)`` to a domain over ``text`` rewrites nothing. A ``USING``
expression other than the column itself (or its cast to the new type) rewrites. A rewrite rebuilds every index
of the table; without one, the indexes on the column are rebuilt only when their operator class or collation
changes (a different collation, ``timestamp`` to ``timestamptz``).

The answer needs the column's current type, which only the database (or the migration that created the column)
knows. Without it, the lint computes from the new type (and ``USING``, and the ``TimeZone`` the file sets) the
current types from which the change would be metadata-only (:func:`metadata_only_from`), and says the change
rewrites unless the column's type is one of those: a condition the lint cannot check, stated as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from preflight.lint.nodes import pretty_type

# Old -> new type pairs whose cast is a plain relabelling (pg_cast.castmethod = 'b' among the built-in types).
BINARY_COERCIBLE = frozenset({
    ("varchar", "text"), ("text", "varchar"), ("varchar", "bpchar"), ("text", "bpchar"),
    ("xml", "text"), ("xml", "varchar"), ("xml", "bpchar"),
    ("cidr", "inet"), ("bit", "varbit"), ("varbit", "bit"),
})
# Types whose length/precision coercion a planner support function drops when it cannot change a value.
LENGTH_TYPES = frozenset({"varchar", "varbit"})
TEMPORAL_TYPES = frozenset({"time", "timetz", "timestamp", "timestamptz"})
MAX_TEMPORAL_PRECISION = 6
# Types that keep the same index operator class across the binary-coercible changes above (so an index on the
# column is kept); any other pair rebuilds the indexes on the column.
SAME_OPCLASS = (frozenset({"varchar", "text"}), frozenset({"cidr", "inet"}))
TIMESTAMPS = frozenset({"timestamp", "timestamptz"})
# Time zones with a fixed offset of zero: PostgreSQL converts timestamp <-> timestamptz in place under them.
UTC_ZONES = frozenset({"utc", "etc/utc", "uct", "etc/uct", "gmt", "etc/gmt", "etc/gmt0", "etc/gmt+0", "etc/gmt-0",
                       "gmt0", "gmt+0", "gmt-0", "greenwich", "etc/greenwich", "universal", "etc/universal", "zulu",
                       "etc/zulu", "z", "0", "+00", "+00:00"})
TIMESTAMP_IN_PLACE_FROM = 120000  # server_version_num


@dataclass(frozen=True)
class ColumnType:
    """A column's type as the rules compare it: the base type under any domains."""

    name: str
    """The base type's name as PostgreSQL's parser spells it: ``varchar``, ``numeric``, ``timestamptz``."""
    mods: tuple[int, ...] = ()
    """Its length or precision as written (``varchar(50)`` -> ``(50,)``, ``numeric(10,2)`` -> ``(10, 2)``)."""
    array: bool = False
    domain: str | None = None
    """The domain the column is declared with, if any."""
    domain_checks: bool = False
    """The domain (or one it is based on) has constraints."""
    collation: str | None = None
    """Its collation (``"default"`` for the database's; for a new type without ``COLLATE``, the type's own), None
    when unknown or not collatable."""

    def label(self) -> str:
        name = pretty_type(self.name)
        base = f"{name}({','.join(map(str, self.mods))})" if self.mods else name
        base += "[]" if self.array else ""
        return f"{self.domain} (a domain over {base})" if self.domain else base


@dataclass(frozen=True)
class Verdict:
    rewrite: bool
    """The table (and every index) is rewritten."""
    why: str
    """In words, for the finding."""
    index_rebuild: bool = False
    """Without a rewrite: the indexes on the column are rebuilt (read the table) all the same."""


def is_utc(zone: str | None) -> bool:
    return zone is not None and zone.strip().strip("'").lower() in UTC_ZONES


def decide(old: ColumnType, new: ColumnType, *, using: str = "none", server_version: int | None = None,
           timezone: str | None = None) -> Verdict:
    """Whether changing a column of type ``old`` to ``new`` rewrites the table.

    ``using``: "none" (no USING, or USING the column itself or its cast to the new type), or "expression".
    ``server_version``: ``server_version_num``, None when unknown (the answer that needs it is the conservative
    one). ``timezone``: the session's TimeZone when known."""
    if using == "expression":
        return Verdict(True, "the USING expression is computed for every row")
    if new.domain and new.domain_checks:
        return Verdict(True, f"the domain {new.domain} has constraints, checked on every row")
    if old.array != new.array:
        return Verdict(True, f"{old.label()} to {new.label()} converts every value")
    collation_changes = None not in (old.collation, new.collation) and new.collation != old.collation
    if old.name == new.name:
        verdict = _same_type(old, new)
    elif (old.name, new.name) in BINARY_COERCIBLE and not old.array:
        verdict = (Verdict(False, f"{old.label()} is binary-coercible to {new.label()}") if not new.mods
                   else Verdict(True, f"{old.label()} to {new.label()} checks the length of every value"))
        if not verdict.rewrite and not any({old.name, new.name} <= s for s in SAME_OPCLASS):
            verdict = Verdict(False, verdict.why, index_rebuild=True)
    elif {old.name, new.name} == TIMESTAMPS:
        if server_version is None:
            return Verdict(True, f"{old.label()} to {new.label()} rewrites unless the server is PostgreSQL 12 or "
                                 "later with TimeZone UTC, and the server version is unknown")
        if server_version < TIMESTAMP_IN_PLACE_FROM:
            return Verdict(True, f"{old.label()} to {new.label()} rewrites before PostgreSQL 12")
        if not is_utc(timezone):
            zone = f"TimeZone is {timezone}" if timezone else "the session's TimeZone is unknown"
            return Verdict(True, f"{old.label()} to {new.label()} rewrites unless the session's TimeZone is UTC "
                                 f"({zone})")
        if new.mods and not _temporal_fits(old.mods, new.mods):
            return Verdict(True, f"{new.label()} rounds every value")
        verdict = Verdict(False, f"{old.label()} to {new.label()} is converted in place under TimeZone {timezone} "
                                 "(PostgreSQL 12 and later)", index_rebuild=True)
    else:
        return Verdict(True, f"{old.label()} to {new.label()} converts every value")
    if not verdict.rewrite and collation_changes:
        verdict = Verdict(False, f"{verdict.why}; the collation changes from {old.collation} to "
                                 f"{new.collation}", index_rebuild=True)
    return verdict


def _same_type(old: ColumnType, new: ColumnType) -> Verdict:
    name = new.name
    if old.mods == new.mods:
        return Verdict(False, f"the type stays {new.label()}")
    if name in LENGTH_TYPES:
        fits = not new.mods or (bool(old.mods) and new.mods[0] >= old.mods[0])
        return (Verdict(False, f"{new.label()} accepts every {old.label()} value unchanged") if fits
                else Verdict(True, f"{new.label()} checks the length of every {old.label()} value"))
    if name == "numeric":
        if not new.mods:
            return Verdict(False, "unconstrained numeric accepts every value unchanged")
        if old.mods and _scale(old.mods) == _scale(new.mods) and new.mods[0] >= old.mods[0]:
            return Verdict(False, f"{new.label()} has the same scale and at least the precision of {old.label()}")
        return Verdict(True, f"{old.label()} to {new.label()} checks or rounds every value")
    if name in TEMPORAL_TYPES:
        return (Verdict(False, f"{new.label()} keeps every {old.label()} value unchanged")
                if _temporal_fits(old.mods, new.mods)
                else Verdict(True, f"{new.label()} rounds every {old.label()} value"))
    if name == "interval" and not new.mods:
        return Verdict(False, "unconstrained interval keeps every value unchanged")
    return Verdict(True, f"{old.label()} to {new.label()} checks every value")


def _scale(mods: tuple[int, ...]) -> int:
    return mods[1] if len(mods) > 1 else 0


def _temporal_fits(old: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """TemporalSimplify: the new precision is unconstrained, the maximum, or at least the old one."""
    if not new or new[0] >= MAX_TEMPORAL_PRECISION:
        return True
    return bool(old) and old[0] <= new[0]


# -- without the database: from which current types the change is metadata-only ---------------------------------

# Type names PostgreSQL itself defines (as its parser names them), which cannot be a domain. Any other name may be
# one: a domain without constraints over the column's current type changes nothing.
BUILTIN = frozenset({
    "text", "varchar", "bpchar", "xml", "cidr", "inet", "bit", "varbit", "numeric", "time", "timetz", "timestamp",
    "timestamptz", "interval", "int2", "int4", "int8", "float4", "float8", "bool", "date", "json", "jsonb", "uuid",
    "bytea", "money", "macaddr", "macaddr8", "tsvector", "tsquery", "oid", "name", "char", "point", "line", "lseg",
    "box", "path", "polygon", "circle", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
    "pg_lsn", "regclass", "regtype", "jsonpath", "xid8",
})


def metadata_only_from(names: list[str], mods: list[int], array: bool, *, timezone: str | None) -> list[dict[str, Any]]:
    """The current types from which changing a column to the type ``names(mods)`` (``[]`` when ``array``), without
    ``USING``, is metadata-only under :func:`decide`: each an alternative, as plain data (the analysis is cached
    as JSON) that the oracle checks against the catalogs:

    - ``{"type": t, "array": a}``: t with any length or precision (or none);
    - ``... "mods": [..]``: exactly these modifiers (``[]``: none);
    - ``... "length_at_most": n``: ``t(k)`` with ``k <= n``;
    - ``... "precision_at_most": p`` (and for numeric ``"scale": s``): ``t(q[,s])`` with ``q <= p``;
    - ``... "server_version_at_least": 120000`` and maybe ``"timezone": "UTC"``: only on that server, and only
      when the session's TimeZone (which the file does not set) is UTC;
    - ``{"domain_base_of": name}``: ``name`` is a domain without constraints, and changing the column to its base
      type (with the domain's length or precision) would be metadata-only: the current type is one of
      :func:`domain_sources` of that base (``varchar(50)`` to a domain over ``text`` rewrites nothing, as
      ``varchar(50)`` to ``text`` does not).

    ``timezone``: the TimeZone the file sets before the change, if any."""
    name = names[-1] if names else ""
    builtin = name in BUILTIN or (len(names) == 2 and names[0] == "pg_catalog")
    out: list[dict[str, Any]] = []
    same: dict[str, Any] = {"type": name, "array": array}
    if name in LENGTH_TYPES:
        out.append({**same, "length_at_most": mods[0]} if mods else same)
    elif name == "numeric":
        out.append({**same, "precision_at_most": mods[0], "scale": _scale(tuple(mods))} if mods else same)
    elif name in TEMPORAL_TYPES:
        out.append({**same, "precision_at_most": mods[0]} if mods and mods[0] < MAX_TEMPORAL_PRECISION else same)
    elif name == "interval" and not mods:
        out.append(same)
    else:
        out.append({**same, "mods": list(mods)})
    if not array and not mods:
        out += [{"type": old, "array": False} for old, new in sorted(BINARY_COERCIBLE) if new == name]
    if name in TIMESTAMPS and (timezone is None or is_utc(timezone)):
        other: dict[str, Any] = {"type": next(iter(TIMESTAMPS - {name})), "array": array,
                                 "server_version_at_least": TIMESTAMP_IN_PLACE_FROM}
        if mods and mods[0] < MAX_TEMPORAL_PRECISION:
            other["precision_at_most"] = mods[0]
        if timezone is None:
            other["timezone"] = "UTC"
        out.append(other)
    if not builtin:
        out.append({"domain_base_of": ".".join(names)})
    return out


def domain_sources(base: str, mods: list[int], array: bool) -> list[dict[str, Any]]:
    """The current types from which changing a column to a domain without constraints over ``base(mods)`` is
    metadata-only: those of its base type (PostgreSQL relabels the value to the base type, applies the domain's
    length or precision, and checks nothing more; ``ATColumnChangeRequiresRewrite`` looks through the domain).
    The session's TimeZone is taken as unknown (the ``"timezone": "UTC"`` condition of a timestamp change)."""
    return [alt for alt in metadata_only_from([base], mods, array, timezone=None) if "domain_base_of" not in alt]


def describe_sources(alternatives: list[dict[str, Any]]) -> str:
    """The alternatives of :func:`metadata_only_from` in words: ``varchar(n) with n <= 255, text or xml``."""
    words = []
    for alt in alternatives:
        if "domain_base_of" in alt:
            words.append(f"{alt['domain_base_of']} is a domain without constraints over a type it changes to "
                         "without a rewrite")
            continue
        name, brackets = pretty_type(alt["type"]), "[]" if alt.get("array") else ""
        if "mods" in alt:
            mods = alt["mods"]
            text = f"{name}({','.join(map(str, mods))}){brackets}" if mods else f"{name}{brackets}"
        elif "length_at_most" in alt:
            text = f"{name}(n){brackets} with n <= {alt['length_at_most']}"
        elif "scale" in alt:
            text = f"{name}(p,{alt['scale']}){brackets} with p <= {alt['precision_at_most']}"
        elif "precision_at_most" in alt:
            text = f"{name}(p){brackets} with p <= {alt['precision_at_most']}"
        elif alt["type"] in LENGTH_TYPES:
            text = f"{name}{brackets} of any length"
        elif alt["type"] in TEMPORAL_TYPES or alt["type"] in ("numeric", "interval"):
            text = f"{name}{brackets} of any precision"
        else:
            text = f"{name}{brackets}"
        if "server_version_at_least" in alt:
            text += " on PostgreSQL 12 or later" + (" with the session's TimeZone UTC" if alt.get("timezone") else "")
        words.append(text)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
