"""A fleet's results: each member's result folded into one check result, and the fleet's tally.

A check that reads the database has one result per member. The check's own status is the worst member's: any
unwaived failure fails it, then any error (an unreachable member is an error), then a waived failure or error
(the check is reported waived), then a warning. Members within ``max_unreachable`` stay errors in their own
results, marked allowed, and count as warnings for the check: not verified, reported, not blocking. The same
functions serve a run and ``preflight merge``, which settles the allowance again over all the shards' members.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from preflight.fleet.members import allowance_text, allowed_unreachable
from preflight.model import CheckReport, MemberReport, Status

if TYPE_CHECKING:
    from preflight.fleet.shard import Shard

STATES = ("fail", "error", "unreachable", "waived", "warn", "skip", "pass")
"""What one member's result (or a member overall) can come to, worst first."""
_LABELS = {"fail": "fail", "error": "error", "unreachable": "unreachable", "waived": "waived", "warn": "warn",
           "skip": "skipped", "pass": "pass"}


def state(m: MemberReport) -> str:
    """A member's result as the tallies count it."""
    if m.unreachable:
        return "unreachable"
    if m.waived:
        return "waived"
    return str(m.status)


def member_tally(members: list[MemberReport]) -> dict[str, int]:
    """Members per state (every state present, zeros included)."""
    out = dict.fromkeys(("pass", "warn", "fail", "error", "skip", "waived", "unreachable"), 0)
    for m in members:
        out[state(m)] += 1
    return out


def fold(check: CheckReport, unreachable_note: str = "") -> None:
    """Set ``check``'s status, summary, waiver, remediation and duration from its members."""
    members = check.members or []
    check.waived, check.waiver = False, None
    if not members:
        check.status = Status.SKIP
        check.summary = "no members in this run"
        check.remediation = None
        check.duration_ms = 0
        return
    counted: list[Status] = []
    waived: list[MemberReport] = []
    for m in members:
        if m.waived:
            waived.append(m)
        elif m.unreachable and m.allowed:
            counted.append(Status.WARN)
        else:
            counted.append(m.status)
    if Status.FAIL in counted:
        check.status = Status.FAIL
    elif Status.ERROR in counted:
        check.status = Status.ERROR
    elif waived:
        statuses = {m.status for m in waived}
        # A narrowed waiver can waive a member that only warned.
        check.status = next(s for s in (Status.FAIL, Status.ERROR, Status.WARN) if s in statuses)
        check.waived = True
        check.waiver = waived[0].waiver
    elif Status.WARN in counted:
        check.status = Status.WARN
    elif Status.PASS in counted:
        check.status = Status.PASS
    else:
        check.status = Status.SKIP

    tally = member_tally(members)
    present = [s for s in STATES if tally[s]]
    labels = {s: _LABELS[s] + (f" ({unreachable_note})" if s == "unreachable" and unreachable_note else "")
              for s in present}
    if len(members) == 1:
        counts = labels[present[0]]
    elif len(present) == 1:
        counts = f"all {labels[present[0]]}"
    else:
        counts = ", ".join(f"{tally[s]} {labels[s]}" for s in present)
    summary = f"{len(members)} member{'s' if len(members) != 1 else ''}: {counts}"
    blocking = [m for m in members if not m.waived and not m.allowed and m.status in (Status.FAIL, Status.ERROR)]
    noted = (blocking or [m for m in members if m.status is Status.WARN and not m.unreachable]
             or (members if check.status is Status.SKIP else []))  # every member skipped: say why, if one reason
    shared = {m.summary for m in noted}
    if len(shared) == 1 and not any(m.unreachable for m in noted):
        summary += f": {next(iter(shared))}"
    check.summary = summary
    remediations = {m.remediation for m in blocking if m.remediation}
    check.remediation = next(iter(remediations)) if len(remediations) == 1 else None
    check.duration_ms = max(m.duration_ms for m in members)


@dataclass
class FleetMember:
    name: str
    dsn: str
    """As reports show it: passwords replaced by ``***``."""
    unreachable: bool = False


@dataclass
class Fleet:
    """What a report says about the fleet: who was checked, how they came out, and the run's place in a sharded
    whole (``shard``, ``fingerprint``)."""

    size: int
    """Members in the fleet, before ``--member`` and ``--shard``."""
    source: str
    members: list[FleetMember]
    """The members checked in this run (or, merged, in all shards), sorted by name."""
    fingerprint: str
    """Identifies the config, the checks selected and the fleet: shard reports merge only when theirs agree."""
    max_unreachable: int | str = 0
    patterns: list[str] = field(default_factory=list)
    """``--member`` globs of the run."""
    shard: Shard | None = None
    shards: int | None = None
    """After ``preflight merge``: how many shard reports were combined."""

    def allowance(self) -> int:
        return allowed_unreachable(self.max_unreachable, len(self.members))

    @property
    def unreachable(self) -> list[str]:
        return [m.name for m in self.members if m.unreachable]

    def within_allowance(self) -> bool:
        return len(self.unreachable) <= self.allowance()

    def unreachable_note(self) -> str:
        n = len(self.unreachable)
        if not n:
            return ""
        spec = allowance_text(self.max_unreachable)
        if self.within_allowance():
            return f"allowed by max_unreachable = {spec}"
        return f"{n} in the fleet, more than max_unreachable = {spec} allows ({self.allowance()})"

    def settle(self, checks: list[CheckReport]) -> None:
        """Mark unreachable members allowed or not, then fold every per-member check."""
        within = self.within_allowance()
        note = self.unreachable_note()
        for c in checks:
            if c.members is None:
                continue
            for m in c.members:
                m.allowed = m.unreachable and within
            fold(c, note)

    def states(self, checks: list[CheckReport]) -> dict[str, str]:
        """Each member's overall state: its worst result over the checks (unreachable above all)."""
        worst: dict[str, str] = {m.name: "unreachable" if m.unreachable else "skip" for m in self.members}
        rank = {s: i for i, s in enumerate(STATES)}
        for c in checks:
            for m in c.members or ():
                s = state(m)
                if rank[s] < rank[worst.get(m.member, "skip")]:
                    worst[m.member] = s
        return worst

    def tally(self, checks: list[CheckReport]) -> dict[str, int]:
        out = dict.fromkeys(("pass", "warn", "fail", "error", "skip", "waived", "unreachable"), 0)
        for s in self.states(checks).values():
            out[s] += 1
        return out

    def line(self, checks: list[CheckReport]) -> str:
        """One line for the text report: how many members, and how they came out."""
        t = self.tally(checks)
        where = f"{len(self.members)} member{'s' if len(self.members) != 1 else ''}"
        if self.shard is not None:
            where += f" (shard {self.shard} of a fleet of {self.size})"
        elif len(self.members) != self.size:
            where += f" of {self.size}"
        if self.shards:
            where += f", merged from {self.shards} shard reports"
        note = self.unreachable_note()
        parts = [f"{t[s]} {_LABELS[s]}" + (f" ({note})" if s == "unreachable" and note else "")
                 for s in STATES if t.get(s)]
        return f"fleet: {where}: {', '.join(parts) or 'none checked'}"

    def to_dict(self, checks: list[CheckReport]) -> dict[str, Any]:
        states = self.states(checks)
        out: dict[str, Any] = {
            "size": self.size,
            "source": self.source,
            "checked": len(self.members),
            "member_patterns": list(self.patterns),
            "fingerprint": self.fingerprint,
            "max_unreachable": self.max_unreachable,
            "unreachable": len(self.unreachable),
            "unreachable_allowed": self.allowance(),
            "tally": self.tally(checks),
            "members": [{"name": m.name, "dsn": m.dsn, "state": states[m.name], "unreachable": m.unreachable}
                        for m in self.members],
        }
        if self.shard is not None:
            out["shard"] = {"index": self.shard.index, "count": self.shard.count}
        if self.shards is not None:
            out["merged_shards"] = self.shards
        return out


def subjects(check: CheckReport) -> list[tuple[CheckReport, str | None]]:
    """What a report format shows one entry per: the check itself, or in a fleet each member's result (with the
    member's name). Formats with one entry per finding (SARIF, GitHub annotations) and JUnit (one test case per
    entry) use this; a member allowed to be unreachable is reported as such, never as a failure."""
    if check.members is None:
        return [(check, None)]
    return [(m, m.member) for m in check.members]


# -- grouping for the text and Markdown reports ----------------------------------------------------------------


@dataclass
class Group:
    """Members of one check with the same outcome: passing (or skipped) members always form one group."""

    state: str
    members: list[str]
    example: MemberReport
    """One of them: the outcome they share (for a passing group, the first member's)."""


def groups(check: CheckReport) -> list[Group]:
    """The check's members grouped by outcome, worst first: the passing ones in one group, the others by status,
    summary, findings and remediation, so that 30 members failing the same way read as one block."""
    by_key: dict[Any, Group] = {}
    for m in check.members or ():
        s = state(m)
        if s in ("pass", "skip"):
            key: Any = s
        else:
            key = (s, m.allowed, m.summary, m.remediation,
                   tuple((str(f.severity), f.message, f.rule, f.location, f.waived_by) for f in m.findings))
        g = by_key.get(key)
        if g is None:
            by_key[key] = Group(s, [m.member], m)
        else:
            g.members.append(m.member)
    rank = {s: i for i, s in enumerate(STATES)}
    return sorted(by_key.values(), key=lambda g: (rank[g.state], g.members[0]))


def abbreviate(names: list[str], shown: int = 5) -> str:
    """``a, b, c and 967 more``."""
    if len(names) <= shown + 1:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"
