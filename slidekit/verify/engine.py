"""Connecting to the Docker Engine, and saying clearly when there is none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Generous: the classic builder answers a build request only when it is done.
DEFAULT_TIMEOUT = 3600


@dataclass(frozen=True)
class Engine:
    """A connected docker SDK client, or the reason there is none."""

    client: Any | None
    message: str = ""

    @property
    def available(self) -> bool:
        return self.client is not None


def connect(timeout: int = DEFAULT_TIMEOUT) -> Engine:
    """Connect using the usual environment (DOCKER_HOST, DOCKER_TLS_VERIFY, ...) and ping."""
    try:
        import docker

        client = docker.from_env(timeout=timeout)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - every failure here means "no engine"
        return Engine(None, describe_failure(exc))
    return Engine(client)


def describe_failure(exc: BaseException) -> str:
    """One line for the user: what failed and the usual remedy."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if len(text) > 200:
        text = text[:200] + "…"
    return (
        f"{text} (start dockerd, or point DOCKER_HOST at a running engine)"
    )


def local_image_ids(refs: list[str], timeout: float = 2.0) -> dict[str, str | None] | None:
    """Image ids of ``refs`` straight from a local engine's UNIX socket, without
    the docker SDK (whose import alone costs more than a cached verify).

    None when DOCKER_HOST is not a UNIX socket or the engine does not answer;
    a ref that is not a local image maps to None (nothing is pulled).
    """
    import http.client
    import json
    import os
    import socket
    from urllib.parse import quote

    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        return None
    path = host[len("unix://"):]

    class _Conn(http.client.HTTPConnection):
        def connect(self) -> None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(path)

    out: dict[str, str | None] = {}
    try:
        conn = _Conn("localhost", timeout=timeout)
        for ref in refs:
            conn.request("GET", f"/images/{quote(ref, safe='')}/json")
            response = conn.getresponse()
            body = response.read()
            out[ref] = str(json.loads(body)["Id"]) if response.status == 200 else None
        conn.close()
    except (OSError, ValueError, KeyError, http.client.HTTPException):
        return None
    return out
