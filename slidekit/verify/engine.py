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
    the docker SDK (whose import alone costs more than a cached verify) or
    http.client (~25 ms of imports): one HTTP/1.0 request per image, so the
    engine answers with a plain body and closes the connection.

    A ref that is not a local image (HTTP 404) maps to None (nothing is pulled).
    None, so that the caller takes the SDK path, on anything else: DOCKER_HOST
    not a UNIX socket, no answer in time, a status other than 200/404, a body
    that is not one JSON object with a ``sha256:`` Id (e.g. a chunked answer
    from a proxy in front of the socket).
    """
    import json
    import os
    import socket
    from urllib.parse import quote

    host = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"  # empty = unset, as for the SDK
    if not host.startswith("unix://"):
        return None
    path = host[len("unix://"):]
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
