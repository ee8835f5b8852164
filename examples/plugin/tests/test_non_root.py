"""acme.non-root's own unit tests: real images (Dockerfile recipes, read as preflight reads them), no mocks."""

from __future__ import annotations

from pathlib import Path

import acme_checks.non_root as check
from preflight.api import Status
from preflight.testing import check_context, config_of


def recipe(tmp_path: Path, text: str) -> str:
    (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    return f"dockerfile:{tmp_path / 'Dockerfile'}"


def test_an_image_with_a_non_root_user_passes(tmp_path: Path) -> None:
    with check_context(image=recipe(tmp_path, "FROM scratch\nUSER app\n")) as ctx:
        result = check.run(config_of(check), ctx)
    assert result.status is Status.PASS and result.summary == "runs as app"


def test_an_image_without_a_user_runs_as_root_and_fails(tmp_path: Path) -> None:
    with check_context(image=recipe(tmp_path, "FROM scratch\nCOPY . /app\n")) as ctx:
        result = check.run(config_of(check), ctx)
    assert result.status is Status.FAIL and "runs as root: no USER (root)" in result.findings[0].message


def test_uid_0_with_a_group_is_root(tmp_path: Path) -> None:
    with check_context(image=recipe(tmp_path, "FROM scratch\nUSER 0:app\n")) as ctx:
        result = check.run(config_of(check), ctx)
    assert result.status is Status.FAIL and "runs as root: '0:app'" in result.findings[0].message


def test_an_allowed_root_user_passes(tmp_path: Path) -> None:
    with check_context(image=recipe(tmp_path, "FROM scratch\nUSER root\n")) as ctx:
        result = check.run(config_of(check, {"allow": ["root"]}), ctx)
    assert result.status is Status.PASS


def test_a_base_image_not_read_leaves_the_user_unknown(tmp_path: Path) -> None:
    with check_context(image=recipe(tmp_path, "FROM alpine:3.21\nRUN true\n")) as ctx:
        result = check.run(config_of(check), ctx)
    assert result.status is Status.ERROR and "cannot be told" in result.findings[0].message
