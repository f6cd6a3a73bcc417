"""Building and smoke-checking with a real engine: the part of a verify run that talks to Docker.

:mod:`slidekit.verify.run` imports this module only when something must be built, so a deck
answered from the result cache never loads tarfile, the docker SDK or protobuf
(tests/verify/test_warm_path.py). Two ways to build a plan:

- the classic builder (:class:`~slidekit.verify.build.DockerSdkBuilder`): one leaf target after
  another, the step numbers of its stream mapped back to stages (:func:`~slidekit.verify.plan.stage_results`);
- BuildKit (:class:`~slidekit.verify.buildkit.BuildKitBuilder`): independent leaf targets at once,
  one request per thread (BuildKit shares the stages they have in common), its trace mapped back
  to stages (:func:`~slidekit.verify.trace_map.trace_results`); then the other stages are tagged
  from its cache. What it cannot build through this path is ``unsupported``.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from slidekit.deck.model import Deck
from slidekit.verify import cache as result_cache
from slidekit.verify.build import BuildRequest, DockerSdkBuilder, ImageBuilder, context_tar, dockerfile_name, stage_tag
from slidekit.verify.cancel import Cancel
from slidekit.verify.engine import EngineSpec, connect
from slidekit.verify.buildkit import BuildKitBuilder, TargetRequest, VertexRecord, supports_buildkit
from slidekit.verify.model import Builder, SmokeResult, StageResult, StageStatus
from slidekit.verify.plan import (
    FINAL_STEP,
    DockerfilePlan,
    base_refs,
    build_text,
    cached_stages,
    collect,
    map_image,
    missing_message,
    stage_result,
    stage_results,
    step_table,
)
from slidekit.verify.smoke import SmokeCheck, run_checks
from slidekit.verify.trace_map import builtin_frontend, locate, trace_results, unsupported_reasons
from slidekit.verify.vocab import CheckStatus, ProgressEvent, ProgressKind

Progress = Callable[[ProgressEvent], None]
_T = TypeVar("_T")


@dataclass(frozen=True)
class BuildJob:
    """What to build: the run's inputs, as :func:`slidekit.verify.run.verify` prepared them."""

    deck: Deck
    plans: tuple[DockerfilePlan, ...]
    wanted: Mapping[str, tuple[int, ...]]
    root: Path
    files: frozenset[str]
    image_map: Mapping[str, str]
    content_key: str
    previous: result_cache.CacheEntry | None
    use_cache: bool
    run_checks: bool
    jobs: int
    engine_key: str = ""  # the engine's URL, recorded with the cached result ("": not known)
    cancel: Cancel | None = None  # verify -j: Ctrl-C seen by the main thread aborts the open builds


@dataclass(frozen=True)
class BuildResult:
    stages: tuple[StageResult, ...]
    smoke: tuple[SmokeResult, ...]
    from_cache: bool
    builder: Builder


def build_and_check(job: BuildJob, image_builder: ImageBuilder, choice: Builder, emit: Progress) -> BuildResult:
    """Build (or take from the cache) every wanted stage with ``image_builder``, then run the smoke checks."""
    run = _Run(job.deck, job.root, job.files, job.image_map, image_builder, emit, not job.use_cache, job.jobs)
    run.resolved = {ref: image_builder.resolve_base(map_image(ref, job.image_map)) for ref in base_refs(job.plans, job.wanted)}
    exists = image_builder.image_exists if job.run_checks else None
    hit = cached_stages(job.previous, run.resolved, job.plans, job.wanted, exists) if job.use_cache else None
    if hit is not None:
        emit(ProgressEvent(ProgressKind.CACHED))
        stages, from_cache = hit, True
    else:
        missing = {(ref, line) for p in job.plans for s in p.stages for ref, line in s.images
                   if run.resolved.get(ref, "") is None}
        build = run.build_buildkit if choice is Builder.BUILDKIT else run.build_classic
        with _abort_on(job.cancel, image_builder):
            done = {p.dockerfile.name: build(p, job.wanted[p.dockerfile.name], missing) for p in job.plans}
        stages, from_cache = collect(job.plans, done), False
        fresh = tuple(s for s in stages if s.status is not StageStatus.NOT_VERIFIED)
        bases = {ref: image_id or "" for ref, image_id in run.resolved.items()}
        entry = result_cache.CacheEntry(job.content_key, bases, job.deck.path, fresh, engine=job.engine_key)
        result_cache.store(result_cache.merge(job.previous, entry))
    smoke = _smoke(image_builder.client, job.deck, stages, run) if job.run_checks else []
    return BuildResult(stages, tuple(smoke), from_cache, choice)


class _Run:
    """One verify run's building state; every attribute is set here."""

    def __init__(self, deck: Deck, root: Path, files: frozenset[str], image_map: Mapping[str, str],
                 builder: ImageBuilder, progress: Progress, nocache: bool, jobs: int) -> None:
        self.deck = deck
        self.root = root
        self.files = files
        self.image_map = dict(image_map)
        self.builder = builder
        self.progress = progress
        self.nocache = nocache
        self.jobs = max(jobs, 1)
        self.deck_id = hashlib.sha256(str(Path(deck.path).resolve()).encode()).hexdigest()[:12]
        self.tags: dict[tuple[str, str], str] = {}
        self.resolved: dict[str, str | None] = {}

    # ---- shared by both builders

    def _blocked(self, plan: DockerfilePlan, missing: set[tuple[str, int]]) -> list[int]:
        return [s.index for s in plan.stages if any((ref, line) in missing for ref, line in s.images)]

    def _missing(self, plan: DockerfilePlan, index: int) -> StageResult:
        stage = plan.stages[index]
        ref, line = next(item for item in stage.images if self.resolved.get(item[0]) is None)
        return stage_result(plan, stage, StageStatus.BASE_MISSING, line,
                            message=missing_message(ref, map_image(ref, self.image_map)))

    def _skip_blocked(self, plan: DockerfilePlan, closure: tuple[int, ...], done: dict[int, StageResult]) -> bool:
        """Mark ``closure`` not reached (or unsupported) when a stage it needs did not succeed."""
        bad = [i for i in closure if i in done and not done[i].status.succeeded]
        if not bad:
            return False
        culprit = done[bad[0]]
        status = StageStatus.UNSUPPORTED if culprit.status is StageStatus.UNSUPPORTED else StageStatus.NOT_REACHED
        verb = "unsupported" if status is StageStatus.UNSUPPORTED else "not reached"
        for i in closure:
            done.setdefault(i, stage_result(plan, plan.stages[i], status, plan.stages[i].first_line,
                                            message=f"{verb}: needs stage {plan.stages[bad[0]].label}, "
                                            f"which is {culprit.status.value}"))
        return True

    def _context(self, plan: DockerfilePlan, closure: tuple[int, ...]) -> tuple[bytes, str]:
        name = dockerfile_name(self.files, plan.dockerfile.name)
        return context_tar(self.root, self.files, name, build_text(plan, closure, self.image_map)), name

    def _labels(self) -> dict[str, str]:
        return {"io.slidekit.deck": str(Path(self.deck.path).name)}

    def _tag(self, plan: DockerfilePlan, index: int) -> str:
        tag = stage_tag(self.deck_id, plan.dockerfile.name, plan.stages[index].label)
        self.tags[(plan.dockerfile.name, plan.stages[index].label)] = tag
        return tag

    def _stage_done(self, plan: DockerfilePlan, results: Mapping[int, StageResult], done: Mapping[int, StageResult]) -> None:
        for index, result in results.items():
            if index not in done:
                self.progress(ProgressEvent(ProgressKind.STAGE, plan.dockerfile.name, result.stage,
                                            status=result.status, seconds=result.seconds))

    # ---- the classic builder: one leaf target after another

    def build_classic(self, plan: DockerfilePlan, wanted: tuple[int, ...], missing: set[tuple[str, int]]) -> dict[int, StageResult]:
        done = {index: self._missing(plan, index) for index in self._blocked(plan, missing)}
        for target in wanted:
            if target in done:
                continue
            closure = plan.closure(target)
            if self._skip_blocked(plan, closure, done):
                continue
            for index, result in self._build_classic(plan, closure, done).items():
                done.setdefault(index, result)
        return done

    def _build_classic(self, plan: DockerfilePlan, closure: tuple[int, ...], done: Mapping[int, StageResult]) -> dict[int, StageResult]:
        df = plan.dockerfile
        target = plan.stages[closure[-1]]
        table = step_table(plan, closure)
        keep = {}
        for index in closure:
            last = max(n for n, (s, _) in enumerate(table, 1) if s == index)
            keep[FINAL_STEP if index == target.index else last] = self._tag(plan, index)
        self.progress(ProgressEvent(ProgressKind.BUILD, df.name, target.label))

        def on_step(number: int, total: int, instruction: str) -> None:
            stage = table[number - 1][0] if 0 < number <= len(table) else target.index
            label = plan.stages[stage].label if stage >= 0 else "(global ARG)"
            self.progress(ProgressEvent(ProgressKind.STEP, df.name, label, number, total, instruction))

        context, name = self._context(plan, closure)
        request = BuildRequest(context, name, None, self.nocache, self._labels(), keep)
        outcome = self.builder.build(request, on_step)
        results = stage_results(plan, closure, outcome, self.image_map)
        self._stage_done(plan, results, done)
        return results

    # ---- BuildKit: leaf targets concurrently, then the other stages tagged from its cache

    def build_buildkit(self, plan: DockerfilePlan, wanted: tuple[int, ...], missing: set[tuple[str, int]]) -> dict[int, StageResult]:
        assert isinstance(self.builder, BuildKitBuilder)
        frontend = builtin_frontend(self.builder.engine_version)
        done = {index: self._missing(plan, index) for index in self._blocked(plan, missing)}
        needed = {i for target in wanted for i in plan.closure(target)}
        for index, (line, reason) in unsupported_reasons(plan, frontend).items():
            if index in needed and index not in done:
                done[index] = stage_result(plan, plan.stages[index], StageStatus.UNSUPPORTED, line, message=reason)
        pending = [t for t in wanted if t not in done and not self._skip_blocked(plan, plan.closure(t), done)]
        built: dict[int, StageResult] = {}
        for results in self._parallel(plan, pending, self._build_target):
            for index, result in results.items():
                current = built.get(index)
                if current is None or (current.status is StageStatus.NOT_REACHED and result.status is not StageStatus.NOT_REACHED):
                    built[index] = result
        self._stage_done(plan, built, done)
        for index, result in built.items():
            done.setdefault(index, result)
        untagged = [i for i, r in done.items() if r.status.succeeded and r.image_id is None]
        for index, image in zip(untagged, self._parallel(plan, untagged, self._tag_stage)):
            if image is not None:
                done[index] = replace(done[index], image_id=image)
        return done

    def _parallel(self, plan: DockerfilePlan, targets: list[int], work: Callable[[DockerfilePlan, int], _T]) -> list[_T]:
        """``work(plan, target)`` for every target, ``jobs`` at a time; Ctrl-C aborts every build."""
        if len(targets) <= 1 or self.jobs == 1:
            return [work(plan, t) for t in targets]
        pool = ThreadPoolExecutor(max_workers=min(self.jobs, len(targets)), thread_name_prefix="slidekit-build")
        futures: list[Future[_T]] = [pool.submit(work, plan, t) for t in targets]
        try:
            return [f.result() for f in futures]
        except BaseException:
            if isinstance(self.builder, BuildKitBuilder):
                self.builder.abort()  # closes every open stream: the engine cancels those builds
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _build_target(self, plan: DockerfilePlan, target: int) -> dict[int, StageResult]:
        assert isinstance(self.builder, BuildKitBuilder)
        df = plan.dockerfile
        closure = plan.closure(target)
        self.progress(ProgressEvent(ProgressKind.BUILD, df.name, plan.stages[target].label))

        def on_vertex(vertex: VertexRecord) -> None:
            where = locate(plan, closure, vertex)
            if where is None or vertex.started is None or vertex.completed is not None:
                return
            text = vertex.name.split("] ", 1)[-1]
            step, _, total = vertex.name[1:].split("] ", 1)[0].rpartition(" ")[2].partition("/")
            self.progress(ProgressEvent(ProgressKind.STEP, df.name, plan.stages[where[0]].label,
                                        int(step or 0), int(total or 0), text))

        context, name = self._context(plan, closure)
        request = TargetRequest(context, name, self._tag(plan, target), self.nocache, self._labels())
        return trace_results(plan, closure, self.builder.build_target(request, on_vertex), self.image_map)

    def _tag_stage(self, plan: DockerfilePlan, index: int) -> str | None:
        """Tag a stage BuildKit built as part of a target: a build of it alone, answered from its cache."""
        assert isinstance(self.builder, BuildKitBuilder)
        context, name = self._context(plan, plan.closure(index))
        outcome = self.builder.build_target(TargetRequest(context, name, self._tag(plan, index), False, self._labels()))
        return outcome.image_id if outcome.error is None else None


@contextlib.contextmanager
def _abort_on(cancel: Cancel | None, builder: ImageBuilder) -> Iterator[None]:
    """While building, ``cancel`` (another thread's Ctrl-C) calls the builder's ``abort``
    (BuildKit: closes its streams, the engine cancels); the progress callback raising
    KeyboardInterrupt covers builders without one at their next event."""
    abort = getattr(builder, "abort", None)
    if cancel is None or abort is None:
        yield
        return
    forget = cancel.on_cancel(abort)
    try:
        yield
    finally:
        forget()


def connect_builder(choice: Builder, spec: EngineSpec | None = None) -> tuple[ImageBuilder | None, Builder, str]:
    """Connect to the engine ``spec`` names (None: the environment's selection) and make the
    builder for ``choice``; (None, choice, why) when there is no engine."""
    engine = connect(spec)
    if engine.client is None:
        return None, choice, engine.message
    builder, kind = make_builder(engine.client, choice)
    return builder, kind, ""


def builder_kind(builder: ImageBuilder) -> Builder:
    return Builder.BUILDKIT if isinstance(builder, BuildKitBuilder) else Builder.CLASSIC


def make_builder(client: Any, choice: Builder) -> tuple[ImageBuilder, Builder]:
    """The image builder for ``choice`` (auto: BuildKit when the engine supports it)."""
    if choice is Builder.AUTO:
        choice = Builder.BUILDKIT if supports_buildkit(client.api) else Builder.CLASSIC
    if choice is Builder.BUILDKIT:
        return BuildKitBuilder(client), choice
    return DockerSdkBuilder(client), choice


def _smoke(client: object, deck: Deck, stages: tuple[StageResult, ...], run: _Run) -> list[SmokeResult]:
    if client is None:
        return []
    images = {(s.dockerfile, s.stage): run.tags.get((s.dockerfile, s.stage)) or s.image_id or ""
              for s in stages if s.status.succeeded and (s.image_id or (s.dockerfile, s.stage) in run.tags)}

    def on_check(check: SmokeCheck, dockerfile: str, result: SmokeResult | None) -> None:
        if result is None:
            run.progress(ProgressEvent(ProgressKind.SMOKE, dockerfile, check.stage, text=check.kind))
        else:
            run.progress(ProgressEvent(ProgressKind.CHECKED, dockerfile, result.stage, text=check.kind,
                                       status=CheckStatus.PASSED if result.passed else CheckStatus.FAILED,
                                       seconds=result.seconds))

    return list(run_checks(client, deck, images, on_check))
