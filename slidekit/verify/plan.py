"""The verify plan (pure): stages, their dependencies and leaves, the text each build sends,
the mapping of a build's outcome back to stage results at deck lines, and the cached-result lookup.

Nothing here talks to an engine: the orchestrator (:mod:`slidekit.verify.run`) and the
presenter's badge lookup (:mod:`slidekit.verify.status`) both use it. Dockerfile line
numbers are lines of the assembled Dockerfile; results carry deck lines.

Each *leaf* stage (one no other stage needs) is built once; stages built as its
dependencies count as built. The engine only ever sees the stages a target
needs: the other stages' lines are blanked in the text sent (line numbers stay
the same), so a broken stage does not take unrelated stages down with it.
Numeric ``COPY --from=N`` references keep every stage up to the target (indexes
must not shift). ``--image-map`` rewrites ``FROM`` lines in the text sent only;
reports and line numbers always refer to the deck.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from slidekit.confine import confinement
from slidekit.deck.model import Deck
from slidekit.errors import SlidekitError
from slidekit.verify import cache as result_cache
from slidekit.verify.context import list_context
from slidekit.verify.dockerfile import (
    ParsedDockerfile,
    arg_defaults,
    expand,
    parse_dockerfile,
)
from slidekit.verify.model import (
    AssembledDockerfile,
    StageResult,
    StageStatus,
    StepTiming,
)

if TYPE_CHECKING:  # build.py (tarfile, the SDK builder) is imported only when something is built
    from slidekit.verify.build import BuildOutcome

#: ``keep`` key for the final image of a successful classic build (after the engine's LABEL step).
FINAL_STEP = -1


# --------------------------------------------------------------------------- plan (pure)


@dataclass(frozen=True)
class StagePlan:
    """One stage as the build sees it. Lines are Dockerfile lines (1-based)."""

    index: int
    label: str
    first_line: int  # the FROM line
    last_line: int  # the line before the next FROM (or the last line)
    step_lines: tuple[int, ...]  # FROM, then each instruction's first line
    deps: frozenset[int]  # stages it needs (FROM <stage>, COPY --from=<stage>)
    images: tuple[tuple[str, int], ...]  # external images it needs, with their line
    numeric_ref: bool = False  # uses COPY --from=<index>


@dataclass(frozen=True)
class DockerfilePlan:
    dockerfile: AssembledDockerfile
    parsed: ParsedDockerfile
    stages: tuple[StagePlan, ...]
    arg_lines: tuple[int, ...]

    def closure(self, index: int) -> tuple[int, ...]:
        """The stages the engine must build for ``index``, in Dockerfile order."""
        if any(s.numeric_ref for s in self.stages[: index + 1]):
            return tuple(range(index + 1))
        seen: set[int] = set()
        todo = [index]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.stages[current].deps)
        return tuple(sorted(seen))

    def leaves(self) -> tuple[int, ...]:
        needed = {d for s in self.stages for d in s.deps}
        return tuple(s.index for s in self.stages if s.index not in needed)


def plan_stages(dockerfile: AssembledDockerfile) -> DockerfilePlan:
    parsed = parse_dockerfile(dockerfile.text)
    args = arg_defaults(parsed.global_args)
    names = {s.name: s.index for s in parsed.stages if s.name is not None}
    total_lines = max(len(dockerfile.text.splitlines()), 1)
    plans: list[StagePlan] = []
    for pos, stage in enumerate(parsed.stages):
        nxt = parsed.stages[pos + 1].line - 1 if pos + 1 < len(parsed.stages) else total_lines
        deps: set[int] = set()
        images: list[tuple[str, int]] = []
        base = expand(stage.base, args)
        if base.lower() in names and names[base.lower()] < stage.index:
            deps.add(names[base.lower()])
        elif base.lower() != "scratch" and base:
            images.append((base, stage.line))
        numeric = False
        for ins in stage.instructions:
            flag = ins.flag("from") if ins.keyword in ("COPY", "ADD") else None
            if flag is None or not flag.value:
                continue
            ref = flag.value
            if ref.isdigit() and int(ref) < stage.index:
                deps.add(int(ref))
                numeric = True
            elif ref.lower() in names and names[ref.lower()] < stage.index:
                deps.add(names[ref.lower()])
            elif "$" not in ref:
                images.append((ref, ins.start))
        steps = (stage.line,) + tuple(i.start for i in stage.instructions)
        plans.append(StagePlan(stage.index, stage.label, stage.line, nxt, steps, frozenset(deps), tuple(images), numeric))
    return DockerfilePlan(dockerfile, parsed, tuple(plans), tuple(a.start for a in parsed.global_args))


def map_image(ref: str, image_map: Mapping[str, str]) -> str:
    """``--image-map`` lookup: the exact reference first, then its repository without tag."""
    if ref in image_map:
        return image_map[ref]
    repo = re.sub(r"(@sha256:[0-9a-f]+|:[^:/]+)$", "", ref)
    return image_map.get(repo, ref)


_FROM = re.compile(r"^(\s*\S+\s+(?:--\S+\s+)*)(\S+)(.*)$")


def build_text(plan: DockerfilePlan, closure: tuple[int, ...], image_map: Mapping[str, str]) -> str:
    """The text sent to the engine: only ``closure``'s stages, FROM images mapped, same line count."""
    lines = plan.dockerfile.text.split("\n")
    keep = set(closure)
    for stage in plan.stages:
        if stage.index not in keep:
            for n in range(stage.first_line, stage.last_line + 1):
                lines[n - 1] = ""
            continue
        if not image_map:
            continue
        for ref, line in stage.images:
            mapped = map_image(ref, image_map)
            match = _FROM.match(lines[line - 1])
            if mapped == ref:
                continue
            if line == stage.first_line and match:  # FROM <image>: never a stage name (those are deps)
                lines[line - 1] = match.group(1) + mapped + match.group(3)
            else:  # COPY --from=<image>
                lines[line - 1] = re.sub(rf"--from={re.escape(ref)}(?=\s)", f"--from={mapped}", lines[line - 1], count=1)
    return "\n".join(lines)


def step_table(plan: DockerfilePlan, closure: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """(stage index, Dockerfile line) of each classic-builder step, step 1 first.

    The classic builder numbers global ARGs first, then each stage's FROM and
    instructions, for the stages in the file it is sent.
    """
    table: list[tuple[int, int]] = [(-1, line) for line in plan.arg_lines]
    for index in closure:
        table.extend((index, line) for line in plan.stages[index].step_lines)
    return tuple(table)


# --------------------------------------------------------------------------- outcome → stage results (pure)


def stage_results(
    plan: DockerfilePlan, closure: tuple[int, ...], outcome: BuildOutcome, image_map: Mapping[str, str]
) -> dict[int, StageResult]:
    """Status of every stage in ``closure`` after one classic build."""
    table = step_table(plan, closure)
    failed_step = outcome.error_step
    if failed_step == 0:  # the engine refused the file before any step
        failed_step = _line_step(table, outcome.error or "") or (len(plan.arg_lines) + 1)
    records = {r.number: r for r in outcome.steps}
    out: dict[int, StageResult] = {}
    for index in closure:
        numbers = [n for n, (s, _) in enumerate(table, 1) if s == index]
        first, last = numbers[0], numbers[-1]
        ran = [records[n] for n in numbers if n in records]
        took = sum(r.seconds for r in ran)
        stage = plan.stages[index]
        df = plan.dockerfile
        steps = tuple(StepTiming(df.deck_line(table[r.number - 1][1]), r.text, round(r.seconds, 6), r.cached) for r in ran)
        if failed_step is None or failed_step > last:
            image = outcome.image_after(last if index != closure[-1] else FINAL_STEP) or outcome.image_after(last)
            after_from = ran[1:]
            status = StageStatus.CACHED if after_from and all(r.cached for r in after_from) else StageStatus.BUILT
            out[index] = stage_result(plan, stage, status, stage.first_line, took, image_id=image, steps=steps)
        elif failed_step < first:
            out[index] = stage_result(plan, stage, StageStatus.NOT_REACHED, stage.first_line, 0.0,
                                 message="not reached: an earlier stage failed")
        else:
            out[index] = replace(_failure(plan, stage, table[failed_step - 1][1], failed_step == first, took, outcome,
                                          image_map), steps=steps)
    return out


def _line_step(table: tuple[tuple[int, int], ...], message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    if not match:
        return None
    line = int(match.group(1))
    best = None
    for number, (_, start) in enumerate(table, 1):
        if start <= line:
            best = number
    return best


def _failure(
    plan: DockerfilePlan, stage: StagePlan, line: int, at_from: bool, took: float,
    outcome: BuildOutcome, image_map: Mapping[str, str],
) -> StageResult:
    error = outcome.error or "build failed"
    if at_from and stage.images and stage.images[0][1] == stage.first_line:
        ref = stage.images[0][0]
        return stage_result(plan, stage, StageStatus.BASE_MISSING, line, took,
                       message=missing_message(ref, map_image(ref, image_map)), tail=outcome.tail)
    return stage_result(plan, stage, StageStatus.FAILED, line, took, message=error, tail=outcome.tail)


def missing_message(ref: str, mapped: str) -> str:
    shown = f"`{mapped}` (mapped from `{ref}`)" if mapped != ref else f"`{ref}`"
    return (f"base image {shown} is neither local nor pullable; build or load it, "
            f"or substitute one with --image-map {ref}=<local image>")


def stage_result(
    plan: DockerfilePlan, stage: StagePlan, status: StageStatus, line: int, seconds: float = 0.0, *,
    image_id: str | None = None, message: str = "", tail: tuple[str, ...] = (), steps: tuple[StepTiming, ...] = (),
) -> StageResult:
    df = plan.dockerfile
    return StageResult(df.name, stage.label, status, df.deck_line(line), df.deck_path, round(seconds, 6),
                       image_id, message, tail, df.slide_index(line), steps)


# --------------------------------------------------------------------------- inputs


def context_root(deck: Deck, context: Path | None) -> Path:
    """``--context``, else front matter ``context:`` (relative to the deck), else the deck's folder."""
    deck_dir = Path.cwd() if deck.path == "-" else Path(deck.path).resolve().parent
    option = deck.meta.options.get("context")
    root = context if context is not None else (deck_dir / str(option) if option else deck_dir)
    root = root.resolve()
    if not root.is_dir():
        if context is not None:
            raise SlidekitError(f"--context: build context {root} is not a directory")
        raise SlidekitError(f"build context {root} is not a directory", deck.path,
                            deck.meta.key_line("context") if option else None)
    if context is None and option and not confinement(deck_dir).inside(root):  # a deck may not leave its folder
        raise SlidekitError(f"front matter `context: {option}` is outside the deck's folder: pass --context "
                            "DIR, or list the folder under allow_paths in your config", deck.path,
                            deck.meta.key_line("context"))
    return root


def effective_image_map(deck: Deck, image_map: Mapping[str, str] | None) -> dict[str, str]:
    """Front matter ``image_map:`` with the command line's entries on top."""
    raw = deck.meta.options.get("image_map") or {}
    merged = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, Mapping) else {}
    merged.update(image_map or {})
    return merged


def list_files(root: Path, limit: int | None = None) -> frozenset[str]:
    return list_context(root, limit)


def wanted_stages(plans: tuple[DockerfilePlan, ...], targets: set[str] | None, path: str) -> dict[str, tuple[int, ...]]:
    """Per Dockerfile, the stages to build: its leaves, or the named targets (``stage`` or ``file:stage``)."""
    if targets is None:
        return {p.dockerfile.name: p.leaves() for p in plans}
    out: dict[str, tuple[int, ...]] = {}
    found: set[str] = set()
    for plan in plans:
        chosen = []
        for stage in plan.stages:
            for name in (stage.label, f"{plan.dockerfile.name}:{stage.label}"):
                if name in {t.lower() for t in targets} or name in targets:
                    chosen.append(stage.index)
                    found.update(t for t in targets if t.lower() == name.lower())
        out[plan.dockerfile.name] = tuple(sorted(set(chosen)))
    unknown = sorted(set(targets) - found)
    if unknown:
        names = ", ".join(s.label for p in plans for s in p.stages)
        raise SlidekitError(f"no stage named {unknown[0]!r} (stages: {names})", path)
    return out


def base_refs(plans: tuple[DockerfilePlan, ...], wanted: Mapping[str, tuple[int, ...]]) -> list[str]:
    """The external images the stages to build need (``--target``: that stage's closure only)."""
    return sorted({ref for p in plans for i in wanted[p.dockerfile.name] for s in p.closure(i)
                   for ref, _ in p.stages[s].images if "$" not in ref})


def scope(plans: tuple[DockerfilePlan, ...], wanted: Mapping[str, tuple[int, ...]]) -> set[tuple[str, str]]:
    return {(p.dockerfile.name, p.stages[s].label) for p in plans for i in wanted[p.dockerfile.name] for s in p.closure(i)}


def cached_stages(entry: result_cache.CacheEntry | None, resolved: Mapping[str, str | None], plans: tuple[DockerfilePlan, ...],
                  wanted: Mapping[str, tuple[int, ...]], image_exists: Callable[[str], bool] | None = None,
                  ) -> tuple[StageResult, ...] | None:
    """The cached stage results for ``wanted``, when the cache entry matches the base image
    ids and every stage in scope succeeded; with ``image_exists`` (smoke checks need the
    images themselves) also only when their images still exist."""
    if entry is None or not entry.bases_match(resolved):
        return None
    needed = scope(plans, wanted)
    cached = {(s.dockerfile, s.stage): s for s in entry.stages}
    if not all(k in cached and cached[k].status.succeeded for k in needed):
        return None
    if image_exists is not None and not all(cached[k].image_id and image_exists(cached[k].image_id or "") for k in needed):
        return None  # smoke checks need the images themselves
    return unverified(plans, {k: v for k, v in cached.items() if k in needed})


def unverified(plans: tuple[DockerfilePlan, ...], known: Mapping[tuple[str, str], StageResult]) -> tuple[StageResult, ...]:
    out: list[StageResult] = []
    for plan in plans:
        for stage in plan.stages:
            result = known.get((plan.dockerfile.name, stage.label))
            out.append(result or stage_result(plan, stage, StageStatus.NOT_VERIFIED, stage.first_line))
    return tuple(out)


def collect(plans: tuple[DockerfilePlan, ...], done: Mapping[str, Mapping[int, StageResult]]) -> tuple[StageResult, ...]:
    known = {(p.dockerfile.name, r.stage): r for p in plans for r in done[p.dockerfile.name].values()}
    return unverified(plans, known)


