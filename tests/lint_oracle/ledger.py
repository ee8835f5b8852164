"""The ledger of the lint's known wrong claims: what issue 17 still has to fix, one line per claim.

The oracle tests fail on any wrong claim the ledger does not list (a regression, or a new case that found a
false claim) and on any listed claim that is no longer made or is now right (the lint got better: take the line
out, so the ledger only shrinks). The ledger is not a waiver of the bar, it is its open balance: the README's
claim-accuracy figures count these lines, and the goal is an empty file.

``PREFLIGHT_UPDATE_LEDGER=1 python -m pytest tests/test_lint_oracle_statements.py tests/test_lint_oracle_corpus.py``
rewrites the entries of the cases it runs (on each server: ``PREFLIGHT_TEST_DSN`` for the machine's); review the
diff like any snapshot: a line that appears is a claim the lint got wrong.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from pathlib import Path

from tests.lint_oracle.claims import Verdict

LEDGER = Path(__file__).with_name("known_wrong_claims.json")
UPDATE = os.environ.get("PREFLIGHT_UPDATE_LEDGER") == "1"


def line(where: str, verdict: Verdict) -> str:
    """One wrong claim, without paths or timings, so the same claim reads the same on every machine."""
    if verdict.claim is None:
        return f"{where}: MISSING {verdict.kind}: {verdict.missing} (truth: {verdict.truth})"
    return f"{where}: WRONG {verdict.claim.describe()} by {verdict.claim.rule} (truth: {verdict.truth})"


def entries() -> dict[str, list[str]]:
    if not LEDGER.exists():
        return {}
    data: dict[str, list[str]] = json.loads(LEDGER.read_text(encoding="utf-8"))
    return data


def settle(test: str, major: int, wrong: list[str]) -> list[str]:
    """The problems with one test's wrong claims on one server: those not in the ledger, and ledger lines that
    no longer hold. Under ``PREFLIGHT_UPDATE_LEDGER=1`` the ledger takes the observed lines instead."""
    key = f"{test} on PostgreSQL {major}"
    observed = sorted(set(wrong))
    if UPDATE:
        _record(key, observed)
        return []
    known = set(entries().get(key, ()))
    new = [f"wrong claim not in {LEDGER.name}: {w}" for w in observed if w not in known]
    gone = [f"in {LEDGER.name} but no longer wrong (take the line out): {w}" for w in sorted(known - set(observed))]
    return new + gone


def _record(key: str, observed: list[str]) -> None:
    # xdist workers take turns on the file; the others read it without the lock, so it is replaced atomically.
    with open(Path(tempfile.gettempdir()) / "preflight-lint-oracle-ledger.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = entries()
        if observed:
            data[key] = observed
        else:
            data.pop(key, None)
        fresh = LEDGER.with_suffix(f".{os.getpid()}.tmp")
        fresh.write_text(json.dumps(dict(sorted(data.items())), indent=1) + "\n", encoding="utf-8")
        fresh.replace(LEDGER)
