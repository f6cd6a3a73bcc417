"""Building with BuildKit through the Engine API: ``POST /build?version=2``, no buildx, no session.

The context tar is the request body; the engine answers with JSON lines whose
``moby.buildkit.trace`` entries are protobuf ``StatusResponse`` messages
(:mod:`slidekit.verify.trace`). :class:`BuildKitBuilder` follows them into
:class:`TraceOutcome` (every vertex with its times, cache hit, error and log);
:mod:`slidekit.verify.trace_map` maps vertices back to stages and deck lines.

All I/O goes through the docker SDK's low-level ``APIClient`` of the client
:func:`slidekit.verify.engine.connect` made. Several builds may run at once
(one per thread); :meth:`BuildKitBuilder.abort` closes every open stream, which
makes the engine cancel those solves (BuildKit runs steps without engine
containers, and only the exporter creates an image, so nothing is left
behind; its build cache is not an image).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import docker.errors

from slidekit.verify.build import LABEL, TAIL_LINES, DockerSdkBuilder
from slidekit.verify.trace import TRACE_ID, TraceUpdate, decode

#: BuildKit is in the engine since API 1.39 (Docker 18.09).
MIN_API = (1, 39)


@dataclass(frozen=True)
class TargetRequest:
    """One BuildKit build: the context (with the Dockerfile in it), the image tag to give the result."""

    context: bytes
    dockerfile: str
    tag: str
    nocache: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VertexRecord:
    """One vertex of the build graph as the trace left it."""

    digest: str
    name: str
    cached: bool = False
    started: float | None = None
    completed: float | None = None
    error: str = ""
    log: tuple[str, ...] = ()

    @property
    def seconds(self) -> float:
        if self.started is None or self.completed is None:
            return 0.0
        return max(self.completed - self.started, 0.0)


@dataclass(frozen=True)
class TraceOutcome:
    vertexes: tuple[VertexRecord, ...]
    error: str | None = None
    image_id: str | None = None
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()


#: Called for each vertex update (started, completed): the presenter and the progress display.
VertexCallback = Callable[[VertexRecord], None]


class TraceState:
    """Accumulates decoded ``StatusResponse`` updates into vertex records (pure)."""

    def __init__(self, on_vertex: VertexCallback | None = None) -> None:
        self.on_vertex = on_vertex
        self.vertexes: dict[str, VertexRecord] = {}
        self.logs: dict[str, list[str]] = {}
        self.partial: dict[str, str] = {}
        self.warnings: list[str] = []
        self.error: str | None = None
        self.image_id: str | None = None

    def feed(self, event: Mapping[str, Any]) -> None:
        if event.get("id") == TRACE_ID and isinstance(event.get("aux"), str):
            self.update(decode(event["aux"]))
        elif "errorDetail" in event or "error" in event:
            detail = event.get("errorDetail") or {}
            self.error = str(detail.get("message") or event.get("error") or "build failed").strip()
        elif event.get("id") == "moby.image.id" and isinstance(event.get("aux"), Mapping):
            self.image_id = str(event["aux"].get("ID") or "") or None

    def update(self, update: TraceUpdate) -> None:
        for log in update.logs:
            text = self.partial.pop(log.vertex, "") + log.data.decode("utf-8", "replace")
            *lines, rest = text.split("\n")
            self.logs.setdefault(log.vertex, []).extend(line.rstrip("\r") for line in lines)
            if rest:
                self.partial[log.vertex] = rest
        self.warnings.extend(w.short for w in update.warnings)
        for vertex in update.vertexes:
            previous = self.vertexes.get(vertex.digest)
            record = VertexRecord(
                vertex.digest, vertex.name, vertex.cached or (previous.cached if previous else False),
                vertex.started if vertex.started is not None else (previous.started if previous else None),
                vertex.completed if vertex.completed is not None else (previous.completed if previous else None),
                vertex.error or (previous.error if previous else ""),
            )
            self.vertexes[vertex.digest] = record
            if self.on_vertex is not None and record != previous:
                self.on_vertex(record)

    def outcome(self, seconds: float) -> TraceOutcome:
        records = []
        for digest, record in self.vertexes.items():
            lines = self.logs.get(digest, []) + ([self.partial[digest]] if digest in self.partial else [])
            records.append(VertexRecord(record.digest, record.name, record.cached, record.started, record.completed,
                                        record.error, tuple(lines[-TAIL_LINES:])))
        return TraceOutcome(tuple(records), self.error, self.image_id, seconds, tuple(self.warnings))


def supports_buildkit(api: Any) -> bool:
    """Whether the engine builds with BuildKit through ``/build?version=2``.

    ``/_ping``'s ``Builder-Version`` header says which builder the engine
    prefers: ``2`` is BuildKit, ``1`` means its administrator chose the classic
    builder (honoured). Without the header (Docker 20.10's default daemon), a
    Linux engine with API >= 1.39 has BuildKit built in.
    """
    try:
        response = api._get(api._url("/_ping"))
        header = response.headers.get("Builder-Version", "")
        if header:
            return header.strip() == "2"
        version = api.version()
    except docker.errors.DockerException:
        return False
    except OSError:
        return False
    if str(version.get("Os", "linux")).lower() != "linux":
        return False
    try:
        major, minor = (int(x) for x in str(version.get("ApiVersion", "0.0")).split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= MIN_API


class BuildKitBuilder(DockerSdkBuilder):
    """Builds targets with BuildKit; base images are resolved as the classic builder does."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self._lock = threading.Lock()
        self._open: set[Any] = set()
        self._aborted = threading.Event()
        self._engine_version: str | None = None

    @property
    def engine_version(self) -> str:
        """The engine's version (``/version``), which says what its built-in Dockerfile frontend parses."""
        if self._engine_version is None:
            try:
                self._engine_version = str(self.api.version().get("Version", ""))
            except docker.errors.DockerException:
                self._engine_version = ""
        return self._engine_version

    def build_target(self, request: TargetRequest, on_vertex: VertexCallback | None = None) -> TraceOutcome:
        """Build ``request``; failures come back in the outcome, not as exceptions.

        The tag's previous image, when the build moves the tag, is removed if
        nothing else tags it (as the classic path does), so no dangling image remains.
        """
        state = TraceState(on_vertex)
        started = time.monotonic()
        previous = self._tagged(request.tag)
        try:
            for event in self._stream(request):
                state.feed(event)
        except docker.errors.APIError as exc:
            state.error = str(exc.explanation or exc)
        except (OSError, ValueError) as exc:  # the stream was closed (abort) or broke
            if self._aborted.is_set():
                raise KeyboardInterrupt from exc
            state.error = f"the engine's build stream broke: {exc}"
        outcome = state.outcome(time.monotonic() - started)
        if outcome.error is None:
            image = outcome.image_id or self._tagged(request.tag)
            outcome = TraceOutcome(outcome.vertexes, None, image, outcome.seconds, outcome.warnings)
            if previous is not None and previous != image:
                self._remove_if_untagged(previous)
        return outcome

    def _stream(self, request: TargetRequest) -> Iterator[Mapping[str, Any]]:
        api = self.api
        params = {
            "version": "2", "t": request.tag, "dockerfile": request.dockerfile, "rm": "1", "forcerm": "1",
            "labels": json.dumps({LABEL: " ".join(request.labels.values()) or "1"}),
        }
        if request.nocache:
            params["nocache"] = "1"
        if self._aborted.is_set():
            raise KeyboardInterrupt
        response = api._post(api._url("/build"), params=params, data=request.context,
                             headers={"Content-Type": "application/x-tar"}, stream=True, timeout=None)
        with self._lock:
            self._open.add(response)
        try:
            api._raise_for_status(response)
            yield from api._stream_helper(response, decode=True)
        finally:
            with self._lock:
                self._open.discard(response)
            response.close()

    def abort(self) -> None:
        """Close every open build stream (Ctrl-C): the engine cancels those builds."""
        self._aborted.set()
        with self._lock:
            responses = list(self._open)
        for response in responses:
            with contextlib.suppress(Exception):  # closing a broken stream is best effort
                response.raw.close()
                response.close()

    def _tagged(self, tag: str) -> str | None:
        try:
            return str(self.api.inspect_image(tag)["Id"])
        except docker.errors.DockerException:
            return None
