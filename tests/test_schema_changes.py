"""schema_changes: what migration SQL creates, alters and drops, from PostgreSQL's own parser."""

from __future__ import annotations

import pytest

from preflight.sql.schema_changes import (
    ABSENT,
    CREATED,
    EXISTING,
    EXTENSION,
    FUNCTION,
    RELATION,
    SCHEMA,
    TYPE,
    Objects,
    SchemaChanges,
    SqlParseError,
    name_matches,
    parse,
    schema_changes,
    statement_effects,
)


def changes(sql: str) -> tuple[list[str], list[str], list[str]]:
    ch = schema_changes(sql)
    return sorted(ch.created), sorted(ch.altered), sorted(ch.dropped)


def test_create_table_names_as_postgres_resolves_them() -> None:
    assert changes('create table Task_Usage (id int); create table "Rollup" (id int); '
                   "create table analytics.events (id int)") == (
        ["Rollup", "analytics.events", "task_usage"], [], [])


def test_created_tables_alter_their_parents_and_referenced_tables() -> None:
    sql = """
        create table measurements (id int, account_id int references accounts(id),
                                   constraint fk_plan foreign key (id) references billing.plans (id))
            partition by range (id);
        create table measurements_2024 partition of measurements for values from (1) to (100);
        create table child () inherits (parent);
    """
    created, altered, _ = changes(sql)
    assert created == ["child", "measurements", "measurements_2024"]
    assert altered == ["accounts", "billing.plans", "measurements", "parent"]


def test_views_sequences_and_create_table_as() -> None:
    assert changes("create view v as select 1; create or replace view s.v2 as select 2; "
                   "create materialized view mv as select 1; create table t2 as select 1; "
                   "create sequence seq; create foreign table ft (a int) server srv")[0] == [
        "ft", "mv", "s.v2", "seq", "t2", "v"]


def test_indexes_are_created_in_their_tables_schema_and_alter_the_table() -> None:
    assert changes("create index concurrently if not exists by_created on analytics.events (created_at); "
                   "create unique index on users (email)") == (
        ["analytics.by_created"], ["analytics.events", "users"], [])


def test_alter_table_and_the_columns_it_adds() -> None:
    ch = schema_changes("""
        alter table task_usage add column updated_at timestamptz, add column if not exists region text,
            alter column created_at set not null;
        alter table only public.orders add constraint fk foreign key (account) references accounts (id) not valid;
        alter table measurements attach partition measurements_2025 for values from (100) to (200);
        alter table measurements detach partition measurements_2023;
        alter index by_created set (fillfactor = 90);
        alter sequence seq restart;
    """)
    assert sorted(ch.altered) == ["accounts", "by_created", "measurements", "measurements_2023",
                                  "measurements_2025", "public.orders", "seq", "task_usage"]
    assert sorted(ch.columns_added) == ["task_usage.region", "task_usage.updated_at"]
    assert ch.created == set() and ch.dropped == set()


def test_renames_and_schema_moves() -> None:
    ch = schema_changes("""
        alter table legacy_rollup rename to legacy_rollup_old;
        alter table s.t rename column a to b;
        alter index i rename to j;
        alter table moved set schema archive;
        alter table u rename constraint c1 to c2;
    """)
    assert sorted(ch.created) == ["archive.moved", "j", "legacy_rollup_old"]
    assert sorted(ch.altered) == ["i", "legacy_rollup", "moved", "s.t", "u"]
    assert ch.columns_added == {"s.t.b"}


def test_drops() -> None:
    assert changes("drop table if exists task_usage_daily_rollup, analytics.task_usage_weekly_rollup cascade; "
                   "drop index concurrently by_created; drop view v; drop materialized view mv; drop sequence s; "
                   "drop function f(); drop type ty")[2] == [
        "analytics.task_usage_weekly_rollup", "by_created", "mv", "s", "task_usage_daily_rollup", "v"]


def test_statements_that_lock_tables_for_ddl() -> None:
    _, altered, _ = changes("""
        create trigger t before insert on orders for each row execute function f();
        create policy p on accounts using (true);
        create rule r as on insert to audit do instead nothing;
        truncate staging_a, staging_b;
        lock table hot in access exclusive mode;
        refresh materialized view concurrently mv;
        reindex table big;
        cluster big2 using big2_pkey;
    """)
    assert altered == ["accounts", "audit", "big", "big2", "hot", "mv", "orders", "staging_a", "staging_b"]


def test_do_blocks_and_data_changes_are_not_schema_changes() -> None:
    ch = schema_changes("do $$ begin create table hidden (); end $$; insert into t values (1); "
                        "update t set a = 1; delete from t; select 1; begin; commit;")
    assert ch == SchemaChanges()
    assert ch.touches() == set()


def test_touches_is_the_union() -> None:
    ch = schema_changes("create table a (); alter table b add column c int; drop table d")
    assert ch.touches() == {"a", "b", "d"}


def test_name_matching_with_and_without_schema() -> None:
    assert name_matches("task_usage", "public.task_usage")
    assert name_matches("public.task_usage", "task_usage")
    assert name_matches("public.task_usage", "public.task_usage")
    assert not name_matches("analytics.task_usage", "public.task_usage")
    assert not name_matches("task_usage", "task_usage_old")


def test_parse_gives_statements_with_positions() -> None:
    sql = "-- up\n/* first */ create table é_t (id int);\n\n  alter table é_t\n  add column x int  ;\nselect 1"
    first, second, third = parse(sql)
    assert (first.kind, first.line, first.text) == ("CreateStmt", 2, "create table é_t (id int)")
    assert sql[first.start:first.end] == first.text
    assert (second.kind, second.line, second.text) == ("AlterTableStmt", 4, "alter table é_t\n  add column x int")
    assert sql[second.start:second.end] == second.text
    assert (third.kind, third.line, third.text) == ("SelectStmt", 6, "select 1")
    assert parse("  -- nothing\n") == []


def test_a_syntax_error_names_its_line() -> None:
    with pytest.raises(SqlParseError) as e:
        schema_changes("create table ü (id int);\nalter tabel x add column y int;")
    assert e.value.line == 2 and e.value.offset == 31  # characters, "tabel"
    assert e.value.message == 'syntax error at or near "tabel" (line 2)'


def replay(sql: str, by: str = "1_up") -> Objects:
    objects = Objects()
    for _line, _column, found, _start in statement_effects(sql) or ():
        for effect in found:
            objects.apply(effect, by)
    return objects


def test_objects_follow_renames_and_moves_to_the_databases_name() -> None:
    objects = replay("alter table legacy_notes rename to notes; alter table notes set schema archive;"
                     "alter index notes_pkey rename to notes_key; alter type mood rename to feeling;"
                     "alter domain short rename to brief; alter schema ledger rename to books;"
                     "alter sequence s rename to s2; alter function f() rename to g")
    notes = objects.get(RELATION, "archive", "notes")
    assert notes is not None and (notes.state, notes.was, notes.by) == (EXISTING, (None, "legacy_notes"), "1_up")
    for family, old, new in ((RELATION, "notes_pkey", "notes_key"), (TYPE, "mood", "feeling"),
                             (TYPE, "short", "brief"), (SCHEMA, "ledger", "books"), (RELATION, "s", "s2"),
                             (FUNCTION, "f", "g")):
        now = objects.get(family, None, new)
        assert now is not None and now.was == (None, old), (family, new)
        gone = objects.get(family, None, old)
        assert gone is not None and gone.state == ABSENT and gone.how == f"renames it to {new}"
    assert objects.get(RELATION, None, "notes").how == "renames it to archive.notes"  # type: ignore[union-attr]
    # An object the SQL never named, in a renamed schema: the database's, under the old schema's name.
    entries = objects.get(RELATION, "books", "entries")
    assert entries is not None and entries.was == ("ledger", "entries")
    assert objects.get(RELATION, "ledger", "entries").how == "renames its schema ledger to books"  # type: ignore[union-attr]
    assert objects.get(RELATION, None, "untouched") is None


def test_objects_created_then_dropped_and_if_not_exists() -> None:
    objects = replay("create type mood as enum ('a'); create domain d as text; create schema s;"
                     "create sequence q; create view v as select 1; create function f() returns int language sql "
                     "as 'select 1'; create extension if not exists pg_trgm; create table if not exists t (a int);"
                     "create index i on s.t2 (a); create table s.t3 (a int); drop type mood")
    for family, schema, name in ((TYPE, None, "d"), (SCHEMA, None, "s"), (RELATION, None, "q"),
                                 (RELATION, None, "v"), (FUNCTION, None, "f"), (EXTENSION, None, "pg_trgm"),
                                 (RELATION, None, "t"), (RELATION, "s", "i"), (RELATION, "s", "anything")):
        assert objects.created(family, schema, name), (family, schema, name)
    assert objects.get(EXTENSION, None, "pg_trgm").if_absent  # type: ignore[union-attr]
    assert objects.get(TYPE, None, "mood").state == ABSENT  # type: ignore[union-attr]
    assert objects.get(TYPE, None, "mood").by == "1_up"  # type: ignore[union-attr]


def test_columns_added_renamed_dropped_and_retyped() -> None:
    objects = replay("alter table t add column a int; alter table t rename column b to c;"
                     "alter table t drop column d; alter table t alter column e type bigint;"
                     "alter table t rename to u")
    assert objects.column(None, "u", "a").state == CREATED  # type: ignore[union-attr]
    assert objects.column(None, "u", "c").was == (None, "b")  # type: ignore[union-attr]
    assert objects.column(None, "u", "b").state == ABSENT  # type: ignore[union-attr]
    changed = objects.changed_columns()[(None, "t")]
    assert set(changed) == {"d", "e"} and changed["e"].retyped_by == "1_up" and changed["d"].state == ABSENT


def test_statement_effects_say_where_each_statement_ends() -> None:
    effects = statement_effects("alter table a rename to b;\nselect 1;\n  drop table b;")
    assert effects is not None
    assert [(line, column, [e.op for e in found], start) for line, column, found, start in effects] == [
        (1, 26, ["rename"], 1), (3, 15, ["drop"], 3)]
    assert statement_effects("alter tabel x") is None


def test_constraints_triggers_partitions_and_enum_labels_are_followed() -> None:
    objects = replay("alter table t add constraint t_c check (a > 0), add constraint t_gone unique (a);"
                     "alter table t drop constraint t_gone; alter table t rename constraint t_c to t_check;"
                     "create trigger t_audit after insert on t for each row execute function audit();"
                     "drop trigger t_old on t; alter type mood add value 'meh'; "
                     "alter type mood rename value 'sad' to 'blue';"
                     "create table p_2025 partition of p for values in (2025); alter table p detach partition p_old")
    assert objects.part(RELATION, None, "t", "constraint", "t_check").state == CREATED  # type: ignore[union-attr]
    assert objects.part(RELATION, None, "t", "constraint", "t_c").how == "renames it to t_check"  # type: ignore[union-attr]
    assert objects.part(RELATION, None, "t", "constraint", "t_gone").state == ABSENT  # type: ignore[union-attr]
    assert objects.part(RELATION, None, "t", "trigger", "t_audit").state == CREATED  # type: ignore[union-attr]
    assert objects.part(RELATION, None, "t", "trigger", "t_old").state == ABSENT  # type: ignore[union-attr]
    assert objects.part(TYPE, None, "mood", "label", "meh").state == CREATED  # type: ignore[union-attr]
    assert objects.part(TYPE, None, "mood", "label", "sad").state == ABSENT  # type: ignore[union-attr]
    assert objects.part(RELATION, None, "p", "partition", "p_2025").state == CREATED  # type: ignore[union-attr]
    assert objects.part(RELATION, None, "p", "partition", "p_old").state == ABSENT  # type: ignore[union-attr]
    assert objects.part(RELATION, None, "t", "constraint", "never_named") is None
    renamed = replay("alter table t rename constraint t_c to t_check")
    assert renamed.part(RELATION, None, "t", "constraint", "t_check").was == (None, "t_c")  # type: ignore[union-attr]
    assert ("constraint", "t_c") in objects.touched and ("label", "blue") in objects.touched
    assert objects.opaque is None


def test_names_the_replay_cannot_follow() -> None:
    unnamed = replay("alter table t add column r int references u (id)")
    assert ("constraint", "*") in unnamed.touched  # PostgreSQL names the foreign key
    assert ("constraint", "*") in replay("alter index t_pkey rename to t_key").touched
    assert replay("do $$ begin create table x (a int); end $$").opaque == "a DO block of migration 1_up"
    assert replay("create extension hstore").opaque == "CREATE EXTENSION hstore of migration 1_up"


def test_objects_follow_not_null_proofs_column_types_and_checked_domains() -> None:
    objects = Objects()
    sql = ("ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;\n"
           "ALTER TABLE t ADD CONSTRAINT b_nn CHECK (b IS NOT NULL) NOT VALID;\n"
           "ALTER TABLE t VALIDATE CONSTRAINT a_nn;\n"
           "ALTER TABLE t VALIDATE CONSTRAINT old_check;\n"
           "ALTER TABLE t ADD COLUMN c text, ADD COLUMN d int NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS e text;\n"
           "ALTER TABLE t ALTER COLUMN c SET NOT NULL, ALTER COLUMN d DROP NOT NULL;\n"
           "ALTER TABLE t ALTER COLUMN f TYPE varchar(20);\n"
           "CREATE DOMAIN positive AS int CHECK (VALUE > 0);\n"
           "CREATE DOMAIN plain AS int;\n")
    for _, _, found, _ in statement_effects(sql) or ():
        for effect in found:
            objects.apply(effect, "1_m")
    proven, validated, nullability, in_database, dropped = objects.not_null_proofs(None, "t")
    assert proven == {"a": "a_nn"} and validated == ["old_check"] and dropped == []
    assert nullability == {"c": True, "d": False}  # e: IF NOT EXISTS may be the database's column
    assert in_database == {"f": "f"}  # c, d, e are added by the SQL; f (retyped) is the database's
    assert objects.column(None, "t", "f").type == {"names": ["pg_catalog", "varchar"], "mods": [20], "array": False,
                                                   "collation": None}
    assert objects.get(TYPE, None, "positive").checked and not objects.get(TYPE, None, "plain").checked
    assert not [t for t in objects.touched if t[1] == "old_check"]  # VALIDATE renames and adds nothing


def test_not_null_proofs_follow_renames_of_the_table_and_its_columns() -> None:
    objects = Objects()
    sql = ("ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL);\n"
           "ALTER TABLE t RENAME COLUMN a TO a2;\n"
           "ALTER TABLE t ALTER COLUMN b DROP NOT NULL;\n"
           "ALTER TABLE t VALIDATE CONSTRAINT old_check;\n"
           "ALTER TABLE t RENAME COLUMN c TO c2;\n"
           "ALTER TABLE t DROP CONSTRAINT db_check;\n"
           "ALTER TABLE t RENAME CONSTRAINT other TO other2;\n"
           "ALTER TABLE t DROP CONSTRAINT other2;\n"
           "ALTER TABLE t ADD CONSTRAINT mine CHECK (d > 0);\n"
           "ALTER TABLE t DROP CONSTRAINT mine;\n"
           "ALTER TABLE t RENAME TO u;\n"
           "ALTER TABLE u RENAME COLUMN b TO b2;\n")
    for _, _, found, _ in statement_effects(sql) or ():
        for effect in found:
            objects.apply(effect, "1_m")
    assert objects.not_null_proofs(None, "t") == ({}, [], {}, {}, [])
    proven, validated, nullability, in_database, dropped = objects.not_null_proofs(None, "u")
    assert proven == {"a2": "a_nn"} and validated == ["old_check"]
    assert nullability == {"b2": False}
    assert in_database == {"a2": "a", "b2": "b", "c2": "c"}
    assert dropped == ["db_check", "other"]  # mine was the SQL's own


def test_a_lint_analysis_carries_the_effects_a_replay_of_its_sql_would_find() -> None:
    """The files linted after one settle their conditions from its cached analysis' effects, not from a second
    parse: they must be the effects, and the places, that :func:`statement_effects` finds in the SQL."""
    from preflight.lint.engine import analyze
    from preflight.sql.schema_changes import from_json

    sql = ("-- the orders\nCREATE TABLE orders (id bigint PRIMARY KEY, note varchar(50) NOT NULL,\n"
           "  total numeric(10, 2));\n\n  /* rename */ ALTER TABLE orders RENAME COLUMN note TO remark;\n"
           "SELECT 1;\nCREATE INDEX orders_total ON orders (total); DROP TABLE legacy CASCADE;\n"
           "DO $$ BEGIN PERFORM 1; END $$;\nCREATE FUNCTION f() RETURNS int IMMUTABLE LANGUAGE sql AS 'select 1';\n")
    found = statement_effects(sql)
    assert found and len(found) == 6
    assert from_json(analyze(sql)["effects"]) == found
    assert analyze("ALTER TABEL x;")["effects"] is None
