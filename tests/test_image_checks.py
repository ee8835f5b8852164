"""``image.files`` and ``image.entrypoint`` on real archives: called directly and through ``preflight run``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preflight.checks import image_entrypoint, image_files
from preflight.image.build import Dir, File, ImageSpec, Opaque, Symlink, Whiteout, build_image
from preflight.model import Result, Severity, Status
from preflight.typed import KeyError_, build
from tests.helpers import CliRun, validate_report, write_config
from tests.image_fixtures import (
    context,
    docker_archive,
    multi_platform_layout,
    rootfs,
)

ELF = b"\x7fELF\x02\x01\x01" + bytes(60)

RUNTIME = [
    {"/bin/sh": File(ELF, 0o755), "/usr/bin/env": File(ELF, 0o755), "/usr/bin/python3": File(ELF, 0o755),
     "/usr/lib/postgresql/15/bin/psql": File(ELF, 0o755), "/usr/bin/psql": Symlink("../lib/postgresql/15/bin/psql"),
     "/app/backfill_task_usage_hourly": File(ELF, 0o755)},
    {"/app": Opaque(), "/app/server": File(ELF, 0o755), "/app/worker": File(ELF, 0o755),
     "/app/migrate": File(ELF, 0o755), "/app/README": "docs", "/app/empty": "", "/app/conf": Dir(),
     "/app/start.sh": File("#!/bin/bash\nexec /app/server\n", 0o755),
     "/app/tool.py": File("#!/usr/bin/env python3\nprint(1)\n", 0o755),
     "/app/lost.py": File("#!/usr/bin/env ruby\n", 0o755),
     "/usr/local/bin/app": Symlink("/app/server"), "/usr/bin/python3": Whiteout()},
]


def files(tmp_path: Path, spec: ImageSpec | None = None, **config: Any) -> Result:
    docker_archive(tmp_path, RUNTIME, spec or ImageSpec(entrypoint=["/app/server"]))
    return image_files.run(build(image_files.Config, config), context("docker-archive:app.tar", tmp_path))


def entry(tmp_path: Path, spec: ImageSpec, **config: Any) -> Result:
    docker_archive(tmp_path, RUNTIME, spec)
    return image_entrypoint.run(build(image_entrypoint.Config, config), context("docker-archive:app.tar", tmp_path))


# -- image.files ------------------------------------------------------------------------------------------------

def test_present_paths_pass_with_details_of_what_was_found(tmp_path: Path) -> None:
    r = files(tmp_path, paths=["/app/server", "/usr/local/bin/app"], executable=True)
    assert r.status is Status.PASS, r.summary
    assert r.summary == "2 paths present and executable"
    server = r.details["paths"]["/app/server"]
    assert server["type"] == "file" and server["mode"] == "0755" and server["size"] == len(ELF)
    assert server["layer"] == 2 and server["from"].startswith("layer 2/2 (sha256:")
    assert r.details["paths"]["/usr/local/bin/app"]["link_chain"] == ["/usr/local/bin/app -> /app/server"]
    assert r.details["platform"] == "linux/amd64" and r.details["image"] == "docker-archive:app.tar"


def test_a_missing_binary_fails_naming_what_the_directory_holds(tmp_path: Path) -> None:
    # The backfill binary was in the base layer, but the runtime stage's /app is opaque: it is gone.
    r = files(tmp_path, paths=["/app/backfill_task_usage_hourly", "/app/migrate"], executable=True)
    assert r.status is Status.FAIL
    assert r.summary == ("/app/backfill_task_usage_hourly: no such file or directory; /app has README, conf, "
                         "empty, lost.py, migrate, server, start.sh, tool.py, worker")
    missing = r.details["paths"]["/app/backfill_task_usage_hourly"]
    assert missing["exists"] is False and missing["nearest"] == "/app"
    assert missing["nearest_holds"][:3] == ["README", "conf", "empty"]
    assert r.details["paths"]["/app/migrate"]["exists"] is True
    assert [f.severity for f in r.findings] == [Severity.FAILURE]
    assert r.remediation


def test_a_missing_parent_directory_names_the_nearest_one_that_exists(tmp_path: Path) -> None:
    r = files(tmp_path, paths=["/opt/tools/bin/backfill"])
    assert r.status is Status.FAIL
    assert r.summary.startswith("/opt/tools/bin/backfill: /opt does not exist; / has app, bin, usr")


def test_executable_fails_for_a_file_without_an_execute_bit_and_for_a_directory(tmp_path: Path) -> None:
    r = files(tmp_path, paths=["/app/README", "/app/conf"], executable=True)
    assert r.status is Status.FAIL
    assert [f.message for f in r.findings] == ["/app/README: not executable (mode 0644)",
                                               "/app/conf: is a directory, not an executable file"]
    assert r.summary == "/app/README: not executable (mode 0644) (and 1 more)"


@pytest.mark.parametrize(("kind", "path", "ok"), [
    ("file", "/app/server", True), ("file", "/app/conf", False), ("directory", "/app/conf", True),
    ("directory", "/usr/bin/psql", False), ("symlink", "/usr/bin/psql", True), ("symlink", "/app/server", False),
    ("file", "/usr/bin/psql", True),
])
def test_type(tmp_path: Path, kind: str, path: str, ok: bool) -> None:
    r = files(tmp_path, paths=[path], type=kind)
    assert (r.status is Status.PASS) is ok, r.summary


def test_non_empty(tmp_path: Path) -> None:
    assert files(tmp_path, paths=["/app/server", "/app"], non_empty=True).status is Status.PASS
    r = files(tmp_path, paths=["/app/empty", "/app/conf"], non_empty=True)
    assert [f.message for f in r.findings] == ["/app/empty: is an empty file", "/app/conf: is an empty directory"]


def test_on_path_finds_commands_like_which(tmp_path: Path) -> None:
    r = files(tmp_path, on_path=["psql", "app", "sh"])
    assert r.status is Status.PASS, r.summary
    assert r.details["on_path"]["psql"]["found"] == "/usr/bin/psql"
    assert r.details["on_path"]["psql"]["resolved"] == "/usr/lib/postgresql/15/bin/psql"
    assert r.details["on_path"]["app"]["found"] == "/usr/local/bin/app"
    r = files(tmp_path, on_path=["python3", "README"], spec=ImageSpec(env=["PATH=/usr/bin:/app"]))
    assert [f.message for f in r.findings] == [
        "python3: not found on PATH (/usr/bin:/app)",
        "README: not found on PATH (/usr/bin:/app); /app/README exists but is not executable"]


def test_a_config_without_path_searches_dockers_default(tmp_path: Path) -> None:
    r = files(tmp_path, on_path=["psql"], spec=ImageSpec(env=[]))
    assert r.status is Status.PASS
    assert any("Docker's default PATH" in f.message and f.severity is Severity.INFO for f in r.findings)


def test_config_validation_names_the_key() -> None:
    with pytest.raises(KeyError_) as e:
        build(image_files.Config, {"paths": ["app/server"]})
    assert e.value.key == "paths" and "not absolute" in e.value.message
    with pytest.raises(KeyError_) as e:
        build(image_files.Config, {})
    assert e.value.key == "paths"
    with pytest.raises(KeyError_) as e:
        build(image_files.Config, {"on_path": ["/usr/bin/psql"]})
    assert e.value.key == "on_path"
    with pytest.raises(KeyError_) as e:
        build(image_files.Config, {"paths": ["/a"], "type": "socket"})
    assert e.value.key == "type"


def test_platform_all_fails_when_one_platform_lacks_the_binary(tmp_path: Path) -> None:
    amd = build_image([{"/app/server": File(ELF, 0o755), "/app/backfill": File(ELF, 0o755)}], ImageSpec())
    arm = build_image([{"/app/server": File(ELF, 0o755)}], ImageSpec(architecture="arm64", variant="v8"))
    multi_platform_layout(tmp_path / "layout", [amd, arm])
    config = build(image_files.Config, {"paths": ["/app/server", "/app/backfill"], "executable": True})
    r = image_files.run(config, context("oci:layout", tmp_path, "all"))
    assert r.status is Status.FAIL
    assert r.summary == "[linux/arm64/v8] /app/backfill: no such file or directory; /app has server"
    assert r.details["platforms"]["linux/amd64"]["paths"]["/app/backfill"]["exists"] is True
    assert r.details["platforms"]["linux/arm64/v8"]["paths"]["/app/backfill"]["exists"] is False
    ok = image_files.run(build(image_files.Config, {"paths": ["/app/server"]}),
                         context("oci:layout", tmp_path, "all"))
    assert ok.status is Status.PASS and ok.summary == "1 path present on 2 platforms"


def test_the_entrypoint_of_every_platform_is_checked_and_each_finding_names_its_platform(tmp_path: Path) -> None:
    amd = build_image([{"/app/server": File(ELF, 0o755)}], ImageSpec(entrypoint=["/app/server"]))
    arm = build_image([{"/app/server": File(ELF, 0o644)}],
                      ImageSpec(architecture="arm64", variant="v8", entrypoint=["/app/server"]))
    multi_platform_layout(tmp_path / "layout", [amd, arm])
    r = image_entrypoint.run(build(image_entrypoint.Config, {}), context("oci:layout", tmp_path, "all"))
    assert r.status is Status.FAIL
    assert r.summary == "[linux/arm64/v8] ENTRYPOINT runs /app/server, which is not executable (mode 0644)"
    assert [f.data for f in r.findings if f.severity is Severity.FAILURE] == [{"platform": "linux/arm64/v8"}]
    assert r.details["platforms"]["linux/amd64"]["program"] == "/app/server"
    arm_ok = build_image([{"/app/server": File(ELF, 0o755)}],
                         ImageSpec(architecture="arm64", variant="v8", entrypoint=["/app/server"]))
    multi_platform_layout(tmp_path / "ok", [amd, arm_ok])
    ok = image_entrypoint.run(build(image_entrypoint.Config, {}), context("oci:ok", tmp_path, "all"))
    assert ok.summary == "the entrypoint /app/server is in the image and executable on 2 platforms", ok.summary


def test_an_unpacked_root_filesystem(tmp_path: Path) -> None:
    rootfs(tmp_path / "root", {"/app/server": ("exec", "x"), "/app/conf": "c", "/usr/bin/psql": ("exec", "p")})
    r = image_files.run(build(image_files.Config, {"paths": ["/app/server", "/app/migrate"], "on_path": ["psql"]}),
                        context("dir:root", tmp_path))
    assert r.status is Status.FAIL
    assert r.summary == "/app/migrate: no such file or directory; /app has conf, server"
    assert any("no image config" in f.message for f in r.findings if f.severity is Severity.INFO)


# -- image.entrypoint -----------------------------------------------------------------------------------------

def test_an_entrypoint_that_is_there_and_executable(tmp_path: Path) -> None:
    r = entry(tmp_path, ImageSpec(entrypoint=["/usr/local/bin/app"], cmd=["--serve"]), expect="/app/server")
    assert r.status is Status.PASS, r.summary
    assert r.summary == "the entrypoint /usr/local/bin/app is in the image and executable"
    assert r.details["found"]["resolved"] == "/app/server"


def test_a_bare_command_is_looked_up_on_the_image_path(tmp_path: Path) -> None:
    assert entry(tmp_path, ImageSpec(cmd=["psql", "-c", "select 1"])).status is Status.PASS
    r = entry(tmp_path, ImageSpec(cmd=["backfill"]))
    assert r.status is Status.FAIL
    assert r.summary.startswith("CMD runs backfill, which is not on PATH (/usr/local/sbin:")


def test_a_missing_or_non_executable_entrypoint_fails(tmp_path: Path) -> None:
    r = entry(tmp_path, ImageSpec(entrypoint=["/app/backfill_task_usage_hourly"]))
    assert r.status is Status.FAIL
    assert r.summary.startswith("ENTRYPOINT runs /app/backfill_task_usage_hourly: no such file or directory; "
                                "/app has")
    r = entry(tmp_path, ImageSpec(entrypoint=["/app/README"]))
    assert r.summary == "ENTRYPOINT runs /app/README, which is not executable (mode 0644)"


def test_a_script_needs_its_interpreter(tmp_path: Path) -> None:
    r = entry(tmp_path, ImageSpec(entrypoint=["/app/start.sh"]))
    assert r.status is Status.FAIL
    assert r.summary.startswith("ENTRYPOINT runs /app/start.sh, a script for /bin/bash: no such file or directory")
    assert entry(tmp_path, ImageSpec(entrypoint=["/app/start.sh"]), interpreter=False).status is Status.PASS
    # python3 was whited out of /usr/bin in the top layer.
    r = entry(tmp_path, ImageSpec(entrypoint=["/app/tool.py"], env=["PATH=/usr/bin:/bin"]))
    assert r.summary == ("ENTRYPOINT runs /app/tool.py, a script for python3 (through env), which is not on PATH "
                         "(/usr/bin:/bin)")


def test_no_entrypoint_or_cmd_fails_and_expect_must_match(tmp_path: Path) -> None:
    assert entry(tmp_path, ImageSpec()).summary == \
        "the image sets no ENTRYPOINT or CMD: the container has nothing to run"
    r = entry(tmp_path, ImageSpec(entrypoint=["/app/worker"]), expect="/app/server")
    assert r.summary == "ENTRYPOINT runs /app/worker, not /app/server"


def test_a_relative_program_is_found_from_the_working_directory(tmp_path: Path) -> None:
    assert entry(tmp_path, ImageSpec(entrypoint=["./server"], working_dir="/app")).status is Status.PASS


def test_entrypoint_of_a_root_filesystem_is_an_error(tmp_path: Path) -> None:
    rootfs(tmp_path / "root", {"/app/server": ("exec", "x")})
    r = image_entrypoint.run(image_entrypoint.Config(), context("dir:root", tmp_path))
    assert r.status is Status.ERROR and "no image config" in r.summary


# -- end to end: preflight run -------------------------------------------------------------------------------

CONFIG = """
[targets.image]
ref = "docker-archive:build/app.tar"

[[check]]
id = "backfill-binary"
uses = "image.files"
paths = ["/app/backfill_task_usage_hourly", "/app/migrate"]
executable = true

[[check]]
id = "tools"
uses = "image.files"
on_path = ["psql"]

[[check]]
id = "entrypoint"
uses = "image.entrypoint"
"""


def test_run_blocks_a_rollout_whose_image_lacks_the_backfill_binary(tmp_path: Path, cli: CliRun) -> None:
    (tmp_path / "build").mkdir()
    docker_archive(tmp_path / "build", RUNTIME, ImageSpec(entrypoint=["/app/server"]))
    write_config(tmp_path, CONFIG)
    out = cli("run", "--format", "json")
    assert out.exit_code == 1, out.stdout + out.stderr
    doc = out.json
    validate_report(doc)
    by_id = {c["id"]: c for c in doc["checks"]}
    assert by_id["backfill-binary"]["status"] == "fail"
    assert by_id["backfill-binary"]["summary"].startswith("/app/backfill_task_usage_hourly: no such file")
    assert by_id["tools"]["status"] == "pass" and by_id["entrypoint"]["status"] == "pass"
    # Deterministic: the same image gives the same report, timings aside.
    assert _untimed(out.json) == _untimed(cli("run", "--format", "json").json)


def _untimed(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: _untimed(v) for k, v in doc.items() if k != "duration_ms"}
    if isinstance(doc, list):
        return [_untimed(v) for v in doc]
    return doc


def test_run_with_a_tampered_image_is_an_error_not_a_pass(tmp_path: Path, cli: CliRun) -> None:
    from tests.image_fixtures import rewrite_archive

    (tmp_path / "build").mkdir()
    src = docker_archive(tmp_path, RUNTIME, ImageSpec(entrypoint=["/app/server"]), name="src.tar")
    rewrite_archive(src, tmp_path / "build" / "app.tar",
                    lambda n, d: d.replace(b"docs", b"DOCS") if n.endswith("layer.tar") else d)
    write_config(tmp_path, CONFIG)
    out = cli("run", "--format", "json")
    assert out.exit_code == 3, out.stdout + out.stderr
    statuses = {c["id"]: c["status"] for c in out.json["checks"]}
    assert statuses["backfill-binary"] == "error"
    assert "digest mismatch" in {c["id"]: c for c in out.json["checks"]}["backfill-binary"]["summary"]


def test_run_with_an_image_that_cannot_be_opened_errors_every_image_check(tmp_path: Path, cli: CliRun) -> None:
    write_config(tmp_path, CONFIG)
    out = cli("run", "--format", "json")
    assert out.exit_code == 3
    summaries = {c["id"]: (c["status"], c["summary"]) for c in out.json["checks"]}
    assert all(status == "error" for status, _ in summaries.values())
    assert all("no such file: build/app.tar" in s for _, s in summaries.values())
