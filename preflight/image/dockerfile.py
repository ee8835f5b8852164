"""The static ``dockerfile:`` image source: what a build recipe's final stage ships, before anything is built.

``ref = "dockerfile:Dockerfile"`` (or ``"dockerfile:PATH:STAGE"`` to stop at a named stage, like
``docker build --target``) reads the recipe, its build context and the base images ``base_images`` maps, and
answers the image checks with evidence: each path is *present*, *absent* or *unknown*, its type, mode and owner
known or not, each answer with its grounds (the recipe's line and the reasoning).

- The recipe is split the way BuildKit's parser splits it (:mod:`preflight.image.dockerfile_parse`) and its
  variables expanded like BuildKit's shell lexer, bounded (:mod:`preflight.image.dockerfile_expand`).
- The build context (``context``, default: the Dockerfile's directory) is read with ``<Dockerfile>.dockerignore``
  or ``.dockerignore`` applied as BuildKit applies it (:mod:`preflight.image.dockerfile_context`): a ``COPY``
  from it ships exactly what it holds now. A binary's *source* in the context is no evidence that a ``RUN``
  builds the binary.
- Each stage is evaluated without running anything (:mod:`preflight.image.dockerfile_eval`): ``COPY --from`` is
  followed into the stage it names, recursively; a ``RUN`` makes unknown what it names
  (:mod:`preflight.image.dockerfile_run`); a base image is read only when ``base_images`` maps it.
- Where the recipe cannot show something, the answer is unknown, never present; the few presumptions made
  (listed in :mod:`preflight.image.dockerfile_eval`) are said in the grounds of every answer that rests on one.

``ENTRYPOINT``, ``CMD``, ``ENV``, ``WORKDIR`` and ``USER`` of the final stage, over those of a mapped base image,
make the image config; what an unread base image would set is unknown. ``read_file`` returns the content of a
file shipped from the build context, a heredoc or a mapped image; a ``RUN`` output cannot be read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from preflight.errors import ReaderError
from preflight.image.dockerfile_context import BuildContext
from preflight.image.dockerfile_eval import Recipe, Stage
from preflight.image.dockerfile_fs import (
    ABSENT,
    DIRECTORY,
    FILE,
    PRESENT,
    UNKNOWN,
    Fact,
    ImageBase,
    Listing,
    ScratchBase,
    read_fact,
    resolve,
)
from preflight.image.dockerfile_parse import Instruction, parse_dockerfile
from preflight.image.model import LISTING_LIMIT, ImageView, PathInfo, StaticImage

if TYPE_CHECKING:
    from preflight.targets import ImageTarget

MAX_DOCKERFILE_BYTES = 4 << 20


class DockerfileView(ImageView):
    """The final (or named) stage of a recipe, answering the image interface with evidence."""

    def __init__(self, recipe: Recipe, stage: Stage, platform: str | None):
        self.recipe = recipe
        self.stage = stage
        self.platform = platform
        self.fs = stage.fs
        self.made = stage.fs.made_dirs()
        self.config = recipe.config(stage)
        self.caveats = tuple(recipe.notes + recipe.unset_notes())

    def label(self) -> str:
        return self.platform or self.recipe.display

    # -- paths -------------------------------------------------------------------------------------------

    def _guard(self, what: Callable[[], PathInfo]) -> PathInfo:
        try:
            return what()
        except RecursionError:
            raise ReaderError(f"{self.recipe.display}: its stages copy from each other too deeply to "
                              "evaluate") from None

    def _info(self, path: str, follow: bool) -> PathInfo:
        if not path.startswith("/"):
            raise ReaderError(f"image path {path!r} is not absolute")
        res = resolve(self.fs, path, follow=follow, made=self.made)
        fact = res.fact
        chain = tuple(res.chain)
        if fact.presence == PRESENT:
            return PathInfo(path=path, exists=True, resolved=res.resolved, type=fact.type, mode=fact.mode,
                            size=fact.size if fact.type == FILE else None, uid=fact.uid, gid=fact.gid,
                            origin=fact.origin, link_chain=chain, presence=PRESENT,
                            grounds=fact.grounds or ("shipped by the recipe",), presumed=fact.presumed,
                            executable_known=fact.executable if fact.mode is None else None,
                            linkname=fact.linkname or None)
        nearest = res.nearest or "/"
        listing = self.fs.list(nearest, self.made) if fact.presence == ABSENT or nearest != "/" else Listing()
        names = sorted(listing.names)
        if fact.presence == UNKNOWN:
            problem = res.problem or "the recipe cannot show whether it ships"
            return PathInfo(path=path, exists=False, presence=UNKNOWN, problem=problem, link_chain=chain,
                            nearest=nearest, nearest_holds=tuple(names[:LISTING_LIMIT]), nearest_count=len(names),
                            nearest_partial=not listing.complete, grounds=fact.grounds or (problem,),
                            presumed=fact.presumed, origin=fact.origin)
        problem = res.problem or "no such file or directory"
        if problem == "no such file or directory":
            problem = self._why_absent(fact)
        return PathInfo(path=path, exists=False, presence=ABSENT, problem=problem, link_chain=chain,
                        nearest=nearest, nearest_holds=tuple(names[:LISTING_LIMIT]), nearest_count=len(names),
                        nearest_partial=not listing.complete, grounds=fact.grounds or (problem,),
                        presumed=fact.presumed)

    def _why_absent(self, fact: Fact) -> str:
        base = self.fs.root_base()
        if "absent" in fact.presumed:
            return f"the recipe does not ship it (presumed absent from the base image {base.name}, not read)"
        if isinstance(base, ScratchBase):
            return "the recipe does not ship it (FROM scratch)"
        if isinstance(base, ImageBase):
            return f"neither the recipe nor the base image {base.name} ships it"
        return "the recipe does not ship it"

    def stat(self, paths: Sequence[str], *, follow: bool = True) -> list[PathInfo]:
        return [self._guard(lambda p=p: self._info(p, follow)) for p in paths]  # type: ignore[misc]

    def listing(self, path: str) -> Listing:
        """What a directory holds as far as the recipe shows, and whether that is all of it."""
        (info,) = self.stat([path])
        if info.presence != PRESENT or info.type != DIRECTORY or info.resolved is None:
            raise ReaderError(f"{self.recipe.display}: {path} is not a directory the recipe ships "
                              f"({info.problem or info.presence})")
        return self.fs.list(info.resolved, self.made)

    def list_directory(self, path: str) -> list[str]:
        return sorted(self.listing(path).names)

    def read_file(self, path: str, *, limit: int = 1 << 20) -> bytes:
        res = resolve(self.fs, path, made=self.made)
        if res.fact.presence != PRESENT:
            why = "; ".join(res.fact.grounds) or res.problem or res.fact.presence
            raise ReaderError(f"{self.recipe.display}: {path} cannot be read from the recipe: {why}")
        return read_fact(res.fact, path, limit, self.recipe.display)

    def read_directory(self, path: str) -> dict[str, bytes]:
        listing = self.listing(path)
        if not listing.complete:
            raise ReaderError(f"{self.recipe.display}: what {path} holds cannot be known from the recipe "
                              f"({'; '.join(listing.grounds)}): point the migrations target at a built image "
                              "or a directory")
        return super().read_directory(path)


# -- entry point -------------------------------------------------------------------------------------------------


def split_ref(rest: str, resolve_path: Callable[[str], Path]) -> tuple[Path, str, str | None]:
    """``PATH`` or ``PATH:STAGE`` -> (file, path as written, stage): the longest prefix that is a file wins."""
    p = resolve_path(rest)
    if p.is_file() or ":" not in rest:
        return p, rest, None
    head, _, stage = rest.rpartition(":")
    if head and resolve_path(head).is_file() and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", stage):
        return resolve_path(head), head, stage
    return p, rest, None


def read_recipe(path: Path, display: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_DOCKERFILE_BYTES:
            raise ReaderError(f"{display}: {size} bytes is too large for a Dockerfile")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReaderError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise ReaderError(f"{display}: is a directory, not a Dockerfile") from None
    except OSError as e:
        raise ReaderError(f"{display}: cannot read: {e.strerror or e}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReaderError(f"{display}: not UTF-8 text (byte {e.start})") from None


def load_recipe(path: Path, display: str, *, platform: str | None = None,
                build_args: dict[str, str] | None = None, context: Path | None = None,
                context_display: str | None = None,
                open_base: Callable[[str], tuple[str, ImageView] | None] | None = None) -> Recipe:
    """A recipe read from ``path`` and evaluated, with its build context (default: its directory)."""
    text = read_recipe(path, display)
    root = context if context is not None else path.parent
    ctx = BuildContext.open(root, context_display or posixpath.dirname(display) or ".", path)
    return Recipe(text, display, platform=platform, build_args=build_args, context=ctx, open_base=open_base)


def _normalized(name: str) -> str:
    from preflight.image.sources import normalize_docker_ref

    try:
        return normalize_docker_ref(name)
    except Exception:  # noqa: BLE001 - a name that is no reference matches only itself
        return name


def base_opener(target: ImageTarget, closers: list[Callable[[], None]]) -> Callable[[str], tuple[str, ImageView] | None]:
    """Opens the base images ``base_images`` maps, once each; the Image's closers are collected."""
    mapping: dict[str, str] = dict(getattr(target, "base_images", None) or {})
    opened: dict[str, tuple[str, ImageView]] = {}

    def lookup(name: str) -> tuple[str, ImageView] | None:
        ref = mapping.get(name)
        if ref is None:
            want = _normalized(name)
            for key, value in mapping.items():
                if _normalized(key) == want:
                    ref = value
                    break
        if ref is None:
            return None
        if ref in opened:
            return opened[ref]
        from preflight.image.sources import open_image
        from preflight.targets import ImageTarget

        if ref.strip().startswith("dockerfile:"):
            raise ReaderError(f"base_images: {name} = {ref!r}: a base image must be a built image, not a recipe")
        sub = ImageTarget(ref=ref, platform=target.platform if target.platform != "all" else None,
                          insecure=target.insecure)
        sub.base_dir = target.base_dir
        try:
            image = open_image(sub)
        except ReaderError as e:
            raise ReaderError(f"base_images: {name}: {e}") from None
        closers.append(image.close)
        view = image.single(f"the base image {name}")
        opened[ref] = (ref, view)
        return opened[ref]

    return lookup


def open_dockerfile(target: ImageTarget) -> StaticImage:
    """The ``dockerfile:PATH[:STAGE]`` source as an Image with one view: the final (or named) stage."""
    ref = target.ref
    rest = ref.split(":", 1)[1] if ref.startswith("dockerfile:") else ref
    if not rest:
        raise ReaderError(f"image ref {ref!r}: no path after dockerfile:")
    path, display, stage_name = split_ref(rest, target.resolve)
    platform = target.platform if target.platform and target.platform != "all" else None
    build_args = dict(getattr(target, "build_args", None) or {})
    context_text = getattr(target, "context", None)
    context = target.resolve(context_text) if context_text else None
    closers: list[Callable[[], None]] = []
    try:
        recipe = load_recipe(path, display, platform=platform, build_args=build_args, context=context,
                             context_display=context_text, open_base=base_opener(target, closers))
        view = DockerfileView(recipe, recipe.final_stage(stage_name), platform)
    except RecursionError:
        for close in closers:
            close()
        raise ReaderError(f"{display}: too deeply nested to evaluate") from None
    except BaseException:
        for close in closers:
            close()
        raise
    return StaticImage(ref=ref, platform_views=[view], closers=list(closers))


__all__ = ["DockerfileView", "Instruction", "Recipe", "Stage", "load_recipe", "open_dockerfile",
           "parse_dockerfile"]
