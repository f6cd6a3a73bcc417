"""Which Docker Engine to talk to, and the one place docker SDK clients are made.

Selection follows the docker CLI (first match wins):

1. ``--engine NAME|URL``: a context name (``default`` included), or an engine URL
   (``unix://``, ``tcp://``, ``ssh://``; TLS for ``tcp://`` from the environment as below);
2. ``DOCKER_HOST``: ``unix://PATH``, ``tcp://HOST:PORT`` (TLS when ``DOCKER_TLS_VERIFY`` or
   ``DOCKER_TLS`` is set: ``ca.pem``, ``cert.pem``, ``key.pem`` from ``DOCKER_CERT_PATH``,
   default ``~/.docker``), ``ssh://[USER@]HOST`` (through the ``ssh`` program);
3. ``DOCKER_CONTEXT``: a context name;
4. ``currentContext`` in ``$DOCKER_CONFIG/config.json`` (default ``~/.docker/config.json``);
5. the default socket, ``unix:///var/run/docker.sock``.

A context NAME other than ``default`` is read from
``$DOCKER_CONFIG/contexts/meta/<sha256 of NAME>/meta.json`` (``Endpoints.docker.Host`` and
``SkipTLSVerify``), with its TLS material in
``$DOCKER_CONFIG/contexts/tls/<sha256 of NAME>/docker/{ca,cert,key}.pem``: the layout
``docker context create`` writes.

:func:`resolve_engine` is pure (environment and file contents in, an :class:`EngineSpec`
out); :func:`open_client` is the only function that creates a docker SDK client.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slidekit.errors import SlidekitError

#: Generous: the classic builder answers a build request only when it is done.
DEFAULT_TIMEOUT = 3600
DEFAULT_HOST = "unix:///var/run/docker.sock"
SCHEMES = ("unix://", "tcp://", "ssh://", "npipe://", "http://", "https://")

#: Reads a file's text; None when it does not exist or cannot be read.
ReadText = Callable[[str], "str | None"]


class EngineSelectionError(SlidekitError):
    """The selected engine cannot be resolved (unknown context, malformed URL or config): exit 2."""


@dataclass(frozen=True)
class TlsSettings:
    """TLS towards a ``tcp://`` engine: certificate files (paths) and whether to verify the server."""

    verify: bool = True
    ca_cert: str | None = None
    client_cert: str | None = None
    client_key: str | None = None


@dataclass(frozen=True)
class EngineSpec:
    """The engine the user selected.

    ``name``: the context's name (``default`` for the environment/default socket), or the
    URL itself when ``--engine`` gave one; ``source``: what selected it (``--engine``,
    ``DOCKER_HOST``, ``DOCKER_CONTEXT``, ``config.json``, ``default``).
    """

    name: str
    base_url: str
    tls: TlsSettings | None = None
    source: str = "default"

    @property
    def label(self) -> str:
        """What reports show: ``NAME (URL)``, or just the URL when the name is the URL."""
        return self.base_url if self.name == self.base_url else f"{self.name} ({self.base_url})"

    @property
    def unix_socket(self) -> str | None:
        return self.base_url[len("unix://"):] if self.base_url.startswith("unix://") else None


# --------------------------------------------------------------------------- resolution (pure)


def config_dir(env: Mapping[str, str]) -> str:
    """``$DOCKER_CONFIG``, else ``~/.docker`` (``$HOME``)."""
    if env.get("DOCKER_CONFIG"):
        return env["DOCKER_CONFIG"]
    return os.path.join(env.get("HOME") or os.path.expanduser("~"), ".docker")


def context_id(name: str) -> str:
    """The folder name the docker CLI stores a context under: sha256 of its name, in hex."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def resolve_engine(selection: str | None, env: Mapping[str, str], read: ReadText) -> EngineSpec:
    """The engine to use, as the docker CLI would pick it (see the module docstring).

    ``selection`` is ``--engine`` (None: not given); ``env`` the environment; ``read``
    returns a file's text or None. Raises :class:`EngineSelectionError`.
    """
    if selection:
        if "://" in selection:
            return _from_url(selection, selection, env, read, "--engine")
        return _context(selection, env, read, "--engine")
    if env.get("DOCKER_HOST"):
        return _from_url("default", env["DOCKER_HOST"], env, read, "DOCKER_HOST")
    if env.get("DOCKER_CONTEXT"):
        return _context(env["DOCKER_CONTEXT"], env, read, "DOCKER_CONTEXT")
    current = _current_context(env, read)
    if current:
        return _context(current, env, read, "config.json")
    return EngineSpec("default", DEFAULT_HOST)


def _from_url(name: str, url: str, env: Mapping[str, str], read: ReadText, source: str) -> EngineSpec:
    if not url.startswith(SCHEMES):
        raise EngineSelectionError(f"{source}: {url!r} is not an engine URL (unix://PATH, tcp://HOST:PORT or ssh://[USER@]HOST)")
    if not url.split("://", 1)[1].strip("/"):
        raise EngineSelectionError(f"{source}: {url!r} names no host or socket")
    tls = _env_tls(env, read) if url.startswith(("tcp://", "https://")) else None
    return EngineSpec(name, url, tls, source)


def _env_tls(env: Mapping[str, str], read: ReadText) -> TlsSettings | None:
    """TLS from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH (any non-empty value turns it on)."""
    verify = bool(env.get("DOCKER_TLS_VERIFY"))
    if not verify and not env.get("DOCKER_TLS"):
        return None
    folder = env.get("DOCKER_CERT_PATH") or config_dir(env)
    return _tls_files(folder, verify, read)


def _tls_files(folder: str, verify: bool, read: ReadText) -> TlsSettings:
    ca, cert, key = (os.path.join(folder, f"{n}.pem") for n in ("ca", "cert", "key"))
    has = {path: read(path) is not None for path in (ca, cert, key)}
    client = has[cert] and has[key]
    return TlsSettings(verify, ca if has[ca] else None, cert if client else None, key if client else None)


def _current_context(env: Mapping[str, str], read: ReadText) -> str | None:
    path = os.path.join(config_dir(env), "config.json")
    text = read(path)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise EngineSelectionError(f"not valid JSON: {exc}", path) from None
    current = data.get("currentContext") if isinstance(data, dict) else None
    return current if isinstance(current, str) and current else None


def _context(name: str, env: Mapping[str, str], read: ReadText, source: str) -> EngineSpec:
    if name == "default":  # the built-in context: DOCKER_HOST (and its TLS variables), else the socket
        host = env.get("DOCKER_HOST") or DEFAULT_HOST
        return _from_url("default", host, env, read, source)
    ident = context_id(name)
    base = config_dir(env)
    path = os.path.join(base, "contexts", "meta", ident, "meta.json")
    text = read(path)
    if text is None:
        raise EngineSelectionError(f"{source}: no docker context named {name!r} (no {path}; see `docker context ls`)")
    try:
        meta = json.loads(text)
        endpoint = meta["Endpoints"]["docker"]
        host = endpoint["Host"]
    except (ValueError, KeyError, TypeError):
        raise EngineSelectionError(f"docker context {name!r}: no Endpoints.docker.Host", path) from None
    if not isinstance(host, str) or not host.startswith(SCHEMES):
        raise EngineSelectionError(f"docker context {name!r}: {host!r} is not an engine URL", path)
    skip_verify = bool(endpoint.get("SkipTLSVerify")) if isinstance(endpoint, dict) else False
    tls = None
    if host.startswith(("tcp://", "https://")):
        folder = os.path.join(base, "contexts", "tls", ident, "docker")
        files = _tls_files(folder, not skip_verify, read)
        if files.ca_cert or files.client_cert or skip_verify:
            tls = files
    return EngineSpec(name, host, tls, source)


def read_file(path: str) -> str | None:
    """The real file system for :func:`resolve_engine`."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def selected_engine(selection: str | None = None) -> EngineSpec:
    """:func:`resolve_engine` on this process's environment and files."""
    return resolve_engine(selection, os.environ, read_file)


# --------------------------------------------------------------------------- the client factory


def open_client(spec: EngineSpec, timeout: int = DEFAULT_TIMEOUT) -> Any:
    """A ``docker.DockerClient`` for ``spec`` (its low-level ``APIClient`` is ``.api``).
    Every docker SDK client slidekit uses is made here. The SDK asks the engine its API
    version on the way (so this raises when the engine does not answer)."""
    import docker
    from docker.constants import MINIMUM_DOCKER_API_VERSION
    from docker.tls import TLSConfig

    tls: Any = False
    if spec.tls is not None:
        cert = (spec.tls.client_cert, spec.tls.client_key) if spec.tls.client_cert and spec.tls.client_key else None
        ca = spec.tls.ca_cert if spec.tls.verify else None  # verify without ca.pem: the system's CAs
        tls = TLSConfig(client_cert=cert, ca_cert=ca, verify=spec.tls.verify)
    # The API version is asked for below, once the session is set up (the SDK would ask in the constructor).
    client = docker.DockerClient(base_url=spec.base_url, tls=tls, timeout=timeout, version=MINIMUM_DOCKER_API_VERSION,
                                 use_ssh_client=spec.base_url.startswith("ssh://"))
    if spec.tls is not None:
        _keep_tls_verify(client.api)
    client.api._version = client.api.version(api_version=False)["ApiVersion"]  # type: ignore[attr-defined]  # the SDK's own "auto"
    return client


def _keep_tls_verify(session: Any) -> None:
    """requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace a session's ``verify`` on
    every request (psf/requests#3829), so the engine's own CA (ca.pem) would be ignored
    whenever those are set; keep the session's setting (the proxy variables still apply)."""
    merge = session.merge_environment_settings

    def merged(url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        settings = merge(url, proxies, stream, verify, cert)
        settings["verify"] = session.verify if verify is None else verify
        return settings

    session.merge_environment_settings = merged


@dataclass(frozen=True)
class Engine:
    """A connected docker SDK client, or the reason there is none; ``spec`` says which engine."""

    client: Any | None
    message: str = ""
    spec: EngineSpec | None = None

    @property
    def available(self) -> bool:
        return self.client is not None


def connect(spec: EngineSpec | None = None, timeout: int = DEFAULT_TIMEOUT) -> Engine:
    """Connect to ``spec`` (None: the selection from the environment, :func:`selected_engine`) and ping."""
    spec = spec or selected_engine()
    if spec.base_url.startswith("ssh://") and importlib.util.find_spec("paramiko") is None:
        return Engine(None, f"engine {spec.label}: ssh:// engines need the docker SDK's ssh support: "
                            "pip install 'slidekit[ssh]' (and an `ssh` that reaches the host)", spec)
    try:
        client = open_client(spec, timeout)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - every failure here means "no engine"
        return Engine(None, describe_failure(exc, spec), spec)
    return Engine(client, "", spec)


def describe_failure(exc: BaseException, spec: EngineSpec | None = None) -> str:
    """One line for the user: what failed, on which engine, and the usual remedy."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if len(text) > 200:
        text = text[:200] + "…"
    where = f"engine {spec.label}: " if spec is not None else ""
    return f"{where}{text} (start dockerd, or select a running engine: --engine, DOCKER_HOST, DOCKER_CONTEXT)"


# --------------------------------------------------------------------------- warm path


def local_image_ids(refs: list[str], spec: EngineSpec | None = None, timeout: float = 2.0) -> dict[str, str | None] | None:
    """Image ids of ``refs`` straight from the selected engine's UNIX socket, without
    the docker SDK (whose import alone costs more than a cached verify) or
    http.client (~25 ms of imports): one HTTP/1.0 request per image, so the
    engine answers with a plain body and closes the connection.

    A ref that is not a local image (HTTP 404) maps to None (nothing is pulled).
    None, so that the caller takes the SDK path (which talks to any engine), on
    anything else: the engine not on a UNIX socket (``tcp://``, ``ssh://``), no answer
    in time, a status other than 200/404, a body that is not one JSON object with a
    ``sha256:`` Id (e.g. a chunked answer from a proxy in front of the socket).
    """
    import socket
    from urllib.parse import quote

    path = (spec or selected_engine()).unix_socket
    if path is None:
        return None
    out: dict[str, str | None] = {}
    try:
        for ref in refs:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(timeout)
                sock.connect(path)
                sock.sendall(f"GET /images/{quote(ref, safe='')}/json HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
                chunks = []
                while data := sock.recv(65536):
                    chunks.append(data)
            head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1."):
                return None
            status = int(head.split(b" ", 2)[1])
            if status == 404:
                out[ref] = None
                continue
            image_id = json.loads(body)["Id"] if status == 200 else None
            if not isinstance(image_id, str) or not image_id.startswith("sha256:"):
                return None
            out[ref] = image_id
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None
    return out
