"""BuildKit's trace → stage results at deck lines, and what BuildKit cannot build through this path (pure).

Vertex names look like ``[builder 3/5] RUN …``: the stage (its name, or
``stage-N`` for the N-th stage of the text sent; no name when that text has one
stage), then the instruction's number among the stage's instructions that make
a build step. BuildKit's built-in frontend counts ``FROM <image>`` (not
``FROM <stage>``, not ``FROM scratch``) and ``RUN``/``COPY``/``ADD``/``WORKDIR``;
metadata instructions (``ENV``, ``LABEL``, ``CMD`` …) have no vertex.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from slidekit.verify.buildkit import TraceOutcome, VertexRecord
from slidekit.verify.dockerfile import Instruction
from slidekit.verify.model import StageResult, StageStatus, StepTiming
from slidekit.verify.plan import (
    DockerfilePlan,
    map_image,
    missing_message,
    stage_result,
)

_VERTEX = re.compile(r"^\[(?:(?P<stage>[^\]\s]+) )?(?P<n>\d+)/(?P<m>\d+)\] (?P<text>.*)$", re.DOTALL)
_STEP_KEYWORDS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})
_CANCELED = ("context canceled", "canceled")

#: RUN --mount types that need a client session, which this path has none of.
SESSION_MOUNTS = frozenset({"secret", "ssh"})


@dataclass(frozen=True)
class BuiltinFrontend:
    """What the engine's built-in Dockerfile frontend parses (``/build?version=2`` without ``# syntax=``).

    ``flags``: per instruction, the BuildKit-only flags it knows (None: all of them).
    """

    name: str
    flags: Mapping[str, frozenset[str]] | None
    heredocs: bool


#: Docker 20.10 (checked on 20.10.24): RUN --mount (cache, bind, tmpfs; secret and ssh need a
#: session) and COPY/ADD --chmod; "Unknown flag" for COPY --link/--parents/--exclude, RUN
#: --network/--security, ADD --checksum/--keep-git-dir; heredocs are read as instructions.
FRONTEND_20_10 = BuiltinFrontend("Docker 20.10", {"RUN": frozenset({"mount"}), "COPY": frozenset({"chmod"}),
                                                  "ADD": frozenset({"chmod"})}, heredocs=False)
#: Docker 23 and later bundle a Dockerfile 1.5+ frontend (heredocs, COPY --link, RUN --network ...).
FRONTEND_MODERN = BuiltinFrontend("Docker 23+", None, heredocs=True)
#: BuildKit-only flags (the classic builder rejects them): the ones a built-in frontend may lack.
BUILDKIT_FLAGS = {
    "RUN": frozenset({"mount", "network", "security", "device"}),
    "COPY": frozenset({"chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chmod", "link", "keep-git-dir", "checksum", "exclude", "unpack"}),
}


def builtin_frontend(engine_version: str) -> BuiltinFrontend:
    """The built-in frontend of an engine version such as ``20.10.24+dfsg1`` (unknown: the newer one)."""
    match = re.match(r"(\d+)\.", engine_version)
    return FRONTEND_20_10 if match and int(match.group(1)) < 23 else FRONTEND_MODERN


@dataclass(frozen=True)
class StageStep:
    """A vertex of one stage: which instruction (Dockerfile line) it is."""

    stage: int
    line: int
    vertex: VertexRecord


def step_instructions(plan: DockerfilePlan, index: int) -> tuple[tuple[int, str], ...]:
    """(Dockerfile line, keyword) of each instruction of stage ``index`` that BuildKit numbers, in order."""
    stage = plan.parsed.stages[index]
    out: list[tuple[int, str]] = []
    if plan.stages[index].images and plan.stages[index].images[0][1] == stage.line:
        out.append((stage.line, "FROM"))
    out += [(ins.start, ins.keyword) for ins in stage.instructions if ins.keyword in _STEP_KEYWORDS]
    return tuple(out)


def locate(plan: DockerfilePlan, closure: tuple[int, ...], vertex: VertexRecord) -> tuple[int, int] | None:
    """(stage index, Dockerfile line) of a vertex named ``[stage N/M] …``; None for internal vertices."""
    match = _VERTEX.match(vertex.name)
    if match is None:
        return None
    name = match.group("stage")
    stage = closure[-1]
    if name is not None:
        names = {}
        for position, index in enumerate(closure):
            names[f"stage-{position}"] = index
            if plan.parsed.stages[index].name:
                names[str(plan.parsed.stages[index].name).lower()] = index
        stage = names.get(name.lower(), closure[-1])
    steps = step_instructions(plan, stage)
    number = int(match.group("n"))
    keyword = match.group("text").split(" ", 1)[0].upper()
    if 0 < number <= len(steps) and steps[number - 1][1] == keyword:
        return stage, steps[number - 1][0]
    same = [line for line, kw in steps if kw == keyword]  # unexpected numbering: the first such instruction
    return stage, (same[0] if same else plan.stages[stage].first_line)


def stage_steps(plan: DockerfilePlan, closure: tuple[int, ...], outcome: TraceOutcome) -> dict[int, list[StageStep]]:
    out: dict[int, list[StageStep]] = {index: [] for index in closure}
    for vertex in outcome.vertexes:
        where = locate(plan, closure, vertex)
        if where is not None:
            out[where[0]].append(StageStep(where[0], where[1], vertex))
    return out


def _canceled(error: str) -> bool:
    return any(error.strip().endswith(word) for word in _CANCELED)


def trace_results(
    plan: DockerfilePlan, closure: tuple[int, ...], outcome: TraceOutcome, image_map: Mapping[str, str]
) -> dict[int, StageResult]:
    """Status of every stage in ``closure`` after one BuildKit build of its last stage."""
    steps = stage_steps(plan, closure, outcome)
    failed = _failed_stage(plan, closure, outcome, steps)
    out: dict[int, StageResult] = {}
    for index in closure:
        stage = plan.stages[index]
        mine = steps[index]
        timings = tuple(StepTiming(plan.dockerfile.deck_line(s.line), _instruction(s.vertex.name), round(s.vertex.seconds, 6),
                                   s.vertex.cached, s.vertex.started or 0.0) for s in mine)
        took = _span(mine)
        if failed is not None and failed[0] == index:
            _, line, error, tail, at_from = failed
            if at_from and stage.images and stage.images[0][1] == line:
                ref = stage.images[0][0]
                out[index] = stage_result(plan, stage, StageStatus.BASE_MISSING, line, took, tail=tail, steps=timings,
                                          message=missing_message(ref, map_image(ref, image_map)))
            else:
                out[index] = stage_result(plan, stage, StageStatus.FAILED, line, took, message=error, tail=tail,
                                          steps=timings)
        elif outcome.error is not None and not all(s.vertex.completed and not s.vertex.error for s in mine) or (
                outcome.error is not None and not mine):
            culprit = plan.stages[failed[0]].label if failed is not None else "?"
            out[index] = stage_result(plan, stage, StageStatus.NOT_REACHED, stage.first_line, took, steps=timings,
                                      message=f"not reached: stage {culprit} failed")
        else:
            work = [s for s in mine if not _instruction(s.vertex.name).upper().startswith("FROM ")] or mine
            cached = bool(work) and all(s.vertex.cached for s in work)
            status = StageStatus.CACHED if cached else StageStatus.BUILT
            image = outcome.image_id if index == closure[-1] else None
            out[index] = stage_result(plan, stage, status, stage.first_line, took, image_id=image, steps=timings)
    return out


def _instruction(name: str) -> str:
    match = _VERTEX.match(name)
    return match.group("text") if match else name


def _span(steps: list[StageStep]) -> float:
    starts = [s.vertex.started for s in steps if s.vertex.started is not None]
    ends = [s.vertex.completed for s in steps if s.vertex.completed is not None]
    return max(max(ends) - min(starts), 0.0) if starts and ends else 0.0


def _failed_stage(
    plan: DockerfilePlan, closure: tuple[int, ...], outcome: TraceOutcome, steps: Mapping[int, list[StageStep]],
) -> tuple[int, int, str, tuple[str, ...], bool] | None:
    """(stage, Dockerfile line, error, log tail, whether its FROM vertex failed) of the failure, if any."""
    if outcome.error is None:
        return None
    errored = [s for index in closure for s in steps[index] if s.vertex.error and not _canceled(s.vertex.error)]
    if errored:
        first = min(errored, key=lambda s: s.vertex.completed or 0.0)
        at_from = _instruction(first.vertex.name).upper().startswith("FROM ")
        return first.stage, first.line, first.vertex.error, first.vertex.log, at_from
    match = re.search(r"line (\d+)", outcome.error)  # the frontend refused the file (a parse error)
    if match:
        line = int(match.group(1))
        for index in closure:
            if plan.stages[index].first_line <= line <= plan.stages[index].last_line:
                return index, line, outcome.error, (), False
    return closure[-1], plan.stages[closure[-1]].first_line, outcome.error, (), False


# --------------------------------------------------------------------------- what this path cannot build


def unsupported_reasons(plan: DockerfilePlan, frontend: BuiltinFrontend = FRONTEND_20_10) -> dict[int, tuple[int, str]]:
    """Stage index → (Dockerfile line, reason) for stages BuildKit cannot build through ``/build?version=2``.

    - a ``# syntax=`` directive: the frontend image must be pulled from a registry (every stage);
    - ``RUN --mount=type=secret|ssh``: needs a client session, which the Engine API path has none of;
    - what ``frontend`` (the engine's built-in one) does not parse: on Docker 20.10 heredocs
      (``RUN <<EOF``: the body is read as instructions) and flags such as ``COPY --link``.
    """
    syntax = plan.parsed.directives.get("syntax")
    if syntax:
        reason = (f"`# syntax={syntax}` asks for a frontend image from a registry, which a build without "
                  "a session cannot pull; without the line the engine's built-in frontend is used")
        return {s.index: (1, reason) for s in plan.stages}
    out: dict[int, tuple[int, str]] = {}
    for stage in plan.parsed.stages:
        for ins in stage.instructions:
            why = _instruction_reason(ins, frontend)
            if why is not None:
                out.setdefault(stage.index, (ins.start, why))
    return out


def _instruction_reason(ins: Instruction, frontend: BuiltinFrontend) -> str | None:
    if ins.heredocs and not frontend.heredocs:
        return (f"{ins.keyword} <<{ins.heredocs[0].name}: the built-in Dockerfile frontend of {frontend.name} does not "
                "support heredocs (it reads the body as instructions); they need the docker/dockerfile:1.4+ frontend")
    known = frontend.flags.get(ins.keyword, frozenset()) if frontend.flags is not None else None
    for flag in ins.flags:
        if known is not None and flag.name in BUILDKIT_FLAGS.get(ins.keyword, ()) and flag.name not in known:
            return (f"{ins.keyword} --{flag.name}: the built-in Dockerfile frontend of {frontend.name} does not know "
                    "this flag; it needs a newer docker/dockerfile frontend")
    if ins.keyword != "RUN":
        return None
    for flag in ins.flags:
        if flag.name != "mount" or not flag.value:
            continue
        options = dict(part.partition("=")[::2] for part in flag.value.split(","))
        kind = options.get("type", "bind")
        if kind in SESSION_MOUNTS:
            return (f"RUN --mount=type={kind} needs a client session (BuildKit asks the client for the "
                    f"{kind}), which a build through the Engine API has none of")
    return None
