"""BuildKit's build trace, decoded with protobuf: ``moby.buildkit.v1.StatusResponse``.

``POST /build?version=2`` streams JSON lines; progress comes as
``{"id": "moby.buildkit.trace", "aux": "<base64>"}``, each ``aux`` one
serialized ``StatusResponse`` (see ``buildkit_status.proto`` next to this
file: BuildKit's field names and numbers). The descriptors are built here at
runtime from a ``FileDescriptorProto`` (no generated code, so no pinned
protobuf runtime version); ``google.protobuf.Timestamp`` is protobuf's own.

:func:`decode` turns one ``aux`` value into plain frozen values
(:class:`TraceUpdate`); times are seconds since the epoch (float), None when
the engine did not set them.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from google.protobuf import (
    descriptor_pb2,
    descriptor_pool,
    message_factory,
    timestamp_pb2,
)

PACKAGE = "moby.buildkit.v1"
TRACE_ID = "moby.buildkit.trace"

_F = descriptor_pb2.FieldDescriptorProto
_STRING, _BOOL, _INT64, _BYTES, _MESSAGE = _F.TYPE_STRING, _F.TYPE_BOOL, _F.TYPE_INT64, _F.TYPE_BYTES, _F.TYPE_MESSAGE
_ONE, _MANY = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
_TS = ".google.protobuf.Timestamp"

#: message -> (field name, number, label, type, message type name); as in buildkit_status.proto.
MESSAGES: dict[str, tuple[tuple[str, int, int, int, str], ...]] = {
    "StatusResponse": (
        ("vertexes", 1, _MANY, _MESSAGE, f".{PACKAGE}.Vertex"),
        ("statuses", 2, _MANY, _MESSAGE, f".{PACKAGE}.VertexStatus"),
        ("logs", 3, _MANY, _MESSAGE, f".{PACKAGE}.VertexLog"),
        ("warnings", 4, _MANY, _MESSAGE, f".{PACKAGE}.VertexWarning"),
    ),
    "Vertex": (
        ("digest", 1, _ONE, _STRING, ""),
        ("inputs", 2, _MANY, _STRING, ""),
        ("name", 3, _ONE, _STRING, ""),
        ("cached", 4, _ONE, _BOOL, ""),
        ("started", 5, _ONE, _MESSAGE, _TS),
        ("completed", 6, _ONE, _MESSAGE, _TS),
        ("error", 7, _ONE, _STRING, ""),
    ),
    "VertexStatus": (
        ("ID", 1, _ONE, _STRING, ""),
        ("vertex", 2, _ONE, _STRING, ""),
        ("name", 3, _ONE, _STRING, ""),
        ("current", 4, _ONE, _INT64, ""),
        ("total", 5, _ONE, _INT64, ""),
        ("timestamp", 6, _ONE, _MESSAGE, _TS),
        ("started", 7, _ONE, _MESSAGE, _TS),
        ("completed", 8, _ONE, _MESSAGE, _TS),
    ),
    "VertexLog": (
        ("vertex", 1, _ONE, _STRING, ""),
        ("timestamp", 2, _ONE, _MESSAGE, _TS),
        ("stream", 3, _ONE, _INT64, ""),
        ("msg", 4, _ONE, _BYTES, ""),
    ),
    "VertexWarning": (
        ("vertex", 1, _ONE, _STRING, ""),
        ("level", 2, _ONE, _INT64, ""),
        ("short", 3, _ONE, _BYTES, ""),
        ("detail", 4, _MANY, _BYTES, ""),
        ("url", 5, _ONE, _STRING, ""),
    ),
}


def _file_descriptor() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(
        name="slidekit/verify/buildkit_status.proto", package=PACKAGE, syntax="proto3",
        dependency=[timestamp_pb2.DESCRIPTOR.name],
    )
    for message, fields in MESSAGES.items():
        out = proto.message_type.add(name=message)
        for name, number, label, kind, type_name in fields:
            field = out.field.add(name=name, number=number, label=label, type=kind, json_name=name)
            if type_name:
                field.type_name = type_name
    return proto


def _status_response_class() -> Any:
    pool = descriptor_pool.DescriptorPool()
    timestamp = descriptor_pb2.FileDescriptorProto()
    timestamp_pb2.DESCRIPTOR.CopyToProto(timestamp)
    pool.Add(timestamp)
    pool.Add(_file_descriptor())
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.StatusResponse"))


StatusResponse: Any = _status_response_class()


@dataclass(frozen=True)
class TraceVertex:
    digest: str
    name: str
    inputs: tuple[str, ...] = ()
    cached: bool = False
    started: float | None = None
    completed: float | None = None
    error: str = ""


@dataclass(frozen=True)
class TraceStatus:
    id: str
    vertex: str
    name: str
    current: int
    total: int


@dataclass(frozen=True)
class TraceLog:
    vertex: str
    stream: int  # 1 stdout, 2 stderr
    data: bytes
    timestamp: float | None


@dataclass(frozen=True)
class TraceWarning:
    vertex: str
    level: int
    short: str
    detail: tuple[str, ...]
    url: str


@dataclass(frozen=True)
class TraceUpdate:
    """One ``StatusResponse``: vertexes may repeat across updates (started, then completed)."""

    vertexes: tuple[TraceVertex, ...] = ()
    statuses: tuple[TraceStatus, ...] = ()
    logs: tuple[TraceLog, ...] = ()
    warnings: tuple[TraceWarning, ...] = ()


def _time(message: Any, field: str) -> float | None:
    if not message.HasField(field):
        return None
    stamp = getattr(message, field)
    return float(stamp.seconds) + stamp.nanos / 1e9


def parse(data: bytes) -> TraceUpdate:
    """One serialized ``StatusResponse`` → :class:`TraceUpdate` (raises protobuf's DecodeError on bad bytes)."""
    msg = StatusResponse.FromString(data)
    return TraceUpdate(
        tuple(TraceVertex(v.digest, v.name, tuple(v.inputs), v.cached, _time(v, "started"), _time(v, "completed"), v.error)
              for v in msg.vertexes),
        tuple(TraceStatus(s.ID, s.vertex, s.name, s.current, s.total) for s in msg.statuses),
        tuple(TraceLog(log.vertex, log.stream, bytes(log.msg), _time(log, "timestamp")) for log in msg.logs),
        tuple(TraceWarning(w.vertex, w.level, bytes(w.short).decode("utf-8", "replace"),
                           tuple(bytes(d).decode("utf-8", "replace") for d in w.detail), w.url) for w in msg.warnings),
    )


def decode(aux: str) -> TraceUpdate:
    """The ``aux`` value of a ``moby.buildkit.trace`` line (base64 of a ``StatusResponse``)."""
    return parse(base64.b64decode(aux))
