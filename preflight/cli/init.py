"""``preflight init``: write a starter ``preflight.toml`` from what the project in a directory shows.

It looks for a runner's project files (``sqitch.plan``, ``prisma/migrations``, a Liquibase changelog,
``alembic.ini``, ``manage.py``, ``db/migrate``, a knexfile), else for a directory of migration files
(``db/migrations``, ``migrations``, ``sql``, ... or any directory of ``.sql`` files near the top) and tells the
runner from the files' naming and markers (``atlas.sum``: Atlas), notices a ``Dockerfile`` and a
``DATABASE_URL`` in the environment, and writes a commented config whose checks fit what it found. It never
writes a secret: a database URL is referenced as ``${DATABASE_URL}``, never copied.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import click

CONFIG_NAME = "preflight.toml"

# Where runners put migrations by default, most specific first.
CANDIDATE_DIRS = (
    "db/migrations",
    "db/migrate",
    "migrations",
    "database/migrations",
    "src/main/resources/db/migration",
    "db/migration",
    "sql",
    "schema/migrations",
    "internal/db/migrations",
    "supabase/migrations",
)
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", "build", "dist", "target",
             "vendor", ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
SEARCH_DEPTH = 4
PEEK_BYTES = 64 * 1024

GOLANG_MIGRATE_NAME = re.compile(r"([0-9]+)_.+\.(up|down)\.sql")
FLYWAY_NAME = re.compile(r"(V[0-9]+([._][0-9]+)*__.+|R__.+)\.sql")
GOOSE_MARKER = re.compile(r"^--\s*\+goose\s+(Up|Down)\b", re.M | re.I)
DBMATE_MARKER = re.compile(r"^--\s*migrate:(up|down)\b", re.M)

RUNNER_NOTES = {
    "golang-migrate": "NNN_name.up.sql files: golang-migrate (one-row schema_migrations(version, dirty))",
    "goose": "'-- +goose Up' sections: goose (history in goose_db_version)",
    "dbmate": "'-- migrate:up' sections: dbmate (schema_migrations(version))",
    "flyway": "V<version>__<description>.sql files: Flyway (flyway_schema_history)",
    "filename": "no known runner's naming: a runner that applies files in name order and records their stems",
    "alembic": "Alembic revisions (alembic_version); their SQL comes from `alembic upgrade --sql` when sql_command is set",
    "django": "Django migrations, every app under the project (django_migrations)",
    "prisma": "Prisma Migrate directories with migration.sql (_prisma_migrations)",
    "liquibase": "a Liquibase changelog (databasechangelog)",
    "rails": "ActiveRecord migrations (schema_migrations)",
    "knex": "Knex migrations (knex_migrations, knex_migrations_lock)",
    "sqitch": "a sqitch plan (the sqitch.changes registry)",
    "atlas": "Atlas migrations with atlas.sum (atlas_schema_revisions)",
}
RUNNER_LIST = "golang-migrate | goose | dbmate | flyway | filename | alembic | django | prisma | liquibase | rails | knex | sqitch | atlas"


@dataclass
class Detected:
    migrations_dir: str | None = None
    runner: str | None = None
    migration_files: int = 0
    extra: list[str] = field(default_factory=list)
    """More [targets.migrations] lines for the runner (config_file, changelog, a commented sql_command)."""
    dockerfile: str | None = None
    database_url: bool = False
    notes: list[str] = field(default_factory=list)


def _sql_files(directory: Path) -> list[Path]:
    try:
        return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix == ".sql"
                      and not p.name.startswith("."))
    except OSError:
        return []


def find_migrations_dir(root: Path) -> Path | None:
    """The runner's usual places first, then the shallowest directory holding ``.sql`` files."""
    for rel in CANDIDATE_DIRS:
        d = root / rel
        if d.is_dir() and _sql_files(d):
            return d
    frontier = [root]
    for _ in range(SEARCH_DEPTH):
        next_level: list[Path] = []
        for d in frontier:
            try:
                children = sorted(c for c in d.iterdir() if c.is_dir())
            except OSError:
                continue
            for c in children:
                if c.name in SKIP_DIRS or c.name.startswith("."):
                    continue
                if _sql_files(c):
                    return c
                next_level.append(c)
        frontier = next_level
    return None


def _peek(path: Path) -> str:
    try:
        with path.open("rb") as f:
            return f.read(PEEK_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def detect_runner(files: list[Path]) -> str:
    """The runner from the files: markers inside them first (goose, dbmate), then the naming."""
    names = [f.name for f in files]
    texts = [_peek(f) for f in files]
    if any(GOOSE_MARKER.search(t) for t in texts):
        return "goose"
    if any(DBMATE_MARKER.search(t) for t in texts):
        return "dbmate"
    if names and sum(bool(FLYWAY_NAME.fullmatch(n)) for n in names) * 2 > len(names):
        return "flyway"
    ups = [m for m in (GOLANG_MIGRATE_NAME.fullmatch(n) for n in names) if m and m.group(2) == "up"]
    if ups and len(ups) == sum(n.endswith(".up.sql") for n in names):
        versions = [int(m.group(1)) for m in ups]
        # golang-migrate refuses two files with one version; a home-grown runner that records stems does not.
        if len(set(versions)) == len(versions):
            return "golang-migrate"
    return "filename"


def find_dockerfile(root: Path) -> Path | None:
    for name in ("Dockerfile", "Containerfile", "docker/Dockerfile", "build/Dockerfile"):
        p = root / name
        if p.is_file():
            return p
    try:
        extra = sorted(p for p in root.glob("*.Dockerfile") if p.is_file())
    except OSError:
        extra = []
    return extra[0] if extra else None


def _files(directory: Path, pattern: str) -> list[Path]:
    try:
        return sorted(p for p in directory.glob(pattern) if p.is_file())
    except OSError:
        return []


def _shallow(root: Path, name: str) -> Path | None:
    """``name`` at the top or in a directory up to two levels down (not in dependencies or hidden ones)."""
    for depth in range(3):
        pattern = "/".join(["*"] * depth + [name])
        for p in sorted(root.glob(pattern)):
            if p.is_file() and not any(part in SKIP_DIRS or part.startswith(".") for part in p.relative_to(root).parts[:-1]):
                return p
    return None


def detect_project_runner(root: Path) -> Detected | None:
    """Runners told by their project files rather than by a directory of .sql files."""
    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix() or "."

    plan = _shallow(root, "sqitch.plan")
    if plan is not None:
        return Detected(rel(plan.parent), "sqitch", len(_files(plan.parent / "deploy", "*.sql")))
    prisma = root / "prisma" / "migrations"
    if _files(prisma, "*/migration.sql"):
        return Detected(rel(prisma), "prisma", len(_files(prisma, "*/migration.sql")))
    for base in (root / "src/main/resources", root):
        for name in ("db/changelog/db.changelog-master.yaml", "db/changelog/db.changelog-master.yml",
                     "db/changelog/db.changelog-master.xml", "db/changelog/db.changelog-master.json",
                     "db/changelog/db.changelog-master.sql"):
            if (base / name).is_file():
                return Detected(rel(base), "liquibase", len(_files(base / "db/changelog", "**/*.*")),
                                extra=[f"changelog = {_toml_str(name)}   # Liquibase's --changelog-file"])
    ini = root / "alembic.ini"
    if ini.is_file():
        script = re.search(r"^script_location\s*=\s*(\S+)", _peek(ini), re.M)
        versions = root / (script.group(1).replace("%(here)s/", "") if script else "alembic") / "versions"
        if versions.is_dir():
            return Detected(rel(versions), "alembic", len(_files(versions, "*.py")), extra=[
                '# sql_command = "alembic upgrade {from}:{to} --sql"   # lets the lint read each revision\'s SQL '
                "(runs env.py)"])
    if (root / "manage.py").is_file():
        apps = [p for p in _files(root, "*/migrations/__init__.py") + _files(root, "*/*/migrations/__init__.py")
                if not any(part in SKIP_DIRS for part in p.relative_to(root).parts)]
        if apps:
            count = sum(len(_files(p.parent, "[0-9]*.py")) for p in apps)
            return Detected(".", "django", count, extra=[
                '# sql_command = "python manage.py sqlmigrate {app} {name}"   # lets the lint read the SQL '
                "(imports the project)"])
    rails = root / "db" / "migrate"
    if _files(rails, "[0-9]*_*.rb"):
        return Detected(rel(rails), "rails", len(_files(rails, "**/[0-9]*_*.rb")))
    knexfile = next((root / n for n in ("knexfile.js", "knexfile.ts", "knexfile.cjs", "knexfile.mjs")
                     if (root / n).is_file()), None)
    if knexfile is not None:
        mdir = root / "migrations"
        named = re.search(r"directory\s*:\s*['\"]([^'\"]+)['\"]", _peek(knexfile))
        if named:
            mdir = root / named.group(1).removeprefix("./")
        return Detected(rel(mdir), "knex", len(_files(mdir, "*.*")))
    return None


def detect(root: Path, environ: dict[str, str] | os._Environ[str] | None = None) -> Detected:
    env = os.environ if environ is None else environ
    found = detect_project_runner(root) or Detected()
    mdir = find_migrations_dir(root) if found.runner is None else None
    if mdir is not None:
        files = _sql_files(mdir)
        found.migrations_dir = mdir.relative_to(root).as_posix()
        found.runner = "atlas" if (mdir / "atlas.sum").is_file() else detect_runner(files)
        found.migration_files = len(files)
        conf = next((n for n in ("flyway.conf", "flyway.toml", "conf/flyway.conf") if (root / n).is_file()), None)
        if found.runner == "flyway" and conf:
            found.extra.append(f"config_file = {_toml_str(conf)}   # locations, table, schemas, placeholders")
    dockerfile = find_dockerfile(root)
    if dockerfile is not None:
        found.dockerfile = dockerfile.relative_to(root).as_posix()
    found.database_url = bool(env.get("DATABASE_URL"))
    return found


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(found: Detected) -> str:
    """The starter config for what was found: every section commented, nothing secret in it."""
    out: list[str] = [
        "# preflight: checks run before a rollout; a failure blocks it (exit 1). Written by `preflight init`:",
        "# review it, then `preflight validate` and `preflight run`. Every key is documented in",
        "# `preflight explain <check type>`; `preflight checks` lists the types.",
        "",
        "[targets.database]",
    ]
    if found.database_url:
        out += [
            "# From the environment at run time: the URL itself is never written here, and reports never show",
            "# its password.",
            'dsn = "${DATABASE_URL}"',
        ]
    else:
        out += [
            "# Empty: the PG* environment variables (PGHOST, PGDATABASE, ...) and service files. To read a URL",
            "# from the environment instead (never write a password here):",
            '# dsn = "${DATABASE_URL}"',
            'dsn = ""',
        ]
    out += [
        '# statement_timeout = "10s"   # every session preflight opens is read-only, with these timeouts',
        '# lock_timeout = "2s"',
        "",
    ]
    if found.dockerfile:
        out += [
            "[targets.image]",
            "# The recipe's final stage, before anything is built: what RUN steps or an unread base image decide",
            "# is unknown (never a pass); map base images to read them, e.g.",
            '# base_images = { "alpine:3.21" = "docker-archive:build/alpine.tar" }',
            f"ref = {_toml_str('dockerfile:' + found.dockerfile)}",
            "# Better once the image exists: the image about to be promoted, e.g. `docker save app -o build/app.tar`",
            '# ref = "docker-archive:build/app.tar"',
            '# ref = "docker://registry.example.com/team/app:1.4.0"',
            '# platform = "linux/amd64"',
            "",
        ]
    else:
        out += [
            "# The image about to be promoted (docker-archive:, oci:, oci-archive:, dir:, docker://, dockerfile:):",
            "# [targets.image]",
            '# ref = "docker-archive:build/app.tar"',
            "",
        ]
    if found.migrations_dir and found.runner:
        out += [
            "[targets.migrations]",
            f"# {found.migration_files} migration files in {found.migrations_dir}; "
            f"{RUNNER_NOTES[found.runner]}.",
            f"source = {_toml_str(found.migrations_dir)}",
            f"tracking = {_toml_str(found.runner)}   # {RUNNER_LIST}",
            *found.extra,
        ]
        if found.dockerfile:
            out.append('# source = "image:/app/migrations"   # the copy inside the image: what will really run')
        out.append("")
    else:
        out += [
            "# No migration files found. Point this at them to check what will run:",
            "# [targets.migrations]",
            '# source = "db/migrations"',
            f'# tracking = "golang-migrate"   # {RUNNER_LIST}',
            "",
        ]
    out += [
        "[run]",
        'timeout = "60s"     # per check',
        'deadline = "5m"     # the whole run',
        "",
        "[[check]]",
        'id = "database-reachable"',
        'uses = "db.connect"',
        '# min_version = "14"',
        "",
    ]
    if found.migrations_dir:
        out += [
            "# What `migrate up` will run, in order; fails on a dirty or failed previous run, a database ahead of",
            "# this release and migrations the runner would skip.",
            "[[check]]",
            'id = "migration-state"',
            'uses = "migrations.pending"',
            "",
            "# The pending migrations, judged against the live database: data loss, blocking locks, transaction",
            "# traps. A DROP of a table holding rows fails with its row count.",
            "[[check]]",
            'id = "migration-safety"',
            'uses = "migrations.lint"',
            'scope = "pending"',
            "",
            "# Fail-closed DO blocks at the top of pending migrations, evaluated read-only before the rollout.",
            "[[check]]",
            'id = "migration-guards"',
            'uses = "migrations.guards"',
            "",
        ]
    if found.dockerfile:
        out += [
            "# The image's ENTRYPOINT/CMD program exists and is executable.",
            "[[check]]",
            'id = "entrypoint"',
            'uses = "image.entrypoint"',
            "",
            "# Programs the rollout runs inside the new container (a one-shot backfill, the migration runner):",
            "# [[check]]",
            '# id = "rollout-programs"',
            '# uses = "image.files"',
            '# paths = ["/app/migrate"]',
            "# executable = true",
            "",
        ]
    out += [
        "# A backfill that must have caught up before a migration drops what it replaces:",
        "# [[check]]",
        '# id = "backfill-caught-up"',
        '# uses = "db.watermark"',
        '# when_pending = ["103_*"]      # only while that migration is pending',
        '# watermark = { table = "rollup_state", column = "watermark_at", where = { id = 1 } }',
        '# source = { table = "events", columns = ["updated_at", "created_at"] }',
        '# max_lag = "1h"',
        "",
        "# A failure you accept, visibly and for a while:",
        "# [[waiver]]",
        '# check = "migration-safety"',
        '# reason = "dropping the unused audit_old table (JIRA-123)"',
        "# expires = 2030-01-31",
    ]
    return "\n".join(out) + "\n"


def summary_lines(found: Detected, path: str) -> list[str]:
    lines = [f"wrote {path}"]
    if found.migrations_dir:
        lines.append(f"  migrations: {found.migrations_dir} ({found.migration_files} files) -> "
                     f"tracking = \"{found.runner}\"")
    else:
        lines.append("  migrations: none found (add [targets.migrations] by hand)")
    lines.append(f"  image:      {found.dockerfile} -> ref = \"dockerfile:{found.dockerfile}\"" if found.dockerfile
                 else "  image:      no Dockerfile found (add [targets.image] by hand)")
    lines.append('  database:   DATABASE_URL is set -> dsn = "${DATABASE_URL}"' if found.database_url
                 else '  database:   no DATABASE_URL in the environment -> dsn = "" (the PG* variables)')
    lines.append("next: preflight validate && preflight run")
    return lines


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing preflight.toml.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the config instead of writing it.")
def init(directory: Path, force: bool, to_stdout: bool) -> None:
    """Write a starter preflight.toml for the project in DIRECTORY (default: here).

    It detects the migration runner from the project's files (sqitch.plan, prisma/migrations, a Liquibase
    changelog, alembic.ini, manage.py, db/migrate, a knexfile, atlas.sum) or the migration files' naming
    (golang-migrate, goose, dbmate, Flyway, or by file name), a Dockerfile, and a DATABASE_URL in the
    environment (referenced, never copied).
    """
    from preflight.cli.main import fail

    found = detect(directory)
    text = render(found)
    if to_stdout:
        click.echo(text, nl=False)
        return
    target = directory / CONFIG_NAME
    shown = str(target) if directory != Path(".") else CONFIG_NAME
    if target.exists() and not force:
        fail(f"{shown} already exists: not overwriting it (use --force to replace it, or --stdout to see the "
             "starter config)")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as e:
        fail(f"{shown}: cannot write: {e.strerror or e}")
    for line in summary_lines(found, shown):
        click.echo(line)
