"""Writing images without a container engine: ``docker save`` archives and OCI layouts, byte for byte to the
specs, from layers described as plain mappings.

A layer is a mapping of image path -> what is there::

    layers = [
        {"/app": Dir(), "/app/server": File(b"\\x7fELF...", mode=0o755), "/usr/bin/app": Symlink("/app/server")},
        {"/app/migrate": File("#!/bin/sh\\n", mode=0o755), "/app/old": Whiteout()},
    ]
    write_docker_archive("app.tar", layers, ImageSpec(entrypoint=["/app/server"]), tag="team/app:1.4.0")

``bytes`` or ``str`` values are regular files with mode 0644. Parent directories are added as entries unless a
layer says otherwise (``Layer(entries, parents=False)``). Output is deterministic: fixed mtimes, owners root.

Used by the demo to build its images at run time (:func:`recipe_layer` turns the incident's recipe into its
release image's top layer), and by the tests' fixtures.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import posixpath
import tarfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import zstandard

EPOCH = 1_700_000_000
"""mtime of every entry written: builds are reproducible."""


@dataclass(frozen=True)
class File:
    content: bytes | str = b""
    mode: int = 0o644
    uid: int = 0
    gid: int = 0

    @property
    def data(self) -> bytes:
        return self.content.encode() if isinstance(self.content, str) else self.content


@dataclass(frozen=True)
class Dir:
    mode: int = 0o755
    uid: int = 0
    gid: int = 0


@dataclass(frozen=True)
class Symlink:
    target: str


@dataclass(frozen=True)
class Hardlink:
    target: str
    """The image path of the file this is a link to (in this layer or a lower one)."""


@dataclass(frozen=True)
class Whiteout:
    """Deletes the path from the layers below (``.wh.NAME``)."""


@dataclass(frozen=True)
class Opaque:
    """Hides what the layers below hold in this directory (``DIR/.wh..wh..opq``); the directory stays."""


@dataclass(frozen=True)
class Device:
    kind: Literal["char", "block", "fifo"] = "char"
    mode: int = 0o666


Entry = File | Dir | Symlink | Hardlink | Whiteout | Opaque | Device | bytes | str


@dataclass
class Layer:
    entries: Mapping[str, Entry]
    parents: bool = True
    """Add directory entries for parents the layer does not list."""
    prefix: str = ""
    """Prefix of every member name: "" (Docker), "./" (some builders)."""


@dataclass
class ImageSpec:
    """The image config's parts preflight and the demo care about."""

    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    env: list[str] = field(default_factory=lambda: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
    working_dir: str = ""
    user: str = ""
    os: str = "linux"
    architecture: str = "amd64"
    variant: str | None = None


def _tarinfo(name: str, kind: bytes, mode: int, size: int = 0, linkname: str = "", uid: int = 0,
             gid: int = 0) -> tarfile.TarInfo:
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.mode = mode
    ti.size = size
    ti.linkname = linkname
    ti.uid, ti.gid = uid, gid
    ti.uname = ti.gname = "root" if uid == 0 else ""
    ti.mtime = EPOCH
    return ti


def layer_tar(layer: Layer | Mapping[str, Entry]) -> bytes:
    """The uncompressed tar of one layer (PAX format, as Docker and BuildKit write them)."""
    if not isinstance(layer, Layer):
        layer = Layer(layer)
    buf = io.BytesIO()
    written: set[str] = set()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, value in layer.entries.items():
            rel = path.strip("/")
            if layer.parents:
                parts = rel.split("/")[:-1]
                for i in range(1, len(parts) + 1):
                    d = "/".join(parts[:i])
                    if d not in written and "/" + d not in layer.entries:
                        tar.addfile(_tarinfo(layer.prefix + d + "/", tarfile.DIRTYPE, 0o755))
                        written.add(d)
            written.add(rel)
            name = layer.prefix + rel
            if isinstance(value, bytes | str):
                value = File(value)
            if isinstance(value, File):
                data = value.data
                tar.addfile(_tarinfo(name, tarfile.REGTYPE, value.mode, len(data), uid=value.uid, gid=value.gid),
                            io.BytesIO(data))
            elif isinstance(value, Dir):
                tar.addfile(_tarinfo(name + "/" if name else "./", tarfile.DIRTYPE, value.mode, uid=value.uid,
                                     gid=value.gid))
            elif isinstance(value, Symlink):
                tar.addfile(_tarinfo(name, tarfile.SYMTYPE, 0o777, linkname=value.target))
            elif isinstance(value, Hardlink):
                tar.addfile(_tarinfo(name, tarfile.LNKTYPE, 0o644,
                                     linkname=layer.prefix + value.target.strip("/")))
            elif isinstance(value, Whiteout):
                parent, base = posixpath.split(name)
                tar.addfile(_tarinfo(posixpath.join(parent, ".wh." + base), tarfile.REGTYPE, 0o644))
            elif isinstance(value, Opaque):
                tar.addfile(_tarinfo(name + "/", tarfile.DIRTYPE, 0o755))
                tar.addfile(_tarinfo(posixpath.join(name, ".wh..wh..opq"), tarfile.REGTYPE, 0o644))
            elif isinstance(value, Device):
                kind = {"char": tarfile.CHRTYPE, "block": tarfile.BLKTYPE, "fifo": tarfile.FIFOTYPE}[value.kind]
                tar.addfile(_tarinfo(name, kind, value.mode))
            else:  # pragma: no cover - a caller passed something else
                raise TypeError(f"{path}: unsupported layer entry {value!r}")
    return buf.getvalue()


def compress(data: bytes, compression: Literal["none", "gzip", "zstd"]) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, compresslevel=6, mtime=0)
    if compression == "zstd":
        return zstandard.ZstdCompressor(level=3).compress(data)
    return data


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def config_json(spec: ImageSpec, diff_ids: list[str]) -> bytes:
    config: dict[str, Any] = {"Env": spec.env}
    if spec.entrypoint is not None:
        config["Entrypoint"] = spec.entrypoint
    if spec.cmd is not None:
        config["Cmd"] = spec.cmd
    if spec.working_dir:
        config["WorkingDir"] = spec.working_dir
    if spec.user:
        config["User"] = spec.user
    doc: dict[str, Any] = {
        "architecture": spec.architecture,
        "os": spec.os,
        "config": config,
        "created": "2023-11-14T22:13:20Z",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "2023-11-14T22:13:20Z", "created_by": "preflight.image.build"}
                    for _ in diff_ids],
    }
    if spec.variant:
        doc["variant"] = spec.variant
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


LAYER_MEDIA_TYPES = {
    "none": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
}


@dataclass
class BuiltImage:
    """One image's blobs, before they are written somewhere."""

    manifest: bytes
    manifest_digest: str
    config: bytes
    config_digest: str
    layers: list[tuple[str, bytes]]
    """(digest, blob) per layer, bottom first."""
    diff_ids: list[str]
    spec: ImageSpec

    def blobs(self) -> dict[str, bytes]:
        out = {self.manifest_digest: self.manifest, self.config_digest: self.config}
        out.update(dict(self.layers))
        return out

    def descriptor(self, **annotations: str) -> dict[str, Any]:
        d: dict[str, Any] = {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                             "digest": self.manifest_digest, "size": len(self.manifest)}
        plat = {"architecture": self.spec.architecture, "os": self.spec.os}
        if self.spec.variant:
            plat["variant"] = self.spec.variant
        d["platform"] = plat
        if annotations:
            d["annotations"] = dict(annotations)
        return d


def build_image(layers: Iterable[Layer | Mapping[str, Entry]], spec: ImageSpec | None = None,
                compression: Literal["none", "gzip", "zstd"] = "gzip") -> BuiltImage:
    """An OCI image (manifest, config, layer blobs) from layer descriptions."""
    spec = spec or ImageSpec()
    tars = [layer_tar(layer) for layer in layers]
    diff_ids = [sha256(t) for t in tars]
    blobs = [compress(t, compression) for t in tars]
    config = config_json(spec, diff_ids)
    manifest = canonical({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(config),
                   "size": len(config)},
        "layers": [{"mediaType": LAYER_MEDIA_TYPES[compression], "digest": sha256(b), "size": len(b)}
                   for b in blobs],
    })
    return BuiltImage(manifest, sha256(manifest), config, sha256(config), [(sha256(b), b) for b in blobs],
                      diff_ids, spec)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    tar.addfile(_tarinfo(name, tarfile.REGTYPE, mode, len(data)), io.BytesIO(data))


def _split_tag(tag: str) -> tuple[str, str]:
    """``team/app:1.4`` -> (``team/app``, ``1.4``); no tag -> ``latest``."""
    if ":" in tag.rsplit("/", 1)[-1]:
        repo, _, version = tag.rpartition(":")
        return repo, version
    return tag, "latest"


def _docker_name(tag: str) -> str:
    """``app:1`` -> ``docker.io/library/app:1``, as Docker >= 25 annotates its archives."""
    from preflight.image.sources import normalize_docker_ref

    return normalize_docker_ref(tag)


def write_docker_archive(path: str | os.PathLike[str], layers: Iterable[Layer | Mapping[str, Entry]],
                         spec: ImageSpec | None = None, *, tag: str | None = "preflight/app:latest",
                         shape: Literal["legacy", "oci"] = "legacy") -> Path:
    """Write what ``docker save`` writes.

    ``legacy``: Docker < 25 (``manifest.json``, ``<config-hex>.json``, ``<id>/layer.tar`` uncompressed,
    ``repositories``). ``oci``: Docker >= 25 (an OCI layout in a tar: ``oci-layout``, ``index.json``,
    ``blobs/sha256/...`` with uncompressed layers, plus ``manifest.json`` and ``repositories`` for old loaders).
    """
    spec = spec or ImageSpec()
    out = Path(path)
    image = build_image(layers, spec, compression="none")
    config_hex = image.config_digest.partition(":")[2]
    repo, version = _split_tag(tag or "")
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        if shape == "legacy":
            layer_names = []
            parent = ""
            for diff_id, blob in image.layers:
                # A v1 layer id: derived from its content and parent, like Docker's.
                layer_id = hashlib.sha256(f"{parent}\n{diff_id}".encode()).hexdigest()
                tar.addfile(_tarinfo(layer_id + "/", tarfile.DIRTYPE, 0o755))
                _add_bytes(tar, f"{layer_id}/VERSION", b"1.0")
                _add_bytes(tar, f"{layer_id}/json", canonical({"id": layer_id, "parent": parent or None}))
                _add_bytes(tar, f"{layer_id}/layer.tar", blob)
                layer_names.append(f"{layer_id}/layer.tar")
                parent = layer_id
            _add_bytes(tar, f"{config_hex}.json", image.config)
            manifest = [{"Config": f"{config_hex}.json", "RepoTags": [tag] if tag else None,
                         "Layers": layer_names}]
            _add_bytes(tar, "manifest.json", canonical(manifest))
            if tag:
                _add_bytes(tar, "repositories", canonical({repo: {version: parent}}))
        else:
            tar.addfile(_tarinfo("blobs/", tarfile.DIRTYPE, 0o755))
            tar.addfile(_tarinfo("blobs/sha256/", tarfile.DIRTYPE, 0o755))
            for digest, blob in sorted(image.blobs().items()):
                _add_bytes(tar, "blobs/sha256/" + digest.partition(":")[2], blob)
            annotations = {}
            if tag:
                annotations = {"io.containerd.image.name": _docker_name(tag),
                               "org.opencontainers.image.ref.name": version}
            index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                     "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                    "digest": image.manifest_digest, "size": len(image.manifest),
                                    **({"annotations": annotations} if annotations else {})}]}
            _add_bytes(tar, "index.json", canonical(index))
            _add_bytes(tar, "oci-layout", canonical({"imageLayoutVersion": "1.0.0"}))
            manifest = [{"Config": "blobs/sha256/" + config_hex, "RepoTags": [tag] if tag else None,
                         "Layers": ["blobs/sha256/" + d.partition(":")[2] for d, _ in image.layers]}]
            _add_bytes(tar, "manifest.json", canonical(manifest))
    return out


def write_oci_layout(directory: str | os.PathLike[str], images: Iterable[tuple[BuiltImage, str | None]]) -> Path:
    """An OCI image layout directory holding ``images`` (each with an optional ``ref.name`` tag)."""
    root = Path(directory)
    (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
    manifests = []
    for image, tag in images:
        for digest, blob in image.blobs().items():
            (root / "blobs" / "sha256" / digest.partition(":")[2]).write_bytes(blob)
        manifests.append(image.descriptor(**({"org.opencontainers.image.ref.name": tag} if tag else {})))
    (root / "oci-layout").write_bytes(canonical({"imageLayoutVersion": "1.0.0"}))
    (root / "index.json").write_bytes(canonical({"schemaVersion": 2,
                                                 "mediaType": "application/vnd.oci.image.index.v1+json",
                                                 "manifests": manifests}))
    return root


def write_tar_of_directory(directory: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """A tar of a layout directory (``oci-archive``), members sorted, deterministic."""
    root = Path(directory)
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_dir():
                tar.addfile(_tarinfo(rel + "/", tarfile.DIRTYPE, 0o755))
            else:
                _add_bytes(tar, rel, p.read_bytes())
    return Path(out)


def recipe_layer(view: Any) -> dict[str, Entry]:
    """What a recipe itself ships (a ``dockerfile:`` view, its base image mapped through ``base_images``), as one
    layer: every file, directory and symlink its instructions put in the final stage, with their modes, owners
    and contents. A stand-in for ``docker build`` where the recipe shows everything it ships: ValueError when
    something is unknown (a ``RUN`` output) or unreadable, since no stand-in could build it."""
    from preflight.errors import ReaderError
    from preflight.image.model import DIRECTORY, FILE, PRESENT, SYMLINK

    display = view.recipe.display
    out: dict[str, Entry] = {}

    def ours(info: Any) -> bool:
        return bool(info.origin) and str(info.origin).startswith(display + ":")

    def walk(directory: str) -> None:
        listing = view.listing(directory)
        if not listing.complete:
            raise ValueError(f"{display}: what {directory} holds is not fully known: {'; '.join(listing.grounds)}")
        for name in sorted(listing.names):
            path = posixpath.join(directory, name)
            (info,) = view.stat([path], follow=False)
            if info.presence != PRESENT:
                raise ValueError(f"{display}: {path} is {info.presence}: {'; '.join(info.grounds)}")
            if info.type == DIRECTORY:
                if ours(info):
                    out[path] = Dir(mode=info.mode if info.mode is not None else 0o755, uid=info.uid or 0,
                                    gid=info.gid or 0)
                walk(path)
                continue
            if not ours(info):
                continue
            if info.type == SYMLINK:
                out[path] = Symlink(info.linkname or "")
            elif info.type == FILE and info.mode is not None:
                try:
                    data = view.read_file(path, limit=1 << 30)
                except ReaderError as e:
                    raise ValueError(str(e)) from None
                out[path] = File(data, mode=info.mode, uid=info.uid or 0, gid=info.gid or 0)
            else:
                raise ValueError(f"{display}: {path}: its {'mode' if info.type == FILE else 'type'} is not known")

    walk("/")
    return out
