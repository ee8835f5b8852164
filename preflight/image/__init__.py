"""Reading container images without a Docker daemon: the sources of ``[targets.image]`` and their merged
filesystems.

``open_image(target)`` opens what ``target.ref`` names (see :mod:`preflight.image.sources` for the forms) and
returns an :class:`Image`: one :class:`ImageView` per platform checked, each answering questions about paths
(``stat``, ``list_directory``, ``read_file``, ``read_directory``) and carrying the image config. The Image is
opened once per run and shared by every check; what it reads is kept, and it is safe to use from several threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from preflight.image.model import (
    DEFAULT_PATH,
    DIRECTORY,
    FILE,
    SYMLINK,
    Image,
    ImageConfig,
    ImageView,
    PathInfo,
    StaticImage,
)

if TYPE_CHECKING:
    from preflight.image.target import ImageTarget


def open_image(target: ImageTarget) -> Image:
    """The image ``target`` names, opened (see :mod:`preflight.image.sources`). The sources are imported here,
    not with the package, so that reading the config (:mod:`preflight.image.target`) costs no image reader."""
    from preflight.image.sources import open_image as open_source

    return open_source(target)

__all__ = [
    "DEFAULT_PATH",
    "DIRECTORY",
    "FILE",
    "SYMLINK",
    "Image",
    "ImageConfig",
    "ImageView",
    "PathInfo",
    "StaticImage",
    "open_image",
]
