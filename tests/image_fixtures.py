"""Builders of real image archives for the image tests, byte for byte to the specs.

The common shapes come from :mod:`preflight.image.build` (the package's own writer); the odd ones (containerd
exports, multi-platform indexes, tampered, truncated and mislabelled blobs) are assembled here from the same
primitives with tarfile, json, hashlib, gzip and zstandard.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import zstandard

from preflight.image import open_image
from preflight.image.build import (
    EPOCH,
    BuiltImage,
    Entry,
    ImageSpec,
    Layer,
    build_image,
    canonical,
    sha256,
    write_docker_archive,
    write_oci_layout,
    write_tar_of_directory,
)
from preflight.image.model import Image
from preflight.plugin import CheckContext
from preflight.targets import ImageTarget, Targets, TargetsConfig

Layers = list[Layer | Mapping[str, Entry]]

OCI_INDEX = "application/vnd.oci.image.index.v1+json"


def open_ref(ref: str, base: Path, platform: str | None = None) -> Image:
    target = ImageTarget(ref=ref, platform=platform)
    target.base_dir = base
    return open_image(target)


def context(ref: str, base: Path, platform: str | None = None, check_id: str = "image") -> CheckContext:
    target = ImageTarget(ref=ref, platform=platform)
    target.base_dir = base
    return CheckContext(check_id=check_id, targets=Targets(TargetsConfig(image=target)),
                        deadline=time.monotonic() + 60)


def docker_archive(directory: Path, layers: Layers, spec: ImageSpec | None = None, *, name: str = "app.tar",
                   shape: Literal["legacy", "oci"] = "legacy", tag: str | None = "team/app:1.4.0") -> Path:
    return write_docker_archive(directory / name, layers, spec, tag=tag, shape=shape)


def oci_layout(directory: Path, images: list[tuple[BuiltImage, str | None]]) -> Path:
    return write_oci_layout(directory, images)


def write_blobs(root: Path, blobs: Mapping[str, bytes]) -> None:
    (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
    for digest, blob in blobs.items():
        (root / "blobs" / "sha256" / digest.partition(":")[2]).write_bytes(blob)


def image_index(images: list[BuiltImage], *, attestation: bool = False,
                extra: list[dict[str, Any]] | None = None) -> tuple[bytes, str]:
    """A multi-platform OCI index of ``images`` (with a BuildKit-style attestation manifest when asked)."""
    manifests = [img.descriptor() for img in images]
    if attestation:
        att = build_image([{"/sbom.json": "{}"}], ImageSpec(os="unknown", architecture="unknown"))
        manifests.append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                          "digest": att.manifest_digest, "size": len(att.manifest),
                          "platform": {"architecture": "unknown", "os": "unknown"},
                          "annotations": {"vnd.docker.reference.type": "attestation-manifest",
                                          "vnd.docker.reference.digest": images[0].manifest_digest}})
    manifests += extra or []
    raw = canonical({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests})
    return raw, sha256(raw)


def multi_platform_layout(root: Path, images: list[BuiltImage], tag: str | None = "1.4.0",
                          present: list[BuiltImage] | None = None) -> Path:
    """An OCI layout whose index.json points at a multi-platform index (what buildx --output type=oci and
    ``skopeo copy --all`` write); ``present`` limits which images' blobs are written (a containerd export)."""
    index_raw, index_digest = image_index(images, attestation=True)
    blobs: dict[str, bytes] = {index_digest: index_raw}
    for img in present if present is not None else images:
        blobs.update(img.blobs())
    write_blobs(root, blobs)
    ann = {"org.opencontainers.image.ref.name": tag} if tag else {}
    top = {"mediaType": OCI_INDEX, "digest": index_digest, "size": len(index_raw)}
    if ann:
        top["annotations"] = ann
    (root / "oci-layout").write_bytes(canonical({"imageLayoutVersion": "1.0.0"}))
    (root / "index.json").write_bytes(canonical({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [top]}))
    return root


def layout_without_platforms(root: Path, images: list[BuiltImage], tag: str | None = None) -> Path:
    """An OCI layout whose index.json lists each image with no ``platform`` field, as ``skopeo copy`` and
    ``docker save`` of Docker 25+ write it: the platform is only in each image's config."""
    blobs: dict[str, bytes] = {}
    for img in images:
        blobs.update(img.blobs())
    write_blobs(root, blobs)
    entries = []
    for img in images:
        entry = img.descriptor()
        del entry["platform"]
        if tag:
            entry["annotations"] = {"org.opencontainers.image.ref.name": tag}
        entries.append(entry)
    (root / "oci-layout").write_bytes(canonical({"imageLayoutVersion": "1.0.0"}))
    (root / "index.json").write_bytes(canonical({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}))
    return root


def containerd_export(directory: Path, images: list[BuiltImage], present: list[BuiltImage],
                      name: str = "docker.io/team/app:1.4.0", out: str = "app.tar") -> Path:
    """What ``docker save`` writes with the containerd image store (and ``ctr export``): index.json naming the
    image's multi-platform index, blobs of the pulled platforms only, and a manifest.json for old loaders."""
    root = directory / (out + ".d")
    index_raw, index_digest = image_index(images, attestation=True)
    blobs: dict[str, bytes] = {index_digest: index_raw}
    for img in present:
        blobs.update(img.blobs())
    write_blobs(root, blobs)
    top = {"mediaType": OCI_INDEX, "digest": index_digest, "size": len(index_raw),
           "annotations": {"io.containerd.image.name": name,
                           "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]}}
    (root / "oci-layout").write_bytes(canonical({"imageLayoutVersion": "1.0.0"}))
    (root / "index.json").write_bytes(canonical({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [top]}))
    legacy = [{"Config": "blobs/sha256/" + img.config_digest.partition(":")[2], "RepoTags": [name],
               "Layers": ["blobs/sha256/" + d.partition(":")[2] for d, _ in img.layers]} for img in present[:1]]
    (root / "manifest.json").write_bytes(canonical(legacy))
    path = write_tar_of_directory(root, directory / out)
    shutil.rmtree(root)
    return path


def rewrite_archive(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of a tar archive with members changed (``change(name, data)`` returns new data, or None to
    drop the member)."""
    with tarfile.open(src) as tin, tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read() if m.isfile() else b""  # type: ignore[union-attr]
            if m.isfile():
                new = change(m.name, data)
                if new is None:
                    continue
                m.size = len(new)
                tout.addfile(m, io.BytesIO(new))
            else:
                tout.addfile(m)
    return dst


def flip_byte(data: bytes, at: int | None = None) -> bytes:
    """The same bytes with one changed (in the middle by default): a tampered blob of the same size."""
    i = len(data) // 2 if at is None else at
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


def raw_layer(members: list[tuple[tarfile.TarInfo, bytes]], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    """A layer tar from hand-made members (names, types and formats the builder does not write)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for ti, data in members:
            ti.mtime = EPOCH
            ti.size = len(data) if ti.type in (tarfile.REGTYPE, tarfile.AREGTYPE) else 0
            tar.addfile(ti, io.BytesIO(data) if data else None)
    return buf.getvalue()


def ti(name: str, kind: bytes = tarfile.REGTYPE, mode: int = 0o644, linkname: str = "") -> tarfile.TarInfo:
    t = tarfile.TarInfo(name)
    t.type = kind
    t.mode = mode
    t.linkname = linkname
    return t


def image_from_layer_blobs(blobs: list[tuple[bytes, bytes, str]], spec: ImageSpec | None = None) -> BuiltImage:
    """An image from prepared layers: (uncompressed tar, blob as stored, media type) each."""
    spec = spec or ImageSpec()
    from preflight.image.build import config_json

    diff_ids = [sha256(t) for t, _, _ in blobs]
    config = config_json(spec, diff_ids)
    manifest = canonical({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(config),
                   "size": len(config)},
        "layers": [{"mediaType": mt, "digest": sha256(b), "size": len(b)} for _, b, mt in blobs],
    })
    return BuiltImage(manifest, sha256(manifest), config, sha256(config), [(sha256(b), b) for _, b, _ in blobs],
                      diff_ids, spec)


def gzip_file(src: Path, dst: Path) -> Path:
    dst.write_bytes(gzip.compress(src.read_bytes(), mtime=0))
    return dst


def rootfs(directory: Path, entries: Mapping[str, Any]) -> Path:
    """An unpacked root filesystem: ``bytes``/``str`` files, ("symlink", target), ("dir",), ("exec", data)."""
    directory.mkdir(parents=True, exist_ok=True)
    for path, value in entries.items():
        p = directory / path.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, tuple) and value[0] == "symlink":
            os.symlink(value[1], p)
        elif isinstance(value, tuple) and value[0] == "dir":
            p.mkdir(exist_ok=True)
        elif isinstance(value, tuple) and value[0] == "exec":
            p.write_bytes(value[1].encode() if isinstance(value[1], str) else value[1])
            p.chmod(0o755)
        else:
            p.write_bytes(value.encode() if isinstance(value, str) else value)
            p.chmod(0o644)
    return directory


def json_bytes(obj: Any) -> bytes:
    return json.dumps(obj).encode()


# -- hostile archives: declared sizes and zero runs of gigabytes in a few megabytes ------------------------------

ZERO_RUN_UNIT = 64 << 20


@dataclass(frozen=True)
class Zeros:
    """``size`` zero bytes of a stream, compressed without ever being held in memory."""

    size: int


Part = bytes | Zeros


def header(name: str, kind: bytes, size: int, fmt: Literal[0, 1, 2] = tarfile.GNU_FORMAT, **attrs: Any) -> bytes:
    """One 512-byte tar header as tarfile writes it, declaring ``size`` whatever data follows."""
    info = tarfile.TarInfo(name)
    info.type, info.size, info.mtime, info.mode = kind, size, EPOCH, attrs.pop("mode", 0o644)
    for key, value in attrs.items():
        setattr(info, key, value)
    data = info.tobuf(fmt, "utf-8", "surrogateescape")
    assert len(data) == 512, "a header that needs extension headers of its own"
    return data


def padding(size: int) -> bytes:
    return bytes(-size % 512)


@cache
def _compressed_zero_unit(compression: str) -> bytes:
    zeros = bytes(ZERO_RUN_UNIT)
    if compression == "gzip":
        return gzip.compress(zeros, compresslevel=9, mtime=0)
    return zstandard.ZstdCompressor(level=19).compress(zeros)


def _compress_part(data: bytes, compression: str) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, mtime=0)
    return zstandard.ZstdCompressor().compress(data)


def compress_parts(parts: list[Part], compression: Literal["none", "gzip", "zstd"]) -> bytes:
    """The stream of ``parts`` compressed as concatenated gzip members or zstd frames (both valid, as gzip(1)
    and zstd(1) write them when appending): a zero run of gigabytes costs a few kilobytes per 64 MiB."""
    out = []
    for part in parts:
        if isinstance(part, bytes):
            out.append(part if compression == "none" else _compress_part(part, compression))
            continue
        assert compression != "none", "an uncompressed zero run would be written out"
        whole, rest = divmod(part.size, ZERO_RUN_UNIT)
        out += [_compressed_zero_unit(compression)] * whole
        if rest:
            out.append(_compress_part(bytes(rest), compression))
    return b"".join(out)


def parts_digest(parts: list[Part]) -> str:
    """sha256 of the uncompressed stream (a layer's diff_id)."""
    h = hashlib.sha256()
    unit = bytes(ZERO_RUN_UNIT)
    for part in parts:
        if isinstance(part, bytes):
            h.update(part)
            continue
        whole, rest = divmod(part.size, ZERO_RUN_UNIT)
        for _ in range(whole):
            h.update(unit)
        h.update(bytes(rest))
    return "sha256:" + h.hexdigest()


def hostile_layout(root: Path, layers: Sequence[tuple[str, bytes, str]], spec: ImageSpec | None = None) -> Path:
    """An OCI layout of one image from prepared layers: (diff_id, blob as stored, media type) each, so that a
    hostile layer is described consistently (its blob digest and diff_id true) without being built in memory."""
    from preflight.image.build import LAYER_MEDIA_TYPES, config_json

    spec = spec or ImageSpec()
    config = config_json(spec, [d for d, _, _ in layers])
    manifest = canonical({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(config),
                   "size": len(config)},
        "layers": [{"mediaType": LAYER_MEDIA_TYPES.get(mt, mt), "digest": sha256(b), "size": len(b)}
                   for _, b, mt in layers],
    })
    image = BuiltImage(manifest, sha256(manifest), config, sha256(config), [(sha256(b), b) for _, b, _ in layers],
                       [d for d, _, _ in layers], spec)
    return write_oci_layout(root, [(image, None)])


def hostile_layer_layout(root: Path, parts: list[Part], compression: Literal["none", "gzip", "zstd"] = "gzip",
                         below: list[Part] | None = None) -> Path:
    """An OCI layout whose top layer is the tar stream ``parts`` (and, when given, a layer ``below`` it)."""
    layers = [(parts_digest(p), compress_parts(p, compression), compression)
              for p in ([below] if below else []) + [parts]]
    return hostile_layout(root, layers)


def member(name: str, data: bytes, mode: int = 0o755) -> bytes:
    """A regular file: its header, data and padding."""
    return header(name, tarfile.REGTYPE, len(data), mode=mode) + data + padding(len(data))


END = bytes(1024)
"""The end-of-archive marker."""
