"""The lint rules: one module per rule, whose docstring is the rule's documentation page.

A rule module defines::

    ID = "ban-drop-table"              # stable: used in config, suppressions, waivers, SARIF
    KIND = "data-loss"                 # data-loss | lock | needs-empty | transaction | compat | style | error
    SQUAWK = ("ban-drop-table",)       # squawk rules it covers (accepted as aliases of ID)
    OPT_IN = False                     # True: off unless `rules.include` names it
    NODES = ("DropStmt",)              # parse-node types it looks at
    SUBTYPES = frozenset({...})        # optional: ALTER TABLE statements without one of these commands are
                                       # not handed to the rule (AT_AddColumn, AT_DropColumn...)
    REASON = "..."                     # why the statement is dangerous (a finding's default message)
    ALTERNATIVE = "..."                # the safe way to do it
    IN_FUNCTIONS = False               # also look at statements inside function bodies (reported as info)
    LAZY = False                       # check(None, lint): the rule decodes what it needs (lint.stmt.node, or
                                       # lint.field(name) for one field), so big statements need not be decoded
    SEVERITY = None                    # a fixed severity instead of the KIND's
    def check(node, lint) -> None      # reports with lint.hit(ID, message, ALTERNATIVE, target=...)
    def finish(lint) -> None           # optional: called at the end of each file

``RULES`` below lists them statically so that a run whose files are all cached imports none of them.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any, TypeAlias

    _Tables: TypeAlias = tuple[dict[str, list["RuleRef"]], list["RuleRef"], frozenset[str], frozenset[str],
                               dict[Any, list[Any]]]



def _r(module: str, kind: str, nodes: tuple[str, ...], *, subtypes: tuple[str, ...] | None = None,
       opt_in: bool = False, in_functions: bool = False, finish: bool = False, lazy: bool = False) -> tuple[Any, ...]:
    return (module, kind, nodes, frozenset(subtypes) if subtypes is not None else None, opt_in, in_functions,
            finish, lazy)


# Every rule's module and what the engine needs to know to call it, so that a run imports only the rules it
# needs (and none when every file is cached). Generated from the modules by build_index();
# tests/test_lint_rules.py checks that it matches them.
INDEX: dict[str, tuple[Any, ...]] = {
    "adding-field-with-default": _r("adding_field_with_default", "lock", ("AlterTableStmt",),
        subtypes=("AT_AddColumn",)),
    "adding-not-nullable-field": _r("adding_not_nullable_field", "lock", ("AlterTableStmt",),
        subtypes=("AT_AddConstraint", "AT_SetNotNull", "AT_ValidateConstraint")),
    "adding-required-field": _r("adding_required_field", "needs-empty", ("AlterTableStmt",),
        subtypes=("AT_AddColumn",)),
    "ban-add-column": _r("ban_add_column", "compat", ("AlterTableStmt",), subtypes=("AT_AddColumn",),
        opt_in=True),
    "ban-add-composite-attribute": _r("ban_add_composite_attribute", "compat", ("AlterTableStmt",),
        subtypes=("AT_AddColumn",), opt_in=True),
    "ban-add-enum-value": _r("ban_add_enum_value", "compat", ("AlterEnumStmt",), opt_in=True),
    "ban-alter-database-options": _r("ban_alter_database_options", "compat",
        ("AlterDatabaseStmt", "AlterDatabaseSetStmt"), opt_in=True),
    "ban-alter-domain-with-add-constraint": _r("ban_alter_domain_with_add_constraint", "compat",
        ("AlterDomainStmt",)),
    "ban-alter-extension": _r("ban_alter_extension", "compat",
        ("AlterExtensionStmt", "AlterExtensionContentsStmt"), opt_in=True),
    "ban-alter-function-options": _r("ban_alter_function_options", "compat", ("AlterFunctionStmt",),
        opt_in=True),
    "ban-alter-generated-expression": _r("ban_alter_generated_expression", "compat", ("AlterTableStmt",),
        subtypes=("AT_SetExpression",), opt_in=True),
    "ban-alter-identity": _r("ban_alter_identity", "compat", ("AlterTableStmt",),
        subtypes=("AT_AddIdentity", "AT_DropIdentity", "AT_SetIdentity")),
    "ban-alter-policy-condition": _r("ban_alter_policy_condition", "compat", ("AlterPolicyStmt",),
        opt_in=True),
    "ban-alter-policy-roles": _r("ban_alter_policy_roles", "compat", ("AlterPolicyStmt",), opt_in=True),
    "ban-alter-role-options": _r("ban_alter_role_options", "compat", ("AlterRoleStmt", "AlterRoleSetStmt"),
        opt_in=True),
    "ban-alter-row-level-security": _r("ban_alter_row_level_security", "compat", ("AlterTableStmt",),
        subtypes=("AT_DisableRowSecurity", "AT_EnableRowSecurity", "AT_ForceRowSecurity", "AT_NoForceRowSecurity"),
        opt_in=True),
    "ban-alter-sequence-values": _r("ban_alter_sequence_values", "compat", ("AlterSeqStmt",), opt_in=True),
    "ban-alter-system-options": _r("ban_alter_system_options", "compat", ("AlterSystemStmt",), opt_in=True),
    "ban-alter-view-options": _r("ban_alter_view_options", "compat", ("AlterTableStmt",),
        subtypes=("AT_ResetRelOptions", "AT_SetRelOptions"), opt_in=True),
    "ban-char-field": _r("ban_char_field", "style", ("CreateStmt", "AlterTableStmt"),
        subtypes=("AT_AddColumn",), lazy=True),
    "ban-create-domain-with-constraint": _r("ban_create_domain_with_constraint", "compat",
        ("CreateDomainStmt",)),
    "ban-create-policy": _r("ban_create_policy", "compat", ("CreatePolicyStmt",), opt_in=True),
    "ban-detach-inheritance": _r("ban_detach_inheritance", "compat", ("AlterTableStmt",),
        subtypes=("AT_DetachPartition", "AT_DropInherit"), opt_in=True),
    "ban-disable-trigger": _r("ban_disable_trigger", "compat", ("AlterTableStmt",),
        subtypes=("AT_DisableTrig", "AT_DisableTrigAll", "AT_DisableTrigUser"), opt_in=True),
    "ban-drop-column": _r("ban_drop_column", "data-loss", ("AlterTableStmt",), subtypes=("AT_DropColumn",)),
    "ban-drop-constraint": _r("ban_drop_constraint", "compat", ("AlterTableStmt",),
        subtypes=("AT_DropConstraint",)),
    "ban-drop-database": _r("ban_drop_database", "data-loss", ("DropdbStmt",)),
    "ban-drop-default": _r("ban_drop_default", "compat", ("AlterTableStmt",), subtypes=("AT_ColumnDefault",)),
    "ban-drop-extension": _r("ban_drop_extension", "compat", ("DropStmt",)),
    "ban-drop-function": _r("ban_drop_function", "compat", ("DropStmt",)),
    "ban-drop-generated-expression": _r("ban_drop_generated_expression", "compat", ("AlterTableStmt",),
        subtypes=("AT_DropExpression",)),
    "ban-drop-index": _r("ban_drop_index", "compat", ("DropStmt",), opt_in=True),
    "ban-drop-not-null": _r("ban_drop_not_null", "compat", ("AlterTableStmt",), subtypes=("AT_DropNotNull",)),
    "ban-drop-policy": _r("ban_drop_policy", "compat", ("DropStmt",), opt_in=True),
    "ban-drop-schema": _r("ban_drop_schema", "data-loss", ("DropStmt",)),
    "ban-drop-sequence": _r("ban_drop_sequence", "compat", ("DropStmt",)),
    "ban-drop-table": _r("ban_drop_table", "data-loss", ("DropStmt",)),
    "ban-drop-trigger": _r("ban_drop_trigger", "compat", ("DropStmt",), opt_in=True),
    "ban-drop-type": _r("ban_drop_type", "data-loss", ("DropStmt",)),
    "ban-drop-view": _r("ban_drop_view", "compat", ("DropStmt",)),
    "ban-duplicate-column-assignments": _r("ban_duplicate_column_assignments", "compat",
        ("UpdateStmt", "InsertStmt"), lazy=True),
    "ban-new-write-restriction": _r("ban_new_write_restriction", "compat", ("AlterTableStmt", "IndexStmt"),
        subtypes=("AT_AddConstraint", "AT_SetNotNull"), opt_in=True),
    "ban-replace-view-function": _r("ban_replace_view_function", "compat",
        ("ViewStmt", "CreateFunctionStmt"), opt_in=True),
    "ban-replica-identity": _r("ban_replica_identity", "compat", ("AlterTableStmt",),
        subtypes=("AT_ReplicaIdentity",), opt_in=True),
    "ban-revoke": _r("ban_revoke", "compat", ("GrantStmt", "GrantRoleStmt"), opt_in=True),
    "ban-set-default": _r("ban_set_default", "compat", ("AlterTableStmt",), subtypes=("AT_ColumnDefault",),
        opt_in=True),
    "ban-set-schema": _r("ban_set_schema", "compat", ("AlterObjectSchemaStmt",)),
    "ban-truncate": _r("ban_truncate", "data-loss", ("TruncateStmt",)),
    "ban-uncommitted-transaction": _r("ban_uncommitted_transaction", "transaction", ("TransactionStmt",),
        finish=True),
    "cannot-run-in-transaction": _r("cannot_run_in_transaction", "transaction",
        ("IndexStmt", "DropStmt", "ReindexStmt", "AlterTableStmt", "VacuumStmt", "CreatedbStmt", "DropdbStmt", "AlterSystemStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt"),
        subtypes=("AT_DetachPartition",)),
    "changing-column-type": _r("changing_column_type", "lock", ("AlterTableStmt",),
        subtypes=("AT_AlterColumnType",)),
    "constraint-missing-not-valid": _r("constraint_missing_not_valid", "lock",
        ("AlterTableStmt", "TransactionStmt"),
        subtypes=("AT_AddColumn", "AT_AddConstraint", "AT_ValidateConstraint")),
    "create-trigger-on-existing-table": _r("create_trigger_on_existing_table", "lock", ("CreateTrigStmt",)),
    "delete-without-where": _r("delete_without_where", "data-loss", ("DeleteStmt",), in_functions=True),
    "disallowed-unique-constraint": _r("disallowed_unique_constraint", "lock", ("AlterTableStmt",),
        subtypes=("AT_AddColumn", "AT_AddConstraint")),
    "identifier-too-long": _r("identifier_too_long", "compat", (), finish=True),
    "invalid-suppression": _r("invalid_suppression", "compat", ()),
    "prefer-bigint-over-int": _r("prefer_bigint_over_int", "style", ("CreateStmt", "AlterTableStmt"),
        subtypes=("AT_AddColumn",), lazy=True),
    "prefer-bigint-over-smallint": _r("prefer_bigint_over_smallint", "style",
        ("CreateStmt", "AlterTableStmt"), subtypes=("AT_AddColumn",), lazy=True),
    "prefer-identity": _r("prefer_identity", "style", ("CreateStmt", "AlterTableStmt"),
        subtypes=("AT_AddColumn",), lazy=True),
    "prefer-repack": _r("prefer_repack", "lock", ("VacuumStmt", "ClusterStmt")),
    "prefer-robust-stmts": _r("prefer_robust_stmts", "style",
        ("CreateStmt", "IndexStmt", "DropStmt", "AlterTableStmt", "CreateSeqStmt"),
        subtypes=("AT_AddColumn", "AT_DropColumn", "AT_DropConstraint"), lazy=True),
    "prefer-text-field": _r("prefer_text_field", "style", ("CreateStmt", "AlterTableStmt"),
        subtypes=("AT_AddColumn",), lazy=True),
    "prefer-timestamp-tz": _r("prefer_timestamp_tz", "style", ("CreateStmt", "AlterTableStmt"),
        subtypes=("AT_AddColumn",), lazy=True),
    "renaming-column": _r("renaming_column", "compat", ("RenameStmt",)),
    "renaming-object": _r("renaming_object", "compat", ("RenameStmt",)),
    "renaming-table": _r("renaming_table", "compat", ("RenameStmt",)),
    "require-concurrent-index-creation": _r("require_concurrent_index_creation", "lock", ("IndexStmt",)),
    "require-concurrent-index-deletion": _r("require_concurrent_index_deletion", "lock", ("DropStmt",)),
    "require-concurrent-partition-detach": _r("require_concurrent_partition_detach", "lock",
        ("AlterTableStmt",), subtypes=("AT_DetachPartition",)),
    "require-concurrent-refresh": _r("require_concurrent_refresh", "lock", ("RefreshMatViewStmt",)),
    "require-concurrent-reindex": _r("require_concurrent_reindex", "lock", ("ReindexStmt",)),
    "require-enum-value-ordering": _r("require_enum_value_ordering", "compat", ("AlterEnumStmt",)),
    "require-lock-timeout": _r("require_lock_timeout", "lock",
        ("AlterTableStmt", "IndexStmt", "DropStmt", "TruncateStmt", "CreateTrigStmt", "RenameStmt", "RefreshMatViewStmt", "VacuumStmt", "ClusterStmt", "ReindexStmt", "AlterObjectSchemaStmt", "LockStmt", "CreatePolicyStmt", "AlterPolicyStmt", "RuleStmt"),
        finish=True),
    "require-statement-timeout": _r("require_statement_timeout", "style",
        ("AlterTableStmt", "IndexStmt", "DropStmt", "TruncateStmt", "CreateTrigStmt", "RenameStmt", "RefreshMatViewStmt", "VacuumStmt", "ClusterStmt", "ReindexStmt", "AlterObjectSchemaStmt", "LockStmt", "CreatePolicyStmt", "AlterPolicyStmt", "RuleStmt")),
    "require-table-schema": _r("require_table_schema", "style",
        ("CreateStmt", "AlterTableStmt", "IndexStmt"), opt_in=True, lazy=True),
    "syntax-error": _r("syntax_error", "error", ()),
    "transaction-nesting": _r("transaction_nesting", "transaction", ("TransactionStmt",)),
    "unused-ignore": _r("unused_ignore", "compat", ()),
    "update-without-where": _r("update_without_where", "data-loss", ("UpdateStmt",), in_functions=True),
}
RULES: dict[str, str] = {rule_id: entry[0] for rule_id, entry in INDEX.items()}
OPT_IN: frozenset[str] = frozenset(rule_id for rule_id, entry in INDEX.items() if entry[4])
DEFAULT: frozenset[str] = frozenset(RULES) - OPT_IN

# squawk rule ids that name one of ours differently (the others are the same id); accepted wherever a rule id
# is (config, suppressions). "require-timeout-settings" is squawk's alias for its two timeout rules.
ALIASES: dict[str, tuple[str, ...]] = {
    "adding-foreign-key-constraint": ("constraint-missing-not-valid",),
    "adding-serial-primary-key-field": ("disallowed-unique-constraint",),
    "ban-concurrent-index-creation-in-transaction": ("cannot-run-in-transaction",),
    "ban-drop-domain": ("ban-drop-type",),
    "ban-truncate-cascade": ("ban-truncate",),
    "prefer-timestamptz": ("prefer-timestamp-tz",),
    "require-timeout-settings": ("require-lock-timeout", "require-statement-timeout"),
}

def resolve(name: str) -> tuple[str, ...]:
    """Our rule ids for a rule id or squawk alias; empty when unknown."""
    if name in RULES:
        return (name,)
    return ALIASES.get(name, ())


_modules: dict[str, ModuleType] = {}


def module(rule_id: str) -> ModuleType:
    """The module of one rule (imported on first use)."""
    m = _modules.get(rule_id)
    if m is None:
        import importlib

        m = importlib.import_module(f"{__name__}.{RULES[rule_id]}")
        _modules[rule_id] = m
    return m


def registry() -> dict[str, ModuleType]:
    """Every rule by id, sorted: ``preflight explain <rule-id>`` prints a rule's :func:`page`."""
    return {rule_id: module(rule_id) for rule_id in sorted(RULES)}


class RuleRef:
    """A rule as the engine calls it; its module is imported on first use."""

    __slots__ = ("id", "subtypes", "in_functions", "lazy", "module")

    def __init__(self, rule_id: str, subtypes: frozenset[str] | None, in_functions: bool, lazy: bool):
        self.id = rule_id
        self.subtypes = subtypes
        self.in_functions = in_functions
        self.lazy = lazy
        self.module: ModuleType | None = None

    def load(self) -> ModuleType:
        self.module = module(self.id)
        return self.module


_dispatch: dict[frozenset[str], _Tables] = {}


def tables(enabled: frozenset[str] | None = None) -> _Tables:
    """Everything the engine needs from the enabled rules, worked out once per rule selection (default: the
    default rules): ``(dispatch_table, finishers, lazy_kinds, function_kinds, applicable_memo)``, as the
    functions of those names return them."""
    wanted = DEFAULT if enabled is None else enabled
    found = _dispatch.get(wanted)
    if found is None:
        table: dict[str, list[RuleRef]] = {}
        finish: list[RuleRef] = []
        for rule_id in sorted(wanted):
            _module, _kind, nodes, subtypes, _opt_in, in_functions, has_finish, lazy = INDEX[rule_id]
            ref = RuleRef(rule_id, subtypes, in_functions, lazy)
            for node_type in nodes:
                table.setdefault(node_type, []).append(ref)
            if has_finish:
                finish.append(ref)
        lazy_only = frozenset(node_type for node_type, refs in table.items() if all(ref.lazy for ref in refs))
        in_functions = frozenset(node_type for node_type, refs in table.items() if any(r.in_functions for r in refs))
        found = _dispatch[wanted] = (table, finish, lazy_only, in_functions, {})
    return found


def dispatch_table(enabled: frozenset[str] | None = None) -> dict[str, list[RuleRef]]:
    """Parse-node type -> the enabled rules that look at it, in id order (default: the default rules)."""
    return tables(enabled)[0]


def finishers(enabled: frozenset[str] | None = None) -> list[RuleRef]:
    """The enabled rules with a ``finish(lint)`` hook, called at the end of each file, in id order."""
    return tables(enabled)[1]


def load(enabled: frozenset[str] | None = None) -> None:
    """Import the enabled rules now, rather than each on first use: before forking, so that the processes of a
    parallel lint share them instead of each importing them (2-4 ms less on 430 files)."""
    table, finish, *_ = tables(enabled)
    for ref in [*(ref for refs in table.values() for ref in refs), *finish]:
        if ref.module is None:
            ref.load()


def lazy_kinds(enabled: frozenset[str] | None = None) -> frozenset[str]:
    """The parse-node types whose enabled rules are all ``LAZY`` (the statement is handed to them undecoded)."""
    return tables(enabled)[2]


def function_kinds(enabled: frozenset[str] | None = None) -> frozenset[str]:
    """The parse-node types that an enabled ``IN_FUNCTIONS`` rule looks at (inside function bodies)."""
    return tables(enabled)[3]


def applicable_memo(enabled: frozenset[str] | None = None) -> dict[Any, list[Any]]:
    """A memo the engine keeps the rules to call per kind of statement in (their ``check`` functions), one per
    rule selection."""
    return tables(enabled)[4]


KINDS: dict[str, str] = {rule_id: entry[1] for rule_id, entry in INDEX.items()}


def kinds() -> dict[str, str]:
    """Rule id -> KIND."""
    return KINDS


def build_index() -> dict[str, tuple[Any, ...]]:
    """INDEX as the modules define it (imports every rule)."""
    out = {}
    for rule_id, m in registry().items():
        subtypes = getattr(m, "SUBTYPES", None)
        out[rule_id] = _r(m.__name__.rsplit(".", 1)[1], m.KIND, tuple(m.NODES),
                          subtypes=tuple(subtypes) if subtypes is not None else None,
                          opt_in=bool(getattr(m, "OPT_IN", False)), in_functions=bool(getattr(m, "IN_FUNCTIONS", False)),
                          finish=hasattr(m, "finish"), lazy=bool(getattr(m, "LAZY", False)))
    return out


STATIC_SEVERITY = {
    "data-loss": "failure",
    "lock": "warning",
    "needs-empty": "warning",
    "transaction": "failure",
    "compat": "warning",
    "style": "info",
    "error": "error",  # the file could not be linted: could not decide (on_unknown = "warn" makes it a warning)
}


def default_severity(rule_id: str) -> str:
    """A rule's severity when the database is not consulted."""
    m = module(rule_id)
    return getattr(m, "SEVERITY", None) or STATIC_SEVERITY[m.KIND]


def page(rule_id: str) -> str:
    """A rule's documentation page, as ``preflight explain <rule-id>`` prints it."""
    import inspect

    ids = resolve(rule_id)
    if not ids:
        raise KeyError(rule_id)
    pages = []
    for rid in ids:
        m = module(rid)
        squawk = ", ".join(m.SQUAWK) if m.SQUAWK else "none (preflight only)"
        head = [
            f"{rid}  ({m.KIND}; {default_severity(rid)} without the database"
            + ("; data-aware with it" if m.KIND in ("data-loss", "lock", "needs-empty") else "")
            + ("; opt-in" if rid in OPT_IN else "") + ")",
            f"squawk: {squawk}",
            "",
            inspect.cleandoc(m.__doc__ or ""),
            "",
            f"Safe alternative: {m.ALTERNATIVE}",
        ]
        pages.append("\n".join(head))
    return "\n\n".join(pages) + "\n"
