"""Fails when the image runs as root: its config names no user, or names root.

A process that runs as root in its container is root on the node the moment it escapes it. The user is the image
config's (``USER`` in a Dockerfile): no user, ``root``, ``0``, or ``0:GROUP`` is root. Users listed in ``allow``
pass even so. A recipe (``dockerfile:``) that sets no ``USER`` of its own and whose base image is not read cannot
tell which user its base sets: that is could not decide (``on_unknown``), never a pass.

Example::

    [[check]]
    id = "runs-as-app"
    uses = "acme.non-root"
"""

from __future__ import annotations

from dataclasses import dataclass

from preflight.api import (
    CheckContext,
    Finding,
    OnUnknown,
    Result,
    Severity,
    doc,
    on_unknown_key,
    unknown_result,
    unknown_severity,
)

api_version = 1
needs = ("image",)


@dataclass
class Config:
    allow: list[str] = doc('Users accepted even when they are root, e.g. ["root"] for a one-off tool image.',
                           default_factory=list)
    on_unknown: OnUnknown = on_unknown_key("the image's user cannot be told")


def is_root(user: str) -> bool:
    """Whether a ``USER`` value runs as root: empty (Docker's default), ``root`` or uid 0, with any group."""
    name = user.split(":", 1)[0].strip()
    return name in ("", "root", "0")


def run(config: Config, ctx: CheckContext) -> Result:
    findings: list[Finding] = []
    users: dict[str, str | None] = {}
    for view in ctx.image.views():
        label = view.label()
        image_config = view.config
        if image_config is None or "User" in image_config.unknown:
            grounds = "; ".join(image_config.grounds) if image_config is not None else "the image has no config"
            findings.append(Finding(unknown_severity(config.on_unknown),
                                    f"[{label}] the user cannot be told: {grounds}"))
            users[label] = None
            continue
        users[label] = image_config.user
        if is_root(image_config.user) and image_config.user not in config.allow:
            shown = repr(image_config.user) if image_config.user else "no USER (root)"
            findings.append(Finding(Severity.FAILURE, f"[{label}] runs as root: {shown}"))
    details = {"users": users}
    if any(f.severity is Severity.FAILURE for f in findings):
        return Result.failed("the image runs as root", details=details, findings=findings,
                             remediation="add `USER app` (a non-root user) at the end of the Dockerfile")
    if findings:
        return unknown_result(config.on_unknown, "the image's user cannot be told", details=details,
                              findings=findings)
    return Result.passed(f"runs as {', '.join(sorted({u for u in users.values() if u}))}", details=details)
