"""Sharding a fleet (`--shard I/N`) and merging the shards' reports (`preflight merge`).

The slices are tested as a function (stable under members being added, balanced, minimal movement when N grows)
and through real runs: the shards of a fleet of real databases, merged, give the report one unsharded run gives,
and every way the reports can fail to be the shards of one run is refused."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from preflight.errors import UsageError
from preflight.fleet.shard import Shard, shard_of
from tests.fleet_support import fleet_config, incident_fleet
from tests.helpers import CliRun, validate_report, write_config

NAMES = [f"tenant-{i:03d}" for i in range(12)]


def test_shard_parsing() -> None:
    assert Shard.parse("0/4") == Shard(0, 4) and str(Shard.parse(" 3 / 4 ")) == "3/4"
    for bad, why in (("4/4", "I counts from 0"), ("1/0", "N must be"), ("a/b", "expected I/N"), ("1", "I/N")):
        with pytest.raises(UsageError, match=why):
            Shard.parse(bad)


def test_slices_depend_on_the_name_only() -> None:
    names = [f"db-{i}" for i in range(2000)]
    before = {n: shard_of(n, 8) for n in names}
    # Members added, in front and in between: nobody else moves.
    grown = ["aaa-new", *names[:1000], "mid-new", *names[1000:]]
    assert all(shard_of(n, 8) == before[n] for n in grown if n in before)
    # Balanced: every shard within 20% of the mean.
    counts = Counter(before.values())
    assert sorted(counts) == list(range(8)) and max(counts.values()) < 1.2 * 250 and min(counts.values()) > 0.8 * 250
    # From 8 to 9 shards only the members that move to the new shard move (about 1/9 of them).
    after = {n: shard_of(n, 9) for n in names}
    moved = [n for n in names if after[n] != before[n]]
    assert all(after[n] == 8 for n in moved) and 0.08 < len(moved) / len(names) < 0.15
    # The same on every machine and run: a digest of the name, not Python's salted hash().
    assert [shard_of(n, 4) for n in ("eu-1", "eu-2", "us-1", "ap-1")] == [shard_of(n, 4) for n in
                                                                          ("eu-1", "eu-2", "us-1", "ap-1")]
    assert shard_of("eu-1", 1) == 0


@pytest.fixture(scope="module")
def fleet(pg_server: str) -> Iterator[dict[str, str]]:
    with incident_fleet(pg_server, NAMES, backfilled=tuple(NAMES[::3])) as members:
        yield members


def run_shards(cli: CliRun, tmp_path: Path, count: int, *args: str) -> list[Path]:
    paths = []
    for i in range(count):
        path = tmp_path / f"shard-{i}.json"
        out = cli("run", "--shard", f"{i}/{count}", "--quiet", "--output", f"json={path}", *args)
        assert out.exit_code in (0, 1), out.stderr
        doc = json.loads(path.read_text())
        validate_report(doc)
        assert doc["fleet"]["shard"] == {"index": i, "count": count}
        paths.append(path)
    return paths


def normalised(doc: dict[str, Any]) -> dict[str, Any]:
    def strip(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k != "duration_ms"}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    out = strip(doc)
    out["fleet"].pop("shard", None)
    out["fleet"].pop("merged_shards", None)
    return out  # type: ignore[no-any-return]


def test_shards_merge_into_the_unsharded_report(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    waiver = '''
[[waiver]]
check = "hourly-rollup-caught-up"
member = "tenant-001"
reason = "tenant-001 is migrated by hand, OPS-12"
expires = 2099-01-01
'''
    write_config(tmp_path, fleet_config(fleet, None, extra_fleet="max_unreachable = 1") + waiver)
    whole = cli("run", "--format", "json", "--quiet")
    assert whole.exit_code == 1
    paths = run_shards(cli, tmp_path, 3)
    held = [[m["name"] for m in json.loads(p.read_text())["fleet"]["members"]] for p in paths]
    assert sorted(n for names in held for n in names) == NAMES  # every member in exactly one shard
    assert all(held)  # and, with these names, no shard empty
    # The waiver matches a member of one shard only: the others must not report it unused once merged.
    merged = cli("merge", *map(str, paths), "--format", "json")
    assert merged.exit_code == 1, merged.stderr
    doc = merged.json
    validate_report(doc)
    assert doc["fleet"]["merged_shards"] == 3
    assert normalised(doc) == normalised(whole.json)
    # Every format renders the merged report.
    text = cli("merge", *map(str, paths), "--no-color")
    assert text.exit_code == 1 and "fleet: 12 members, merged from 3 shard reports: " in text.stdout
    junit = cli("merge", *map(str, paths), "--format", "junit").stdout
    assert junit.count("hourly-rollup-caught-up @ tenant-") == 12


def test_a_missing_shard_is_an_error(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    backfilled = {n: fleet[n] for n in NAMES[::3]}  # members that pass the database checks
    write_config(tmp_path, fleet_config(backfilled, None, checks='''
[[check]]
id = "up"
uses = "db.connect"
'''))
    paths = run_shards(cli, tmp_path, 2)
    assert cli("merge", *map(str, paths)).exit_code == 0
    out = cli("merge", str(paths[1]), "--format", "json")
    assert out.exit_code == 3
    doc = out.json
    validate_report(doc)
    missing = next(c for c in doc["checks"] if c["id"] == "fleet:shards")
    assert missing["status"] == "error" and "shard 0/2" in missing["summary"]


def test_reports_of_different_runs_are_refused(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    small = {n: fleet[n] for n in NAMES[:4]}
    write_config(tmp_path, fleet_config(small, None, checks='[[check]]\nid = "up"\nuses = "db.connect"\n'))
    for sub in "abcd":
        (tmp_path / sub).mkdir()
    a0, a1 = run_shards(cli, tmp_path / "a", 2)
    b1 = run_shards(cli, tmp_path / "b", 3)[1]

    def refused(*paths: Path) -> str:
        out = cli("merge", *map(str, paths))
        assert out.exit_code == 2, out.stdout
        return out.stderr

    assert "different --shard N" in refused(a0, b1)
    assert "is given twice" in refused(a0, a0, a1)
    # Another config: one more check selected, or one more member in the fleet.
    write_config(tmp_path, fleet_config(small, None, checks='[[check]]\nid = "up"\nuses = "db.connect"\n'
                                                            'min_version = "9"\n'))
    c1 = run_shards(cli, tmp_path / "c", 2)[1]
    assert "fingerprints differ" in refused(a0, c1)
    write_config(tmp_path, fleet_config({**small, "tenant-999": fleet[NAMES[5]]}, None,
                                        checks='[[check]]\nid = "up"\nuses = "db.connect"\n'))
    d1 = run_shards(cli, tmp_path / "d", 2)[1]
    assert "fingerprints differ" in refused(a0, d1)
    # Not a shard report at all.
    whole = tmp_path / "whole.json"
    assert cli("run", "--quiet", "--output", f"json={whole}").exit_code == 0
    assert "not a shard report" in refused(whole, a1)
    (tmp_path / "junk.json").write_text("{not json")
    assert "not JSON" in refused(tmp_path / "junk.json")


def test_shard_needs_a_fleet(cli: CliRun, tmp_path: Path, fleet: dict[str, str]) -> None:
    write_config(tmp_path, f'[targets.database]\ndsn = "{fleet[NAMES[0]]}"\n[[check]]\nid = "up"\nuses = "db.connect"\n')
    out = cli("run", "--shard", "0/2")
    assert out.exit_code == 2 and "[targets.database.fleet]" in out.stderr
    out = cli("run", "--shard", "2/2")
    assert out.exit_code == 2 and "I counts from 0" in out.stderr
