"""Opening ``[targets.image]``: each transport turned into an :class:`Image` of one view per platform checked.

- ``docker-archive:PATH[:REF|@N]``: what ``docker save`` writes, every shape: Docker < 25 (``manifest.json`` and
  ``<id>/layer.tar``), Docker >= 25 (an OCI layout in the tar) and exports of the containerd image store (an
  index per image, blobs of only the platforms that were pulled). A gzip- or zstd-compressed archive is read too.
- ``oci:DIR[:TAG|@N]`` and ``oci-archive:PATH[:TAG|@N]``: an OCI image layout, the tag matched against
  ``org.opencontainers.image.ref.name``.
- ``dir:PATH``: an unpacked root filesystem (or a directory written by ``skopeo copy ... dir:``).
- ``docker://REGISTRY/REPO:TAG`` or ``@sha256:...``: a registry, through :mod:`preflight.image.registry`.
- ``dockerfile:PATH``: the recipe, read statically by :mod:`preflight.image.dockerfile.view`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from preflight.errors import ReaderError
from preflight.image.digest import PlainReader, check_digest, digest_of, short
from preflight.image.layers import Layer, LayeredFS
from preflight.image.model import Image, ImageConfig, StaticImage
from preflight.image.oci import (
    CONTAINERD_NAME,
    REF_NAME,
    Descriptor,
    Selector,
    check_diff_ids,
    index_entries,
    parse_json,
)
from preflight.image.refs import parse_ref
from preflight.image.resolve import FSView
from preflight.image.rootfs import RootfsBackend
from preflight.image.stores import ArchiveStore, BlobStore, LayoutStore, RegistryStore, SkopeoDirStore

if TYPE_CHECKING:
    from preflight.image.target import ImageTarget

ROOTFS_CAVEAT = ("an unpacked root filesystem has no image config: PATH is Docker's default and there is no "
                 "ENTRYPOINT or CMD")


def open_image(target: ImageTarget) -> Image:
    """The image ``target.ref`` names; ReaderError (one line) when it cannot be read."""
    ref = target.ref.strip()
    parsed = parse_ref(ref, target.resolve)
    platform = target.platform
    if parsed.transport == "dockerfile":
        try:
            from preflight.image.dockerfile.view import open_dockerfile
        except ImportError:
            raise ReaderError(f"{ref}: dockerfile: sources are not available in this installation") from None
        return open_dockerfile(target)
    if parsed.transport == "docker":
        return _open_registry(ref, parsed.rest, platform, target.insecure)
    assert parsed.path is not None
    if parsed.transport == "dir":
        if not parsed.path.is_dir():
            raise ReaderError(f"{ref}: no such directory")
        if _is_skopeo_dir(parsed.path):
            store = SkopeoDirStore(parsed.path, ref)
            raw = (parsed.path / "manifest.json").read_bytes()
            doc = parse_json(raw, f"{ref}: manifest.json")
            media_type = str(doc.get("mediaType") or "") if isinstance(doc, dict) else ""
            views = Selector(store, ref, platform).views_from_top(raw, digest_of(raw), media_type)
            return StaticImage(ref, views)
        view = FSView(RootfsBackend(parsed.path, ref), platform=None, config=None, caveats=(ROOTFS_CAVEAT,))
        return StaticImage(ref, [view])
    if parsed.transport == "oci":
        layout = LayoutStore(parsed.path, ref)
        index = layout.read_file("index.json")
        if index is None:
            raise ReaderError(f"{ref}: not an OCI image layout (no index.json)")
        return StaticImage(ref, _layout_views(layout, index, parsed.selector, platform, ref, docker=False))
    archive = ArchiveStore(parsed.path, ref)
    if parsed.transport == "oci-archive":
        index = archive.read_member("index.json", ref)
        if index is None:
            raise ReaderError(f"{ref}: not an OCI archive (no index.json in the tar)")
        return StaticImage(ref, _layout_views(archive, index, parsed.selector, platform, ref, docker=False))
    # docker-archive: prefer the OCI index (Docker >= 25, containerd) over the legacy manifest.json.
    index = archive.read_member("index.json", ref)
    if index is not None:
        return StaticImage(ref, _layout_views(archive, index, parsed.selector, platform, ref, docker=True))
    manifest = archive.read_member("manifest.json", ref)
    if manifest is None:
        raise ReaderError(f"{ref}: no manifest.json or index.json in the archive (not `docker save` output)")
    return StaticImage(ref, [_legacy_view(archive, manifest, parsed.selector, platform, ref)])


def _is_skopeo_dir(path: Path) -> bool:
    version = path / "version"
    if not (path / "manifest.json").is_file() or not version.is_file():
        return False
    try:
        return version.read_text(errors="replace").startswith("Directory Transport Version")
    except OSError:
        return False


def _open_registry(ref: str, reference: str, platform: str | None, insecure: bool) -> Image:
    try:
        from preflight.image.registry import RegistryClient
    except ImportError:
        raise ReaderError(f"{ref}: docker:// sources are not available in this installation") from None
    client = RegistryClient(reference, insecure=insecure)
    try:
        media_type, raw, digest = client.get_manifest()
        store = RegistryStore(client, ref)
        views = Selector(store, ref, platform).views_from_top(raw, digest, media_type)
    except BaseException:
        client.close()
        raise
    return StaticImage(ref, views, closers=[client.close])


# -- OCI layouts (directory, oci-archive, Docker >= 25 and containerd docker-archive) ----------------------

def normalize_docker_ref(ref: str) -> str:
    """``app`` -> ``docker.io/library/app:latest``; ``ghcr.io/team/app:1`` unchanged; digests kept."""
    name, at, digest = ref.partition("@")
    tag = ""
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, _, tag = name.rpartition(":")
    first, slash, _rest = name.partition("/")
    if not slash or not ("." in first or ":" in first or first == "localhost"):
        name = "docker.io/" + (name if slash else "library/" + name)
    if at:
        return f"{name}{':' + tag if tag else ''}@{digest}"
    return f"{name}:{tag or 'latest'}"


def _names(d: Descriptor) -> list[str]:
    return [n for n in (d.annotations.get(REF_NAME), d.annotations.get(CONTAINERD_NAME)) if n]


def _matches(d: Descriptor, selector: str, docker: bool) -> bool:
    if d.annotations.get(REF_NAME) == selector or d.annotations.get(CONTAINERD_NAME) == selector:
        return True
    if docker:
        want = normalize_docker_ref(selector)
        name = d.annotations.get(CONTAINERD_NAME)
        if name and normalize_docker_ref(name) == want:
            return True
        ref_name = d.annotations.get(REF_NAME)
        if ref_name and not name:
            # Some writers put the whole reference in ref.name.
            return normalize_docker_ref(ref_name) == want
    return False


def _layout_views(store: BlobStore, index_raw: bytes, selector: str | None, platform: str | None, ref: str,
                  docker: bool) -> list[FSView]:
    doc = parse_json(index_raw, f"{ref}: index.json")
    entries = index_entries(doc, f"{ref}: index.json")
    if not entries:
        raise ReaderError(f"{ref}: index.json lists no image")
    sel = Selector(store, ref, platform)
    if selector and selector.startswith("@") and selector[1:].isdigit():
        n = int(selector[1:])
        if n >= len(entries):
            raise ReaderError(f"{ref}: there is no image @{n} (index.json lists {len(entries)})")
        entries = [entries[n]]
    elif selector:
        chosen = [d for d in entries if _matches(d, selector, docker)]
        if not chosen:
            tags = sorted({n for d in entries for n in _names(d)})
            raise ReaderError(f"{ref}: no image tagged {selector!r} (tags: {', '.join(tags) or 'none'})")
        entries = chosen
    else:
        # Entries with different names are different images; entries without (or with one) name are the
        # platforms of one image, listed directly in index.json.
        names = sorted({n for d in entries for n in _names(d)[:1]})
        if len(names) > 1:
            raise ReaderError(f"{ref} holds several images (tags: {', '.join(names)}): add :TAG to the ref")
    return sel.views_from_index(_dedupe(entries))


def _dedupe(entries: list[Descriptor]) -> list[Descriptor]:
    seen: set[str] = set()
    out = []
    for d in entries:
        if d.digest not in seen:
            seen.add(d.digest)
            out.append(d)
    return out


# -- the legacy docker save format (Docker < 25) -----------------------------------------------------------

_HEX_IN_NAME = re.compile(r"(?:^|/|sha256:)([0-9a-f]{64})(?:\.json)?$")


def _legacy_view(archive: ArchiveStore, manifest_raw: bytes, selector: str | None, platform: str | None,
                 ref: str) -> FSView:
    what = f"{ref}: manifest.json"
    doc = parse_json(manifest_raw, what)
    if not isinstance(doc, list) or not doc or not all(isinstance(e, dict) for e in doc):
        raise ReaderError(f"{what}: expected a list of images")
    entries: list[dict[str, Any]] = doc
    if selector and selector.startswith("@") and selector[1:].isdigit():
        n = int(selector[1:])
        if n >= len(entries):
            raise ReaderError(f"{ref}: there is no image @{n} (manifest.json lists {len(entries)})")
        entry = entries[n]
    else:
        def tags(e: dict[str, Any]) -> list[str]:
            t = e.get("RepoTags") or []
            return [str(x) for x in t] if isinstance(t, list) else []

        if selector:
            want = normalize_docker_ref(selector)
            chosen = [e for e in entries if any(normalize_docker_ref(t) == want for t in tags(e))]
            if not chosen:
                known = sorted(t for e in entries for t in tags(e))
                raise ReaderError(f"{ref}: no image tagged {selector!r} (tags: {', '.join(known) or 'none'})")
        else:
            chosen = entries
            if len(entries) > 1:
                known = sorted(t for e in entries for t in tags(e)[:1])
                raise ReaderError(f"{ref} holds {len(entries)} images ({', '.join(known) or 'untagged'}): add "
                                  f":TAG or @N to the ref")
        entry = chosen[0]
    config_name = entry.get("Config")
    layer_names = entry.get("Layers")
    if not isinstance(config_name, str) or not isinstance(layer_names, list) \
            or not all(isinstance(n, str) for n in layer_names):
        raise ReaderError(f"{what}: an entry lacks Config or Layers")
    m = _HEX_IN_NAME.search(config_name)
    if not m:
        raise ReaderError(f"{what}: cannot verify the config {config_name!r}: its name is not its digest")
    config_digest = check_digest("sha256:" + m.group(1), what)
    raw = archive.read_member(config_name, f"{ref}: config")
    if raw is None:
        raise ReaderError(f"{ref}: the config {config_name} named by manifest.json is not in the archive")
    if digest_of(raw) != config_digest:
        raise ReaderError(f"{ref}: config {config_name}: digest mismatch: content is {short(digest_of(raw))} "
                          f"(corrupt or tampered)")
    config = parse_json(raw, f"{ref}: config")
    if not isinstance(config, dict):
        raise ReaderError(f"{ref}: the config is not a JSON object")
    diff_ids = check_diff_ids(config, len(layer_names), what)
    count = len(layer_names)
    layers = []
    for i, (name, diff_id) in enumerate(zip(layer_names, diff_ids, strict=True)):
        if archive.member(name) is None:
            raise ReaderError(f"{ref}: layer {name} named by manifest.json is not in the archive")
        label = f"{ref}: layer {i + 1}/{count}"
        layers.append(Layer(i, count, diff_id, None, _member_opener(archive, name, label), diff_id=diff_id))
    plat = Selector(archive, ref, platform).check_platform(None, config)
    return FSView(LayeredFS(layers, ref), platform=str(plat) if plat else None,
                  config=ImageConfig.from_json(config), digest=config_digest)


def _member_opener(archive: ArchiveStore, name: str, what: str) -> Any:
    return lambda: PlainReader(archive.open_member(name, what), what)
