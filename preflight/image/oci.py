"""Manifests, indexes and platforms: from a source's top-level descriptor to one view per platform checked.

Media types follow the OCI image spec and Docker's schema 2; anything else (a schema 1 manifest, an artifact
whose config is not an image config, a layer that is not a filesystem changeset) is an error, never skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from preflight.errors import ReaderError
from preflight.image.digest import check_digest, short
from preflight.image.layers import Layer, LayeredFS
from preflight.image.model import ImageConfig
from preflight.image.resolve import FSView
from preflight.image.stores import BlobStore, RegistryStore

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
INDEX_TYPES = (OCI_INDEX, DOCKER_LIST)
MANIFEST_TYPES = (OCI_MANIFEST, DOCKER_MANIFEST)
SCHEMA1_TYPES = ("application/vnd.docker.distribution.manifest.v1+json",
                 "application/vnd.docker.distribution.manifest.v1+prettyjws")
CONFIG_TYPES = ("application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json")
LAYER_TYPES = (
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    "application/vnd.docker.image.rootfs.diff.tar",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.diff.tar.zstd",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
)
REF_NAME = "org.opencontainers.image.ref.name"
CONTAINERD_NAME = "io.containerd.image.name"
MAX_NESTING = 4
MAX_KEPT = 1 << 20
"""Bytes of manifests and configs kept between choosing a platform and reading the image chosen."""


def parse_json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise ReaderError(f"{what}: not valid JSON ({str(e).splitlines()[0]})") from None


# -- platforms ---------------------------------------------------------------------------------------------

_ARCH_ALIASES = {"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "i386": "386", "i686": "386",
                 "armhf": "arm", "armel": "arm"}
_DEFAULT_VARIANT = {"arm64": "v8", "arm": "v7"}


@dataclass(frozen=True)
class Platform:
    os: str
    architecture: str
    variant: str | None = None

    def __str__(self) -> str:
        return f"{self.os}/{self.architecture}" + (f"/{self.variant}" if self.variant else "")

    @classmethod
    def parse(cls, text: str) -> Platform:
        parts = text.strip().lower().split("/")
        if len(parts) not in (2, 3) or not all(parts):
            raise ReaderError(f'platform {text!r}: expected "os/architecture[/variant]", e.g. "linux/amd64", '
                              f'or "all"')
        return cls(*parts).normalized(explicit=len(parts) == 3)

    @classmethod
    def from_json(cls, obj: Any) -> Platform | None:
        if not isinstance(obj, dict) or not obj.get("os") or not obj.get("architecture"):
            return None
        return cls(str(obj["os"]), str(obj["architecture"]), str(obj["variant"]) if obj.get("variant") else None)

    def normalized(self, explicit: bool = True) -> Platform:
        arch = _ARCH_ALIASES.get(self.architecture, self.architecture)
        variant = self.variant
        if self.architecture == "armhf":
            variant = variant or "v7"
        if self.architecture == "armel":
            variant = variant or "v6"
        if variant == "8" or variant == "7" or variant == "6":
            variant = "v" + variant
        if explicit and variant is None:
            variant = _DEFAULT_VARIANT.get(arch)
        return Platform(self.os.lower(), arch, variant)

    def full(self) -> Platform:
        """With the architecture's default variant when none is stated (arm64 -> arm64/v8)."""
        p = self.normalized()
        return p if p.variant else Platform(p.os, p.architecture, _DEFAULT_VARIANT.get(p.architecture))

    def matches(self, other: Platform) -> bool:
        """``self`` is what the user asked: a variant left out matches any variant."""
        o = other.full()
        if (self.os, self.architecture) != (o.os, o.architecture):
            return False
        return self.variant is None or self.variant == o.variant


# -- descriptors and selection -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Descriptor:
    media_type: str
    digest: str
    size: int | None
    platform: Platform | None
    annotations: dict[str, str]

    @classmethod
    def from_json(cls, obj: Any, what: str) -> Descriptor:
        if not isinstance(obj, dict):
            raise ReaderError(f"{what}: a descriptor is not an object")
        digest = check_digest(obj.get("digest"), what)
        size = obj.get("size")
        if size is not None and (not isinstance(size, int) or size < 0):
            raise ReaderError(f"{what}: descriptor of {short(digest)} has a bad size {size!r}")
        ann = obj.get("annotations") or {}
        return cls(str(obj.get("mediaType") or ""), digest, size, Platform.from_json(obj.get("platform")),
                   {str(k): str(v) for k, v in ann.items()} if isinstance(ann, dict) else {})

    @property
    def is_attestation(self) -> bool:
        return (self.annotations.get("vnd.docker.reference.type") == "attestation-manifest"
                or (self.platform is not None and self.platform.os == "unknown"))


def index_entries(doc: Any, what: str) -> list[Descriptor]:
    if not isinstance(doc, dict) or not isinstance(doc.get("manifests"), list):
        raise ReaderError(f"{what}: not an image index (no \"manifests\" list)")
    return [Descriptor.from_json(m, what) for m in doc["manifests"]]


def _kind(media_type: str, doc: Any) -> str:
    if media_type in INDEX_TYPES:
        return "index"
    if media_type in MANIFEST_TYPES:
        return "manifest"
    if media_type in SCHEMA1_TYPES or (isinstance(doc, dict) and doc.get("schemaVersion") == 1):
        return "schema1"
    if not media_type and isinstance(doc, dict):
        # OCI allows leaving mediaType out: the content says what it is.
        if isinstance(doc.get("manifests"), list):
            return "index"
        if isinstance(doc.get("layers"), list) and isinstance(doc.get("config"), dict):
            return "manifest"
    return "unknown"


@dataclass
class _Choice:
    descriptor: Descriptor
    platform: Platform | None


class Selector:
    """Walks an index down to image manifests and picks the platform(s) to check."""

    def __init__(self, store: BlobStore, label: str, platform: str | None):
        self.store = store
        self.label = label
        self.want = platform.strip() if platform else None
        self._read: dict[str, bytes] = {}
        """Manifests and configs read while choosing, kept for reading the chosen image."""

    def _manifest(self, d: Descriptor, what: str) -> bytes:
        return self._kept(d.digest, lambda: self.store.read_manifest(d.digest, what, d.size))

    def _config(self, d: Descriptor, what: str) -> bytes:
        return self._kept(d.digest, lambda: self.store.read(d.digest, what, d.size))

    def _kept(self, digest: str, read: Callable[[], bytes]) -> bytes:
        data = self._read.get(digest)
        if data is None:
            data = read()
            # Real manifests and configs are kilobytes; a hostile index of thousands of large ones is re-read
            # rather than kept.
            if sum(map(len, self._read.values())) + len(data) <= MAX_KEPT:
                self._read[digest] = data
        return data

    def _platform_from_config(self, d: Descriptor) -> Platform | None:
        """The platform of an index entry that states none (``docker save`` of Docker 25+ and ``skopeo copy``
        write such entries): its config's os, architecture and variant. None when the source does not hold the
        manifest, or the entry is not an image manifest."""
        if not self.store.has(d.digest):
            return None
        what = f"{self.label}: manifest {short(d.digest)}"
        doc = parse_json(self._manifest(d, what), what)
        media_type = str(doc.get("mediaType") or d.media_type or "") if isinstance(doc, dict) else d.media_type
        if _kind(media_type, doc) != "manifest" or not isinstance(doc.get("config"), dict):
            return None
        cfg = Descriptor.from_json(doc["config"], f"{what}: config")
        config_what = f"{self.label}: config {short(cfg.digest)}"
        return Platform.from_json(parse_json(self._config(cfg, config_what), config_what))

    def manifests_of_index(self, entries: list[Descriptor], depth: int = 0) -> list[_Choice]:
        out: list[_Choice] = []
        for d in entries:
            if d.is_attestation:
                continue
            if d.media_type in INDEX_TYPES:
                if depth >= MAX_NESTING:
                    raise ReaderError(f"{self.label}: image indexes nested too deep")
                if not self.store.has(d.digest):
                    raise ReaderError(f"{self.label}: index {short(d.digest)} is not in the source")
                raw = self.store.read_manifest(d.digest, f"{self.label}: index {short(d.digest)}", d.size)
                doc = parse_json(raw, f"{self.label}: index {short(d.digest)}")
                out.extend(self.manifests_of_index(index_entries(doc, f"{self.label}: index"), depth + 1))
            elif d.media_type in MANIFEST_TYPES or not d.media_type:
                out.append(_Choice(d, d.platform))
            elif d.media_type in SCHEMA1_TYPES:
                raise ReaderError(f"{self.label}: schema 1 manifests are not supported (re-push the image "
                                  f"with a current Docker)")
            # Other entries (signatures, SBOMs and other artifacts) are not images of a platform.
        if not out:
            raise ReaderError(f"{self.label}: the index lists no image manifest")
        return out

    def choose(self, choices: list[_Choice]) -> list[_Choice]:
        if self.want is not None or len(choices) > 1:
            choices = [c if c.platform is not None else _Choice(c.descriptor, self._platform_from_config(c.descriptor))
                       for c in choices]
        names = ", ".join(sorted({str(c.platform) if c.platform else "unknown" for c in choices}))
        if self.want == "all":
            missing = [c for c in choices if not self.store.has(c.descriptor.digest)]
            if missing:
                raise ReaderError(f"{self.label}: platform {missing[0].platform} is listed but its manifest "
                                  f"{short(missing[0].descriptor.digest)} is not in the source (the export "
                                  f"holds only some platforms; check those one by one)")
            return sorted(choices, key=lambda c: str(c.platform))
        if self.want is None:
            if len(choices) == 1:
                return choices
            present = [c for c in choices if self.store.has(c.descriptor.digest)]
            if len(present) == 1:
                return present
            raise ReaderError(f"{self.label} has several platforms ({names}): set platform in [targets.image] "
                              f"(or \"all\")")
        want = Platform.parse(self.want)
        matching = [c for c in choices if c.platform is not None and want.matches(c.platform)]
        if len(matching) > 1 and want.variant is None:
            default = _DEFAULT_VARIANT.get(want.architecture)
            preferred = [c for c in matching if c.platform is not None and c.platform.full().variant == default]
            matching = preferred or matching
        if not matching:
            raise ReaderError(f"{self.label} has no image for platform {self.want} (it has {names})")
        if len(matching) > 1:
            raise ReaderError(f"{self.label}: platform {self.want} matches several images "
                              f"({', '.join(str(c.platform) for c in matching)}): name the variant")
        c = matching[0]
        if not self.store.has(c.descriptor.digest):
            raise ReaderError(f"{self.label}: platform {c.platform} is listed but its manifest "
                              f"{short(c.descriptor.digest)} is not in the source (an export of only some "
                              f"platforms)")
        return [c]

    def views_from_index(self, entries: list[Descriptor]) -> list[FSView]:
        chosen = self.choose(self.manifests_of_index(entries))
        return [self.view_of_manifest(c.descriptor, c.platform) for c in chosen]

    def views_from_top(self, raw: bytes, digest: str | None, media_type: str) -> list[FSView]:
        """The views of a top-level manifest or index (from a registry, or skopeo's directory)."""
        doc = parse_json(raw, f"{self.label}: manifest")
        kind = _kind(media_type or str(doc.get("mediaType") or "") if isinstance(doc, dict) else media_type,
                     doc)
        if kind == "index":
            return self.views_from_index(index_entries(doc, f"{self.label}: index"))
        if kind == "manifest":
            d = Descriptor(media_type, digest or "", len(raw), None, {})
            return [self.view_from_manifest_doc(doc, d, None)]
        if kind == "schema1":
            raise ReaderError(f"{self.label}: schema 1 manifests are not supported (re-push the image with a "
                              f"current Docker)")
        raise ReaderError(f"{self.label}: unknown manifest media type {media_type or '(none)'!r}")

    def view_of_manifest(self, d: Descriptor, platform: Platform | None) -> FSView:
        what = f"{self.label}: manifest {short(d.digest)}"
        doc = parse_json(self._manifest(d, what), what)
        media_type = str(doc.get("mediaType") or d.media_type or "") if isinstance(doc, dict) else d.media_type
        kind = _kind(media_type, doc)
        if kind == "index":
            return self._single(self.views_from_index(index_entries(doc, what)))
        if kind == "schema1":
            raise ReaderError(f"{what}: schema 1 manifests are not supported")
        if kind != "manifest":
            raise ReaderError(f"{what}: unknown manifest media type {media_type or '(none)'!r}")
        return self.view_from_manifest_doc(doc, d, platform)

    def _single(self, views: list[FSView]) -> FSView:
        if len(views) != 1:
            raise ReaderError(f"{self.label}: several images where one was expected")
        return views[0]

    def view_from_manifest_doc(self, doc: Any, d: Descriptor, platform: Platform | None) -> FSView:
        what = f"{self.label}: manifest" + (f" {short(d.digest)}" if d.digest else "")
        if not isinstance(doc, dict) or not isinstance(doc.get("config"), dict) \
                or not isinstance(doc.get("layers"), list):
            raise ReaderError(f"{what}: not an image manifest (no config and layers)")
        cfg = Descriptor.from_json(doc["config"], f"{what}: config")
        if cfg.media_type and cfg.media_type not in CONFIG_TYPES:
            raise ReaderError(f"{what}: not a container image (config media type {cfg.media_type!r})")
        config_raw = self._config(cfg, f"{self.label}: config {short(cfg.digest)}")
        config = parse_json(config_raw, f"{self.label}: config {short(cfg.digest)}")
        if not isinstance(config, dict):
            raise ReaderError(f"{self.label}: config {short(cfg.digest)} is not a JSON object")
        descriptors = [Descriptor.from_json(x, f"{what}: layer") for x in doc["layers"]]
        for i, ld in enumerate(descriptors):
            if ld.media_type not in LAYER_TYPES:
                raise ReaderError(f"{what}: layer {i + 1} has media type {ld.media_type or '(none)'!r}, which is "
                                  f"not a filesystem layer")
        diff_ids = check_diff_ids(config, len(descriptors), what)
        platform = self.check_platform(platform, config)
        label = self.label + (f" [{platform}]" if platform and self.want == "all" else "")
        count = len(descriptors)
        local = not isinstance(self.store, RegistryStore)
        # Each layer is verified twice as it streams: the blob against the manifest's digest, and the tar inside
        # against the config's diff_id (a manifest rewritten around a tampered layer still fails the second).
        layers = [Layer(i, count, ld.digest, ld.media_type, _opener(self.store, ld, f"{label}: layer {i + 1}/{count}"),
                        diff_id=diff_id, local=local)
                  for i, (ld, diff_id) in enumerate(zip(descriptors, diff_ids, strict=True))]
        return FSView(LayeredFS(layers, label), platform=str(platform) if platform else None,
                      config=ImageConfig.from_json(config), digest=d.digest or None)

    def check_platform(self, listed: Platform | None, config: dict[str, Any]) -> Platform | None:
        """The platform of an image: the index's word for it, else its config's. A single-platform image checked
        for another platform is an error, not a pass."""
        actual = listed or Platform.from_json(config)
        if self.want and self.want != "all" and listed is None and actual is not None:
            want = Platform.parse(self.want)
            if not want.matches(actual):
                raise ReaderError(f"{self.label} is a {actual} image, not {self.want}")
        return actual.normalized(explicit=False) if actual else None


def _opener(store: BlobStore, d: Descriptor, what: str) -> Any:
    return lambda: store.open(d.digest, what, d.size)


def check_diff_ids(config: dict[str, Any], layer_count: int, what: str) -> list[str]:
    rootfs = config.get("rootfs")
    diff_ids = rootfs.get("diff_ids") if isinstance(rootfs, dict) else None
    if not isinstance(diff_ids, list):
        raise ReaderError(f"{what}: the image config has no rootfs.diff_ids")
    if len(diff_ids) != layer_count:
        raise ReaderError(f"{what}: the config lists {len(diff_ids)} layers but the manifest {layer_count}")
    return [check_digest(x, f"{what}: diff_id") for x in diff_ids]
