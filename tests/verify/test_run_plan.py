"""Unit tests of the build plan and of verify_deck with a fake ImageBuilder (no engine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slidekit.deck.load import load_deck
from slidekit.errors import SlidekitError
from slidekit.verify.build import FINAL_STEP, BuildOutcome, BuildRequest, StepRecord, _StreamState
from slidekit.verify.model import AssembledDockerfile, StageStatus
from slidekit.verify.run import build_text, map_image, plan_stages, stage_results, step_table, verify_deck

TEXT = """ARG TAG=latest
FROM example/base:${TAG} AS base
RUN echo base

FROM base AS build
RUN make
FROM scratch AS other
COPY --from=build /out /out
FROM other AS final
"""


def _dockerfile(text: str = TEXT) -> AssembledDockerfile:
    lines = text.count("\n")
    # Dockerfile line i is deck line 100 + i; lines 1-3 on slide 2, the rest on slide 3.
    return AssembledDockerfile("Dockerfile", text, tuple(100 + i for i in range(1, lines + 1)),
                               tuple(2 if i <= 3 else 3 for i in range(1, lines + 1)), "deck.md")


def test_plan_stages_dependencies_and_images() -> None:
    plan = plan_stages(_dockerfile())
    assert [s.label for s in plan.stages] == ["base", "build", "other", "final"]
    assert plan.stages[1].deps == {0} and plan.stages[2].deps == {1} and plan.stages[3].deps == {2}
    assert plan.stages[0].images == (("example/base:latest", 2),)  # global ARG default expanded
    assert plan.leaves() == (3,)
    assert plan.closure(2) == (0, 1, 2)
    assert plan.stages[0].last_line == 4 and plan.stages[3].last_line == 9


def test_build_text_blanks_unneeded_stages_and_maps_images() -> None:
    text = "FROM a:1 AS one\nRUN x\nFROM b:2 AS two\nRUN y\n"
    plan = plan_stages(_dockerfile(text))
    sent = build_text(plan, (1,), {"b": "mirror/b:2"})
    assert sent.split("\n") == ["", "", "FROM mirror/b:2 AS two", "RUN y", ""]
    assert step_table(plan, (1,)) == ((1, 3), (1, 4))


def test_image_map_rewrites_images_not_stage_names() -> None:
    text = "FROM python AS python\nFROM python AS app\nCOPY --from=tools/x:1 /a /a\n"
    plan = plan_stages(_dockerfile(text))
    sent = build_text(plan, (0, 1), {"python": "mirror/python", "tools/x:1": "mirror/x:1"})
    assert sent.split("\n")[:3] == ["FROM mirror/python AS python", "FROM python AS app", "COPY --from=mirror/x:1 /a /a"]


def test_numeric_copy_from_keeps_every_earlier_stage() -> None:
    text = "FROM a AS one\nFROM b AS two\nFROM c AS three\nCOPY --from=0 /x /x\n"
    plan = plan_stages(_dockerfile(text))
    assert plan.closure(2) == (0, 1, 2)


def test_map_image_exact_then_repository() -> None:
    assert map_image("python:3.9", {"python:3.9": "m/p:1", "python": "m/p"}) == "m/p:1"
    assert map_image("python:3.12", {"python": "m/p"}) == "m/p"
    assert map_image("ruby:3", {"python": "m/p"}) == "ruby:3"


def _outcome(steps: int, error: str | None = None, output: tuple[str, ...] = ()) -> BuildOutcome:
    records = tuple(StepRecord(n, f"step {n}", f"id{n:010d}", 0.5, output if n == steps else ()) for n in range(1, steps + 1))
    return BuildOutcome(records, steps, error, 1.0, output + ((error,) if error else ()))


def test_stage_results_failure_maps_to_deck_line() -> None:
    plan = plan_stages(_dockerfile())
    closure = plan.closure(3)
    table = step_table(plan, closure)
    assert table[0] == (-1, 1) and table[3] == (1, 5)  # the global ARG is step 1
    failing = 4 + 1  # "RUN make" (Dockerfile line 6)
    results = stage_results(plan, closure, _outcome(failing, "exit 2", ("make: boom",)), {})
    assert results[0].status is StageStatus.BUILT and results[0].seconds == 1.0
    assert results[1].status is StageStatus.FAILED and results[1].line == 106 and results[1].slide_index == 3
    assert "make: boom" in results[1].log_tail and results[1].message == "exit 2"
    assert results[2].status is results[3].status is StageStatus.NOT_REACHED


def test_stage_results_failed_from_with_image_is_base_missing() -> None:
    plan = plan_stages(_dockerfile())
    results = stage_results(plan, plan.closure(0), _outcome(2, "pull access denied"), {"example/base": "m/b"})
    assert results[0].status is StageStatus.BASE_MISSING and results[0].line == 102
    assert "m/b" in results[0].message and "--image-map example/base:latest=" in results[0].message


def test_stream_state_parses_classic_builder_events() -> None:
    seen: list[tuple[int, int, str]] = []
    state = _StreamState(lambda n, t, s: seen.append((n, t, s)))
    events = [
        {"stream": "Step 1/2 : FROM x"}, {"stream": "\n"}, {"stream": " ---> 0123456789ab\n"},
        {"stream": "Step 2/2 : RUN false"}, {"stream": "\n"}, {"stream": " ---> Running in aaaaaaaaaaaa\n"},
        {"stream": "oops\n"}, {"stream": "Removing intermediate container aaaaaaaaaaaa\n"},
        {"errorDetail": {"message": "returned a non-zero code: 1"}, "error": "returned a non-zero code: 1"},
    ]
    for event in events:
        state.feed(event)
    outcome = state.outcome(1.0)
    assert seen == [(1, 2, "FROM x"), (2, 2, "RUN false")]
    assert outcome.error_step == 2 and outcome.steps[1].output == ("oops",)
    assert outcome.image_after(1) == "0123456789ab" and outcome.image_after(FINAL_STEP) is None
    assert outcome.tail[-1] == "returned a non-zero code: 1"


class FakeBuilder:
    """Succeeds every step, except a RUN whose text contains ``fail``; knows only ``known`` images."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.requests: list[BuildRequest] = []

    def resolve_base(self, ref: str) -> str | None:
        return f"sha256:{abs(hash(ref)):064d}"[:71] if ref in self.known else None

    def image_exists(self, image_id: str) -> bool:
        return True

    def build(self, request: BuildRequest, on_step=None) -> BuildOutcome:  # type: ignore[no-untyped-def]
        self.requests.append(request)
        import io
        import tarfile

        with tarfile.open(fileobj=io.BytesIO(request.context)) as tar:
            member = tar.extractfile(request.dockerfile)
            assert member is not None
            text = member.read().decode()
        steps = [line for line in text.split("\n") if line.strip()]
        records = []
        for n, line in enumerate(steps, 1):
            if "fail" in line:
                return BuildOutcome(tuple(records) + (StepRecord(n, line, None, 0.1),), len(steps), "failed!", 0.1)
            records.append(StepRecord(n, line, f"{n:012d}", 0.1))
        return BuildOutcome(tuple(records), len(steps), None, 0.1)


DECK = """# t

---

```dockerfile
FROM base/img:1 AS one
RUN ok
```

---

```dockerfile
FROM other/img:2 AS two
RUN fail here
```

---

```dockerfile
FROM one AS three
RUN ok
```
"""


@pytest.fixture()
def deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "deck" / "deck.md"
    path.parent.mkdir()
    path.write_text(DECK)
    return load_deck(DECK, str(path))


def test_verify_deck_with_fake_builder(deck) -> None:  # type: ignore[no-untyped-def]
    builder = FakeBuilder({"base/img:1", "other/img:2"})
    report = verify_deck(deck, context=None, image_map={}, builder=builder, hadolint=False)
    status = {s.stage: s.status for s in report.stages}
    assert status == {"one": StageStatus.BUILT, "two": StageStatus.FAILED, "three": StageStatus.BUILT}
    assert len(builder.requests) == 2  # leaves "two" and "three"; "one" is built as a dependency
    assert {s.stage: s.line for s in report.stages}["two"] == 14
    assert report.exit_code == 1 and not report.from_cache


def test_missing_base_is_its_own_status_and_not_built(deck) -> None:  # type: ignore[no-untyped-def]
    builder = FakeBuilder({"other/img:2"})
    report = verify_deck(deck, context=None, image_map={}, builder=builder, hadolint=False)
    status = {s.stage: s.status for s in report.stages}
    assert status["one"] is StageStatus.BASE_MISSING and status["three"] is StageStatus.NOT_REACHED
    assert len(builder.requests) == 1
    mapped = verify_deck(deck, context=None, image_map={"base/img": "other/img:2"}, builder=FakeBuilder({"other/img:2"}),
                         hadolint=False)
    assert {s.stage: s.status for s in mapped.stages}["three"] is StageStatus.BUILT


def test_cache_hit_needs_everything_built(deck) -> None:  # type: ignore[no-untyped-def]
    builder = FakeBuilder({"base/img:1", "other/img:2"})
    verify_deck(deck, context=None, image_map={}, builder=builder, hadolint=False)
    again = verify_deck(deck, context=None, image_map={}, builder=builder, hadolint=False)
    assert not again.from_cache and len(builder.requests) == 4  # a failure is rebuilt
    partial = verify_deck(deck, context=None, image_map={}, builder=builder, hadolint=False, targets={"three"})
    assert partial.from_cache and len(builder.requests) == 4
    assert {s.stage: s.status for s in partial.stages}["two"] is StageStatus.NOT_VERIFIED


def test_unknown_target_is_a_usage_error(deck) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SlidekitError, match="no stage named 'nope'"):
        verify_deck(deck, context=None, image_map={}, builder=FakeBuilder(set()), targets={"nope"}, hadolint=False)
