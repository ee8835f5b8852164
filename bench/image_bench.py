"""Image contents: how fast preflight reads a layer against `tar -t` listing the same layer, on each shape.

Every shape is a one-layer image (so the whole layer must be read: the answer could be anywhere in it) written as
an OCI layout, plus the layer blob itself for tar:

- `small-gzip`: 300,000 small files (100-1,500 bytes, a node_modules tree), gzip -6 as Docker writes layers;
- `small-zstd`: the same files, zstd -3 as BuildKit writes zstd layers;
- `big-gzip`: ~1 GB of large files (1-8 MB, half incompressible), gzip -6;
- `big-zstd`: the same, zstd -3;
- `mixed-gzip`: sizes like a distribution's (many small, a few large), ~500 MB, gzip -6;
- `top-of-four`: a 4-layer image (three ~300 MB gzip base layers, a small top layer) whose answer is in the top
  layer: only that layer is read, never the ones below (the baseline lists all four, what flattening costs).

For each shape, in the same run, page cache warm for every tool, best and median of `--repeat` runs:

- `preflight run`: the command a user types (a new process: interpreter start-up included), one `image.files`
  check of three paths with `executable = true`;
- `preflight reader`: the same question asked in-process of the image reader (start-up excluded): the reader's
  own cost against tar's; with ``--baseline REF``, the reader of that git ref too (installed by
  bench/installs.py), interleaved with this checkout's;
- baseline `tar -t`: GNU tar listing the layer blob(s) (`tar -tzf`, `tar --zstd -tf`; tar runs gzip or zstd in
  a second process, so it uses two cores, as preflight's reader does: the blob is read and hashed in one thread,
  decompressed and hashed again in another, while the headers are scanned).

Peak RSS is the kernel's high-water mark (VmHWM) of the largest process of the command, polled every 10 ms.

    python bench/image_bench.py                     # archives are generated once into bench/out/image
    python bench/image_bench.py --shapes small-zstd --repeat 3
    python bench/image_bench.py --repeat 3 --baseline e7ca6cd
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

import zstandard

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["/app/backfill_task_usage_hourly", "/app/migrate", "/app/server"]
EPOCH = 1_700_000_000
SHAPES = ["small-gzip", "small-zstd", "big-gzip", "big-zstd", "mixed-gzip", "top-of-four"]
FORMAT = 2  # bump when the generated shapes change


# -- building the images ---------------------------------------------------------------------------------------

class _Pools:
    """Content for generated files: incompressible (random) and compressible (text) slices."""

    def __init__(self, rng: random.Random):
        self.random = rng.randbytes(32 << 20)
        words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10)))
                 for _ in range(4000)]
        text = bytearray()
        while len(text) < (32 << 20):
            text += b" ".join(rng.choice(words) for _ in range(12)) + b"\n"
        self.text = bytes(text)
        self.rng = rng

    def content(self, size: int, random_share: float = 0.55) -> bytes:
        pool = self.random if self.rng.random() < random_share else self.text
        start = self.rng.randrange(0, len(pool) - size)
        return pool[start:start + size]


def _entries(shape: str, pools: _Pools, rng: random.Random, scale: float) -> list[list[tuple[str, bytes, int]]]:
    """The layers of a shape (bottom first), each a list of (path, content, mode)."""
    binaries = [(p, pools.content(4 << 20), 0o755) for p in PATHS]
    if shape.startswith("small"):
        count = int(300_000 * scale)
        return [binaries + [(f"/usr/lib/node_modules/p{i // 100:05d}/f{i:07d}.js",
                             pools.content(rng.randint(100, 1500), 0.0), 0o644) for i in range(count)]]
    if shape.startswith("big"):
        total, files = int((1200 << 20) * scale), []
        while total > 0:
            size = min(rng.randint(1 << 20, 8 << 20), total)
            files.append((f"/usr/lib/big/f{len(files):05d}.so", pools.content(size, 0.5), 0o644))
            total -= size
        return [binaries + files]

    def distribution(total: int, n: int) -> list[tuple[str, bytes, int]]:
        files = []
        while total > 0:
            r = rng.random()
            size = rng.randint(200, 8_000) if r < 0.85 else rng.randint(8_000, 200_000) if r < 0.995 else \
                rng.randint(1_000_000, 8_000_000)
            size = min(size, total)
            files.append((f"/usr/lib/base{n}/d{len(files) // 200:04d}/f{len(files):06d}.so", pools.content(size),
                          0o644))
            total -= size
        return files

    if shape == "mixed-gzip":
        return [binaries + distribution(int((600 << 20) * scale), 0)]
    # top-of-four: three base layers, the answer in the top one.
    top = [("/etc/app/config.toml", b"[app]\nport = 8080\n", 0o644), *binaries]
    return [distribution(int((360 << 20) * scale), n) for n in range(3)] + [top]


def _write_layer(path: Path, entries: list[tuple[str, bytes, int]], compression: str) -> tuple[str, str]:
    """A compressed layer blob; returns (blob digest, diff_id)."""
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
    diff, blob = hashlib.sha256(), hashlib.sha256()
    comp: Any = zlib.compressobj(6, zlib.DEFLATED, 31) if compression == "gzip" else \
        zstandard.ZstdCompressor(level=3).compressobj()
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


def build(out: Path, shape: str, scale: float, seed: int = 7) -> Path:
    """``out/<shape>/``: an OCI layout of the shape's image, and ``params.json``."""
    rng = random.Random(seed)
    pools = _Pools(rng)
    workdir = out / shape
    if workdir.exists():
        shutil.rmtree(workdir)
    blobs = workdir / "layout" / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    compression = "zstd" if shape.endswith("zstd") else "gzip"
    media = f"application/vnd.oci.image.layer.v1.tar+{compression}"
    layers = _entries(shape, pools, rng, scale)
    descriptors, diff_ids, layer_files = [], [], []
    for i, entries in enumerate(layers):
        tmp = workdir / f"layer{i}.blob"
        digest, diff_id = _write_layer(tmp, entries, compression)
        dest = blobs / digest.partition(":")[2]
        tmp.rename(dest)
        descriptors.append({"mediaType": media, "digest": digest, "size": dest.stat().st_size})
        diff_ids.append(diff_id)
        layer_files.append(str(dest.relative_to(workdir)))
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Entrypoint": ["/app/server"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids}}, sort_keys=True).encode()
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
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
    (workdir / "preflight.toml").write_text(
        '[targets.image]\nref = "oci:layout"\n\n[[check]]\nid = "binaries"\nuses = "image.files"\n'
        f"paths = {json.dumps(PATHS)}\nexecutable = true\n")
    params = {"shape": shape, "scale": scale, "seed": seed, "format": FORMAT, "layers": layer_files,
              "compression": compression, "entries": sum(len(x) for x in layers),
              "top_entries": len(layers[-1])}
    (workdir / "params.json").write_text(json.dumps(params))
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


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, float, int, str]:
    """(wall s, CPU s of the process and its children, peak RSS MiB, exit code, stdout)."""
    before = os.times()
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak: dict[int, int] = {}
    while p.poll() is None:
        for pid in _tree(p.pid):
            peak[pid] = max(peak.get(pid, 0), _hwm_kib(pid))
        time.sleep(0.01)
    wall = time.perf_counter() - start
    out = p.stdout.read().decode() if p.stdout else ""
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, max(peak.values(), default=0) / 1024, p.returncode, out


# The reader alone: the same question, asked in-process, timed from the image's opening to the answer.
READER = """
import json, sys, time
from pathlib import Path
from preflight.image import open_image
from preflight.targets import ImageTarget
t = ImageTarget(ref="oci:layout"); t.base_dir = Path(".").absolute()
start = time.perf_counter(); cpu = time.process_time()
view = open_image(t).single()
infos = view.stat(json.loads(sys.argv[1]))
assert all(i.exists and i.executable for i in infos), infos
print(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "layers_read": view.backend.layers_read}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", nargs="*", default=SHAPES, choices=SHAPES)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each case (default 5; best and median)")
    parser.add_argument("--scale", type=float, default=1.0, help="size of the generated shapes (default 1.0)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "image")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--baseline", metavar="REF", help="also time the reader of this git ref (e.g. main), "
                                                         "installed by bench/installs.py, interleaved")
    parser.add_argument("--build", choices=SHAPES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.out, args.build, args.scale)
        return
    preflight = shutil.which("preflight") or str(Path(sys.executable).parent / "preflight")
    baseline_bin = None
    if args.baseline:
        sys.path.insert(0, str(ROOT / "bench"))
        from installs import preflight_bin

        baseline_bin = preflight_bin(args.baseline)
    rows = []
    for shape in args.shapes:
        workdir = args.out / shape
        params_file = workdir / "params.json"
        params = json.loads(params_file.read_text()) if params_file.exists() else {}
        if args.rebuild or params.get("scale") != args.scale or params.get("format") != FORMAT:
            t = time.perf_counter()
            # In a process of its own: the generator's memory must not stay in the measuring process.
            subprocess.run([sys.executable, __file__, "--build", shape, "--scale", str(args.scale),
                            "--out", str(args.out)], check=True)
            print(f"built {shape} in {time.perf_counter() - t:.0f}s", file=sys.stderr)
            params = json.loads(params_file.read_text())
        layers = [workdir / p for p in params["layers"]]
        flag = "-tzf" if params["compression"] == "gzip" else "--zstd -tf"
        tar_cmd = " && ".join(f"tar {flag} {p} > /dev/null" for p in layers)
        tar_case = f"baseline: tar {flag} " + ("every layer" if len(layers) > 1 else "the layer")
        cases = [
            ("preflight run (image.files)", [preflight, "run", "--quiet", "--format", "json"]),
            ("preflight reader (in-process)", [sys.executable, "-c", READER, json.dumps(PATHS)]),
            *([(f"preflight reader (in-process) of {args.baseline}",
                [str(baseline_bin / "python"), "-c", READER, json.dumps(PATHS)])] if baseline_bin else []),
            (tar_case, ["sh", "-c", tar_cmd]),
        ]
        results: dict[str, dict[str, Any]] = {}
        for _ in range(args.repeat):
            # Interleaved, so that a busy moment of the machine falls on every case alike.
            for name, cmd in cases:
                for p in layers:  # a warm page cache for every tool alike
                    with open(p, "rb") as f:
                        while f.read(8 << 20):
                            pass
                wall, cpu, peak, code, out = measure(cmd, workdir)
                r = results.setdefault(name, {"walls": [], "cpus": [], "rss": [], "codes": set(), "read": None})
                if name.startswith("preflight reader") and code == 0:
                    inner = json.loads(out)
                    wall, cpu, r["read"] = inner["wall"], inner["cpu"], inner["layers_read"]
                r["walls"].append(wall)
                r["cpus"].append(cpu)
                r["rss"].append(peak)
                r["codes"].add(code)
        base = min(results[tar_case]["walls"])
        for name, _ in cases:
            r = results[name]
            rows.append({"shape": shape, "case": name, "best": min(r["walls"]), "median": statistics.median(r["walls"]),
                         "cpu": statistics.median(r["cpus"]), "rss": max(r["rss"]), "exit": sorted(r["codes"]),
                         "ratio": min(r["walls"]) / base, "read": r["read"], "entries": params["entries"],
                         "mb": sum(p.stat().st_size for p in layers) / (1 << 20), "layers": len(layers)})
    print("| shape | case | best s | median s | best / tar's best | CPU s | peak RSS MiB | exit |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        what = f"{r['shape']} ({r['layers']} layer{'s' if r['layers'] > 1 else ''}, {r['mb']:.0f} MB, " \
               f"{r['entries']:,} files)"
        read = f" (layers read: {r['read']})" if r["read"] is not None and r["layers"] > 1 else ""
        print(f"| {what} | {r['case']}{read} | {r['best']:.2f} | {r['median']:.2f} | {r['ratio']:.2f} | "
              f"{r['cpu']:.2f} | {r['rss']:.0f} | {','.join(map(str, r['exit']))} |")


if __name__ == "__main__":
    main()
