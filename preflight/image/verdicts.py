"""An image check's answer over every platform it looked at, folded into one result the same way for every check.

A check about the image (``image.files``, ``image.entrypoint``, or a third party's) looks at each platform's view
and says, in sentences, what it found there: problems (the rollout must not go), unknowns (the source could not
show it), answers resting on a presumption (with their grounds), and notes. :func:`image_result` turns those into
the check's :class:`~preflight.model.Result`: a problem on any platform fails the check; else an unknown answer
ends it ``error`` ("could not decide"), or ``warn`` with ``on_unknown = "warn"``; else it passes, and says when
it passed on presumptions. With several platforms every sentence is prefixed ``[linux/arm64]`` and its finding
carries ``data.platform``; the details hold each platform's own under ``platforms``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from preflight.model import Finding, Result, Severity

if TYPE_CHECKING:
    from preflight.image import ImageView
    from preflight.unknown import OnUnknown


@dataclass
class PlatformVerdicts:
    """What a check found on one platform's view of the image, each verdict a sentence a person reads."""

    view: ImageView
    details: dict[str, Any] = field(default_factory=dict)
    """The check's JSON details for this platform."""
    problems: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    presumed: list[str] = field(default_factory=list)
    """Answers that rest on a presumption; the sentence names its grounds."""
    notes: list[str] = field(default_factory=list)


def image_result(image_ref: str, verdicts: list[PlatformVerdicts], *, on_unknown: OnUnknown, passed: str,
                 fix_problems: str, fix_unknowns: str) -> Result:
    """The check's result from each platform's verdicts (in the image's platform order); ``passed`` is the
    summary when nothing failed or was unknown, ``fix_problems`` and ``fix_unknowns`` the remediations."""
    multi = len(verdicts) > 1
    findings: list[Finding] = []
    problems: list[str] = []
    unknowns: list[str] = []
    for v in verdicts:
        prefix = f"[{v.view.label()}] " if multi else ""
        data = {"platform": v.view.platform} if multi else {}
        undecided = Severity.ERROR if on_unknown == "error" else Severity.WARNING
        for severity, sentences in ((Severity.FAILURE, v.problems), (undecided, v.unknowns),
                                    (Severity.WARNING, v.presumed)):
            findings += [Finding(severity, prefix + s, data=dict(data)) for s in sentences]
        findings += [Finding(Severity.INFO, prefix + n) for n in v.notes]
        problems += [prefix + p for p in v.problems]
        unknowns += [prefix + u for u in v.unknowns]
    details: dict[str, Any] = {"image": image_ref}
    if multi:
        details["platforms"] = {v.view.label(): v.details for v in verdicts}
    elif verdicts:
        if verdicts[0].view.platform:
            details["platform"] = verdicts[0].view.platform
        details.update(verdicts[0].details)
    if problems:
        return Result.failed(_first(problems), details=details, findings=findings, remediation=fix_problems)
    if unknowns:
        summary = "could not decide: " + _first(unknowns)
        if on_unknown == "warn":
            return Result.warned(summary, details=details, findings=findings, remediation=fix_unknowns)
        return Result.errored(summary, details=details, findings=findings, remediation=fix_unknowns)
    where = f" on {len(verdicts)} platforms" if multi else ""
    presumed = " (on presumptions: see below)" if any(v.presumed for v in verdicts) else ""
    return Result.passed(f"{passed}{where}{presumed}", details=details, findings=findings)


def _first(sentences: list[str]) -> str:
    return sentences[0] + (f" (and {len(sentences) - 1} more)" if len(sentences) > 1 else "")


__all__ = ["PlatformVerdicts", "image_result"]
