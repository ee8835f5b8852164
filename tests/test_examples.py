"""The shipped examples: every config validates, each runner's example reads as its runner would, and each
image source's example passes against a real artifact of that kind built here."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from tests.helpers import CliRun, validate_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CONFIGS = sorted([*EXAMPLES.glob("*/preflight.toml"), *EXAMPLES.glob("image-sources/*.toml")])

RUNNERS = ("golang-migrate", "goose", "dbmate", "flyway", "filename", "alembic", "django", "prisma", "liquibase",
           "rails", "knex", "sqitch", "atlas")
IMAGE_SOURCES = ("docker-archive", "oci", "oci-archive", "dir", "docker", "dockerfile")

# Each runner's example: the migrations the runner runs on a fresh database, in its order.
RUN_ORDER = {
    "golang-migrate": ["000001_create_accounts", "000002_index_accounts_email", "000003_add_accounts_plan"],
    "goose": ["20240105093000_create_accounts", "20240212110000_index_accounts_email",
              "20240301080000_add_accounts_plan"],
    "dbmate": ["20240105093000_create_accounts", "20240212110000_index_accounts_email",
               "20240301080000_add_accounts_plan"],
    # Flyway: 1.10 after 1.9, the repeatable migration after every versioned one.
    "flyway": ["V1__create_accounts", "V1.9__add_accounts_plan", "V1.10__add_accounts_plan_default",
               "R__accounts_by_plan"],
    # Byte order of the stems; 032_* share a prefix and both run.
    "filename": ["031_create_accounts", "032_add_accounts_plan", "032_create_invoices"],
    "incident": ["101_create_task_usage", "102_create_hourly_rollup", "103_drop_legacy_rollups",
                 "104_require_backfilled_watermark"],
    "alembic": ["3f1c2a9b7d10_create_accounts", "8a4e6d2c1b33_index_accounts_email", "c7d9e0f1a2b4_add_accounts_plan"],
    "django": ["shop.0001_initial", "shop.0002_account_plan", "shop.0003_account_email_index"],
    "prisma": ["20240105093000_init", "20240212110000_account_email_unique", "20240301080000_account_plan"],
    "liquibase": ["db/changelog/changes/001-accounts.sql::accounts::alice",
                  "db/changelog/changes/002-email-index.sql::accounts-email-index::alice",
                  "db/changelog/db.changelog-master.yaml::accounts-plan::alice"],
    "rails": ["20240105093000_create_accounts", "20240212110000_index_accounts_email", "20240301080000_add_accounts_plan"],
    "knex": ["20240105093000_create_accounts.js", "20240212110000_index_accounts_email.js",
             "20240301080000_add_accounts_plan.js"],
    "sqitch": ["accounts", "accounts_email_index", "accounts_plan"],
    "atlas": ["20240105093000_create_accounts", "20240212110000_index_accounts_email",
              "20240301080000_add_accounts_plan"],
}


def test_there_is_an_example_for_each_runner_and_image_source() -> None:
    runners = set()
    for path in EXAMPLES.glob("*/preflight.toml"):
        migrations = tomllib.loads(path.read_text(encoding="utf-8")).get("targets", {}).get("migrations")
        if migrations:
            runners.add(migrations["tracking"])
    assert runners == set(RUNNERS)
    transports = set()
    for path in EXAMPLES.glob("image-sources/*.toml"):
        ref = tomllib.loads(path.read_text(encoding="utf-8"))["targets"]["image"]["ref"]
        transports.add(ref.split(":", 1)[0])
        assert path.stem == ref.split(":", 1)[0]
    assert transports == set(IMAGE_SOURCES)


@pytest.mark.parametrize("config", CONFIGS, ids=[str(c.relative_to(EXAMPLES)) for c in CONFIGS])
def test_every_example_validates(config: Path, cli: CliRun) -> None:
    text = config.read_text(encoding="utf-8")
    assert text.startswith("#"), "an example explains itself in comments first"
    out = cli("validate", "--config", str(config), env={"DATABASE_URL": "postgresql://app@db.internal/app"})
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith(f"{config}: ok")


@pytest.mark.parametrize("example", [*RUNNERS, "incident"])
def test_each_runner_example_reads_in_its_runners_order(example: str, cli: CliRun, tmp_path: Path,
                                                        pg_dsn: str) -> None:
    """On a fresh database everything is pending, in the order the runner runs it."""
    shutil.copytree(EXAMPLES / example, tmp_path / example)
    config = tmp_path / example / "preflight.toml"
    args = ["run", "--config", str(config), "--only", "migration-state", "--format", "json", "--dsn", pg_dsn]
    if example == "incident":
        # Its migrations are read from the image by default; the checkout's copy is the same files.
        args += ["--migrations", str(tmp_path / example / "migrations")]
    out = cli(*args, env={"DATABASE_URL": pg_dsn})
    assert out.exit_code == 0, out.stdout + out.stderr
    validate_report(out.json)
    (check,) = out.json["checks"]
    # pass: no file the runner would ignore (that is a warning), no problem with the files.
    assert check["status"] == "pass", check
    assert check["findings"] == []
    assert [p["name"] for p in check["details"]["pending"]] == RUN_ORDER[example]


# -- image sources, each against a real artifact ---------------------------------------------------------------


def incident_layers(fixed: bool) -> list:
    from preflight.cli.demo import example_dir, image_layers

    return image_layers(example_dir(), fixed=fixed)


def build_artifact(source: str, where: Path, fixed: bool = True) -> None:
    """The artifact each image-source example names, built from the incident app's release image."""
    from preflight.image import build

    spec = build.ImageSpec(entrypoint=["/app/start"], working_dir="/app")
    layers = incident_layers(fixed)
    out = where / "build"
    out.mkdir(parents=True, exist_ok=True)
    if source == "docker-archive":
        build.write_docker_archive(out / "app.tar", layers, spec, tag="team/app:1.4.0", shape="oci")
    elif source == "oci":
        amd = build.build_image(layers, spec)
        arm = build.build_image(layers, build.ImageSpec(entrypoint=["/app/start"], architecture="arm64",
                                                        variant="v8"))
        # A multi-platform index: the example picks linux/amd64.
        build.write_oci_layout(out / "layout", [(amd, "1.4.0"), (arm, "1.4.0")])
    elif source == "oci-archive":
        amd = build.build_image(layers, spec, compression="zstd")
        arm = build.build_image(layers, build.ImageSpec(entrypoint=["/app/start"], architecture="arm64",
                                                        variant="v8"), compression="gzip")
        build.write_oci_layout(where / "layout-tmp", [(amd, None), (arm, None)])
        build.write_tar_of_directory(where / "layout-tmp", out / "app.oci.tar")
    elif source == "dir":
        rootfs = out / "rootfs"
        for layer in layers:
            for path, entry in layer.items():
                target = rootfs / path.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(entry, build.Symlink):
                    target.symlink_to(entry.target)  # absolute: the reader resolves it inside the root
                    continue
                if isinstance(entry, build.Dir):
                    target.mkdir(exist_ok=True)
                    target.chmod(entry.mode)
                    continue
                file = entry if isinstance(entry, build.File) else build.File(entry)
                target.write_bytes(file.data)
                target.chmod(file.mode)
    else:  # pragma: no cover
        raise AssertionError(source)


@pytest.mark.parametrize("source", ["docker-archive", "oci", "oci-archive", "dir"])
def test_image_source_examples_pass_on_a_release_that_ships_the_backfill(source: str, cli: CliRun,
                                                                           tmp_path: Path) -> None:
    where = tmp_path / "image-sources"
    where.mkdir()
    shutil.copy(EXAMPLES / "image-sources" / f"{source}.toml", where)
    build_artifact(source, where, fixed=True)
    out = cli("run", "--config", str(where / f"{source}.toml"), "--format", "json")
    assert out.exit_code == 0, out.stdout + out.stderr
    validate_report(out.json)
    assert {c["status"] for c in out.json["checks"]} == {"pass"}


@pytest.mark.parametrize("source", ["docker-archive", "dir"])
def test_image_source_examples_block_the_incidents_release(source: str, cli: CliRun, tmp_path: Path) -> None:
    where = tmp_path / "image-sources"
    where.mkdir()
    shutil.copy(EXAMPLES / "image-sources" / f"{source}.toml", where)
    build_artifact(source, where, fixed=False)
    out = cli("run", "--config", str(where / f"{source}.toml"), "--format", "json")
    assert out.exit_code == 1, out.stdout + out.stderr
    failed = {c["id"]: c for c in out.json["checks"] if c["status"] == "fail"}
    assert set(failed) == {"backfill-binary"}
    assert "/app/backfill_task_usage_hourly" in failed["backfill-binary"]["summary"]


def test_dockerfile_example_reads_the_recipe(cli: CliRun) -> None:
    config = EXAMPLES / "image-sources" / "dockerfile.toml"
    fixed = cli("run", "--config", str(config), "--format", "json")
    assert fixed.exit_code == 0, fixed.stdout + fixed.stderr
    broken = cli("run", "--config", str(config), "--format", "json",
                 "--image", f"dockerfile:{EXAMPLES / 'incident' / 'Dockerfile'}")
    assert broken.exit_code == 1, broken.stdout + broken.stderr
    failed = [c["id"] for c in broken.json["checks"] if c["status"] == "fail"]
    assert failed == ["backfill-binary"]


@pytest.mark.parametrize("recipe, fixed", [("Dockerfile", False), ("Dockerfile.fixed", True)])
def test_the_demo_builds_what_the_incident_recipes_ship(recipe: str, fixed: bool, tmp_path: Path) -> None:
    """The demo's release image, read back as a `docker save` archive, has under /app exactly what preflight's
    `dockerfile:` reader says the recipe's final stage ships there (the recipe read with its base image mapped,
    and read as a user would, without it), with the same types and modes."""
    from preflight.cli.demo import build_release_image, example_dir, recipe_view
    from tests.image_fixtures import open_ref

    archive = build_release_image(example_dir(), tmp_path / "app.tar", fixed=fixed)
    built = open_ref(f"docker-archive:{archive}", tmp_path).single()
    mapped = recipe_view(example_dir(), fixed=fixed, workdir=tmp_path)
    unmapped = open_ref(f"dockerfile:{EXAMPLES / 'incident' / recipe}", tmp_path).single()
    try:
        for view in (mapped.single(), unmapped):
            todo = ["/app"]
            seen = []
            while todo:
                d = todo.pop()
                names = view.list_directory(d)
                assert names == built.list_directory(d), d
                for name in names:
                    path = f"{d}/{name}"
                    seen.append(path)
                    (ours,), (theirs,) = view.stat([path]), built.stat([path])
                    assert (ours.presence, ours.type, ours.mode) == ("present", theirs.type, theirs.mode), path
                    if ours.type == "directory":
                        todo.append(path)
            assert ("/app/backfill_task_usage_hourly" in seen) is fixed
            # The common form still blocks: without the fix the backfill is absent, never unknown.
            (backfill,) = view.stat(["/app/backfill_task_usage_hourly"])
            assert backfill.presence == ("present" if fixed else "absent")
    finally:
        mapped.close()


def test_the_incident_recipe_blocks_on_the_missing_backfill(cli: CliRun, tmp_path: Path, pg_dsn: str) -> None:
    """`preflight run --image dockerfile:Dockerfile` in examples/incident fails on the missing backfill: a fail,
    not an error and not a pass."""
    shutil.copytree(EXAMPLES / "incident", tmp_path / "incident", ignore=shutil.ignore_patterns("build"))
    where = tmp_path / "incident"
    out = cli("run", "--config", str(where / "preflight.toml"), "--image", f"dockerfile:{where / 'Dockerfile'}",
              "--format", "json", env={"DATABASE_URL": pg_dsn})
    assert out.exit_code == 1, out.stdout + out.stderr
    validate_report(out.json)
    checks = {c["id"]: c for c in out.json["checks"]}
    assert checks["backfill-binary"]["status"] == "fail"
    assert not [c["id"] for c in out.json["checks"] if c["status"] == "error"]
    entry = checks["backfill-binary"]["details"]["paths"]["/app/backfill_task_usage_hourly"]
    assert entry["presence"] == "absent" and entry["presumed"] == ["absent"]
    assert checks["backfill-binary"]["details"]["paths"]["/app/migrate"]["presence"] == "present"
    fixed = cli("run", "--config", str(where / "preflight.toml"), "--image",
                f"dockerfile:{where / 'Dockerfile.fixed'}", "--only", "backfill-binary", "--format", "json",
                env={"DATABASE_URL": pg_dsn})
    assert fixed.exit_code == 0, fixed.stdout
