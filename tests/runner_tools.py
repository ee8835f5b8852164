"""The migration runners themselves, run by the tests to write their own tracking tables.

Alembic and Django come from the test extra (PyPI); Knex and Liquibase from ``tests/node`` (npm; ``npm ci`` runs
there when ``node_modules`` is missing); sqitch and ActiveRecord from Debian (``.ci/apt-packages.txt``);
Liquibase runs on the JDK. A tool that is missing fails the test loudly, naming how to install it: these tests
are never skipped.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from psycopg.conninfo import conninfo_to_dict

NODE_DIR = Path(__file__).resolve().parent / "node"


def require(tool: str, how: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is needed by this test and is not installed ({how})", pytrace=False)
    return path


def node_modules() -> Path:
    """tests/node/node_modules, installed from the lockfile on first use (one installer at a time)."""
    modules = NODE_DIR / "node_modules"
    with open(NODE_DIR / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (modules / ".package-lock.json").exists():
            npm = require("npm", "Node.js 20 and npm: apt-get install nodejs npm")
            done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True,
                                  text=True, timeout=900, check=False)
            if done.returncode != 0:
                pytest.fail(f"npm ci in {NODE_DIR} failed: {done.stderr.strip()[-2000:]}", pytrace=False)
    return modules


def run(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, ok: bool = True,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if ok and done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n"
                             f"{done.stderr[-3000:]}")
    return done


def dsn_parts(dsn: str) -> dict[str, Any]:
    p = conninfo_to_dict(dsn)
    return {"host": p.get("host", "127.0.0.1"), "port": int(p.get("port", 5432)), "user": p.get("user", "postgres"),
            "password": p.get("password", ""), "dbname": p.get("dbname", "postgres")}


def dsn_url(dsn: str) -> str:
    p = dsn_parts(dsn)
    auth = p["user"] + (f":{p['password']}" if p["password"] else "")
    return f"postgresql://{auth}@{p['host']}:{p['port']}/{p['dbname']}"


# -- Knex -----------------------------------------------------------------------------------------------------

KNEX_SCRIPT = """
const knex = require('knex')({client: 'pg', connection: JSON.parse(process.env.PF_CONN)});
const dir = process.env.PF_DIR, steps = parseInt(process.env.PF_STEPS || '-1');
(async () => {
  try {
    if (steps < 0) { await knex.migrate.latest({directory: dir}); }
    else { for (let i = 0; i < steps; i++) { await knex.migrate.up({directory: dir}); } }
  } finally { await knex.destroy(); }
})().catch(e => { console.error(e.message); process.exit(1); });
"""


def knex_migrate(dsn: str, directory: Path, steps: int | None = None, ok: bool = True
                 ) -> subprocess.CompletedProcess[str]:
    """`knex migrate:latest` (or `migrate:up` ``steps`` times) with Knex's own Migrator."""
    modules = node_modules()
    node = require("node", "Node.js 20: apt-get install nodejs")
    p = dsn_parts(dsn)
    conn = {"host": p["host"], "port": p["port"], "user": p["user"], "database": p["dbname"]}
    if p["password"]:
        conn["password"] = p["password"]
    return run([node, "-e", KNEX_SCRIPT], cwd=modules.parent, ok=ok,
               env={"PF_CONN": json.dumps(conn), "PF_DIR": str(directory),
                    "PF_STEPS": str(-1 if steps is None else steps), "NODE_PATH": str(modules)})


# -- Liquibase ------------------------------------------------------------------------------------------------


def liquibase(dsn: str, search_path: Path, changelog: str, *args: str, ok: bool = True
              ) -> subprocess.CompletedProcess[str]:
    """The Liquibase CLI the npm package ships, on the JDK."""
    require("java", "the JDK: apt-get install openjdk-17-jdk-headless")
    home = node_modules() / "liquibase" / "dist" / "liquibase"
    p = dsn_parts(dsn)
    url = f"jdbc:postgresql://{p['host']}:{p['port']}/{p['dbname']}"
    cmd = [str(home / "liquibase"), f"--url={url}", f"--username={p['user']}",
           f"--search-path={search_path}", f"--changelog-file={changelog}", "--show-banner=false",
           "--log-level=severe", *args]
    if p["password"]:
        cmd.insert(2, f"--password={p['password']}")
    return run(cmd, cwd=search_path, ok=ok, env={"LIQUIBASE_HOME": str(home), "LIQUIBASE_ANALYTICS_ENABLED": "false"})


# -- sqitch ---------------------------------------------------------------------------------------------------


def sqitch(project: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    exe = require("sqitch", "Debian: apt-get install sqitch libdbd-pg-perl")
    return run([exe, *args], cwd=project, ok=ok, env={"SQITCH_FULLNAME": "Ada Lovelace",
                                                      "SQITCH_EMAIL": "ada@example.com", "EDITOR": "true"})


def sqitch_target(dsn: str) -> str:
    p = dsn_parts(dsn)
    auth = p["user"] + (f":{p['password']}" if p["password"] else "")
    return f"db:pg://{auth}@{p['host']}:{p['port']}/{p['dbname']}"


# -- ActiveRecord ---------------------------------------------------------------------------------------------

RAILS_SCRIPT = """
require "active_record"
ActiveRecord::Base.establish_connection(ENV.fetch("DATABASE_URL"))
ActiveRecord::Migration.verbose = false
ctx = ActiveRecord::MigrationContext.new(ARGV[0], ActiveRecord::SchemaMigration)
ctx.migrate(ARGV[1] ? ARGV[1].to_i : nil)
"""


def rails_migrate(dsn: str, directory: Path, target: int | None = None) -> None:
    """`db:migrate` (to ``target``) with ActiveRecord's own MigrationContext."""
    ruby = require("ruby", "Debian: apt-get install ruby-activerecord ruby-pg")
    run([ruby, "-e", RAILS_SCRIPT, str(directory), *([str(target)] if target is not None else [])],
        env={"DATABASE_URL": dsn_url(dsn)})


# -- Django ---------------------------------------------------------------------------------------------------


def django_manage(project: Path, dsn: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """``python manage.py ...`` of a test project whose settings read the database from the environment."""
    return run([sys.executable, str(project / "manage.py"), *args], cwd=project, ok=ok,
               env={"PF_TEST_DATABASE_URL": dsn_url(dsn)})
