"""A registry client for the ``docker://`` image source: the HTTP API v2 of the OCI distribution spec.

It fetches manifests (returned raw: the image reader selects the platform of an index) and streams blobs,
verifying every digest. Authentication answers the registry's ``WWW-Authenticate`` challenge: anonymous,
``Basic``, or ``Bearer`` through the token service named in the challenge. Credentials come from the Docker
client's config (``$DOCKER_CONFIG/config.json`` or ``~/.docker/config.json``): ``credHelpers`` for the
registry, then ``credsStore``, then ``auths``.

Plain HTTP is used only for a loopback registry (127.0.0.0/8, ::1, localhost) or when the target says
``insecure = true``; anything else is HTTPS with certificate verification (``SSL_CERT_FILE`` adds a private
CA). A blob redirect (registries hand out storage URLs) is followed, but the registry's credentials are only
sent back to the registry's own origin, never to the host it redirects to.

Only the standard library is used, so importing this module costs nothing the CLI would notice.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import ipaddress
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode, urljoin, urlsplit

from preflight import deadline
from preflight.errors import ReaderError
from preflight.secrets import register_secret

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MANIFEST_TYPES = (OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST)

# Docker Hub's names: what users write, where the API lives, and the key `docker login` stores credentials under.
DOCKER_HUB = "docker.io"
DOCKER_HUB_API = "registry-1.docker.io"
DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/"

# Manifests are small; a registry answering megabytes is broken or hostile, and memory must stay bounded.
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_TOKEN_BYTES = 1024 * 1024
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 30.0
USER_AGENT = "preflight (registry client)"

_DIGEST = re.compile(r"^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_REPO_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")


# -- references ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """``registry[:port]/repository[:tag][@digest]``, with Docker Hub's short names expanded."""

    registry: str            # as written, lowercased ("registry.example.com:5000", "docker.io")
    repository: str          # "team/app" ("library/alpine" for the Hub's short names)
    tag: str | None
    digest: str | None

    @property
    def api_host(self) -> str:
        return DOCKER_HUB_API if self.registry == DOCKER_HUB else self.registry

    @property
    def manifest_ref(self) -> str:
        return self.digest or self.tag or "latest"

    def __str__(self) -> str:
        out = f"{self.registry}/{self.repository}"
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out


def parse_reference(text: str) -> Reference:
    """Parse an image reference as ``docker pull`` does; a ``docker://`` prefix is accepted."""
    ref = text.strip()
    if ref.startswith("docker://"):
        ref = ref[len("docker://"):]
    if not ref:
        raise ReaderError("empty image reference")
    digest = None
    if "@" in ref:
        ref, digest = ref.rsplit("@", 1)
        if not _DIGEST.match(digest):
            raise ReaderError(f"image reference {text!r}: {digest!r} is not a sha256/sha512 digest")
    first, _, rest = ref.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost" or first.startswith("[")):
        registry, path = first.lower(), rest
    else:
        registry, path = DOCKER_HUB, ref
    tag = None
    # A colon after the last slash is a tag; one before it belongs to the registry's port.
    last = path.rsplit("/", 1)[-1]
    if ":" in last:
        path, tag = path.rsplit(":", 1)
        if not _TAG.match(tag):
            raise ReaderError(f"image reference {text!r}: {tag!r} is not a valid tag")
    if registry in ("index.docker.io", "registry-1.docker.io"):
        registry = DOCKER_HUB
    if registry == DOCKER_HUB and "/" not in path:
        path = f"library/{path}"
    for component in path.split("/"):
        if not _REPO_COMPONENT.match(component):
            raise ReaderError(f"image reference {text!r}: repository {path!r} is not a valid name "
                              "(lowercase letters, digits and separators)")
    if tag is None and digest is None:
        tag = "latest"
    return Reference(registry=registry, repository=path, tag=tag, digest=digest)


def _split_host(hostport: str) -> tuple[str, int | None]:
    if hostport.startswith("["):
        host, _, rest = hostport[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:] else None
    if hostport.count(":") == 1:
        host, port = hostport.split(":")
        return host, int(port) if port else None
    return hostport, None


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: the hosts plain HTTP is allowed to without ``insecure``."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- credentials ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)
    source: str                      # where they came from, for messages ("credsStore 'pass'")
    identity_token: str | None = field(default=None, repr=False)

    def basic(self) -> str:
        raw = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")


def docker_config_path(docker_config_dir: Path | None = None) -> Path:
    if docker_config_dir is not None:
        return Path(docker_config_dir) / "config.json"
    env = os.environ.get("DOCKER_CONFIG")
    if env:
        return Path(env).expanduser() / "config.json"
    return Path.home() / ".docker" / "config.json"


def _normalize_server(key: str) -> str:
    """``https://registry.example.com/v1/`` -> ``registry.example.com``: config keys come in many spellings."""
    key = key.strip().lower()
    if "://" in key:
        key = key.split("://", 1)[1]
    key = key.split("/", 1)[0]
    if key in ("index.docker.io", "registry-1.docker.io"):
        key = DOCKER_HUB
    return key


def load_credentials(registry: str, docker_config_dir: Path | None = None) -> Credentials | None:
    """Credentials for ``registry`` as the Docker client finds them, or None (anonymous)."""
    path = docker_config_path(docker_config_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as e:
        raise ReaderError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        config = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as e:
        raise ReaderError(f"{path}:{e.lineno}: invalid JSON: {e.msg}") from None
    if not isinstance(config, dict):
        raise ReaderError(f"{path}: not a JSON object")

    server = _normalize_server(registry)
    helpers = config.get("credHelpers") or {}
    if isinstance(helpers, dict):
        for key, helper in sorted(helpers.items()):
            if isinstance(helper, str) and helper and _normalize_server(key) == server:
                found = _from_helper(helper, registry, f"credHelpers {helper!r} in {path}")
                if found is not None:
                    return found
    store = config.get("credsStore")
    if isinstance(store, str) and store:
        found = _from_helper(store, registry, f"credsStore {store!r} in {path}")
        if found is not None:
            return found
    auths = config.get("auths") or {}
    if isinstance(auths, dict):
        for key, entry in sorted(auths.items()):
            if _normalize_server(key) == server and isinstance(entry, dict):
                found = _from_auth_entry(entry, f"auths[{key!r}] in {path}")
                if found is not None:
                    return found
    return None


def _from_auth_entry(entry: Mapping[str, object], source: str) -> Credentials | None:
    username = entry.get("username")
    password = entry.get("password")
    token = entry.get("identitytoken")
    auth = entry.get("auth")
    if isinstance(auth, str) and auth:
        try:
            decoded = base64.b64decode(auth + "=" * (-len(auth) % 4), validate=False).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise ReaderError(f"{source}: 'auth' is not base64 of user:password") from None
        if ":" not in decoded:
            raise ReaderError(f"{source}: 'auth' is not base64 of user:password")
        username, password = decoded.split(":", 1)
    if isinstance(token, str) and token:
        register_secret(token)
        return Credentials(str(username or "<token>"), str(password or ""), source, identity_token=token)
    if isinstance(username, str) and username and isinstance(password, str):
        register_secret(password)
        return Credentials(username, password, source)
    return None


def _from_helper(name: str, registry: str, source: str) -> Credentials | None:
    """Ask ``docker-credential-<name> get``, as the Docker client does; "not found" means anonymous."""
    program = f"docker-credential-{name}"
    exe = shutil.which(program)
    if exe is None:
        raise ReaderError(f"credential helper {program} ({source}) is not on PATH")
    server = _normalize_server(registry)
    # `docker login` stores the Hub under its legacy URL and other registries under the name as typed;
    # some helpers were filled with an https:// prefix, so that spelling is asked for as well.
    keys = [DOCKER_HUB_AUTH_KEY] if server == DOCKER_HUB else [registry, f"https://{registry}"]
    for key in keys:
        try:
            proc = subprocess.run([exe, "get"], input=key.encode(), capture_output=True, timeout=30,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise ReaderError(f"credential helper {program} did not answer within 30s") from None
        except OSError as e:
            raise ReaderError(f"credential helper {program} cannot run: {e.strerror or e}") from None
        out = proc.stdout.decode("utf-8", "replace").strip()
        if proc.returncode != 0:
            if "credentials not found" in out.lower() or "credentials not found" in proc.stderr.decode(
                    "utf-8", "replace").lower():
                continue
            why = (proc.stderr.decode("utf-8", "replace").strip() or out or f"exit {proc.returncode}")
            raise ReaderError(f"credential helper {program} failed: {why.splitlines()[0][:200]}")
        try:
            answer = json.loads(out)
            username, secret = answer["Username"], answer["Secret"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ReaderError(f"credential helper {program} answered something other than "
                              "{\"Username\", \"Secret\"} JSON") from None
        if not isinstance(username, str) or not isinstance(secret, str):
            raise ReaderError(f"credential helper {program}: Username and Secret must be strings")
        register_secret(secret)
        if username == "<token>":
            # The helper holds an identity (refresh) token, exchanged at the token service (OAuth2).
            return Credentials(username, "", source, identity_token=secret)
        return Credentials(username, secret, source)
    return None


# -- WWW-Authenticate ----------------------------------------------------------------------------------------

_CHALLENGE_PARAM = re.compile(r'\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?')


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """``Bearer realm="https://auth/token",service="reg",scope="repository:a/b:pull"`` -> (scheme, params)."""
    header = header.strip()
    scheme, _, rest = header.partition(" ")
    params: dict[str, str] = {}
    pos = 0
    while pos < len(rest):
        m = _CHALLENGE_PARAM.match(rest, pos)
        if not m:
            break
        value = m.group(2) if m.group(2) is not None else m.group(3)
        params[m.group(1).lower()] = re.sub(r"\\(.)", r"\1", value)
        pos = m.end()
    return scheme.lower(), params


# -- HTTP ----------------------------------------------------------------------------------------------------


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


class _Response:
    """An HTTP response that owns its connection; closing it closes both."""

    def __init__(self, conn: http.client.HTTPConnection, resp: http.client.HTTPResponse, url: str):
        self.conn, self.resp, self.url = conn, resp, url
        self.status = resp.status

    def header(self, name: str) -> str | None:
        return self.resp.getheader(name)

    def read_limited(self, limit: int, what: str) -> bytes:
        try:
            data = self.resp.read(limit + 1)
        except (OSError, http.client.HTTPException) as e:
            raise ReaderError(f"{what}: connection failed while reading: {_describe_oserror(e)}") from None
        if len(data) > limit:
            raise ReaderError(f"{what}: answer larger than {limit} bytes")
        return data

    def close(self) -> None:
        try:
            self.resp.close()
        finally:
            self.conn.close()


def _describe_oserror(e: BaseException) -> str:
    if isinstance(e, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({e.verify_message}); SSL_CERT_FILE can name a private CA"
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, socket.gaierror):
        return "host name not found"
    if isinstance(e, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(e, http.client.IncompleteRead):
        return "connection closed before the end of the answer"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__


def _registry_error(resp: _Response) -> str:
    """The first error of a registry's JSON error body, as ``CODE: message``, or the HTTP status."""
    try:
        body = json.loads(resp.read_limited(64 * 1024, "error answer"))
        err = body["errors"][0]
        code, message = str(err.get("code", "")), str(err.get("message", ""))
        return f"{code}: {message}"[:200] if code else message[:200]
    except (ReaderError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return f"HTTP {resp.status}"


class _VerifyingReader(io.RawIOBase):
    """Streams a blob and checks its digest once the stream ends; a mismatch raises at EOF."""

    def __init__(self, response: _Response, digest: str, description: str):
        super().__init__()
        self._response = response
        algo, _, self._expected = digest.partition(":")
        self._hash = hashlib.new(algo)
        self._digest = digest
        self._what = description
        self._eof = False
        self.size = 0
        length = response.header("Content-Length")
        self._length = int(length) if length and length.isdigit() else None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._eof:
            return 0
        try:
            n = self._response.resp.readinto(buffer)
        except (OSError, http.client.HTTPException) as e:
            raise ReaderError(f"{self._what}: download failed: {_describe_oserror(e)}") from None
        if n:
            self._hash.update(memoryview(buffer)[:n])
            self.size += n
            return n
        self._eof = True
        # http.client ends a body cut short by the server as if it were complete; the length tells.
        if self._length is not None and self.size < self._length:
            raise ReaderError(f"{self._what}: download failed: connection closed after {self.size} of "
                              f"{self._length} bytes")
        got = self._hash.hexdigest()
        if got != self._expected:
            raise ReaderError(f"{self._what}: digest mismatch: the registry sent content with "
                              f"{self._hash.name}:{got[:12]}..., not {self._digest}")
        return 0

    def verify_rest(self) -> None:
        """Read what is left and check the digest: for a caller that stopped early but must trust the blob."""
        while self.readinto(bytearray(1 << 16)):
            pass

    def close(self) -> None:
        if not self.closed:
            self._response.close()
        super().close()


class RegistryClient:
    """Reads manifests and blobs of one repository from a registry."""

    def __init__(self, reference: str, *, insecure: bool = False, docker_config_dir: Path | None = None,
                 timeout: float = DEFAULT_TIMEOUT):
        self.ref = parse_reference(reference)
        self.insecure = insecure
        self.timeout = timeout
        self._docker_config_dir = docker_config_dir
        host, _ = _split_host(self.ref.api_host)
        self.scheme = "http" if (insecure or is_loopback(host)) else "https"
        self.base = f"{self.scheme}://{self.ref.api_host}"
        self._authorization: str | None = None
        self._credentials: Credentials | None = None
        self._credentials_loaded = False
        self._ssl = ssl.create_default_context()
        # Checks may pull blobs from several threads; one of them answers a challenge at a time.
        self._auth_lock = threading.Lock()

    # -- public API ----------------------------------------------------------------------------------------

    def get_manifest(self, reference: str | None = None) -> tuple[str, bytes, str]:
        """(media type, raw bytes, digest) of a manifest or index; the digest is checked."""
        ref = reference or self.ref.manifest_ref
        if not (_DIGEST.match(ref) or _TAG.match(ref)):
            raise ReaderError(f"{ref!r} is neither a tag nor a sha256/sha512 digest")
        what = f"manifest {self._name(ref)}"
        resp = self._get(f"/v2/{self.ref.repository}/manifests/{ref}", what,
                         accept=", ".join(MANIFEST_TYPES))
        try:
            if resp.status == 404:
                raise ReaderError(f"{what} not found ({_registry_error(resp)})")
            if resp.status != 200:
                raise ReaderError(f"{what}: registry answered {_registry_error(resp)}")
            body = resp.read_limited(MAX_MANIFEST_BYTES, what)
            content_type = (resp.header("Content-Type") or "").split(";")[0].strip().lower()
            header_digest = resp.header("Docker-Content-Digest")
        finally:
            resp.close()
        media_type = _manifest_media_type(content_type, body, what)
        if _DIGEST.match(ref):
            expected = ref
        elif header_digest and _DIGEST.match(header_digest.strip()):
            expected = header_digest.strip()
        else:
            expected = "sha256:"
        algo = expected.split(":", 1)[0]
        digest = f"{algo}:{hashlib.new(algo, body).hexdigest()}"
        if expected != f"{algo}:" and digest != expected:
            raise ReaderError(f"{what}: digest mismatch: content is {digest[:19]}..., expected {expected}")
        return media_type, body, digest

    def open_blob(self, digest: str) -> BinaryIO:
        """A streaming reader of a blob; the digest is verified when the stream reaches its end."""
        if not _DIGEST.match(digest):
            raise ReaderError(f"{digest!r} is not a sha256/sha512 digest")
        what = f"blob {digest[:19]}... of {self.ref.registry}/{self.ref.repository}"
        resp = self._get(f"/v2/{self.ref.repository}/blobs/{digest}", what, follow_redirects=True)
        if resp.status != 200:
            try:
                if resp.status == 404:
                    raise ReaderError(f"{what} not found ({_registry_error(resp)})")
                raise ReaderError(f"{what}: registry answered {_registry_error(resp)}")
            finally:
                resp.close()
        return io.BufferedReader(_VerifyingReader(resp, digest, what), 1 << 16)  # type: ignore[return-value]

    def close(self) -> None:
        # Every response owns and closes its own connection; nothing is pooled.
        self._authorization = None

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests --------------------------------------------------------------------------------------------

    def _name(self, ref: str) -> str:
        sep = "@" if ref.startswith("sha") and ":" in ref else ":"
        return f"{self.ref.registry}/{self.ref.repository}{sep}{ref}"

    def _get(self, path: str, what: str, *, accept: str | None = None,
             follow_redirects: bool = False) -> _Response:
        url = self.base + path
        headers = {"Accept": accept} if accept else {}
        resp = self._send("GET", url, headers, self._authorization, what)
        if resp.status == 401:
            challenge = resp.header("WWW-Authenticate") or ""
            resp.close()
            stale = self._authorization
            with self._auth_lock:
                if self._authorization == stale:
                    self._authenticate(challenge, what)
            resp = self._send("GET", url, headers, self._authorization, what)
            if resp.status == 401:
                resp.close()
                creds = self._credentials
                if creds is None:
                    raise ReaderError(f"{what}: registry {self.ref.registry} requires credentials and none "
                                      "were found (docker login, or auths/credHelpers/credsStore in "
                                      f"{docker_config_path(self._docker_config_dir)})")
                raise ReaderError(f"{what}: registry {self.ref.registry} rejected the credentials of "
                                  f"user {creds.username!r} from {creds.source}")
        if resp.status == 403:
            resp.close()
            raise ReaderError(f"{what}: access denied by registry {self.ref.registry} (HTTP 403)")
        hops = 0
        while follow_redirects and resp.status in (301, 302, 303, 307, 308):
            location = resp.header("Location")
            resp.close()
            hops += 1
            if not location or hops > MAX_REDIRECTS:
                raise ReaderError(f"{what}: too many or empty redirects")
            url = urljoin(url, location)
            scheme, host, _ = _origin(url)
            if scheme not in ("http", "https"):
                raise ReaderError(f"{what}: redirected to an unsupported URL scheme {scheme!r}")
            if scheme == "http" and not (self.insecure or is_loopback(host)):
                raise ReaderError(f"{what}: redirected to plain HTTP at {host}; refused "
                                  "(set insecure = true to allow it)")
            # Credentials belong to the registry: storage hosts it redirects to get none (their URLs are
            # signed), and a hostile or compromised redirect cannot harvest them.
            same_origin = _origin(url) == _origin(self.base)
            resp = self._send("GET", url, {}, self._authorization if same_origin else None, what)
        return resp

    def _send(self, method: str, url: str, headers: dict[str, str], authorization: str | None,
              what: str, body: bytes | None = None) -> _Response:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
        conn: http.client.HTTPConnection
        # A socket operation waits no longer than the running check has left (reads between chunks stop at its
        # deadline too: preflight.deadline), and never more than the client's own timeout.
        left = deadline.remaining()
        timeout = self.timeout if left is None else max(0.1, min(self.timeout, left))
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=self._ssl)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        all_headers = {"User-Agent": USER_AGENT, **headers}
        if authorization:
            all_headers["Authorization"] = authorization
        try:
            conn.request(method, target, body=body, headers=all_headers)
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            where = parts.netloc
            raise ReaderError(f"{what}: cannot reach {where}: {_describe_oserror(e)}") from None
        return _Response(conn, resp, url)

    # -- authentication ----------------------------------------------------------------------------------

    def _creds(self) -> Credentials | None:
        if not self._credentials_loaded:
            self._credentials = load_credentials(self.ref.registry, self._docker_config_dir)
            self._credentials_loaded = True
        return self._credentials

    def _authenticate(self, challenge: str, what: str) -> None:
        scheme, params = parse_challenge(challenge)
        creds = self._creds()
        if scheme == "basic":
            if creds is None or creds.identity_token:
                raise ReaderError(f"{what}: registry {self.ref.registry} requires a user name and password "
                                  "and none were found (docker login, or auths/credHelpers/credsStore in "
                                  f"{docker_config_path(self._docker_config_dir)})")
            self._authorization = creds.basic()
            register_secret(self._authorization.split(" ", 1)[1])
            return
        if scheme == "bearer":
            self._authorization = "Bearer " + self._fetch_token(params, creds, what)
            return
        raise ReaderError(f"{what}: registry {self.ref.registry} asks for authentication "
                          f"{challenge.split(' ', 1)[0] or '(no WWW-Authenticate challenge)'!r}, "
                          "which preflight cannot answer (Basic and Bearer are supported)")

    def _fetch_token(self, params: dict[str, str], creds: Credentials | None, what: str) -> str:
        realm = params.get("realm")
        if not realm:
            raise ReaderError(f"{what}: the registry's Bearer challenge names no token realm")
        scheme, host, _ = _origin(realm)
        if scheme not in ("http", "https"):
            raise ReaderError(f"{what}: token realm {realm!r} is not an HTTP(S) URL")
        if scheme == "http" and creds is not None and not (self.insecure or is_loopback(host)):
            raise ReaderError(f"{what}: refusing to send credentials to the plain-HTTP token realm {host}")
        scope = params.get("scope") or f"repository:{self.ref.repository}:pull"
        service = params.get("service")
        token_what = f"token for {self.ref.registry}/{self.ref.repository} from {host}"
        if creds is not None and creds.identity_token:
            # OAuth2 refresh-token grant: the "<token>" user of `docker login` holds one, not a password.
            form = {"grant_type": "refresh_token", "refresh_token": creds.identity_token,
                    "client_id": "preflight", "scope": scope}
            if service:
                form["service"] = service
            resp = self._send("POST", realm, {"Content-Type": "application/x-www-form-urlencoded"}, None,
                              token_what, body=urlencode(form).encode())
        else:
            query = {"scope": scope}
            if service:
                query["service"] = service
            sep = "&" if urlsplit(realm).query else "?"
            resp = self._send("GET", realm + sep + urlencode(query), {},
                              creds.basic() if creds is not None else None, token_what)
        try:
            if resp.status in (401, 403):
                if creds is None:
                    raise ReaderError(f"{token_what}: the token service requires credentials and none were "
                                      "found (docker login, or auths/credHelpers/credsStore in "
                                      f"{docker_config_path(self._docker_config_dir)})")
                raise ReaderError(f"{token_what}: the token service rejected the credentials of user "
                                  f"{creds.username!r} from {creds.source} (HTTP {resp.status})")
            if resp.status != 200:
                raise ReaderError(f"{token_what}: the token service answered HTTP {resp.status}")
            raw = resp.read_limited(MAX_TOKEN_BYTES, token_what)
        finally:
            resp.close()
        try:
            answer = json.loads(raw)
            token = answer.get("token") or answer.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise ReaderError(f"{token_what}: the token service's answer holds no token")
        register_secret(token)
        return token


def _manifest_media_type(content_type: str, body: bytes, what: str) -> str:
    """The manifest's media type: the Content-Type when it is a manifest type, else the document's own
    ``mediaType``, else its shape (an OCI manifest or index may omit ``mediaType``)."""
    if content_type in MANIFEST_TYPES:
        return content_type
    try:
        doc = json.loads(body)
    except ValueError:
        raise ReaderError(f"{what}: not JSON (Content-Type {content_type or 'missing'})") from None
    if not isinstance(doc, dict):
        raise ReaderError(f"{what}: not a JSON object")
    declared = doc.get("mediaType")
    if isinstance(declared, str) and declared:
        if declared in MANIFEST_TYPES:
            return declared
        raise ReaderError(f"{what}: unsupported manifest media type {declared!r} (preflight reads OCI and "
                          "Docker v2 schema 2 manifests and indexes)")
    if content_type and content_type not in ("application/json", "text/plain", "application/octet-stream"):
        raise ReaderError(f"{what}: unsupported manifest media type {content_type!r} (preflight reads OCI "
                          "and Docker v2 schema 2 manifests and indexes)")
    if doc.get("schemaVersion") == 2 and isinstance(doc.get("manifests"), list):
        return OCI_INDEX
    if doc.get("schemaVersion") == 2 and isinstance(doc.get("layers"), list) and "config" in doc:
        return OCI_MANIFEST
    raise ReaderError(f"{what}: unrecognised manifest (no media type; schema 1 manifests are not supported)")


__all__ = [
    "DOCKER_MANIFEST", "DOCKER_MANIFEST_LIST", "MANIFEST_TYPES", "OCI_INDEX", "OCI_MANIFEST", "Credentials",
    "Reference", "RegistryClient", "is_loopback", "load_credentials", "parse_challenge", "parse_reference",
]
