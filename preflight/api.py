"""The public surface for check authors: everything a check module imports from preflight comes from here.

The built-in checks (``checks/``) import nothing else from preflight, exactly as a third-party check would (a test
holds them to it). What is here:

- the result model and config helpers: :class:`CheckContext`, :class:`Result`, :class:`Finding`,
  :class:`Severity`, :class:`Status`, :class:`Location`, :class:`Duration`, :func:`doc`, the "could not decide"
  helpers (:class:`OnUnknown`, :func:`on_unknown_key`, :func:`unknown_result`, :func:`unknown_severity`) and the
  errors a check raises (:class:`ReaderError`, :class:`ConfigError`);
- the database: :func:`check_session` (a borrowed read-only session held to the check's time budget), catalog
  lookups (:func:`find_tables`, :func:`indexes_on`, :func:`planner_rows`, ...), :func:`untrusted` (the gate
  user-written SQL runs through) and the readers of one check each (activity, watermark);
- the image: :class:`ImageView` and the evidence about one path, :class:`PathInfo`; each platform's verdicts,
  :class:`PlatformVerdicts`, folded into the check's result the way every image check does (:func:`image_result`);
- the migrations: :class:`MigrationPlan`, :class:`Migration`, :class:`Problem`, and what the pending migrations
  will do to the schema, :class:`PendingSchema`;
- SQL without a database (:func:`parse_sql`, :func:`query_calls`), sizes (:func:`parse_size`, :func:`human_size`),
  and the lint, guard and rehearsal engines the built-in ``migrations.*`` checks front.

Only the first group is imported with this module: every other name is imported when a check first asks for it,
so importing this module costs no database driver, image reader or template engine, and a check's module brings in
what its own ``run`` uses and nothing more.

:data:`API_VERSION` is the version of this surface. A check module may declare the version it was written for
(``api_version = 1``); one written for a newer preflight does not load (see :mod:`preflight.plugin`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from preflight.errors import ConfigError, ReaderError
from preflight.model import Finding, Location, Result, Severity, Status
from preflight.plugin import CheckContext
from preflight.typed import Duration, doc, human_duration
from preflight.unknown import OnUnknown, on_unknown_key
from preflight.unknown import result as unknown_result
from preflight.unknown import severity as unknown_severity

API_VERSION = 1
"""The version of the plug-in API: raised when a name is removed or changes meaning, never when one is added."""

# Imported on first use: public name -> (module, name in that module).
_LAZY: dict[str, tuple[str, str]] = {
    # The database
    "check_session": ("preflight.db.session", "check_session"),
    "untrusted": ("preflight.db.untrusted_sql", "untrusted"),
    "Table": ("preflight.db.catalog", "Table"),
    "TableName": ("preflight.db.catalog", "TableName"),
    "find_tables": ("preflight.db.catalog", "find_tables"),
    "human_count": ("preflight.db.catalog", "human_count"),
    "human_size": ("preflight.db.catalog", "human_size"),
    "indexes_on": ("preflight.db.catalog", "indexes_on"),
    "planner_rows": ("preflight.db.catalog", "planner_rows"),
    "ActivitySession": ("preflight.db.activity", "Session"),
    "query_prefix": ("preflight.db.activity", "query_prefix"),
    "read_sessions": ("preflight.db.activity", "read_sessions"),
    "TIME_TYPES": ("preflight.db.watermark", "TIME_TYPES"),
    "Coverage": ("preflight.db.watermark", "Coverage"),
    "Moment": ("preflight.db.watermark", "Moment"),
    "Stage": ("preflight.db.watermark", "Stage"),
    "read_coverage": ("preflight.db.watermark", "read_coverage"),
    # The image
    "ImageView": ("preflight.image", "ImageView"),
    "PathInfo": ("preflight.image", "PathInfo"),
    "DEFAULT_PATH": ("preflight.image", "DEFAULT_PATH"),
    "PlatformVerdicts": ("preflight.image.verdicts", "PlatformVerdicts"),
    "image_result": ("preflight.image.verdicts", "image_result"),
    # The migrations
    "Migration": ("preflight.migrations", "Migration"),
    "MigrationPlan": ("preflight.migrations", "MigrationPlan"),
    "Problem": ("preflight.migrations", "Problem"),
    "silently_skipped": ("preflight.migrations.evidence", "silently_skipped"),
    "describe_plan": ("preflight.migrations.report", "describe"),
    "plan_summary": ("preflight.migrations.report", "summary"),
    "PendingSchema": ("preflight.sql.pending_schema", "PendingSchema"),
    "pending_schema": ("preflight.sql.pending_schema", "pending_schema"),
    # SQL, without a database
    "SqlParseError": ("preflight.sql.schema_changes", "SqlParseError"),
    "parse_sql": ("preflight.sql.schema_changes", "parse"),
    "name_matches": ("preflight.sql.schema_changes", "name_matches"),
    "Known": ("preflight.sql.schema_changes", "Known"),
    "Objects": ("preflight.sql.schema_changes", "Objects"),
    "ABSENT": ("preflight.sql.schema_changes", "ABSENT"),
    "CREATED": ("preflight.sql.schema_changes", "CREATED"),
    "EXISTING": ("preflight.sql.schema_changes", "EXISTING"),
    "FAMILY_OF_TARGET": ("preflight.sql.schema_changes", "FAMILY_OF_TARGET"),
    "query_calls": ("preflight.sql.calls", "query_calls"),
    "parse_size": ("preflight.sizes", "parse_size"),
    # The engines of the built-in migrations.* checks
    "LintSelection": ("preflight.lint.report", "Selection"),
    "lint_items": ("preflight.lint.report", "items"),
    "lint_finding": ("preflight.lint.report", "to_finding"),
    "LiveFacts": ("preflight.lint.live", "Facts"),
    "lookup_facts": ("preflight.lint.live", "lookup"),
    "refine_live_facts": ("preflight.lint.refine", "refine"),
    "settle_from_history": ("preflight.lint.history", "settle"),
    "resolve_needs": ("preflight.lint.existence", "resolve"),
    "judge_needs": ("preflight.lint.existence", "judge"),
    "judge_live_failures": ("preflight.lint.live_failures", "judge"),
    "judge_data_failures": ("preflight.lint.data_failures", "judge"),
    "guard_evaluability": ("preflight.lint.guards", "evaluability"),
    "evaluate_guard": ("preflight.lint.live", "evaluate_guard"),
    "judge_rehearsal": ("preflight.rehearsal.judge", "judge"),
    "rehearse_context": ("preflight.rehearsal.session", "rehearse_context"),
}

if TYPE_CHECKING:
    from preflight.db.activity import Session as ActivitySession
    from preflight.db.activity import query_prefix, read_sessions
    from preflight.db.catalog import (
        Table,
        TableName,
        find_tables,
        human_count,
        human_size,
        indexes_on,
        planner_rows,
    )
    from preflight.db.session import check_session
    from preflight.db.untrusted_sql import untrusted
    from preflight.db.watermark import TIME_TYPES, Coverage, Moment, Stage, read_coverage
    from preflight.image import DEFAULT_PATH, ImageView, PathInfo
    from preflight.image.verdicts import PlatformVerdicts, image_result
    from preflight.lint.data_failures import judge as judge_data_failures
    from preflight.lint.existence import judge as judge_needs
    from preflight.lint.existence import resolve as resolve_needs
    from preflight.lint.guards import evaluability as guard_evaluability
    from preflight.lint.history import settle as settle_from_history
    from preflight.lint.live import Facts as LiveFacts
    from preflight.lint.live import evaluate_guard
    from preflight.lint.live import lookup as lookup_facts
    from preflight.lint.live_failures import judge as judge_live_failures
    from preflight.lint.refine import refine as refine_live_facts
    from preflight.lint.report import Selection as LintSelection
    from preflight.lint.report import items as lint_items
    from preflight.lint.report import to_finding as lint_finding
    from preflight.migrations import Migration, MigrationPlan, Problem
    from preflight.migrations.evidence import silently_skipped
    from preflight.migrations.report import describe as describe_plan
    from preflight.migrations.report import summary as plan_summary
    from preflight.rehearsal.judge import judge as judge_rehearsal
    from preflight.rehearsal.session import rehearse_context
    from preflight.sizes import parse_size
    from preflight.sql.calls import query_calls
    from preflight.sql.pending_schema import PendingSchema, pending_schema
    from preflight.sql.schema_changes import (
        ABSENT,
        CREATED,
        EXISTING,
        FAMILY_OF_TARGET,
        Known,
        Objects,
        SqlParseError,
        name_matches,
    )
    from preflight.sql.schema_changes import parse as parse_sql


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


__all__ = [
    "ABSENT",
    "API_VERSION",
    "CREATED",
    "EXISTING",
    "FAMILY_OF_TARGET",
    "Known",
    "Objects",
    "ActivitySession",
    "CheckContext",
    "ConfigError",
    "Coverage",
    "DEFAULT_PATH",
    "Duration",
    "Finding",
    "ImageView",
    "LintSelection",
    "LiveFacts",
    "Location",
    "Migration",
    "MigrationPlan",
    "Moment",
    "OnUnknown",
    "PathInfo",
    "PlatformVerdicts",
    "PendingSchema",
    "Problem",
    "ReaderError",
    "Result",
    "Severity",
    "SqlParseError",
    "Stage",
    "Status",
    "TIME_TYPES",
    "Table",
    "TableName",
    "check_session",
    "describe_plan",
    "doc",
    "evaluate_guard",
    "find_tables",
    "guard_evaluability",
    "human_count",
    "human_duration",
    "human_size",
    "image_result",
    "indexes_on",
    "judge_data_failures",
    "judge_live_failures",
    "judge_needs",
    "judge_rehearsal",
    "lint_finding",
    "lint_items",
    "lookup_facts",
    "name_matches",
    "on_unknown_key",
    "parse_size",
    "parse_sql",
    "pending_schema",
    "plan_summary",
    "planner_rows",
    "query_calls",
    "query_prefix",
    "read_coverage",
    "read_sessions",
    "refine_live_facts",
    "settle_from_history",
    "rehearse_context",
    "resolve_needs",
    "silently_skipped",
    "unknown_result",
    "unknown_severity",
    "untrusted",
]
