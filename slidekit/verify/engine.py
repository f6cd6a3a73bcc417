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
