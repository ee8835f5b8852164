"""Which functions user-written SQL may call: the judgement of one function found in ``pg_proc``.

A function is judged by what it is, not by what it is called (a superuser can give a built-in any name):

- A built-in (language ``internal``) is judged by its C symbol (``prosrc``): refused when it writes, locks,
  signals, changes session state or runs SQL given as a string (:data:`REFUSED_BUILTINS`); allowed when the
  server declares the built-in of that symbol immutable or stable; and a *volatile* built-in is allowed only
  when it is known to have no side effect (:data:`HARMLESS_VOLATILE`). A volatile built-in of a future
  PostgreSQL that is on neither list is refused, so an upgrade cannot open a hole silently.
- A C function shipped with the server (in its initdb catalog: encoding conversions, the PL/pgSQL handler) is
  allowed. A C function of an extension is allowed only when the extension is one of a few that compute and
  read (:data:`READ_ONLY_C_EXTENSIONS`), minus their known side effects; any other C function (``dblink``,
  ``postgres_fdw``, ``adminpack``, ``lo``, ``pg_background``, an HTTP client, one a user wrote) cannot be
  inspected and is refused.
- ``sql`` and ``plpgsql`` functions are read: their bodies are checked like the statement that calls them.
- Any other language is refused: an untrusted one (``plpython3u``, ``plperlu``) can do anything the server's
  operating-system user can; a trusted one (``plperl``, ``plv8``) can run any SQL through its own interface.
"""

from __future__ import annotations

FIRST_NORMAL_OBJECT_ID = 16384
"""Objects with a lower OID were made by initdb: they are the server's own."""

_ADVISORY = "takes or releases an advisory lock"
_LARGE_OBJECT = "reads or writes large objects (and lo_import/lo_export read and write server files)"
_SLOTS = "creates, advances or drops replication slots or origins"
_DYNAMIC = "runs SQL given to it as a string, which cannot be verified before it runs"
_SIGNAL = "signals another server process"
_ADMIN = "changes the server's state"
_STATS = "changes the server's statistics"

REFUSED_PREFIXES: dict[str, str] = {
    "pg_advisory_": _ADVISORY,
    "pg_try_advisory_": _ADVISORY,
    "be_lo": _LARGE_OBJECT,
    "binary_upgrade_": "is for pg_upgrade only, and writes the catalogs",
    "pg_replication_origin_": _SLOTS,
    "pg_create_": "creates a replication slot or a restore point",
    "pg_copy_": _SLOTS,
    "pg_logical_": "writes to the write-ahead log or consumes a replication slot",
    "pg_wal_replay_": _ADMIN,
    "brin_": "summarises BRIN index ranges (writes the index)",
    "pg_stat_reset": _STATS,
    "pg_restore_": _STATS,
    "pg_clear_": _STATS,
}
REFUSED_BUILTINS: dict[str, str] = {
    "nextval_oid": "advances a sequence",
    "setval_oid": "sets a sequence",
    "setval3_oid": "sets a sequence",
    "set_config_by_name": "changes a setting of the session, among them the role that confines it",
    "pg_notify": "sends a notification",
    "pg_cancel_backend": _SIGNAL,
    "pg_terminate_backend": _SIGNAL,
    "pg_reload_conf": _SIGNAL,
    "pg_rotate_logfile": _SIGNAL,
    "pg_rotate_logfile_v2": _SIGNAL,
    "pg_promote": _ADMIN,
    "pg_switch_wal": _ADMIN,
    "pg_backup_start": _ADMIN,
    "pg_backup_stop": _ADMIN,
    "pg_start_backup": _ADMIN,
    "pg_stop_backup": _ADMIN,
    "pg_stop_backup_v2": _ADMIN,
    "pg_drop_replication_slot": _SLOTS,
    "pg_replication_slot_advance": _SLOTS,
    "pg_sync_replication_slots": _SLOTS,
    "pg_import_system_collations": "writes the catalogs",
    "pg_extension_config_dump": "writes the catalogs",
    "pg_stop_making_pinned_objects": "writes the catalogs",
    "pg_nextoid": "is for pg_upgrade only",
    "pg_log_backend_memory_contexts": _SIGNAL,
    "pg_log_standby_snapshot": "writes to the write-ahead log",
    "gin_clean_pending_list": "writes a GIN index",
    "pg_export_snapshot": "exports a snapshot (writes a file on the server)",
    "setseed": "changes the session's random seed",
    "pg_current_xact_id": "assigns a transaction id",
    "txid_current": "assigns a transaction id",
    "query_to_xml": _DYNAMIC,
    "query_to_xml_and_xmlschema": _DYNAMIC,
    "query_to_xmlschema": _DYNAMIC,
    "cursor_to_xml": _DYNAMIC,
    "cursor_to_xmlschema": _DYNAMIC,
    "ts_stat1": _DYNAMIC,
    "ts_stat2": _DYNAMIC,
    "tsquery_rewrite_query": _DYNAMIC,
}

HARMLESS_VOLATILE = frozenset({
    "amvalidate", "array_sample", "array_shuffle", "bthandler", "brinhandler", "clock_timestamp", "current_query",
    "currtid_byrelname", "currval_oid", "drandom", "drandom_normal", "gen_random_uuid", "ginhandler",
    "gisthandler", "hashhandler", "heap_tableam_handler", "int4random", "int8random", "lastval", "numeric_random",
    "pg_available_wal_summaries", "pg_wal_summary_contents", "pg_blocking_pids", "pg_collation_actual_version", "pg_control_checkpoint",
    "pg_control_init", "pg_control_recovery", "pg_control_system", "pg_current_logfile", "pg_current_logfile_1arg",
    "pg_current_wal_flush_lsn", "pg_current_wal_insert_lsn", "pg_current_wal_lsn",
    "pg_database_collation_actual_version", "pg_database_size_name", "pg_database_size_oid", "pg_get_aios",
    "pg_get_backend_memory_contexts", "pg_get_loaded_modules", "pg_get_multixact_members", "pg_get_sequence_data",
    "pg_get_shmem_allocations", "pg_get_shmem_allocations_numa", "pg_get_wait_events",
    "pg_get_wal_replay_pause_state", "pg_get_wal_resource_managers", "pg_get_wal_summarizer_state",
    "pg_hba_file_rules", "pg_ident_file_mappings", "pg_indexes_size", "pg_is_in_recovery",
    "pg_is_wal_replay_paused", "pg_isolation_test_session_is_blocked", "pg_jit_available",
    "pg_last_committed_xact", "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn", "pg_last_xact_replay_timestamp",
    "pg_lock_status", "pg_ls_archive_statusdir", "pg_ls_dir", "pg_ls_dir_1arg", "pg_ls_logdir",
    "pg_ls_logicalmapdir", "pg_ls_logicalsnapdir", "pg_ls_replslotdir", "pg_ls_summariesdir", "pg_ls_tmpdir_1arg",
    "pg_ls_tmpdir_noargs", "pg_ls_waldir", "pg_notification_queue_usage", "pg_partition_ancestors",
    "pg_partition_tree", "pg_prepared_xact", "pg_read_binary_file", "pg_read_binary_file_all",
    "pg_read_binary_file_all_missing", "pg_read_binary_file_off_len", "pg_read_binary_file_off_len_missing",
    "pg_read_file", "pg_read_file_all", "pg_read_file_all_missing", "pg_read_file_off_len",
    "pg_read_file_off_len_missing", "pg_read_file_v2", "pg_relation_size", "pg_safe_snapshot_blocking_pids",
    "pg_sequence_last_value", "pg_show_replication_origin_status", "pg_sleep", "pg_stat_clear_snapshot",
    "pg_stat_file", "pg_stat_file_1arg", "pg_stat_force_next_flush", "pg_stat_get_backend_io",
    "pg_stat_get_backend_wal", "pg_stat_get_io", "pg_stat_get_recovery_prefetch",
    "pg_stat_get_xact_blocks_fetched", "pg_stat_get_xact_blocks_hit", "pg_stat_get_xact_function_calls",
    "pg_stat_get_xact_function_self_time", "pg_stat_get_xact_function_total_time", "pg_stat_get_xact_numscans",
    "pg_stat_get_xact_tuples_deleted", "pg_stat_get_xact_tuples_fetched", "pg_stat_get_xact_tuples_hot_updated",
    "pg_stat_get_xact_tuples_inserted", "pg_stat_get_xact_tuples_newpage_updated",
    "pg_stat_get_xact_tuples_returned", "pg_stat_get_xact_tuples_updated", "pg_stat_have_stats", "pg_table_size",
    "pg_tablespace_size_name", "pg_tablespace_size_oid", "pg_total_relation_size", "pg_xact_commit_timestamp",
    "pg_xact_commit_timestamp_origin", "pg_xact_status", "show_all_file_settings", "spghandler",
    "suppress_redundant_updates_trigger", "timeofday", "tsm_bernoulli_handler", "tsm_system_handler",
    "tsvector_update_trigger_bycolumn", "tsvector_update_trigger_byid", "unique_key_recheck", "uuidv7",
    "uuidv7_interval", "RI_FKey_cascade_del", "RI_FKey_cascade_upd", "RI_FKey_check_ins", "RI_FKey_check_upd",
    "RI_FKey_noaction_del", "RI_FKey_noaction_upd", "RI_FKey_restrict_del", "RI_FKey_restrict_upd",
    "RI_FKey_setdefault_del", "RI_FKey_setdefault_upd", "RI_FKey_setnull_del", "RI_FKey_setnull_upd",
})
"""Volatile built-ins (PostgreSQL 13 to 18) that only read or compute. (The RI_FKey_ and trigger functions
can only be called by a trigger: called directly they fail.)"""

READ_ONLY_C_EXTENSIONS = frozenset({
    "btree_gin", "btree_gist", "citext", "cube", "earthdistance", "fuzzystrmatch", "hstore", "intarray", "isn",
    "ltree", "pg_buffercache", "pg_stat_statements", "pg_trgm", "pgcrypto", "pgstattuple", "postgis", "seg",
    "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp", "vector",
})
"""Extensions whose C functions compute or read: their functions are allowed, less :data:`REFUSED_C`."""

REFUSED_C: dict[str, str] = {
    "pg_stat_statements_reset": _STATS,
    "pg_stat_statements_reset_1_7": _STATS,
    "pg_stat_statements_reset_1_11": _STATS,
}

REFUSED_EXTENSIONS: dict[str, str] = {
    "dblink": "opens a second connection, outside preflight's read-only transaction",
    "postgres_fdw": "uses a second connection, outside preflight's read-only transaction",
    "adminpack": "writes, renames and removes files on the server",
    "file_fdw": "reads files or runs programs on the server",
    "lo": "manages large objects",
    "pg_background": "runs SQL in a background worker, outside preflight's read-only transaction",
}

PRIVILEGED_READS: dict[str, str] = {
    "pg_stat_get_activity": "pg_read_all_stats",
    "pg_stat_get_backend_activity": "pg_read_all_stats",
    "pg_stat_get_backend_client_": "pg_read_all_stats",
    "pg_stat_get_backend_start": "pg_read_all_stats",
    "pg_stat_get_backend_wait_event": "pg_read_all_stats",
    "pg_stat_get_backend_xact_start": "pg_read_all_stats",
    "pg_stat_get_backend_subxact": "pg_read_all_stats",
    "pg_stat_get_wal_senders": "pg_read_all_stats",
    "pg_stat_get_wal_receiver": "pg_read_all_stats",
    "pg_stat_get_progress_info": "pg_read_all_stats",
    "pg_stat_statements": "pg_read_all_stats",
    "show_all_settings": "pg_read_all_settings",
}
"""Functions (by C symbol, or its prefix) that return less, silently, to a role without the named predefined
role: other sessions' queries and states in ``pg_stat_activity``, settings in ``pg_settings``. Under a role
switch, the answer would change without a word, so they are refused unless the role has the predefined role."""


def refused_symbol(symbol: str, language: str) -> str | None:
    """Why a built-in or extension C function with this symbol is refused, else None."""
    table = REFUSED_BUILTINS if language == "internal" else REFUSED_C
    if symbol in table:
        return table[symbol]
    if language == "internal":
        for prefix, reason in REFUSED_PREFIXES.items():
            if symbol.startswith(prefix):
                return reason
    return None


def privileged_read(symbol: str) -> str | None:
    """The predefined role without which this function silently returns less, else None."""
    for prefix, role in PRIVILEGED_READS.items():
        if symbol.startswith(prefix):
            return role
    return None
