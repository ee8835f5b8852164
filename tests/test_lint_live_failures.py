"""``fails-against-live-schema``, run as a user runs it (``preflight run``, ``migrations.lint`` on the pending
migrations) against a real PostgreSQL: the statements the server rejects because of what depends on what they
drop or change, or because of the structure already there, are predicted from the catalogs, with the SQLSTATE
the server raises; with ``CASCADE``, after an earlier pending statement removed what stood in the way, or when an
earlier one may have changed it, nothing is predicted. Each prediction is also checked against the server
itself: the statement is run in a transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CliRun, lint_pending, server_says
from tests.migrations_helpers import write

RULE = "fails-against-live-schema"

SCHEMA = """
create table orders (id bigint primary key, note text, legacy_code text, status text);
insert into orders select g, 'n', 'l', 'open' from generate_series(1, 50) g;
create table order_lines (id bigint primary key, order_id bigint references orders (id));
insert into order_lines select g, 1 + g % 50 from generate_series(1, 80) g;
create view legacy_codes as select id, legacy_code from orders;
create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
create table audits (id bigint primary key, at timestamptz);
create trigger audits_touch before update on audits for each row execute function touch();
create sequence invoice_numbers;
create table invoices (id bigint primary key default nextval('invoice_numbers'), n serial);
create table parents (id bigint primary key, code text);
create table children (id bigint primary key, parent_id bigint, code text);
create table scratch (id integer, note text);
"""


pytestmark = pytest.mark.usefixtures("own_lint_cache")


@pytest.fixture
def shop(pg_admin: Any) -> Any:
    pg_admin.execute(SCHEMA)
    pg_admin.execute("analyze")
    return pg_admin


def run(cli: CliRun, tmp_path: Path, dsn: str, files: Mapping[str, str]) -> tuple[int, list[dict[str, Any]]]:
    """The exit code of the run, and the lint's findings."""
    out, findings = lint_pending(cli, tmp_path, dsn, files)
    return out.exit_code, findings


def predicted(findings: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """The rule's findings: statement -> (SQLSTATE, message)."""
    return {f["data"]["statement"]: (f["data"]["sqlstate"], f["message"]) for f in findings if f["rule"] == RULE}



FAILING = {
    "DROP TABLE orders": ("2BP01", "DROP TABLE orders fails: other objects depend on it: constraint "
                                   "order_lines_order_id_fkey on table order_lines"),
    "ALTER TABLE orders DROP COLUMN legacy_code": ("2BP01", "DROP COLUMN legacy_code of orders fails: other objects "
                                                            "depend on the column: view legacy_codes"),
    "DROP FUNCTION touch()": ("2BP01", "DROP FUNCTION touch() fails: other objects depend on it: trigger "
                                       "audits_touch on table audits"),
    "DROP SEQUENCE invoice_numbers": ("2BP01", "DROP SEQUENCE invoice_numbers fails: other objects depend on it: "
                                               "default value for column id of table invoices"),
    "DROP INDEX invoices_pkey": ("2BP01", "DROP INDEX invoices_pkey fails: constraint invoices_pkey on table "
                                          "invoices requires it"),
    "ALTER TABLE orders ALTER COLUMN legacy_code TYPE varchar(20)": (
        "0A000", "ALTER COLUMN legacy_code TYPE of orders fails: PostgreSQL cannot alter the type of a column used "
                 "by a view or rule (or a trigger or policy), and view legacy_codes uses it"),
    "TRUNCATE orders": ("0A000", "TRUNCATE orders fails: constraint order_lines_order_id_fkey on table order_lines "
                                 "references it"),
    "ALTER TABLE parents ALTER COLUMN id DROP NOT NULL": ("42P16", "DROP NOT NULL on parents.id fails: the column "
                                                                   "is in primary key parents_pkey (id)"),
    "ALTER TABLE children ADD PRIMARY KEY (code)": ("42P16", "ADD PRIMARY KEY on children fails: the table already "
                                                             "has primary key children_pkey (id)"),
    "ALTER TABLE children ADD CONSTRAINT children_code_fk FOREIGN KEY (code) REFERENCES parents (code)": (
        "42830", "ADD FOREIGN KEY children_code_fk on children fails: no unique constraint or index of parents covers "
                 "exactly (code)"),
    "CREATE OR REPLACE VIEW legacy_codes AS SELECT id FROM orders": (
        "42P16", "CREATE OR REPLACE VIEW legacy_codes fails: its query gives 1 column, the view has 2 (drops "
                 "legacy_code), and a replaced view may only add columns at the end"),
    "ALTER TABLE children ADD CONSTRAINT children_code_fk FOREIGN KEY (code) REFERENCES parents (id)": (
        "42804", "ADD FOREIGN KEY children_code_fk on children fails: children.code (text) cannot be compared with "
                 "parents.id (bigint) by the equality operator of parents_pkey"),
}


@pytest.mark.parametrize("statement", list(FAILING))
def test_each_failure_is_predicted_with_the_servers_sqlstate(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any,
                                                             statement: str) -> None:
    code, findings = run(cli, tmp_path, pg_dsn, {"1_change.up.sql": statement + ";\n"})
    sqlstate, message = FAILING[statement]
    assert server_says(pg_dsn, statement) == sqlstate
    ((got_state, got_message),) = predicted(findings).values()
    assert got_state == sqlstate and got_message.startswith(message), got_message
    (f,) = [f for f in findings if f["rule"] == RULE]
    assert f["severity"] == "failure" and f["data"]["verdict"] == "would-fail"
    assert code == 1


def test_drops_that_succeed_are_not_predicted_to_fail(cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    statements = ["DROP TABLE orders CASCADE", "ALTER TABLE orders DROP COLUMN note", "DROP TABLE scratch",
                  "TRUNCATE orders, order_lines", "ALTER TABLE scratch ALTER COLUMN note TYPE varchar(20)",
                  "ALTER TABLE children ADD CONSTRAINT children_parent_fk FOREIGN KEY (parent_id) REFERENCES parents",
                  "DROP TABLE IF EXISTS ghost", "ALTER TABLE orders DROP COLUMN legacy_code CASCADE"]
    for statement in statements:
        assert server_says(pg_dsn, statement) is None, statement
    files = {f"{n}_change.up.sql": s + ";\n" for n, s in enumerate(statements, start=1)}
    _code, findings = run(cli, tmp_path, pg_dsn, files)
    assert predicted(findings) == {}


def test_what_an_earlier_pending_statement_removed_no_longer_blocks(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                   shop: Any) -> None:
    _code, findings = run(cli, tmp_path, pg_dsn, {
        "1_views.up.sql": "DROP VIEW legacy_codes;\n",
        "2_lines.up.sql": "ALTER TABLE order_lines DROP CONSTRAINT order_lines_order_id_fkey;\nDROP TRIGGER "
                          "audits_touch ON audits;\n",
        "3_drop.up.sql": "ALTER TABLE orders DROP COLUMN legacy_code;\nTRUNCATE orders;\nDROP FUNCTION touch();\n"
                         "DROP TABLE orders;\nDROP SEQUENCE invoice_numbers;\n",
    })
    assert list(predicted(findings)) == ["DROP SEQUENCE invoice_numbers"]  # its default is still there


def test_an_earlier_statement_that_may_change_the_dependents_leaves_the_outcome_unknown(
        cli: CliRun, tmp_path: Path, pg_dsn: str, shop: Any) -> None:
    _code, findings = run(cli, tmp_path, pg_dsn, {
        # may or may not still read legacy_code: not predicted
        "1_view.up.sql": "CREATE OR REPLACE VIEW legacy_codes AS SELECT id, legacy_code FROM orders;\n",
        "2_drop.up.sql": "ALTER TABLE orders DROP COLUMN legacy_code;\n",
        # a unique index on parents (code) may be made by the DO block: not predicted
        "3_index.up.sql": "DO $$ BEGIN EXECUTE 'CREATE UNIQUE INDEX parents_code_key ON parents (code)'; END $$;\n",
        "4_fk.up.sql": "ALTER TABLE children ADD CONSTRAINT children_code_fk FOREIGN KEY (code) "
                       "REFERENCES parents (code);\nALTER TABLE children ADD PRIMARY KEY (code);\n",
    })
    assert list(predicted(findings)) == ["ALTER TABLE children ADD PRIMARY KEY (code)"]  # children was not named


def test_a_drop_cascade_earlier_makes_every_later_prediction_unknown(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                   shop: Any) -> None:
    _code, findings = run(cli, tmp_path, pg_dsn, {
        "1_before.up.sql": "DROP FUNCTION touch();\n",
        "2_cascade.up.sql": "DROP TABLE scratch CASCADE;\n",
        "3_after.up.sql": "DROP TABLE orders;\n",
    })
    assert list(predicted(findings)) == ["DROP FUNCTION touch()"]


def test_a_search_path_set_by_a_migration_makes_later_names_unknown(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                      shop: Any) -> None:
    _code, findings = run(cli, tmp_path, pg_dsn, {
        "1_path.up.sql": "DROP TABLE orders;\nSELECT set_config('search_path', 'app, public', false);\n"
                         "DROP FUNCTION touch();\n",
    })
    assert list(predicted(findings)) == ["DROP TABLE orders"]


def test_without_the_database_the_rule_reports_nothing(cli: CliRun, tmp_path: Path) -> None:
    write(tmp_path / "migrations", {"1_drop.up.sql": "DROP TABLE orders;\n-- preflight: ignore "
                                                     "fails-against-live-schema the dependents go first\n"
                                                     "TRUNCATE orders;\n"})
    out = cli("lint", "--format", "json", "--tracking", "golang-migrate", str(tmp_path / "migrations"))
    rules = [f["rule"] for c in out.json["checks"] for f in c.get("findings", ())]
    assert RULE not in rules and "unused-ignore" not in rules and "ban-drop-table" in rules


EDGES = """
create table events (id bigint, kind text, at date) partition by range (at);
create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
create view event_kinds as select kind from events;
create table base (id int primary key, note text);
create table derived (extra text) inherits (base);
create table tickets (id bigint generated always as identity primary key, title text);
create view open_tickets as select id, title from tickets;
create view open_ticket_ids as select id from open_tickets;
create domain positive as integer check (value > 0);
create table amounts (id int, amount positive);
create table docs (id int primary key, owner text);
alter table docs enable row level security;
create policy docs_owner on docs using (owner = current_user);
create table wide (id int primary key);
create table narrow_refs (id int, wide_id bigint);
create table codes (code varchar(10) unique);
create table code_refs (code text);
create table partial (id int, active bool);
create unique index partial_id on partial (id) where active;
create table partial_refs (partial_id int);
create table self_refs (id int primary key, parent int references self_refs (id));
create table settings (id int, props text default '{}', flags text default 'x'::varchar, n bigint default 0,
                       at timestamptz default now());
create view setting_props as select props, n, at from settings;
create table zones (id int primary key, name text) partition by range (id);
create table zones_low partition of zones for values from (0) to (100);
create table visits (zone int references zones (id));
create view zone_names as select name from zones_low;
create table zones_rest partition of zones default;
create table zones_high partition of zones for values from (100) to (200);
create function zone_count() returns bigint language sql as 'select count(*) from zones';
create function zone_ids() returns setof int language sql as 'select id from zones';
create table drafts (id bigint, body text, n bigint not null);
"""

# statement -> whether the rule must predict its failure (True), must not (False: it succeeds), or may say
# nothing (None: it fails for a reason the rule does not claim, or one it cannot be sure of)
EDGE_CASES = {
    "DROP TABLE base": True,
    "DROP SEQUENCE tickets_id_seq": True,
    "DROP VIEW open_tickets": True,
    "DROP DOMAIN positive": True,
    "DROP TABLE tickets": True,
    "ALTER TABLE docs DROP COLUMN owner": True,
    "ALTER TABLE docs ALTER COLUMN owner TYPE varchar(50)": True,
    "ALTER TABLE events ALTER COLUMN kind TYPE varchar(5)": True,
    "ALTER TABLE events DROP COLUMN at": None,
    "ALTER TABLE narrow_refs ADD FOREIGN KEY (wide_id) REFERENCES wide (id)": False,
    "ALTER TABLE code_refs ADD FOREIGN KEY (code) REFERENCES codes (code)": False,
    "ALTER TABLE partial_refs ADD FOREIGN KEY (partial_id) REFERENCES partial (id)": None,
    "DROP TABLE events_2024": False,
    "TRUNCATE self_refs": False,
    "TRUNCATE events": False,
    "DROP TABLE derived": False,
    "DROP VIEW open_ticket_ids": False,
    "CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind)": True,
    "DROP TABLE open_tickets": True,
    "DROP TABLE IF EXISTS open_tickets": True,
    "DROP VIEW tickets": True,
    "DROP TABLE ghost, open_tickets": None,
    "DROP TABLE derived, open_tickets": True,
    "DROP SEQUENCE tickets": True,
    "CREATE INDEX tickets_id_gin ON tickets USING gin (id)": True,
    "CREATE INDEX amounts_amount_idx ON amounts (amount)": False,
    "CREATE INDEX codes_code_hash ON codes USING hash (code)": False,
    "CREATE INDEX settings_props_gin ON settings USING gin (props)": True,
    "CREATE UNIQUE INDEX settings_props_brin ON settings USING brin (props)": None,
    "CREATE INDEX tickets_title_idx ON tickets (title, ghost)": None,
    "CREATE OR REPLACE FUNCTION zone_count() RETURNS integer LANGUAGE sql AS 'select 1'": True,
    "CREATE OR REPLACE FUNCTION zone_count() RETURNS bigint LANGUAGE sql AS 'select 2::bigint'": False,
    "CREATE OR REPLACE FUNCTION zone_ids() RETURNS int LANGUAGE sql AS 'select 1'": True,
    "CREATE OR REPLACE FUNCTION zone_ids() RETURNS SETOF int LANGUAGE sql AS 'select 1'": False,
    "CREATE OR REPLACE FUNCTION zone_count(int) RETURNS integer LANGUAGE sql AS 'select 1'": False,
    "ALTER TABLE drafts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY": True,
    "ALTER TABLE drafts ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY": False,
    "ALTER TABLE zones DETACH PARTITION zones_high CONCURRENTLY": True,
    "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY": False,
    "ALTER TABLE docs ALTER COLUMN id TYPE boolean": True,
    "ALTER TABLE tickets ALTER COLUMN title TYPE integer": True,
    "ALTER TABLE tickets ALTER COLUMN title TYPE integer USING length(title)": True,
    "ALTER TABLE base ALTER COLUMN note TYPE integer USING length(note)": False,
    "ALTER TABLE base ALTER COLUMN id TYPE text": False,
    "ALTER TABLE base ALTER COLUMN id TYPE bigint": False,
    "ALTER TABLE amounts ALTER COLUMN amount TYPE bigint": False,
    "ALTER TABLE amounts ALTER COLUMN id TYPE positive": False,
    "ALTER TABLE codes ALTER COLUMN code TYPE text[]": None,
    "ALTER TABLE settings ALTER COLUMN props TYPE jsonb USING props::jsonb": True,
    "ALTER TABLE settings ALTER COLUMN flags TYPE jsonb USING flags::jsonb": None,
    "ALTER TABLE settings ALTER COLUMN n TYPE integer": True,
    "ALTER TABLE settings ALTER COLUMN at TYPE timestamp": None,
    "ALTER TABLE settings ALTER COLUMN id TYPE bigint": False,
    "DROP TABLE zones_low": None,
    "ALTER TABLE zones_low DROP COLUMN name": None,
    "ALTER TABLE zones_low ALTER COLUMN name TYPE integer USING 0": None,
    "ALTER TABLE zones DROP COLUMN id": None,
    "TRUNCATE zones": True,
    "TRUNCATE zones_low": None,
    "ALTER TABLE zones_low ALTER COLUMN id DROP NOT NULL": None,
    "CREATE INDEX CONCURRENTLY tickets_title_idx ON tickets (title)": False,
    "CREATE OR REPLACE VIEW open_tickets AS SELECT id AS ticket, title FROM tickets": True,
    "CREATE OR REPLACE VIEW open_tickets AS SELECT id, title, title AS again FROM tickets": False,
    "CREATE OR REPLACE VIEW open_tickets AS SELECT * FROM tickets": False,
}


@pytest.mark.parametrize("statement", list(EDGE_CASES))
def test_partitions_inheritance_identity_policies_and_key_types(cli: CliRun, tmp_path: Path, pg_dsn: str,
                                                                pg_admin: Any, statement: str) -> None:
    pg_admin.execute(EDGES)
    _code, findings = run(cli, tmp_path, pg_dsn, {"1_change.up.sql": statement + ";\n"})
    truth = server_says(pg_dsn, statement)
    said = [state for state, _ in predicted(findings).values()]
    expected = EDGE_CASES[statement]
    if expected is False:
        assert truth is None and said == []
    elif expected:
        assert truth is not None and said == [truth], (truth, predicted(findings))
    else:
        assert truth is not None and said in ([], [truth]), (truth, predicted(findings))
