"""``[targets.image]``: which image a run reads, as the config file names it (its reader: :mod:`preflight.image`)."""

from __future__ import annotations

from dataclasses import dataclass

from preflight.typed import RelativePaths, doc


@dataclass
class ImageTarget(RelativePaths):
    ref: str = doc('The image, named like skopeo\'s transports: "docker-archive:PATH", "oci:DIR[:TAG]", '
                   '"oci-archive:PATH[:TAG]", "dir:PATH", "docker://REGISTRY/REPO:TAG" or "@sha256:...", '
                   '"dockerfile:PATH".')
    platform: str | None = doc('Which image of a multi-platform index, e.g. "linux/amd64" or "linux/arm64/v8"; '
                               '"all" checks each.', default=None)
    insecure: bool = doc("Allow plain HTTP to a registry that is not on loopback.", default=False)
    context: str | None = doc('dockerfile: only. The build context the recipe\'s COPY/ADD read from, like the '
                              'PATH of `docker build PATH` (default: the Dockerfile\'s directory).', default=None)
    build_args: dict[str, str] = doc('dockerfile: only. Build arguments, like `docker build --build-arg`, e.g. '
                                     '{ GO_VERSION = "1.22" }.', default_factory=dict)
    base_images: dict[str, str] = doc('dockerfile: only. Base images to read, by the name the recipe uses, e.g. '
                                      '{ "alpine:3.21" = "docker-archive:alpine.tar" }: what they hold is known; '
                                      'an unmapped base image is not read.', default_factory=dict)

    def __post_init__(self) -> None:
        for name, ref in self.base_images.items():
            if not isinstance(ref, str) or not ref.strip():
                raise ValueError(f"base_images: {name!r} maps to no image ref")
            if ref.strip().startswith("dockerfile:"):
                raise ValueError(f"base_images: {name!r}: a base image must be a built image, not a dockerfile: "
                                 "ref")

    def check_ref(self) -> None:
        """ValueError when the reference names no transport preflight reads, or lacks what its transport needs
        (the path, the registry), without opening anything."""
        from preflight.image.refs import TRANSPORTS

        ref = self.ref.strip()
        transport, sep, rest = ref.partition(":")
        forms = ('docker-archive:PATH, oci:DIR[:TAG], oci-archive:PATH[:TAG], dir:PATH, '
                 'docker://REGISTRY/REPO:TAG, dockerfile:PATH')
        if not ref:
            raise ValueError(f"empty; expected one of {forms}")
        if not sep or transport not in TRANSPORTS:
            shown = f"unknown transport {transport!r}" if sep and transport else "no transport"
            raise ValueError(f"{shown} in {ref!r}; expected one of {forms}")
        if transport == "docker":
            if not rest.startswith("//") or not rest[2:].strip("/"):
                raise ValueError(f"{ref!r}: expected docker://REGISTRY/REPO:TAG or docker://REGISTRY/REPO@sha256:...")
        elif not rest:
            raise ValueError(f"{ref!r}: no path after {transport}:")

    def check_platform(self) -> None:
        """ValueError when ``platform`` is neither "all" nor "os/architecture[/variant]"."""
        if self.platform is None or self.platform.strip() == "all":
            return
        from preflight.errors import ReaderError
        from preflight.image.oci import Platform

        try:
            Platform.parse(self.platform)
        except ReaderError as e:
            raise ValueError(e.message) from None
