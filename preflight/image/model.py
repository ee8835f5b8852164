"""What every image source answers, whatever it is made of: the interface the image checks read.

An :class:`Image` is what ``[targets.image]`` names. It holds one :class:`ImageView` per platform it is checked
for (one, unless ``platform = "all"`` on a multi-platform index). A view answers questions about paths in its
merged filesystem (:meth:`ImageView.stat`, :meth:`ImageView.list_directory`, :meth:`ImageView.read_file`) and
carries the image config (ENTRYPOINT, CMD, Env, WorkingDir).

Every answer is evidence with its grounds. A built image (``docker-archive:``, ``oci:``, ``oci-archive:``,
``docker://``, ``dir:``) answers each path *present* or *absent*, from its layers. A recipe (``dockerfile:``) can
also answer *unknown*, and leaves a type, mode or owner as ``None`` where it cannot know them; an answer that
rests on a presumption lists it in :attr:`PathInfo.presumed`, and :attr:`PathInfo.grounds` says, for people, what
the answer rests on (the layer, or the recipe's line and the reasoning).
"""

from __future__ import annotations

import posixpath
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from preflight.errors import ReaderError

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
"""The PATH a container gets when its image config sets none (Docker's and containerd's default)."""

MAX_SYMLINK_HOPS = 40
"""Like Linux's MAXSYMLINKS: more links than this while resolving one path is a loop."""

FILE = "file"
DIRECTORY = "directory"
SYMLINK = "symlink"

PRESENT = "present"
ABSENT = "absent"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class PathInfo:
    """What one path is in an image, after following symlinks inside the image root when asked to."""

    path: str
    """The path as asked."""
    exists: bool
    resolved: str | None = None
    """The path after symlinks (inside the image), when it exists."""
    type: str | None = None
    """"file", "directory", "symlink", "char-device", "block-device", "fifo" (of the path after symlinks when
    following, else of the path itself)."""
    mode: int | None = None
    """Permission bits (``0o7777``); ``None`` when the source does not say (a recipe without ``--chmod``)."""
    size: int | None = None
    uid: int | None = None
    gid: int | None = None
    layer: int | None = None
    """1-based, counted from the bottom (base) layer, of the layer the entry comes from."""
    layer_count: int | None = None
    layer_digest: str | None = None
    origin: str | None = None
    """Where the entry comes from, for people: "layer 3/5 (sha256:0123abcd4567)", "Dockerfile:14 (COPY)"."""
    link_chain: tuple[str, ...] = ()
    """Each symlink followed, as "/usr/bin/psql -> ../lib/postgresql/15/bin/psql"."""
    hardlink_to: str | None = None
    problem: str | None = None
    """Why the path does not exist as asked: "no such file or directory", "/app is a file, not a directory",
    "too many levels of symbolic links"."""
    nearest: str | None = None
    """For a missing path: the nearest existing directory on its way."""
    nearest_holds: tuple[str, ...] = ()
    """What that directory holds (names, sorted; at most :data:`LISTING_LIMIT`)."""
    nearest_count: int = 0
    """How many entries that directory holds in all."""
    nearest_partial: bool = False
    """Whether that directory may hold more than the source can list (a recipe's RUN may have put more there)."""
    notes: tuple[str, ...] = ()
    presence: str = ""
    """ "present", "absent" or "unknown" (a recipe that cannot show it); derived from ``exists`` when not given."""
    grounds: tuple[str, ...] = ()
    """What the answer rests on, for people: the layer, or the recipe's line and the reasoning."""
    presumed: tuple[str, ...] = ()
    """Which parts of the answer rest on a presumption rather than on evidence: "present", "absent", "file",
    "executable" (the grounds say which presumption and why)."""
    executable_known: bool | None = None
    """Whether it has an execute bit, when that is known although the whole mode is not (``--chmod=+x``)."""
    linkname: str | None = None
    """A symlink's target (when the path itself is a symlink and was not followed)."""

    def __post_init__(self) -> None:
        if not self.presence:
            object.__setattr__(self, "presence", PRESENT if self.exists else ABSENT)
        if not self.grounds:
            grounds: tuple[str, ...]
            if self.presence == PRESENT:
                grounds = (self.origin,) if self.origin else ("in the image's filesystem",)
            elif self.presence == ABSENT:
                grounds = (self.describe_missing(),)
            else:
                grounds = ()
            object.__setattr__(self, "grounds", grounds)

    @property
    def unknown(self) -> bool:
        return self.presence == UNKNOWN

    @property
    def executable(self) -> bool:
        """An execute bit is known to be set (a presumption does not count: see :attr:`presumed`)."""
        if self.mode is not None:
            return bool(self.mode & 0o111)
        return bool(self.executable_known)

    @property
    def executable_is_known(self) -> bool:
        return self.mode is not None or self.executable_known is not None

    def to_details(self) -> dict[str, Any]:
        """The JSON a check reports for this path (sorted, deterministic)."""
        out: dict[str, Any] = {"exists": self.exists, "presence": self.presence}
        if self.presence != ABSENT:
            out["type"] = self.type
            if self.resolved is not None and self.resolved != self.path:
                out["resolved"] = self.resolved
            out["mode"] = f"{self.mode:04o}" if self.mode is not None else None
            if self.mode is None and self.executable_known is not None:
                out["executable"] = self.executable_known
            if self.size is not None:
                out["size"] = self.size
            out["owner"] = f"{self.uid}:{self.gid}" if self.uid is not None and self.gid is not None else None
            if self.layer is not None:
                out["layer"] = self.layer
            if self.layer_digest is not None:
                out["layer_digest"] = self.layer_digest
            if self.origin is not None:
                out["from"] = self.origin
            if self.hardlink_to is not None:
                out["hardlink_to"] = self.hardlink_to
        else:
            if self.problem:
                out["problem"] = self.problem
            if self.nearest is not None:
                out["nearest"] = self.nearest
                out["nearest_holds"] = list(self.nearest_holds)
                if self.nearest_count > len(self.nearest_holds):
                    out["nearest_count"] = self.nearest_count
                if self.nearest_partial:
                    out["nearest_partial"] = True
        if self.link_chain:
            out["link_chain"] = list(self.link_chain)
        if self.presumed:
            out["presumed"] = list(self.presumed)
        out["grounds"] = list(self.grounds)
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def describe_missing(self) -> str:
        """One sentence: "/app/migrate: no such file or directory (/app has server, worker)"."""
        why = self.problem or "no such file or directory"
        if self.presence == UNKNOWN:
            why = self.problem or "cannot be known from this source"
        text = f"{self.path}: {why}"
        if self.link_chain:
            text += " (via " + ", ".join(self.link_chain) + ")"
        if self.nearest is not None:
            text += f"; {self.nearest} {holds_phrase(self.nearest_holds, self.nearest_count, self.nearest_partial)}"
        return text


LISTING_LIMIT = 20


def holds_phrase(names: Sequence[str], count: int, partial: bool = False) -> str:
    """ "has server, worker, migrate", "is empty", "has a, b, c and 40 more"; with ``partial`` (the source
    cannot list all of it): "has server and what the source cannot list", "holds nothing the source can list"."""
    if not count:
        return "holds nothing the source can list" if partial else "is empty"
    shown = ", ".join(names)
    if count > len(names):
        shown += f" and {count - len(names)} more"
    return f"has {shown}" + (" and what the source cannot list" if partial else "")


@dataclass(frozen=True)
class ImageConfig:
    """The parts of the image config (``docker inspect .Config``) the checks read."""

    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    env: tuple[str, ...] = ()
    """``KEY=value`` strings, in order."""
    working_dir: str = ""
    user: str = ""
    origin: str | None = None
    """Where the config was read, for messages: "image config", "Dockerfile:31"."""
    unknown: tuple[str, ...] = ()
    """Fields the source cannot tell ("Entrypoint", "Cmd", "Env", "WorkingDir", "User"): a recipe whose base
    image is not read does not know what the base sets."""
    presumed: tuple[str, ...] = ()
    """Fields taken on a presumption ("PATH": Docker's default, the base image not being read)."""
    grounds: tuple[str, ...] = ()
    """Why those fields are unknown or presumed, for people."""

    @property
    def program_known(self) -> bool:
        """Whether what the container runs first (ENTRYPOINT's, else CMD's first word) is known."""
        if "Entrypoint" in self.unknown:
            return False
        if self.entrypoint:
            return True
        return "Cmd" not in self.unknown

    @classmethod
    def from_json(cls, config: dict[str, Any], origin: str = "image config") -> ImageConfig:
        c = config.get("config") or config.get("Config") or {}
        if not isinstance(c, dict):
            raise ReaderError("the image config's \"config\" member is not an object")

        def strings(key: str) -> tuple[str, ...] | None:
            v = c.get(key)
            if v is None:
                return None
            if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
                raise ReaderError(f"the image config's {key} is not a list of strings")
            return tuple(v)

        return cls(entrypoint=strings("Entrypoint"), cmd=strings("Cmd"), env=strings("Env") or (),
                   working_dir=str(c.get("WorkingDir") or ""), user=str(c.get("User") or ""), origin=origin)

    def getenv(self, name: str) -> str | None:
        for item in reversed(self.env):
            k, sep, v = item.partition("=")
            if sep and k == name:
                return v
        return None

    @property
    def path_dirs(self) -> tuple[list[str], bool]:
        """The directories of PATH and whether PATH came from the config (False: Docker's default)."""
        value = self.getenv("PATH")
        return ([d for d in (value or DEFAULT_PATH).split(":") if d], value is not None)

    @property
    def argv(self) -> tuple[str, ...]:
        """What the container runs by default: ENTRYPOINT followed by CMD."""
        return (self.entrypoint or ()) + (self.cmd or ())


class ImageView(ABC):
    """One platform's image: its merged filesystem and its config."""

    platform: str | None = None
    """ "linux/amd64", "linux/arm64/v8"; ``None`` when the source does not say (a root filesystem)."""
    config: ImageConfig | None = None
    """``None`` when the source has no image config (``dir:``)."""
    caveats: tuple[str, ...] = ()
    """What this source cannot tell, said in every result that relies on it."""

    @abstractmethod
    def stat(self, paths: Sequence[str], *, follow: bool = True) -> list[PathInfo]:
        """What each absolute path is. ``follow``: follow a symlink in the last component too (like ``stat``);
        otherwise report the link itself (like ``lstat``). Symlinks in the other components are always
        followed, inside the image root. A missing path says its nearest existing directory and what it
        holds. Raises ReaderError when the image cannot be read."""

    @abstractmethod
    def list_directory(self, path: str) -> list[str]:
        """Names directly inside a directory (symlinks followed), sorted; ReaderError if it is not one."""

    @abstractmethod
    def read_file(self, path: str, *, limit: int = 1 << 20) -> bytes:
        """The first ``limit`` bytes of a regular file (symlinks followed); ReaderError if it is not one."""

    def read_directory(self, path: str) -> dict[str, bytes]:
        """Regular files directly inside ``path`` (symlinks resolved inside the image), name -> content."""
        names = self.list_directory(path)
        base = path.rstrip("/") or "/"
        infos = self.stat([posixpath.join(base, n) for n in names])
        out: dict[str, bytes] = {}
        for name, info in zip(names, infos, strict=True):
            if info.exists and info.type == FILE:
                out[name] = self.read_file(posixpath.join(base, name), limit=MAX_READ_DIRECTORY_FILE)
        return out

    def label(self) -> str:
        return self.platform or "image"


MAX_READ_DIRECTORY_FILE = 64 << 20


class Image(ABC):
    """The image of ``[targets.image]``: one view per platform checked."""

    ref: str = ""

    @abstractmethod
    def views(self) -> list[ImageView]:
        """The platforms to check: one, or each of a multi-platform index with ``platform = "all"``."""

    @property
    def multi_platform(self) -> bool:
        return len(self.views()) > 1

    def single(self, purpose: str = "this") -> ImageView:
        views = self.views()
        if len(views) == 1:
            return views[0]
        names = ", ".join(v.label() for v in views)
        raise ReaderError(f"{self.ref} has several platforms ({names}); {purpose} needs one: set platform in "
                          f"[targets.image]")

    def read_directory(self, path: str) -> dict[str, bytes]:
        """Regular files directly inside ``path`` of the merged image, name -> content (symlinks resolved
        inside the image); ReaderError if the directory does not exist. Used by ``image:`` migration sources."""
        return self.single("reading migrations from the image").read_directory(path)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files and connections."""


@dataclass
class StaticImage(Image):
    """An Image made of already-built views (what open_image returns for every source)."""

    ref: str
    platform_views: Sequence[ImageView] = field(default_factory=list)
    closers: list[Any] = field(default_factory=list)

    def views(self) -> list[ImageView]:
        return list(self.platform_views)

    def close(self) -> None:
        for c in self.closers:
            try:
                c()
            except Exception:  # noqa: BLE001 - closing must not mask the run's result
                pass
