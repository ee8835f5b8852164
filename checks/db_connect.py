"""Passes when the database answers a read-only session; optionally requires a server version and extensions.

Opens one session the way every preflight session is opened (read-only, with statement, lock and connect
timeouts, ``application_name = 'preflight'``) and asks the server for its version and installed extensions.
A database that cannot be reached is an ``error``: the rollout is blocked because nothing could be verified.

Example::

    [[check]]
    id = "database-reachable"
    uses = "db.connect"
    min_version = "14"
    extensions = ["pg_cron"]
"""

from __future__ import annotations

from dataclasses import dataclass

from preflight.api import CheckContext, Finding, Result, Severity, doc

needs = ("database",)


@dataclass
class Config:
    min_version: str | None = doc('Lowest server version accepted, e.g. "14" or "15.4".', default=None)
    extensions: list[str] = doc("Extensions that must be installed in the database.", default_factory=list)

    def __post_init__(self) -> None:
        if self.min_version is not None:
            try:
                _version_num(self.min_version)
            except ValueError:
                raise ValueError(f'min_version: expected a version like "14" or "15.4", got '
                                 f'{self.min_version!r}') from None


def _version_num(text: str) -> int:
    parts = [int(p) for p in text.strip().split(".")]
    if not 1 <= len(parts) <= 2:
        raise ValueError(text)
    major, minor = parts[0], parts[1] if len(parts) > 1 else 0
    return major * 10000 + minor


def run(config: Config, ctx: CheckContext) -> Result:
    db = ctx.database
    rows = db.query(
        "select current_setting('server_version'), current_setting('server_version_num')::int, "
        "current_database(), current_setting('transaction_read_only')"
    )
    version, version_num, dbname, read_only = rows[0]
    installed = {name for (name,) in db.query("select extname from pg_extension")}
    details = {"server_version": version, "database": dbname, "read_only": read_only == "on"}
    findings: list[Finding] = []
    if config.min_version is not None and version_num < _version_num(config.min_version):
        findings.append(Finding(Severity.FAILURE,
                                f"server version {version} is older than the required {config.min_version}"))
    missing = [e for e in config.extensions if e not in installed]
    if config.extensions:
        details["extensions"] = {e: e in installed for e in config.extensions}
    for e in missing:
        findings.append(Finding(Severity.FAILURE, f"extension {e!r} is not installed in database {dbname!r}"))
    if findings:
        return Result.failed(
            "; ".join(f.message for f in findings), details=details, findings=findings,
            remediation=("install the missing extensions (CREATE EXTENSION) before rolling out" if missing
                         else "upgrade the server or lower min_version"),
        )
    return Result.passed(f"PostgreSQL {version.split()[0]} answers (database {dbname})", details=details)
