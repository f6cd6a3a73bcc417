"""The verify orchestrator: assemble → static checks (also the front matter `checks:`) → build
every stage → smoke checks → report, driven by one :class:`VerifyOptions` value.

The plan is pure (:mod:`slidekit.verify.plan`); only the image builders talk to the
engine: :class:`~slidekit.verify.build.DockerSdkBuilder` (the classic builder, one
leaf target after another) and :class:`~slidekit.verify.buildkit.BuildKitBuilder`
(BuildKit through ``/build?version=2``: independent leaf targets build concurrently,
one request per thread, and BuildKit shares the stages they have in common; then
the other stages are tagged from its cache).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from slidekit.deck.model import Deck
from slidekit.errors import SlidekitError
from slidekit.verify import cache as result_cache
from slidekit.verify.checks import read_dockerignore, smoke_findings, static_findings
from slidekit.verify.engine import connect, local_image_ids
from slidekit.verify.model import (
    Builder,
    Severity,
    SmokeResult,
    StageResult,
    StageStatus,
    VerifyReport,
)
from slidekit.verify.plan import (
    FINAL_STEP,
    DockerfilePlan,
    base_refs,
    build_text,
    cached_stages,
    collect,
    context_root,
    effective_image_map,
    list_files,
    map_image,
    missing_message,
    plan_stages,
    stage_result,
    stage_results,
    step_table,
    unverified,
    wanted_stages,
)
from slidekit.verify.vocab import CheckStatus, ProgressEvent, ProgressKind

if TYPE_CHECKING:
    # The modules that build (tarfile, the docker SDK, protobuf) load only when something is built:
    # an unchanged deck is answered from the cache without them (tests/verify/test_warm_path.py).
    from slidekit.verify.build import ImageBuilder

# Re-exported: tests and benchmarks import the pure plan API from here too.
__all__ = ["VerifyOptions", "build_text", "map_image", "plan_stages", "stage_results", "static_findings", "step_table",
           "verify", "verify_deck"]

Progress = Callable[[ProgressEvent], None]
_T = TypeVar("_T")

#: Static findings that only hold for the classic builder (BuildKit builds these, or reports them unsupported).
CLASSIC_ONLY_RULES = frozenset({"RequiresBuildKit", "HeredocNeedsBuildKit"})


@dataclass(frozen=True)
class VerifyOptions:
    """Everything a verify run is asked to do (the CLI, the presenter's ctrl+e and export build one)."""

    context: Path | None = None
    image_map: Mapping[str, str] = field(default_factory=dict)
    targets: frozenset[str] | None = None
    use_cache: bool = True
    run_checks: bool = False
    hadolint: bool = True
    builder: Builder | None = None  # None: front matter `builder:`, else auto
    jobs: int = 4  # leaf targets built at once (BuildKit)


def chosen_builder(deck: Deck, option: Builder | None) -> Builder:
    """``--builder``, else front matter ``builder:``, else auto."""
    if option is not None:
        return option
    value = deck.meta.options.get("builder")
    if value is None:
        return Builder.AUTO
    try:
        return Builder(str(value).strip().lower())
    except ValueError:
        raise SlidekitError(f"builder: {value!r} is not one of auto, buildkit, classic", deck.path,
                            deck.meta.key_line("builder")) from None


# --------------------------------------------------------------------------- orchestration


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
        from slidekit.verify.build import context_tar, dockerfile_name

        name = dockerfile_name(self.files, plan.dockerfile.name)
        return context_tar(self.root, self.files, name, build_text(plan, closure, self.image_map)), name

    def _labels(self) -> dict[str, str]:
        return {"io.slidekit.deck": str(Path(self.deck.path).name)}

    def _tag(self, plan: DockerfilePlan, index: int) -> str:
        from slidekit.verify.build import stage_tag

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
        from slidekit.verify.build import BuildRequest

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
        from slidekit.verify.buildkit import BuildKitBuilder
        from slidekit.verify.trace_map import builtin_frontend, unsupported_reasons

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
            from slidekit.verify.buildkit import BuildKitBuilder

            if isinstance(self.builder, BuildKitBuilder):
                self.builder.abort()  # closes every open stream: the engine cancels those builds
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _build_target(self, plan: DockerfilePlan, target: int) -> dict[int, StageResult]:
        from slidekit.verify.buildkit import (
            BuildKitBuilder,
            TargetRequest,
            VertexRecord,
        )
        from slidekit.verify.trace_map import locate, trace_results

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
        from slidekit.verify.buildkit import BuildKitBuilder, TargetRequest

        assert isinstance(self.builder, BuildKitBuilder)
        context, name = self._context(plan, plan.closure(index))
        outcome = self.builder.build_target(TargetRequest(context, name, self._tag(plan, index), False, self._labels()))
        return outcome.image_id if outcome.error is None else None


def verify(deck: Deck, options: VerifyOptions, *, image_builder: ImageBuilder | None = None,
           progress: Progress | None = None) -> VerifyReport:
    """Verify ``deck``'s Dockerfiles as ``options`` say.

    ``image_builder`` None connects to the engine from the environment and picks the
    builder (``--builder``/front matter, auto: BuildKit when the engine has it); without
    an engine the report has the static findings, every stage ``not verified`` and
    ``engine_available=False`` (exit 3 unless the findings already fail).
    """
    from slidekit.verify.assemble import assemble

    started = time.monotonic()
    emit: Progress = progress or (lambda event: None)
    choice = chosen_builder(deck, options.builder)
    dockerfiles = assemble(deck)
    root = context_root(deck, options.context)
    files = list_files(root)
    mapping = effective_image_map(deck, options.image_map)
    emit(ProgressEvent(ProgressKind.STATIC))
    all_findings = static_findings(dockerfiles, files, options.hadolint, read_dockerignore(root))
    plans = tuple(plan_stages(d) for d in dockerfiles)
    checks = smoke_findings(deck, plans)
    targets = set(options.targets) if options.targets is not None else None
    wanted = wanted_stages(plans, targets, deck.path)

    def report(builder: Builder | None, **changes: object) -> VerifyReport:
        findings = all_findings if builder is Builder.CLASSIC else tuple(
            f for f in all_findings if f.rule not in CLASSIC_ONLY_RULES)
        base = VerifyReport(deck.path, findings + checks, dockerfiles=tuple(d.name for d in dockerfiles), builder=builder)
        return replace(base, seconds=time.monotonic() - started, **changes)  # type: ignore[arg-type]  # changes are VerifyReport fields passed through by name

    if any(f.severity is Severity.ERROR for f in checks):
        # A check naming no stage is a deck error: report it now rather than after minutes of building.
        emit(ProgressEvent(ProgressKind.DONE))
        return report(None if choice is Builder.AUTO else choice, stages=unverified(plans, {}))
    content = result_cache.content_key(dockerfiles, result_cache.hash_context(root, files), mapping)
    previous = result_cache.load(content)
    if image_builder is None and options.use_cache and not options.run_checks and previous is not None:
        quick = _quick_hit(previous, plans, wanted, mapping)
        if quick is not None:
            emit(ProgressEvent(ProgressKind.CACHED))
            return report(None if choice is Builder.AUTO else choice, stages=quick, from_cache=True)
    if image_builder is None:
        engine = connect()
        if not engine.available:
            return report(None if choice is Builder.AUTO else choice, stages=unverified(plans, {}),
                          engine_available=False, engine_message=engine.message)
        image_builder, choice = _make_builder(engine.client, choice)
    else:
        choice = _kind(image_builder)
    run = _Run(deck, root, files, mapping, image_builder, emit, not options.use_cache, options.jobs)
    run.resolved = {ref: image_builder.resolve_base(map_image(ref, mapping)) for ref in base_refs(plans, wanted)}
    exists = image_builder.image_exists if options.run_checks else None
    hit = cached_stages(previous, run.resolved, plans, wanted, exists) if options.use_cache else None
    if hit is not None:
        emit(ProgressEvent(ProgressKind.CACHED))
        stages, from_cache = hit, True
    else:
        missing = {(ref, line) for p in plans for s in p.stages for ref, line in s.images if run.resolved.get(ref, "") is None}
        build = run.build_buildkit if choice is Builder.BUILDKIT else run.build_classic
        done = {p.dockerfile.name: build(p, wanted[p.dockerfile.name], missing) for p in plans}
        stages, from_cache = collect(plans, done), False
        fresh = tuple(s for s in stages if s.status is not StageStatus.NOT_VERIFIED)
        bases = {ref: image_id or "" for ref, image_id in run.resolved.items()}
        result_cache.store(result_cache.merge(previous, result_cache.CacheEntry(content, bases, deck.path, fresh)))
    smoke = _smoke(image_builder.client, deck, stages, run) if options.run_checks else []
    emit(ProgressEvent(ProgressKind.DONE))
    return report(choice, stages=stages, smoke=tuple(smoke), from_cache=from_cache)


def verify_deck(
    deck: Deck,
    *,
    context: Path | None,
    image_map: Mapping[str, str],
    targets: set[str] | None = None,
    use_cache: bool = True,
    run_checks: bool = False,
    builder: ImageBuilder | None = None,
    progress: Progress | None = None,
    hadolint: bool = True,
    builder_kind: Builder | None = None,
) -> VerifyReport:
    """:func:`verify` with the options as keywords (``builder``: an image builder to use instead of the engine's)."""
    options = VerifyOptions(context, dict(image_map), frozenset(targets) if targets is not None else None, use_cache,
                            run_checks, hadolint, builder_kind)
    return verify(deck, options, image_builder=builder, progress=progress)


def _kind(builder: ImageBuilder) -> Builder:
    from slidekit.verify.buildkit import BuildKitBuilder

    return Builder.BUILDKIT if isinstance(builder, BuildKitBuilder) else Builder.CLASSIC


def _make_builder(client: object, choice: Builder) -> tuple[ImageBuilder, Builder]:
    """The image builder for ``choice`` (auto: BuildKit when the engine supports it)."""
    from slidekit.verify.build import DockerSdkBuilder
    from slidekit.verify.buildkit import BuildKitBuilder, supports_buildkit

    if choice is Builder.AUTO:
        choice = Builder.BUILDKIT if supports_buildkit(client.api) else Builder.CLASSIC  # type: ignore[attr-defined]  # docker-stubs do not declare DockerClient.api
    if choice is Builder.BUILDKIT:
        return BuildKitBuilder(client), choice
    return DockerSdkBuilder(client), choice


def _quick_hit(entry: result_cache.CacheEntry, plans: tuple[DockerfilePlan, ...],
               wanted: Mapping[str, tuple[int, ...]], mapping: Mapping[str, str]) -> tuple[StageResult, ...] | None:
    """The cached result, checking base image ids over the engine socket without the SDK."""
    refs = base_refs(plans, wanted)
    ids = local_image_ids([map_image(ref, mapping) for ref in refs])
    if ids is None or any(v is None for v in ids.values()):
        return None
    resolved = {ref: ids[map_image(ref, mapping)] for ref in refs}
    return cached_stages(entry, resolved, plans, wanted)


def _smoke(client: object, deck: Deck, stages: tuple[StageResult, ...], run: _Run) -> list[SmokeResult]:
    from slidekit.verify.smoke import SmokeCheck, run_checks

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
