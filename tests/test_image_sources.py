"""Every image source shape, built here as real archives, and every way one can be broken."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
import zstandard

from preflight.errors import ReaderError
from preflight.image.build import (
    File,
    ImageSpec,
    build_image,
    canonical,
    compress,
    layer_tar,
    sha256,
    write_tar_of_directory,
)
from preflight.image.layers import LayeredFS
from preflight.image.resolve import FSView
from preflight.image.sources import normalize_docker_ref
from tests.image_fixtures import (
    containerd_export,
    docker_archive,
    flip_byte,
    gzip_file,
    image_from_layer_blobs,
    layout_without_platforms,
    multi_platform_layout,
    oci_layout,
    open_ref,
    rewrite_archive,
    write_blobs,
)

APP = [{"/usr/bin/sh": File("sh", 0o755)}, {"/app/server": File("server", 0o755)}]


def server_exists(image_view: object) -> bool:
    assert isinstance(image_view, FSView)
    (info,) = image_view.stat(["/app/server"])
    return info.exists and info.executable


def one_line_error(exc: pytest.ExceptionInfo[ReaderError]) -> str:
    text = str(exc.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def arch_image(arch: str, variant: str | None = None, marker: str | None = None) -> object:
    return build_image([{"/app/server": File("server", 0o755), f"/arch/{marker or arch}": "x"}],
                       ImageSpec(architecture=arch, variant=variant))


# -- docker save: every shape ---------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", ["legacy", "oci"])
def test_docker_save_archive_of_each_docker_generation(tmp_path: Path, shape: str) -> None:
    docker_archive(tmp_path, APP, ImageSpec(entrypoint=["/app/server"], architecture="arm64", variant="v8"),
                   shape=shape)  # type: ignore[arg-type]
    image = open_ref("docker-archive:app.tar", tmp_path)
    view = image.single()
    assert server_exists(view)
    assert view.platform == "linux/arm64/v8"
    assert view.config is not None and view.config.entrypoint == ("/app/server",)


@pytest.mark.parametrize("shape", ["legacy", "oci"])
@pytest.mark.parametrize("selector", [":team/app:1.4.0", ":docker.io/team/app:1.4.0", "@0"])
def test_docker_archive_selects_the_image_by_reference_or_position(tmp_path: Path, shape: str,
                                                                   selector: str) -> None:
    docker_archive(tmp_path, APP, shape=shape)  # type: ignore[arg-type]
    assert server_exists(open_ref("docker-archive:app.tar" + selector, tmp_path).single())


@pytest.mark.parametrize("shape", ["legacy", "oci"])
def test_docker_archive_with_an_unknown_tag_names_the_tags_it_has(tmp_path: Path, shape: str) -> None:
    docker_archive(tmp_path, APP, shape=shape)  # type: ignore[arg-type]
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar:team/app:9.9", tmp_path)
    assert "no image tagged 'team/app:9.9'" in one_line_error(e) and "team/app:1.4.0" in str(e.value)


def test_a_legacy_archive_of_two_images_needs_a_tag(tmp_path: Path) -> None:
    src = docker_archive(tmp_path, APP, name="one.tar")

    def two_images(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        (entry,) = json.loads(data)
        other = dict(entry, RepoTags=["team/worker:2.0"], Layers=entry["Layers"][:1])
        return canonical([entry, other])

    # The second image is the first layer alone: its config must list one layer, so it gets its own config.
    base = docker_archive(tmp_path, APP[:1], name="base.tar", tag="team/worker:2.0")
    with tarfile.open(base) as t:
        cfg_name = json.loads(t.extractfile("manifest.json").read())[0]["Config"]  # type: ignore[union-attr]
        cfg = t.extractfile(cfg_name).read()  # type: ignore[union-attr]

    def with_config(name: str, data: bytes) -> bytes:
        data = two_images(name, data)
        if name == "manifest.json":
            entries = json.loads(data)
            entries[1]["Config"] = cfg_name
            return canonical(entries)
        return data

    out = rewrite_archive(src, tmp_path / "app.tar", with_config)
    with tarfile.open(out, "a") as t:
        info = tarfile.TarInfo(cfg_name)
        info.size = len(cfg)
        t.addfile(info, io.BytesIO(cfg))
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar", tmp_path)
    assert "holds 2 images" in one_line_error(e) and "team/worker:2.0" in str(e.value)
    worker = open_ref("docker-archive:app.tar:team/worker:2.0", tmp_path).single()
    assert not server_exists(worker)
    assert server_exists(open_ref("docker-archive:app.tar:team/app:1.4.0", tmp_path).single())
    assert server_exists(open_ref("docker-archive:app.tar@0", tmp_path).single())


def test_legacy_archive_with_a_repeated_layer_written_as_a_symlink(tmp_path: Path) -> None:
    same = {"/etc/conf": "c"}
    src = docker_archive(tmp_path, [same, {"/app/server": File("s", 0o755)}, same], name="src.tar")
    with tarfile.open(src) as t:
        manifest = json.loads(t.extractfile("manifest.json").read())  # type: ignore[union-attr]
        first, _, third = manifest[0]["Layers"]
        with tarfile.open(tmp_path / "app.tar", "w") as out:
            for m in t.getmembers():
                if m.name == third:
                    # What docker save does for a layer it already wrote.
                    link = tarfile.TarInfo(third)
                    link.type = tarfile.SYMTYPE
                    link.linkname = "../" + first
                    out.addfile(link)
                else:
                    out.addfile(m, t.extractfile(m) if m.isfile() else None)
    view = open_ref("docker-archive:app.tar", tmp_path).single()
    conf, server = view.stat(["/etc/conf", "/app/server"])
    assert conf.exists and conf.layer == 3 and server.exists


def test_a_compressed_docker_save_archive(tmp_path: Path) -> None:
    src = docker_archive(tmp_path, APP, name="plain.tar")
    gzip_file(src, tmp_path / "app.tar.gz")
    (tmp_path / "app.tar.zst").write_bytes(zstandard.ZstdCompressor().compress(src.read_bytes()))
    assert server_exists(open_ref("docker-archive:app.tar.gz", tmp_path).single())
    assert server_exists(open_ref("docker-archive:app.tar.zst", tmp_path).single())


def test_containerd_export_holds_only_the_pulled_platform(tmp_path: Path) -> None:
    amd, arm = arch_image("amd64"), arch_image("arm64", "v8")
    containerd_export(tmp_path, [amd, arm], present=[amd])  # type: ignore[list-item]
    view = open_ref("docker-archive:app.tar", tmp_path).single()
    assert view.platform == "linux/amd64" and server_exists(view)
    assert open_ref("docker-archive:app.tar:team/app:1.4.0", tmp_path, "linux/amd64").single().platform \
        == "linux/amd64"
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar", tmp_path, "linux/arm64")
    assert "platform linux/arm64/v8 is listed but its manifest" in one_line_error(e)
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar", tmp_path, "all")
    assert "not in the source" in one_line_error(e)


# -- OCI layouts ------------------------------------------------------------------------------------------------

def test_oci_layout_directory_with_tags(tmp_path: Path) -> None:
    v1 = build_image([{"/app/server": File("1", 0o755)}])
    v2 = build_image([{"/app/server": File("2", 0o755), "/app/worker": File("w", 0o755)}])
    oci_layout(tmp_path / "layout", [(v1, "1.3.0"), (v2, "1.4.0")])
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "several images (tags: 1.3.0, 1.4.0)" in one_line_error(e)
    assert open_ref("oci:layout:1.4.0", tmp_path).single().read_file("/app/server") == b"2"
    assert open_ref("oci:layout:1.3.0", tmp_path).single().read_file("/app/server") == b"1"
    assert open_ref("oci:layout@1", tmp_path).single().read_file("/app/server") == b"2"
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout:2.0", tmp_path)
    assert "no image tagged '2.0' (tags: 1.3.0, 1.4.0)" in one_line_error(e)


def test_a_path_with_colons_is_found_before_the_tag(tmp_path: Path) -> None:
    oci_layout(tmp_path / "out:v1" / "layout", [(build_image(APP), "latest")])
    assert server_exists(open_ref("oci:out:v1/layout:latest", tmp_path).single())
    assert server_exists(open_ref("oci:out:v1/layout", tmp_path).single())


def test_oci_archive(tmp_path: Path) -> None:
    oci_layout(tmp_path / "layout", [(build_image(APP, compression="zstd"), "1.4.0")])
    write_tar_of_directory(tmp_path / "layout", tmp_path / "app.oci.tar")
    assert server_exists(open_ref("oci-archive:app.oci.tar", tmp_path).single())
    assert server_exists(open_ref("oci-archive:app.oci.tar:1.4.0", tmp_path).single())


def test_skopeo_dir_layout(tmp_path: Path) -> None:
    image = build_image(APP)
    root = tmp_path / "copied"
    root.mkdir()
    (root / "version").write_text("Directory Transport Version: 1.1\n")
    (root / "manifest.json").write_bytes(image.manifest)
    for digest, blob in image.blobs().items():
        if digest != image.manifest_digest:
            (root / digest.partition(":")[2]).write_bytes(blob)
    view = open_ref("dir:copied", tmp_path).single()
    assert server_exists(view) and view.config is not None


# -- platforms --------------------------------------------------------------------------------------------------

@pytest.fixture
def multi(tmp_path: Path) -> Path:
    images = [arch_image("amd64"), arch_image("arm64", "v8"), arch_image("arm", "v7"), arch_image("arm", "v6")]
    multi_platform_layout(tmp_path / "layout", images)  # type: ignore[arg-type]
    return tmp_path


@pytest.mark.parametrize(("want", "got"), [
    ("linux/amd64", "amd64"), ("linux/arm64", "arm64"), ("linux/arm64/v8", "arm64"), ("linux/aarch64", "arm64"),
    ("linux/arm", "arm"), ("linux/arm/v7", "arm"), ("linux/arm/v6", "arm"), ("LINUX/AMD64", "amd64"),
])
def test_platform_selection_in_a_multi_platform_index(multi: Path, want: str, got: str) -> None:
    view = open_ref("oci:layout:1.4.0", multi, want).single()
    assert view.list_directory("/arch") == [got]
    assert view.platform is not None and view.platform.startswith(f"linux/{got}")


def test_variant_left_out_prefers_the_default_variant(multi: Path) -> None:
    assert open_ref("oci:layout", multi, "linux/arm").single().platform == "linux/arm/v7"
    assert open_ref("oci:layout", multi, "linux/arm/v6").single().platform == "linux/arm/v6"


def test_platform_all_checks_each_and_skips_attestations(multi: Path) -> None:
    image = open_ref("oci:layout", multi, "all")
    assert [v.platform for v in image.views()] == ["linux/amd64", "linux/arm/v6", "linux/arm/v7",
                                                    "linux/arm64/v8"]
    assert all(server_exists(v) for v in image.views())
    with pytest.raises(ReaderError, match="several platforms"):
        image.read_directory("/app")


def test_a_multi_platform_image_without_a_platform_is_an_error_naming_them(multi: Path) -> None:
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", multi)
    assert "several platforms (linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8)" in one_line_error(e)


def test_an_absent_platform_is_an_error_naming_those_present(multi: Path) -> None:
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", multi, "linux/s390x")
    assert "no image for platform linux/s390x (it has linux/amd64," in one_line_error(e)
    with pytest.raises(ReaderError, match="os/architecture"):
        open_ref("oci:layout", multi, "amd64")


def test_a_single_platform_image_checked_for_another_platform_is_an_error(tmp_path: Path) -> None:
    docker_archive(tmp_path, APP)
    assert open_ref("docker-archive:app.tar", tmp_path, "linux/amd64").single().platform == "linux/amd64"
    assert len(open_ref("docker-archive:app.tar", tmp_path, "all").views()) == 1
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar", tmp_path, "linux/arm64")
    assert "is a linux/amd64 image, not linux/arm64" in one_line_error(e)


@pytest.mark.parametrize("shape", ["legacy", "oci"])
def test_a_docker_save_archive_is_matched_by_its_config_platform(tmp_path: Path, shape: str) -> None:
    # Docker >= 25 writes index.json without a platform field: the config says which platform the image is.
    docker_archive(tmp_path, APP, ImageSpec(architecture="arm64", variant="v8"), shape=shape)  # type: ignore[arg-type]
    for want in ("linux/arm64", "linux/arm64/v8", "linux/aarch64"):
        view = open_ref("docker-archive:app.tar", tmp_path, want).single()
        assert view.platform == "linux/arm64/v8" and server_exists(view)
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar", tmp_path, "linux/amd64")
    assert "linux/arm64/v8" in one_line_error(e) and "linux/amd64" in one_line_error(e)


@pytest.mark.parametrize("listed", [True, False])
def test_platform_selection_with_and_without_platform_in_the_index(tmp_path: Path, listed: bool) -> None:
    images = [arch_image("amd64"), arch_image("arm64", "v8"), arch_image("arm", "v7")]
    if listed:
        oci_layout(tmp_path / "layout", [(img, None) for img in images])  # type: ignore[misc]
    else:
        layout_without_platforms(tmp_path / "layout", images)  # type: ignore[arg-type]
    index = json.loads((tmp_path / "layout" / "index.json").read_bytes())
    assert all(("platform" in m) == listed for m in index["manifests"])
    for want, got in [("linux/amd64", "amd64"), ("linux/arm64", "arm64"), ("linux/arm/v7", "arm")]:
        view = open_ref("oci:layout", tmp_path, want).single()
        assert view.list_directory("/arch") == [got]
    assert [v.platform for v in open_ref("oci:layout", tmp_path, "all").views()] == [
        "linux/amd64", "linux/arm/v7", "linux/arm64/v8"]
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path, "linux/s390x")
    assert "no image for platform linux/s390x (it has linux/amd64, linux/arm/v7, linux/arm64/v8)" \
        in one_line_error(e)
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "several platforms (linux/amd64, linux/arm/v7, linux/arm64/v8)" in one_line_error(e)


def test_an_index_entry_without_platform_whose_manifest_is_absent_is_not_matched(tmp_path: Path) -> None:
    amd, arm = arch_image("amd64"), arch_image("arm64", "v8")
    layout_without_platforms(tmp_path / "layout", [amd, arm])  # type: ignore[arg-type]
    for digest in arm.blobs():  # type: ignore[attr-defined]
        (tmp_path / "layout" / "blobs" / "sha256" / digest.partition(":")[2]).unlink()
    assert open_ref("oci:layout", tmp_path, "linux/amd64").single().list_directory("/arch") == ["amd64"]
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path, "linux/arm64")
    assert "no image for platform linux/arm64 (it has linux/amd64, unknown)" in one_line_error(e)


# -- layer compression ---------------------------------------------------------------------------------------------

GZ = "application/vnd.oci.image.layer.v1.tar+gzip"
ZST = "application/vnd.oci.image.layer.v1.tar+zstd"
TAR = "application/vnd.oci.image.layer.v1.tar"
DOCKER_GZ = "application/vnd.docker.image.rootfs.diff.tar.gzip"


@pytest.mark.parametrize(("compression", "media_type"), [
    ("none", TAR), ("gzip", GZ), ("zstd", ZST), ("gzip", DOCKER_GZ),
    # Media types that lie: the magic bytes decide.
    ("zstd", GZ), ("gzip", ZST), ("none", GZ), ("gzip", TAR),
])
def test_layer_compressions_and_lying_media_types(tmp_path: Path, compression: str, media_type: str) -> None:
    tar = layer_tar({"/app/server": File("server", 0o755)})
    blob = compress(tar, compression)  # type: ignore[arg-type]
    oci_layout(tmp_path / "layout", [(image_from_layer_blobs([(tar, blob, media_type)]), None)])
    view = open_ref("oci:layout", tmp_path).single()
    assert view.read_file("/app/server") == b"server"


def test_a_multi_frame_zstd_layer(tmp_path: Path) -> None:
    tar = layer_tar({"/app/server": File("server", 0o755), "/app/big": "x" * 300_000})
    c = zstandard.ZstdCompressor()
    blob = c.compress(tar[:100_000]) + c.compress(tar[100_000:])
    oci_layout(tmp_path / "layout", [(image_from_layer_blobs([(tar, blob, ZST)]), None)])
    assert open_ref("oci:layout", tmp_path).single().list_directory("/app") == ["big", "server"]


# -- broken inputs: each an error with a one-line cause ----------------------------------------------------------

def _layout_with(tmp_path: Path, layers: list[tuple[bytes, bytes, str]]) -> Path:
    return oci_layout(tmp_path / "layout", [(image_from_layer_blobs(layers), None)])


def test_a_tampered_layer_blob_is_an_error_not_a_pass(tmp_path: Path) -> None:
    # Same size, valid tar: only the digest can tell.
    tar = layer_tar({"/app/server": File("the-server-binary", 0o755)})
    root = _layout_with(tmp_path, [(tar, tar, TAR)])
    path = root / "blobs" / "sha256" / sha256(tar).partition(":")[2]
    path.write_bytes(tar.replace(b"the-server-binary", b"THE-SERVER-BINARY"))
    view = open_ref("oci:layout", tmp_path).single()
    with pytest.raises(ReaderError) as e:
        view.stat(["/app/server"])
    assert "layer 1/1: digest mismatch" in one_line_error(e) and "corrupt or tampered" in str(e.value)


def test_a_tampered_compressed_layer_is_an_error(tmp_path: Path) -> None:
    tar = layer_tar({"/app/server": File("the-server-binary", 0o755)})
    blob = compress(tar, "gzip")
    root = _layout_with(tmp_path, [(tar, blob, GZ)])
    path = root / "blobs" / "sha256" / sha256(blob).partition(":")[2]
    path.write_bytes(compress(tar.replace(b"the-server-binary", b"THE-SERVER-BINARY"), "gzip"))
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path).single().stat(["/app/server"])
    assert "layer 1/1" in one_line_error(e) and "corrupt or tampered" in str(e.value)


@pytest.mark.parametrize(("compression", "media_type"), [("gzip", GZ), ("zstd", ZST), ("gzip", DOCKER_GZ),
                                                       ("none", TAR)])
def test_a_layer_rewritten_with_its_manifest_fails_its_diff_id(tmp_path: Path, compression: str,
                                                              media_type: str) -> None:
    # The manifest names the tampered blob by its true digest and size (rewritten consistently): only the
    # config's diff_id, checked on the uncompressed stream, tells.
    tar = layer_tar({"/app/server": File("the-server-binary", 0o755)})
    tampered = compress(tar.replace(b"the-server-binary", b"THE-SERVER-BINARY"), compression)  # type: ignore[arg-type]
    oci_layout(tmp_path / "layout", [(image_from_layer_blobs([(tar, tampered, media_type)]), None)])
    view = open_ref("oci:layout", tmp_path).single()
    with pytest.raises(ReaderError) as e:
        view.stat(["/app/server"])
    assert "layer 1/1" in one_line_error(e) and "(uncompressed): digest mismatch" in str(e.value)
    with pytest.raises(ReaderError):
        view.read_file("/app/server")


def test_a_tampered_lower_layer_fails_whenever_an_answer_needs_it(tmp_path: Path) -> None:
    base = layer_tar({"/usr/bin/sh": File("the-shell", 0o755)})
    top = layer_tar({"/app/server": File("server", 0o755)})
    tampered = compress(base.replace(b"the-shell", b"THE-SHELL"), "gzip")
    oci_layout(tmp_path / "layout", [(image_from_layer_blobs(
        [(base, tampered, GZ), (top, compress(top, "gzip"), GZ)]), None)])
    view = open_ref("oci:layout", tmp_path).single()
    # Answered by the top layer alone (read to its end, both its digests verified): the layer below cannot
    # change that answer and is not read.
    (server,) = view.stat(["/app/server"])
    assert server.exists and server.layer == 2
    assert isinstance(view.backend, LayeredFS) and view.backend.layers_read == [1]
    # Any answer the layer below takes part in is an error.
    with pytest.raises(ReaderError) as e:
        view.stat(["/usr/bin/sh"])
    assert "layer 1/2" in one_line_error(e) and "(uncompressed): digest mismatch" in str(e.value)


def test_a_tampered_legacy_layer_fails_its_diff_id(tmp_path: Path) -> None:
    src = docker_archive(tmp_path, [{"/app/server": File("the-server-binary", 0o755)}], name="src.tar")
    rewrite_archive(src, tmp_path / "app.tar", lambda n, d: d.replace(b"the-server-binary", b"THE-SERVER-BINARY")
                    if n.endswith("layer.tar") else d)
    view = open_ref("docker-archive:app.tar", tmp_path).single()
    with pytest.raises(ReaderError) as e:
        view.stat(["/app/server"])
    assert "(uncompressed): digest mismatch" in one_line_error(e)


def test_a_tampered_config_is_an_error_at_open(tmp_path: Path) -> None:
    src = docker_archive(tmp_path, APP, ImageSpec(entrypoint=["/app/server"]), name="src.tar")
    rewrite_archive(src, tmp_path / "app.tar",
                    lambda n, d: d.replace(b"/app/server", b"/app/evil!!") if n.endswith(".json") and
                    n != "manifest.json" and "/" not in n else d)
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar", tmp_path)
    assert "config" in one_line_error(e) and "digest mismatch" in str(e.value)


def test_a_truncated_blob_is_an_error(tmp_path: Path) -> None:
    tar = layer_tar({"/app/server": File("server", 0o755)})
    blob = compress(tar, "gzip")
    root = _layout_with(tmp_path, [(tar, blob, GZ)])
    (root / "blobs" / "sha256" / sha256(blob).partition(":")[2]).write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path).single().stat(["/app/server"])
    assert "truncated" in one_line_error(e)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_archive_is_an_error(tmp_path: Path, cut: float) -> None:
    src = docker_archive(tmp_path, APP, name="src.tar")
    data = src.read_bytes()
    (tmp_path / "app.tar").write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ReaderError) as e:
        image = open_ref("docker-archive:app.tar", tmp_path)
        image.single().stat(["/app/server"])
    one_line_error(e)


def test_a_file_that_is_not_an_archive_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "app.tar").write_bytes(b"this is not a tar archive at all\n" * 40)
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar", tmp_path)
    assert "not a valid tar archive" in one_line_error(e)
    (tmp_path / "empty.tar").write_bytes(b"")
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:empty.tar", tmp_path)
    one_line_error(e)


def test_a_tar_without_a_manifest_is_an_error(tmp_path: Path) -> None:
    with tarfile.open(tmp_path / "app.tar", "w") as t:
        info = tarfile.TarInfo("hello.txt")
        info.size = 2
        t.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(ReaderError) as e:
        open_ref("docker-archive:app.tar", tmp_path)
    assert "no manifest.json or index.json" in one_line_error(e)
    with pytest.raises(ReaderError) as e:
        open_ref("oci-archive:app.tar", tmp_path)
    assert "no index.json" in one_line_error(e)


def test_a_layer_of_unknown_media_type_is_an_error(tmp_path: Path) -> None:
    tar = layer_tar({"/app/server": "s"})
    _layout_with(tmp_path, [(tar, tar, "application/vnd.example.weird")])
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "media type 'application/vnd.example.weird', which is not a filesystem layer" in one_line_error(e)


def test_an_artifact_is_not_an_image(tmp_path: Path) -> None:
    image = build_image(APP)
    manifest = json.loads(image.manifest)
    manifest["config"]["mediaType"] = "application/vnd.cncf.helm.config.v1+json"
    raw = canonical(manifest)
    root = tmp_path / "layout"
    write_blobs(root, {**image.blobs(), sha256(raw): raw})
    (root / "index.json").write_bytes(canonical({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha256(raw), "size": len(raw)}]}))
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "not a container image" in one_line_error(e)


def test_unknown_and_schema1_manifests_are_errors(tmp_path: Path) -> None:
    root = tmp_path / "layout"
    s1 = canonical({"schemaVersion": 1, "name": "x", "fsLayers": []})
    write_blobs(root, {sha256(s1): s1})
    (root / "index.json").write_bytes(canonical({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.docker.distribution.manifest.v1+prettyjws", "digest": sha256(s1),
         "size": len(s1)}]}))
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "schema 1" in one_line_error(e)
    (root / "index.json").write_bytes(canonical({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/x-unknown", "digest": sha256(s1), "size": len(s1)}]}))
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "lists no image manifest" in one_line_error(e)


def test_invalid_json_and_missing_blobs_are_errors(tmp_path: Path) -> None:
    image = build_image(APP)
    root = oci_layout(tmp_path / "layout", [(image, None)])
    (root / "index.json").write_text("{not json")
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "index.json: not valid JSON" in one_line_error(e)
    oci_layout(root, [(image, None)])
    (root / "blobs" / "sha256" / image.config_digest.partition(":")[2]).unlink()
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "is not in the layout" in one_line_error(e)


def test_a_corrupt_layer_whose_digest_matches_is_still_an_error(tmp_path: Path) -> None:
    tar = layer_tar({"/app/server": "s"})
    blob = compress(tar, "gzip")
    broken = blob[:20] + flip_byte(blob[20:40], 5) + blob[40:]
    _layout_with(tmp_path, [(tar, broken, GZ)])
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path).single().stat(["/app/server"])
    assert "layer 1/1" in one_line_error(e)


def test_diff_ids_not_matching_the_layers_is_an_error(tmp_path: Path) -> None:
    tar = layer_tar({"/a": "a"})
    image = image_from_layer_blobs([(tar, tar, TAR)])
    config = json.loads(image.config)
    config["rootfs"]["diff_ids"].append(sha256(b"x"))
    raw_config = canonical(config)
    manifest = json.loads(image.manifest)
    manifest["config"].update(digest=sha256(raw_config), size=len(raw_config))
    raw_manifest = canonical(manifest)
    root = tmp_path / "layout"
    write_blobs(root, {**image.blobs(), sha256(raw_config): raw_config, sha256(raw_manifest): raw_manifest})
    (root / "index.json").write_bytes(canonical({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha256(raw_manifest),
         "size": len(raw_manifest)}]}))
    with pytest.raises(ReaderError) as e:
        open_ref("oci:layout", tmp_path)
    assert "lists 2 layers but the manifest 1" in one_line_error(e)


@pytest.mark.parametrize(("ref", "message"), [
    ("docker-archive:nothing.tar", "no such file: nothing.tar"),
    ("oci:nowhere", "no such directory: nowhere"),
    ("dir:nowhere", "no such directory"),
    ("podman:app", "expected one of docker-archive:PATH"),
    ("build/app.tar", "expected one of"),
    ("docker:registry/app", "expected docker://"),
])
def test_bad_refs_are_one_line_errors(tmp_path: Path, ref: str, message: str) -> None:
    with pytest.raises(ReaderError) as e:
        open_ref(ref, tmp_path)
    assert message in one_line_error(e)


def test_the_image_is_read_lazily_and_layers_only_when_asked(tmp_path: Path) -> None:
    docker_archive(tmp_path, APP)
    view = open_ref("docker-archive:app.tar", tmp_path).single()
    assert isinstance(view, FSView) and isinstance(view.backend, LayeredFS)
    assert view.backend.layers_read == []


@pytest.mark.parametrize(("ref", "normal"), [
    ("app", "docker.io/library/app:latest"),
    ("team/app:1.4", "docker.io/team/app:1.4"),
    ("localhost:5000/app", "localhost:5000/app:latest"),
    ("ghcr.io/team/app:1", "ghcr.io/team/app:1"),
    ("app@sha256:" + "a" * 64, "docker.io/library/app@sha256:" + "a" * 64),
])
def test_docker_reference_normalisation(ref: str, normal: str) -> None:
    assert normalize_docker_ref(ref) == normal
