"""The lint rules: one module per rule, whose docstring is the rule's documentation page.

A rule module defines one :class:`Rule` and a ``check`` function::

    '''``DROP TABLE`` destroys the table and every row in it.       <- preflight explain ban-drop-table

    More paragraphs, then an example::

        DROP TABLE legacy_rollups;
    '''
    RULE = Rule(
        id="ban-drop-table",
        kind="data-loss",
        squawk=("ban-drop-table",),
        nodes=("DropStmt",),
        reason="DROP TABLE destroys the table and every row in it",
        alternative="stop every reader and writer first, ...",
    )

    def check(node: Node, lint: FileLint) -> None:      # called for each statement of a type in RULE.nodes
        ...  lint.hit(RULE, message, target=("table", schema, name))

    def finish(lint: FileLint) -> None:                  # optional: called at the end of each file
        ...

The registry is built by importing every module of this package, so a new rule is two files: its module here
and its cases in ``tests/lint/rules/<rule-id>.yml``.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from preflight.lint.engine import FileLint
    from preflight.lint.nodes import Node

Kind = Literal["data-loss", "lock", "needs-empty", "fails", "transaction", "compat", "style", "error", "existence"]
Severity = Literal["info", "warning", "failure"]
# "error": could not decide (a file that could not be linted), not a rule's verdict on the SQL.
StaticSeverity = Literal["info", "warning", "failure", "error"]

# What a rule's kind means without the database.
STATIC_SEVERITY: dict[str, StaticSeverity] = {
    "data-loss": "failure",
    "lock": "warning",
    "needs-empty": "warning",
    "fails": "failure",  # the statement fails at rollout (rules of this kind report only with the database)
    "transaction": "failure",
    "compat": "warning",
    "style": "info",
    "error": "error",  # the file could not be linted: could not decide (on_unknown = "warn" makes it a warning)
    "existence": "warning",  # a statement that would fail on a name (rules of this kind report only with the database)
}
# ``Rule.nodes`` of a rule that looks at every statement.
EVERY_STATEMENT = ("*",)
# Kinds whose severity migrations.lint refines against the live database.
DATA_AWARE: frozenset[str] = frozenset({"data-loss", "lock", "needs-empty"})


@dataclass(frozen=True)
class Rule:
    """What the engine, the reports and ``preflight explain`` need to know about a rule."""

    id: str
    """Stable: used in config, suppressions, waivers and SARIF."""
    kind: Kind
    reason: str
    """Why the statement is dangerous, in one line (a finding's default message)."""
    alternative: str
    """The safe way to do it."""
    squawk: tuple[str, ...] = ()
    """The squawk rules it covers (their ids are accepted as aliases of ``id``)."""
    nodes: tuple[str, ...] = ()
    """The parse-node types ``check`` is called for (:data:`EVERY_STATEMENT`: all of them)."""
    subtypes: frozenset[str] | None = None
    """``ALTER TABLE`` statements without one of these commands (``AT_AddColumn``...) are not handed to the rule."""
    opt_in: bool = False
    """Off unless ``rules.include`` names it."""
    in_functions: bool = False
    """Also look at statements inside function bodies (reported as information)."""
    severity: Severity | None = None
    """A fixed severity instead of the kind's."""
    live: bool = False
    """Reports only with the database: ``check`` marks the statements whose outcome the live catalogs decide
    (candidates, which no report shows), and ``migrations.lint`` (scope "pending") reports those the catalogs
    confirm. Without the database the rule reports nothing."""

    @property
    def default_severity(self) -> StaticSeverity:
        """The severity when the database is not consulted."""
        return self.severity or STATIC_SEVERITY[self.kind]


Check = Callable[["Node", "FileLint"], None]
Finish = Callable[["FileLint"], None]


@dataclass(frozen=True)
class Registered:
    """A rule with its module's functions and documentation."""

    rule: Rule
    check: Check
    finish: Finish | None
    doc: str
    """The module's docstring, the rule's documentation page."""


@functools.cache
def registry() -> dict[str, Registered]:
    """Every rule by id, sorted, from the modules of this package."""
    found: dict[str, Registered] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rule: Rule = module.RULE
        found[rule.id] = Registered(rule, module.check, getattr(module, "finish", None),
                                    inspect.cleandoc(module.__doc__ or ""))
    return dict(sorted(found.items()))


def get(rule_id: str) -> Registered:
    """One rule; ``KeyError`` when there is none of that id."""
    return registry()[rule_id]


@functools.cache
def default() -> frozenset[str]:
    """The rules that run unless the config says otherwise: every rule that is not opt-in."""
    return frozenset(rule_id for rule_id, r in registry().items() if not r.rule.opt_in)


@functools.cache
def aliases() -> dict[str, tuple[str, ...]]:
    """squawk rule ids that name one of ours differently, and the rules they stand for (squawk's
    ``require-timeout-settings`` stands for both timeout rules)."""
    out: dict[str, list[str]] = {}
    for rule_id, r in registry().items():
        for name in r.rule.squawk:
            if name not in registry():
                out.setdefault(name, []).append(rule_id)
    return {name: tuple(ids) for name, ids in sorted(out.items())}


def resolve(name: str) -> tuple[str, ...]:
    """Our rule ids for a rule id or squawk alias; empty when unknown."""
    if name in registry():
        return (name,)
    return aliases().get(name, ())


@dataclass(frozen=True)
class Dispatch:
    """The enabled rules as the engine calls them."""

    by_node: dict[str, list[Registered]]
    """Parse-node type -> the rules that look at it, in id order."""
    finishers: list[Registered]
    """The rules with a ``finish`` hook, in id order."""
    _checks: dict[tuple[str, frozenset[str] | None, bool], list[Check]] = field(default_factory=dict)

    def checks(self, kind: str, subtypes: frozenset[str] | None, in_function: bool) -> list[Check]:
        """The ``check`` functions to call for a statement of node type ``kind`` (with these ``ALTER TABLE``
        command subtypes), in a function body or not: worked out once for each, since a run has few of them."""
        key = (kind, subtypes, in_function)
        found = self._checks.get(key)
        if found is None:
            found = self._checks[key] = [
                r.check for r in [*self.by_node.get(kind, ()), *self.by_node.get("*", ())]
                if (r.rule.subtypes is None or subtypes is None or not r.rule.subtypes.isdisjoint(subtypes))
                and (not in_function or r.rule.in_functions)]
        return found


@functools.cache
def dispatch(enabled: frozenset[str]) -> Dispatch:
    """How the engine calls the ``enabled`` rules."""
    by_node: dict[str, list[Registered]] = {}
    finishers: list[Registered] = []
    for rule_id in sorted(enabled):
        r = get(rule_id)
        for node_type in r.rule.nodes:
            by_node.setdefault(node_type, []).append(r)
        if r.finish is not None:
            finishers.append(r)
    return Dispatch(by_node, finishers)


def page(rule_id: str) -> str:
    """A rule's documentation page, as ``preflight explain <rule-id>`` prints it (squawk's names work too)."""
    ids = resolve(rule_id)
    if not ids:
        raise KeyError(rule_id)
    pages = []
    for rid in ids:
        r = get(rid)
        rule = r.rule
        squawk = ", ".join(rule.squawk) if rule.squawk else "none (preflight only)"
        head = [
            f"{rid}  ({rule.kind}; "
            + ("only with the database" if rule.live else f"{rule.default_severity} without the database")
            + ("; data-aware with it" if rule.kind in DATA_AWARE else "")
            + ("; opt-in" if rule.opt_in else "") + ")",
            f"squawk: {squawk}",
            "",
            r.doc,
            "",
            f"Safe alternative: {rule.alternative}",
        ]
        pages.append("\n".join(head))
    return "\n\n".join(pages) + "\n"
