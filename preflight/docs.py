"""Documentation generated from the code: ``preflight explain`` and the README's config reference.

Both come from the check types' own module docstrings and typed ``Config`` keys, so they cannot drift.
"""

from __future__ import annotations

import importlib

from preflight import plugin
from preflight.typed import KeyDoc, describe_keys

REFERENCE_BEGIN = "<!-- BEGIN GENERATED CONFIG REFERENCE: `python -m preflight.docs` rewrites this block -->"
REFERENCE_END = "<!-- END GENERATED CONFIG REFERENCE -->"


def _key_lines(keys: list[KeyDoc]) -> list[str]:
    lines = []
    for k in keys:
        req = "required" if k.required else f"default {k.default}"
        lines.append(f"  {k.name} ({k.type}; {req})")
        if k.doc:
            lines.append(f"      {k.doc}")
    return lines


def explain_check(ct: plugin.CheckType) -> str:
    from preflight.config import CommonCheckKeys

    out = [f"{ct.name}", "=" * len(ct.name), "", ct.doc.strip(), ""]
    keys = describe_keys(ct.config_class)
    out.append("Keys:")
    out.extend(_key_lines(keys) if keys else ["  (none of its own)"])
    out += ["", "Keys every check takes:"]
    out.extend(_key_lines(describe_keys(CommonCheckKeys)))
    if ct.needs:
        out += ["", "Needs targets: " + ", ".join(ct.needs)]
    return "\n".join(out)


def explain_rule(name: str) -> str | None:
    """A lint rule's page (kind, default severity, squawk mapping, safe alternative); squawk's names work too."""
    try:
        rules = importlib.import_module("preflight.lint.rules")
    except ModuleNotFoundError:
        return None
    try:
        return rules.page(name)  # type: ignore[no-any-return]
    except KeyError:
        return None


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _md_keys(keys: list[KeyDoc]) -> list[str]:
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for k in keys:
        default = "**required**" if k.required else f"`{k.default}`"
        lines.append(f"| `{k.name}` | {_cell(k.type)} | {_cell(default)} | {_cell(k.doc)} |")
    return lines


def config_reference(exclude_prefixes: tuple[str, ...] = ()) -> str:
    """The README's config reference, in Markdown."""
    import inspect

    from preflight.config import CommonCheckKeys, RunSettings, Waiver
    from preflight.targets import DatabaseTarget, FleetConfig, ImageTarget, MigrationsTarget, RehearsalTarget

    out = [REFERENCE_BEGIN, "", "### Targets", ""]
    for table, cls in (("targets.database", DatabaseTarget), ("targets.database.fleet", FleetConfig),
                       ("targets.image", ImageTarget), ("targets.migrations", MigrationsTarget),
                       ("targets.rehearsal", RehearsalTarget)):
        out += [f"#### `[{table}]`", "", *_md_keys(describe_keys(cls)), ""]
    out += ["### `[run]`", "", *_md_keys(describe_keys(RunSettings)), ""]
    out += ["### `[[check]]`: keys every check takes", "", *_md_keys(describe_keys(CommonCheckKeys)), ""]
    out += ["### `[[waiver]]`", "", *_md_keys(describe_keys(Waiver)), ""]
    out += ["### Check types", ""]
    for name, ct in plugin.registry().items():
        if ct.module is None or name.startswith(exclude_prefixes):
            continue
        doc = inspect.cleandoc(ct.module.__doc__ or "")
        first, _, rest = doc.partition("\n")
        out += [f"#### `{name}`", "", first.strip(), ""]
        keys = describe_keys(ct.config_class)
        if keys:
            out += _md_keys(keys)
        else:
            out.append("No keys of its own.")
        if ct.needs:
            out += ["", "Needs: " + ", ".join(f"`[targets.{n}]`" for n in ct.needs) + "."]
        out += ["", f"`preflight explain {name}` prints its full documentation.", ""]
    out.append(REFERENCE_END)
    return "\n".join(out)


def update_readme(path: str = "README.md") -> bool:
    """Rewrite the generated block of the README; True when it changed."""
    from pathlib import Path

    p = Path(path)
    text = p.read_text(encoding="utf-8")
    start = text.index(REFERENCE_BEGIN)
    end = text.index(REFERENCE_END) + len(REFERENCE_END)
    new = text[:start] + config_reference() + text[end:]
    if new != text:
        p.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    print("README.md updated" if update_readme() else "README.md already up to date")
