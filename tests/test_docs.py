"""The README's config reference is generated from the check types' own documentation and must not drift."""

from __future__ import annotations

from pathlib import Path

from preflight import plugin
from preflight.docs import REFERENCE_BEGIN, REFERENCE_END, config_reference

README = Path(__file__).parent.parent / "README.md"


def test_readme_config_reference_is_up_to_date() -> None:
    text = README.read_text(encoding="utf-8")
    block = text[text.index(REFERENCE_BEGIN): text.index(REFERENCE_END) + len(REFERENCE_END)]
    # The tests' own plugin distribution is on sys.path: the README documents only preflight's check types.
    expected = config_reference(exclude_prefixes=("test.",))
    assert block == expected, "README.md config reference is stale: run `python -m preflight.docs`"


def test_every_builtin_check_type_loads_and_documents_every_key() -> None:
    for name, ct in plugin.registry().items():
        if name.startswith("test."):
            continue
        assert ct.module is not None, f"{name}: {ct.load_error}"
        assert ct.doc.strip(), f"{name} has no module docstring"
        from preflight.typed import describe_keys

        for key in describe_keys(ct.config_class):
            assert key.doc, f"{name}: key {key.name!r} has no documentation"
