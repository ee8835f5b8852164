"""The merged filesystem of a layered image: the OCI image spec's rules, read top-down from real archives."""

from __future__ import annotations

import tarfile
import threading
import time
from pathlib import Path

import pytest

from preflight.errors import ReaderError
from preflight.image.build import (
    Device,
    Dir,
    File,
    Hardlink,
    ImageSpec,
    Layer,
    Opaque,
    Symlink,
    Whiteout,
    build_image,
    compress,
    layer_tar,
)
from preflight.image.layers import FULL_INDEX_LAYER_LIMIT, LayeredFS
from preflight.image.resolve import FSView
from tests.image_fixtures import (
    image_from_layer_blobs,
    oci_layout,
    open_ref,
    raw_layer,
    rootfs,
    ti,
)


def view_of(tmp_path: Path, layers: list, spec: ImageSpec | None = None) -> FSView:
    oci_layout(tmp_path / "layout", [(build_image(layers, spec), None)])
    view = open_ref("oci:layout", tmp_path).single()
    assert isinstance(view, FSView)
    return view


def fs_of(view: FSView) -> LayeredFS:
    assert isinstance(view.backend, LayeredFS)
    return view.backend


def exists(view: FSView, *paths: str) -> list[bool]:
    return [i.exists for i in view.stat(list(paths))]


# -- whiteouts ---------------------------------------------------------------------------------------------

def test_a_whiteout_deletes_a_file_of_a_lower_layer(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/app/old": "1", "/app/keep": "2"}, {"/app/old": Whiteout()}])
    old, keep = view.stat(["/app/old", "/app/keep"])
    assert not old.exists and old.nearest == "/app" and old.nearest_holds == ("keep",)
    assert keep.exists and keep.layer == 1
    assert view.list_directory("/app") == ["keep"]


def test_a_whiteout_of_a_directory_deletes_everything_under_it(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/opt/tool/bin/run": "x", "/opt/other": "y"}, {"/opt/tool": Whiteout()}])
    assert exists(view, "/opt/tool", "/opt/tool/bin/run", "/opt/other") == [False, False, True]


def test_a_whiteout_applies_only_to_lower_layers_not_its_own(tmp_path: Path) -> None:
    # The spec: files present in the same layer as a whiteout are hidden only by whiteouts of later layers.
    tar = raw_layer([(ti("app/", tarfile.DIRTYPE, 0o755), b""), (ti("app/.wh.conf"), b""), (ti("app/conf"), b"new")])
    tar_low = layer_tar({"/app/conf": "old"})
    image = image_from_layer_blobs([(tar_low, tar_low, "application/vnd.oci.image.layer.v1.tar"),
                                    (tar, tar, "application/vnd.oci.image.layer.v1.tar")])
    oci_layout(tmp_path / "layout", [(image, None)])
    view = open_ref("oci:layout", tmp_path).single()
    (conf,) = view.stat(["/app/conf"])
    assert conf.exists and conf.layer == 2
    assert view.read_file("/app/conf") == b"new"


def test_a_file_recreated_above_its_whiteout_exists(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/a": "1"}, {"/a": Whiteout()}, {"/a": "3"}])
    (a,) = view.stat(["/a"])
    assert a.exists and a.layer == 3 and view.read_file("/a") == b"3"


def test_an_opaque_directory_hides_all_the_lower_layers_held_there(tmp_path: Path) -> None:
    view = view_of(tmp_path, [
        {"/app/server": File("s", 0o755), "/app/lib/old.so": "x", "/etc/keep": "k"},
        {"/app": Opaque(), "/app/new": "n"},
    ])
    assert exists(view, "/app", "/app/new", "/app/server", "/app/lib/old.so", "/app/lib", "/etc/keep") == \
        [True, True, False, False, False, True]
    assert view.list_directory("/app") == ["new"]


def test_an_opaque_marker_listed_after_its_siblings_still_hides_only_lower_layers(tmp_path: Path) -> None:
    # The spec: the opaque whiteout applies first, whatever its position in the tar.
    tar = raw_layer([(ti("a/", tarfile.DIRTYPE, 0o755), b""), (ti("a/b/", tarfile.DIRTYPE, 0o755), b""),
                     (ti("a/b/c/", tarfile.DIRTYPE, 0o755), b""), (ti("a/b/c/foo"), b"foo"),
                     (ti("a/.wh..wh..opq"), b"")])
    low = layer_tar({"/a/b/c/bar": "bar"})
    image = image_from_layer_blobs([(low, low, "application/vnd.oci.image.layer.v1.tar"),
                                    (tar, tar, "application/vnd.oci.image.layer.v1.tar")])
    oci_layout(tmp_path / "layout", [(image, None)])
    view = open_ref("oci:layout", tmp_path).single()
    assert exists(view, "/a/b/c/foo", "/a/b/c/bar") == [True, False]
    assert view.list_directory("/a/b/c") == ["foo"]


def test_opaque_whiteout_does_not_leak_lower_files_unlike_container_structure_test(tmp_path: Path) -> None:
    """container-structure-test's tar driver unpacks layers in order and ignores ``.wh..wh..opq``: a file the
    upper layer's opaque directory hides is reported as present. Here it must be missing."""
    view = view_of(tmp_path, [
        {"/app/backfill": File("old build", 0o755)},
        {"/app": Opaque(), "/app/server": File("s", 0o755)},
    ])
    (backfill,) = view.stat(["/app/backfill"])
    assert not backfill.exists
    assert backfill.describe_missing() == "/app/backfill: no such file or directory; /app has server"


def test_a_file_replacing_a_directory_hides_its_lower_contents(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/data/x": "x", "/data/sub/y": "y"}, {"/data": "now a file"}])
    data, x, y = view.stat(["/data", "/data/x", "/data/sub/y"])
    assert data.type == "file" and data.layer == 2
    assert not x.exists and x.problem == "/data is a file, not a directory"
    assert not y.exists


def test_a_directory_replacing_a_file_then_a_lower_directory_does_not_resurface(tmp_path: Path) -> None:
    # layer 1: /d/old; layer 2: /d becomes a file; layer 3: /d is a directory again, with /d/new only.
    view = view_of(tmp_path, [{"/d/old": "o"}, {"/d": "file"}, {"/d/new": "n"}])
    assert exists(view, "/d/new", "/d/old") == [True, False]
    (d,) = view.stat(["/d"])
    assert d.type == "directory"
    assert view.list_directory("/d") == ["new"]


def test_directories_merge_across_layers_and_the_topmost_entry_gives_the_mode(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/srv": Dir(0o700), "/srv/a": "a"}, {"/srv": Dir(0o750), "/srv/b": "b"}])
    (srv,) = view.stat(["/srv"])
    assert srv.mode == 0o750 and srv.layer == 2
    assert view.list_directory("/srv") == ["a", "b"]


def test_parents_without_entries_of_their_own_exist(tmp_path: Path) -> None:
    view = view_of(tmp_path, [Layer({"/deep/er/file": "x"}, parents=False)])
    deep, file_ = view.stat(["/deep/er", "/deep/er/file"])
    assert deep.exists and deep.type == "directory" and file_.exists
    assert view.list_directory("/deep") == ["er"]


# -- hard links --------------------------------------------------------------------------------------------

def test_a_hardlink_in_the_same_layer_shares_mode_size_and_content(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/usr/bin/python3.12": File("#!py", 0o755), "/usr/bin/python3": Hardlink(
        "/usr/bin/python3.12")}])
    (py,) = view.stat(["/usr/bin/python3"])
    assert py.type == "file" and py.mode == 0o755 and py.size == 4 and py.hardlink_to == "/usr/bin/python3.12"
    assert view.read_file("/usr/bin/python3") == b"#!py"


def test_a_hardlink_to_a_lower_layer_survives_a_later_whiteout_of_its_target(tmp_path: Path) -> None:
    # A hard link is another name for the same inode: deleting the first name leaves the second.
    view = view_of(tmp_path, [{"/bin/busybox": File("bb", 0o755)}, {"/bin/sh": Hardlink("/bin/busybox")},
                              {"/bin/busybox": Whiteout()}])
    busybox, sh = view.stat(["/bin/busybox", "/bin/sh"])
    assert not busybox.exists
    assert sh.exists and sh.executable and sh.layer == 2
    assert view.read_file("/bin/sh") == b"bb"


def test_a_hardlink_to_nothing_is_reported_not_followed(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/x": Hardlink("/nowhere")}])
    (x,) = view.stat(["/x"])
    assert not x.exists and "hard link to /nowhere" in (x.problem or "")


# -- symlinks ----------------------------------------------------------------------------------------------

def test_relative_and_absolute_symlinks_resolve_inside_the_image(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{
        "/usr/lib/postgresql/15/bin/psql": File("psql", 0o755),
        "/usr/bin/psql": Symlink("../lib/postgresql/15/bin/psql"),
        "/usr/local/bin/psql": Symlink("/usr/bin/psql"),
    }])
    (info,) = view.stat(["/usr/local/bin/psql"])
    assert info.exists and info.resolved == "/usr/lib/postgresql/15/bin/psql" and info.executable
    assert info.link_chain == ("/usr/local/bin/psql -> /usr/bin/psql",
                               "/usr/bin/psql -> ../lib/postgresql/15/bin/psql")
    (link,) = view.stat(["/usr/local/bin/psql"], follow=False)
    assert link.type == "symlink" and link.resolved == "/usr/local/bin/psql"


def test_an_absolute_symlink_is_never_resolved_on_the_host(tmp_path: Path) -> None:
    """container-structure-test resolves absolute link targets against the host: a link to /etc/passwd in an
    image that has no /etc/passwd is reported present because the host has one."""
    assert Path("/etc/passwd").exists()
    view = view_of(tmp_path, [{"/app/passwd": Symlink("/etc/passwd"), "/etc/hostname": "img"}])
    (info,) = view.stat(["/app/passwd"])
    assert not info.exists
    assert info.problem == "/etc/passwd does not exist" and info.nearest == "/etc"
    assert info.nearest_holds == ("hostname",)


def test_dotdot_never_climbs_above_the_image_root(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/app/bin/tool": Symlink("../../../../../../srv/tool"), "/srv/tool": File("t", 0o755)}])
    (info,) = view.stat(["/app/bin/tool"])
    assert info.resolved == "/srv/tool"


def test_symlinked_directories_on_the_way_are_followed(tmp_path: Path) -> None:
    # usrmerge: /bin -> usr/bin in the base layer, the binary added later under /usr/bin.
    view = view_of(tmp_path, [{"/bin": Symlink("usr/bin"), "/usr/bin/sh": File("sh", 0o755)},
                              {"/usr/bin/app": File("app", 0o755)}])
    sh, app = view.stat(["/bin/sh", "/bin/app"])
    assert sh.resolved == "/usr/bin/sh" and app.resolved == "/usr/bin/app" and app.layer == 2
    assert view.list_directory("/bin") == ["app", "sh"]


def test_symlink_loops_are_bounded(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/a": Symlink("/b"), "/b": Symlink("a"), "/self": Symlink("self")}])
    a, self_ = view.stat(["/a", "/self"])
    assert not a.exists and "symbolic links" in (a.problem or "")
    assert not self_.exists and len(self_.link_chain) == 40


def test_a_dangling_symlink_exists_as_a_link_but_not_as_a_file(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/app/current": Symlink("/app/releases/42"), "/app/releases/41/x": "x"}])
    (followed,) = view.stat(["/app/current"])
    (link,) = view.stat(["/app/current"], follow=False)
    assert not followed.exists and followed.nearest == "/app/releases" and followed.nearest_holds == ("41",)
    assert link.exists and link.type == "symlink"


def test_a_symlink_whited_out_above_uncovers_nothing(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/bin": Symlink("usr/bin"), "/usr/bin/sh": "sh"}, {"/bin": Whiteout()},
                              {"/bin/tool": File("t", 0o755)}])
    bin_, tool, sh = view.stat(["/bin", "/bin/tool", "/bin/sh"])
    assert bin_.type == "directory" and tool.exists and not sh.exists


# -- entry kinds, names and tar formats ---------------------------------------------------------------------

def test_devices_fifos_and_modes_are_reported(tmp_path: Path) -> None:
    view = view_of(tmp_path, [{"/dev/null": Device("char"), "/run/fifo": Device("fifo", 0o600),
                               "/app/setuid": File("x", 0o4755)}])
    null, fifo, setuid = view.stat(["/dev/null", "/run/fifo", "/app/setuid"])
    assert (null.type, fifo.type, fifo.mode) == ("char-device", "fifo", 0o600)
    assert setuid.to_details()["mode"] == "4755"


@pytest.mark.parametrize("fmt", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT])
def test_long_names_in_every_tar_format(tmp_path: Path, fmt: int) -> None:
    long_dir = "opt/" + "/".join(["a-fairly-long-directory-name"] * 5)
    name = f"{long_dir}/binary-with-a-long-name"
    # ustar has no long link names: there the link points at the directory (prefix + name split is tested).
    target = "/" + (name if fmt != tarfile.USTAR_FORMAT else "opt/a-fairly-long-directory-name")
    tar = raw_layer([(ti(name, mode=0o755), b"bin"), (ti("./lnk", tarfile.SYMTYPE, 0o777, target), b"")],
                    fmt=fmt)
    image = image_from_layer_blobs([(tar, compress(tar, "gzip"), "application/vnd.oci.image.layer.v1.tar+gzip")])
    oci_layout(tmp_path / "layout", [(image, None)])
    view = open_ref("oci:layout", tmp_path).single()
    direct, link = view.stat(["/" + name, "/lnk"])
    assert direct.exists and direct.executable and link.exists and link.resolved == target


def test_member_names_with_dot_slash_and_leading_slash_prefixes(tmp_path: Path) -> None:
    view = view_of(tmp_path, [Layer({"/app/a": "a"}, prefix="./"), Layer({"/app/b": "b"}, prefix="/")])
    assert view.list_directory("/app") == ["a", "b"]


def test_an_entry_climbing_out_of_the_root_is_an_error(tmp_path: Path) -> None:
    tar = raw_layer([(ti("../../etc/evil"), b"x")])
    image = image_from_layer_blobs([(tar, tar, "application/vnd.oci.image.layer.v1.tar")])
    oci_layout(tmp_path / "layout", [(image, None)])
    view = open_ref("oci:layout", tmp_path).single()
    with pytest.raises(ReaderError, match="climbs out of the image root"):
        view.stat(["/etc/evil"])


# -- reading as little as possible, once ---------------------------------------------------------------------

def _three_layers(tmp_path: Path) -> FSView:
    return view_of(tmp_path, [{f"/usr/lib/base{i}": "x" * 100 for i in range(50)},
                              {"/usr/share/doc/readme": "r"},
                              {"/app/server": File("s", 0o755), "/app/migrate": File("m", 0o755)}])


def test_a_path_of_the_top_layer_is_decided_by_the_top_layer_alone(tmp_path: Path) -> None:
    view = _three_layers(tmp_path)
    infos = view.stat(["/app/server", "/app/migrate"])
    assert all(i.exists for i in infos)
    assert fs_of(view).layers_read == [2]


def test_the_layers_below_an_answer_are_never_opened(tmp_path: Path) -> None:
    # Not even in the background, in case they are needed next: a layer is opened only when a question needs it.
    view = _three_layers(tmp_path)
    fs = fs_of(view)
    opened: list[int] = []
    for layer in fs.layers:
        def counting(layer: object = layer, open_raw: object = layer.open_raw) -> object:
            opened.append(layer.index)  # type: ignore[attr-defined]
            return open_raw()  # type: ignore[operator]
        layer.open_raw = counting
    assert all(i.exists for i in view.stat(["/app/server", "/app/migrate"]))
    time.sleep(0.2)  # what a background read would have had time to start
    assert opened == [2]
    assert not view.stat(["/app/gone"])[0].exists
    assert opened == [2, 1, 0]


def test_a_missing_path_needs_every_layer(tmp_path: Path) -> None:
    view = _three_layers(tmp_path)
    (info,) = view.stat(["/app/backfill"])
    assert not info.exists and info.nearest_holds == ("migrate", "server")
    assert fs_of(view).layers_read == [2, 1, 0]


def test_small_layers_are_indexed_once_and_not_read_again(tmp_path: Path) -> None:
    view = _three_layers(tmp_path)
    view.stat(["/app/backfill"])
    view.stat(["/usr/lib/base7", "/usr/share/doc", "/nothing"])
    view.list_directory("/usr/lib")
    assert fs_of(view).layers_read == [2, 1, 0]


def test_a_large_layer_is_read_again_only_for_new_questions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("preflight.image.layers.FULL_INDEX_LAYER_LIMIT", 10)
    assert FULL_INDEX_LAYER_LIMIT > 10
    view = _three_layers(tmp_path)
    view.stat(["/usr/lib/base1"])
    assert fs_of(view).layers_read == [2, 1, 0]
    view.stat(["/usr/lib/base1"])
    assert fs_of(view).layers_read == [2, 1, 0]
    (b2,) = view.stat(["/usr/lib/base2"])
    assert b2.exists and fs_of(view).layers_read == [2, 1, 0, 0]


def test_two_threads_on_one_image_get_the_same_answers(tmp_path: Path) -> None:
    view = _three_layers(tmp_path)
    results: list[list[bool]] = []

    def ask() -> None:
        results.append([i.exists for i in view.stat(["/app/server", "/usr/lib/base3", "/gone"])])

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[True, True, False]] * 4
    assert sorted(fs_of(view).layers_read) == [0, 1, 2]


def test_read_directory_returns_the_regular_files_of_the_merged_directory(tmp_path: Path) -> None:
    view = view_of(tmp_path, [
        {"/app/migrations/001_init.sql": "create table a();", "/app/migrations/002_old.sql": "drop table a;"},
        {"/app/migrations/002_old.sql": Whiteout(), "/app/migrations/003_new.sql": "select 1;",
         "/app/migrations/sub/ignored.sql": "x", "/app/migrations/latest.sql": Symlink("003_new.sql")},
    ])
    assert view.read_directory("/app/migrations") == {
        "001_init.sql": b"create table a();", "003_new.sql": b"select 1;", "latest.sql": b"select 1;"}
    with pytest.raises(ReaderError, match="/app/nothing"):
        view.read_directory("/app/nothing")


def test_read_file_of_a_large_layer_streams_to_the_file(tmp_path: Path) -> None:
    big = bytes(range(256)) * 4096
    view = view_of(tmp_path, [{"/blob": big, "/after": "after"}])
    assert view.read_file("/blob") == big
    assert view.read_file("/blob", limit=10) == big[:10]
    assert view.read_file("/after") == b"after"


# -- the same rules over an unpacked root filesystem ----------------------------------------------------------

def test_rootfs_symlinks_resolve_inside_the_directory(tmp_path: Path) -> None:
    root = rootfs(tmp_path / "root", {"/usr/bin/real": ("exec", "x"), "/usr/bin/abs": ("symlink", "/usr/bin/real"),
                                      "/app/passwd": ("symlink", "/etc/passwd"), "/up": ("symlink", "../../..")})
    view = open_ref("dir:root", tmp_path).single()
    assert root.is_dir()
    abs_, passwd, up = view.stat(["/usr/bin/abs", "/app/passwd", "/up/usr/bin/real"])
    assert abs_.exists and abs_.executable and abs_.resolved == "/usr/bin/real"
    assert not passwd.exists  # the host's /etc/passwd is not the image's
    assert up.resolved == "/usr/bin/real"
    assert view.config is None and view.caveats


# -- the header reader agrees with tarfile ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT])
def test_the_tar_scanner_reads_what_tarfile_reads(fmt: int) -> None:
    import io

    from preflight.image.tarscan import ByteStream, TarScanner, layer_path

    buf = io.BytesIO()
    long = "usr/share/" + "/".join(["component-of-a-long-path"] * 6) + "/file.txt"
    with tarfile.open(fileobj=buf, mode="w", format=fmt,
                      pax_headers={"comment": "global"} if fmt == tarfile.PAX_FORMAT else None) as tar:
        def add(name: str, kind: bytes, data: bytes = b"", **kw: object) -> None:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.size = len(data)
            for k, v in kw.items():
                setattr(info, k, v)
            tar.addfile(info, io.BytesIO(data) if data else None)

        add("./etc/", tarfile.DIRTYPE, mode=0o750)
        add("./etc/conf", tarfile.REGTYPE, b"x" * 700, mode=0o600, uid=1000, gid=1001)
        add(long if fmt != tarfile.USTAR_FORMAT else long[:200], tarfile.REGTYPE, b"long")
        add("bin/sh", tarfile.SYMTYPE, linkname="/usr/bin/busybox", mode=0o777)
        add("bin/ls", tarfile.LNKTYPE, linkname="./etc/conf")
        add("dev/null", tarfile.CHRTYPE, devmajor=1, devminor=3, mode=0o666)
        if fmt != tarfile.USTAR_FORMAT:
            add("big-owner", tarfile.REGTYPE, b"b", uid=8 ** 8 + 5, gid=2 ** 21 + 7)
        if fmt == tarfile.PAX_FORMAT:
            add("caf\u00e9/\u00fcber", tarfile.REGTYPE, b"utf8")
    data = buf.getvalue()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        expected = [(layer_path(m.name), m.size if m.isfile() else 0, m.mode, m.uid, m.gid, m.linkname)
                    for m in tar.getmembers()]
    got = [(layer_path(m.name), m.size, m.mode, m.uid, m.gid, m.linkname)
           for m in TarScanner(ByteStream(io.BytesIO(data), "t"), "t")]
    assert got == expected


def test_a_corrupt_header_is_an_error_not_the_end_of_the_layer() -> None:
    import io

    from preflight.image.tarscan import ByteStream, TarScanner

    tar = layer_tar({"/a": "a", "/b": "b", "/c": "c"})
    broken = tar[:1024] + b"garbage!" + tar[1032:]  # the second entry's header
    with pytest.raises(ReaderError, match="bad checksum"):
        list(TarScanner(ByteStream(io.BytesIO(broken), "layer"), "layer"))
