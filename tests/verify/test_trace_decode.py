"""BuildKit's trace decoded with protobuf, on messages captured from a real engine (Docker 20.10).

tests/fixtures/buildkit/*.jsonl are the JSON lines `POST /build?version=2` answered for
failing-build.Dockerfile (target `fail`, --no-cache) and for its `base` target again (all cached).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from google.protobuf.message import DecodeError

from slidekit.deck.load import load_deck
from slidekit.verify.assemble import assemble
from slidekit.verify.buildkit import TraceState
from slidekit.verify.model import StageStatus
from slidekit.verify.plan import plan_stages
from slidekit.verify.trace import MESSAGES, TRACE_ID, StatusResponse, decode, parse
from slidekit.verify.trace_map import FRONTEND_20_10, FRONTEND_MODERN, builtin_frontend, trace_results, unsupported_reasons

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "buildkit"
PROTO = Path(__file__).resolve().parents[2] / "slidekit" / "verify" / "buildkit_status.proto"


def _events(name: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (FIXTURES / name).read_text().splitlines() if line.strip()]


def _outcome(name: str):  # type: ignore[no-untyped-def]
    state = TraceState()
    for event in _events(name):
        state.feed(event)
    return state.outcome(0.0)


def test_every_captured_trace_line_decodes_and_round_trips() -> None:
    traces = [e["aux"] for name in ("failing-build.jsonl", "cached-build.jsonl") for e in _events(name) if e.get("id") == TRACE_ID]
    assert len(traces) > 10
    for aux in traces:
        raw = base64.b64decode(aux)
        message = StatusResponse.FromString(raw)
        # Nothing is lost but the fields slidekit leaves out (kept as unknown fields, so re-serialising is exact).
        assert message.SerializeToString() == raw
        update = decode(aux)
        assert len(update.vertexes) == len(message.vertexes) and len(update.logs) == len(message.logs)


def test_failing_build_vertices_logs_and_error() -> None:
    outcome = _outcome("failing-build.jsonl")
    names = [v.name for v in outcome.vertexes]
    assert names == [
        "[internal] load remote build context",
        "copy /context /",
        "[internal] load metadata for docker.io/slidekit-test/busybox:latest",
        "[base 1/2] FROM docker.io/slidekit-test/busybox:latest",
        "[base 2/2] RUN --mount=type=cache,target=/c echo cached-mount > /c/x && cat /c/x",
        "[fail 1/2] WORKDIR /w",
        "[fail 2/2] RUN echo about-to-fail && exit 3",
    ]
    by_name = {v.name: v for v in outcome.vertexes}
    failing = by_name["[fail 2/2] RUN echo about-to-fail && exit 3"]
    assert failing.error == "executor failed running [/bin/sh -c echo about-to-fail && exit 3]: exit code: 3"
    assert failing.log == ("about-to-fail",)
    assert by_name["[base 2/2] RUN --mount=type=cache,target=/c echo cached-mount > /c/x && cat /c/x"].log == ("cached-mount",)
    assert all(v.started is not None and v.completed is not None and v.completed >= v.started for v in outcome.vertexes)
    assert outcome.error == failing.error and outcome.image_id is None


def test_cached_build_has_cache_hits_and_the_image_id() -> None:
    outcome = _outcome("cached-build.jsonl")
    cached = {v.name for v in outcome.vertexes if v.cached}
    assert "[base 2/2] RUN --mount=type=cache,target=/c echo cached-mount > /c/x && cat /c/x" in cached
    assert outcome.error is None
    assert outcome.image_id is not None and re.fullmatch(r"sha256:[0-9a-f]{64}", outcome.image_id)


def test_captured_trace_maps_to_deck_lines() -> None:
    text = (FIXTURES / "failing-build.Dockerfile").read_text()
    deck = load_deck("# t\n\n---\n\n```dockerfile\n" + text + "```\n", "deck.md")
    plan = plan_stages(assemble(deck)[0])
    results = trace_results(plan, plan.closure(1), _outcome("failing-build.jsonl"), {})
    base, fail = results[0], results[1]
    assert base.status is StageStatus.BUILT and [s.line for s in base.steps] == [6, 7]
    assert fail.status is StageStatus.FAILED and fail.line == 10  # deck line of `RUN ... exit 3`
    assert fail.log_tail == ("about-to-fail",) and "exit code: 3" in fail.message
    cached = trace_results(plan, plan.closure(0), _outcome("cached-build.jsonl"), {})
    assert cached[0].status is StageStatus.CACHED


def test_bad_bytes_are_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        parse(b"\x0a\xff\xff\xff\xff\xff")


def test_descriptors_match_the_proto_file() -> None:
    """The runtime descriptors and buildkit_status.proto (BuildKit's numbering) say the same."""
    text = PROTO.read_text()
    declared: dict[str, list[tuple[str, int, bool]]] = {}
    for name, body in re.findall(r"message (\w+) \{(.*?)\n\}", text, re.DOTALL):
        declared[name] = [(field, int(number), repeated == "repeated ")
                          for repeated, field, number in re.findall(r"^\s*(repeated )?[\w.]+ (\w+) = (\d+);", body, re.MULTILINE)]
    built = {name: [(f[0], f[1], f[2] == 3) for f in fields] for name, fields in MESSAGES.items()}
    assert declared == built


@pytest.mark.parametrize(("block", "line", "why"), [
    ("FROM scratch AS a\nRUN --mount=type=secret,id=t cat /run/secrets/t\n", 7, "type=secret needs a client session"),
    ("FROM scratch AS a\nRUN --mount=type=ssh true\n", 7, "type=ssh needs a client session"),
    ("FROM scratch AS a\nRUN <<EOF\necho hi\nEOF\n", 7, "does not support heredocs"),
    ("# syntax=docker/dockerfile:1\nFROM scratch AS a\nRUN true\n", 6, "frontend image from a registry"),
    ("FROM scratch AS a\nCOPY --link x /x\n", 7, "COPY --link: the built-in Dockerfile frontend of Docker 20.10"),
    ("FROM scratch AS a\nRUN --network=none true\n", 7, "RUN --network: the built-in Dockerfile frontend"),
    ("FROM scratch AS a\nADD --checksum=sha256:00 x /x\n", 7, "ADD --checksum: the built-in"),
])
def test_unsupported_reasons(block: str, line: int, why: str) -> None:
    deck = load_deck("# t\n\n---\n\n```dockerfile\n" + block + "```\n", "deck.md")
    plan = plan_stages(assemble(deck)[0])
    reasons = unsupported_reasons(plan)
    assert list(reasons) == [0]
    assert plan.dockerfile.deck_line(reasons[0][0]) == line and why in reasons[0][1]


def test_cache_and_bind_mounts_are_supported() -> None:
    deck = load_deck("# t\n\n---\n\n```dockerfile\nFROM scratch AS a\nRUN --mount=type=cache,target=/c --mount=type=bind,target=/b true\n```\n", "d.md")
    assert unsupported_reasons(plan_stages(assemble(deck)[0])) == {}


def test_frontend_by_engine_version() -> None:
    assert builtin_frontend("20.10.24+dfsg1") is FRONTEND_20_10
    assert builtin_frontend("27.3.1") is FRONTEND_MODERN
    deck = load_deck("# t\n\n---\n\n```dockerfile\nFROM scratch AS a\nCOPY --link x /x\nRUN <<EOF\ntrue\nEOF\n```\n", "d.md")
    plan = plan_stages(assemble(deck)[0])
    assert unsupported_reasons(plan, FRONTEND_MODERN) == {}
    assert list(unsupported_reasons(plan, FRONTEND_20_10)) == [0]


def test_chmod_and_cache_mounts_are_known_to_20_10() -> None:
    deck = load_deck("# t\n\n---\n\n```dockerfile\nFROM scratch AS a\nCOPY --chmod=755 x /x\n"
                     "RUN --mount=type=tmpfs,target=/t true\n```\n", "d.md")
    assert unsupported_reasons(plan_stages(assemble(deck)[0]), FRONTEND_20_10) == {}


def test_front_matter_builder_choice_and_its_error_line() -> None:
    from slidekit.errors import SlidekitError
    from slidekit.verify.model import Builder
    from slidekit.verify.run import chosen_builder

    deck = load_deck("---\ntitle: t\nbuilder: Classic\n---\n\n# t\n", "d.md")
    assert chosen_builder(deck, None) is Builder.CLASSIC
    assert chosen_builder(deck, Builder.BUILDKIT) is Builder.BUILDKIT  # --builder wins
    assert chosen_builder(load_deck("# t\n", "d.md"), None) is Builder.AUTO
    with pytest.raises(SlidekitError) as raised:
        chosen_builder(load_deck("---\ntitle: t\nbuilder: podman\n---\n\n# t\n", "d.md"), None)
    assert raised.value.line == 3 and "auto, buildkit, classic" in str(raised.value)
