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

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from slidekit.deck.console import ConsoleBlock
from slidekit.deck.model import Deck
from slidekit.errors import SlidekitError
from slidekit.verify import cache as result_cache
from slidekit.verify.assemble import assemble, has_blocks_to_verify
from slidekit.verify.checks import read_dockerignore, smoke_findings, static_findings
from slidekit.verify.model import (
    Builder,
    Severity,
    StageResult,
    VerifyReport,
)
from slidekit.verify.console import console_blocks, with_console
from slidekit.verify.console_result import ConsoleResult, ConsoleStatus
from slidekit.verify.plan import (
    DockerfilePlan,
    base_refs,
    build_text,
    cached_stages,
    context_root,
    effective_image_map,
    list_files,
    map_image,
    plan_stages,
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
    from slidekit.verify.cancel import Cancel
    from slidekit.verify.engine import EngineSpec

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
    console: bool = True  # check the ```console blocks after the builds
    allow_exec: bool = False  # run ```console host blocks even in a deck not trusted otherwise
    engine: EngineSpec | None = None  # None: the engine the environment selects (engine.selected_engine)
    cancel: Cancel | None = None  # verify -j: Ctrl-C seen by the main thread aborts this deck's open builds


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


def verify(deck: Deck, options: VerifyOptions, *, image_builder: ImageBuilder | None = None,
           progress: Progress | None = None) -> VerifyReport:
    """Verify ``deck``'s Dockerfiles, then check its console blocks against the images built
    (:mod:`slidekit.verify.console`; with ``targets``, only the blocks of those stages)."""
    started = time.monotonic()
    if image_builder is None and options.engine is None:
        from slidekit.verify.engine import selected_engine  # noqa: PLC0415 - boundary: loaded only to verify

        # as the docker CLI picks it; an unknown context is a usage error (exit 2), even when cached
        options = replace(options, engine=selected_engine())
    targets = options.targets
    blocks = [b for b in console_blocks(deck) if targets is None or (b.kind == "stage" and b.target in targets)]
    if not options.console:
        blocks = []
    if any(b.checked for b in blocks) and not has_blocks_to_verify(deck):
        result = VerifyReport(deck.path)  # console blocks only: nothing to build
    else:
        result = _verify_dockerfiles(deck, options, image_builder=image_builder, progress=progress)
    if not blocks:
        return result
    emit: Progress = progress or (lambda event: None)

    def on_block(block: ConsoleBlock, done: ConsoleResult | None) -> None:
        where = f"{Path(deck.path).name}:{block.line}"
        if done is None:
            emit(ProgressEvent(ProgressKind.CONSOLE, where, text=block.describe()))
        elif done.status is not ConsoleStatus.NOT_CHECKED:
            status = CheckStatus.FAILED if done.status.failing else CheckStatus.PASSED
            emit(ProgressEvent(ProgressKind.CHECKED, where, text="console", status=status,
                               seconds=done.seconds))

    result = with_console(result, deck, image_map=effective_image_map(deck, options.image_map),
                          use_cache=options.use_cache, allow_exec=options.allow_exec,
                          client=getattr(image_builder, "client", None), on_block=on_block, blocks=blocks,
                          jobs=options.jobs, engine=options.engine)
    emit(ProgressEvent(ProgressKind.DONE))
    return replace(result, seconds=time.monotonic() - started)


def _verify_dockerfiles(deck: Deck, options: VerifyOptions, *, image_builder: ImageBuilder | None = None,
                        progress: Progress | None = None) -> VerifyReport:
    """Verify ``deck``'s Dockerfiles as ``options`` say.

    ``image_builder`` None connects to ``options.engine`` and picks the builder
    (``--builder``/front matter, auto: BuildKit when the engine has it); without an engine
    the report has the static findings, every stage ``not verified`` and
    ``engine_available=False`` (exit 3 unless the findings already fail). Cached results
    count only on the engine that built them.
    """
    started = time.monotonic()
    engine = options.engine
    engine_key = engine.base_url if engine is not None else None  # None: a given image builder, any engine
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
        base = VerifyReport(deck.path, findings + checks, dockerfiles=tuple(d.name for d in dockerfiles), builder=builder,
                            engine_name=engine.label if engine is not None else "")
        return replace(base, seconds=time.monotonic() - started, **changes)  # type: ignore[arg-type]  # changes are VerifyReport fields passed through by name

    if any(f.severity is Severity.ERROR for f in checks):
        # A check naming no stage is a deck error: report it now rather than after minutes of building.
        emit(ProgressEvent(ProgressKind.DONE))
        return report(None if choice is Builder.AUTO else choice, stages=unverified(plans, {}))
    content = result_cache.content_key(dockerfiles, result_cache.hash_context(root, files), mapping)
    previous = result_cache.load(content)
    if previous is not None and engine_key and previous.engine not in ("", engine_key):
        previous = None  # built by another engine: its images are not on this one ("": not recorded)
    if image_builder is None and options.use_cache and not options.run_checks and previous is not None:
        quick = _quick_hit(previous, plans, wanted, mapping, engine)
        if quick is not None:
            emit(ProgressEvent(ProgressKind.CACHED))
            return report(None if choice is Builder.AUTO else choice, stages=quick, from_cache=True)
    # The warm path's boundary: the engine client and the builders (tarfile, the docker SDK, protobuf) load only
    # from here on.
    from slidekit.verify import orchestrate  # noqa: PLC0415 - boundary: loaded only when something is built

    if image_builder is None:
        image_builder, choice, message = orchestrate.connect_builder(choice, engine)
        if image_builder is None:
            return report(None if choice is Builder.AUTO else choice, stages=unverified(plans, {}),
                          engine_available=False, engine_message=message)
    else:
        choice = orchestrate.builder_kind(image_builder)
    job = orchestrate.BuildJob(deck, plans, wanted, root, files, mapping, content, previous, options.use_cache,
                               options.run_checks, options.jobs, engine_key or "", options.cancel)
    built = orchestrate.build_and_check(job, image_builder, choice, emit)
    emit(ProgressEvent(ProgressKind.DONE))
    return report(built.builder, stages=built.stages, smoke=built.smoke, from_cache=built.from_cache)


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
    console: bool = True,
    allow_exec: bool = False,
    engine: EngineSpec | None = None,
    cancel: Cancel | None = None,
) -> VerifyReport:
    """:func:`verify` with the options as keywords (``builder``: an image builder to use instead of the engine's)."""
    options = VerifyOptions(context, dict(image_map), frozenset(targets) if targets is not None else None, use_cache,
                            run_checks, hadolint, builder_kind, console=console, allow_exec=allow_exec, engine=engine,
                            cancel=cancel)
    return verify(deck, options, image_builder=builder, progress=progress)


def _quick_hit(entry: result_cache.CacheEntry, plans: tuple[DockerfilePlan, ...],
               wanted: Mapping[str, tuple[int, ...]], mapping: Mapping[str, str],
               engine: EngineSpec | None) -> tuple[StageResult, ...] | None:
    """The cached result, checking base image ids over the selected engine's unix socket
    without the SDK (None, so that the SDK path runs, for other engines)."""
    from slidekit.verify.engine import local_image_ids  # noqa: PLC0415 - boundary: `verify --static` never loads it

    refs = base_refs(plans, wanted)
    ids = local_image_ids([map_image(ref, mapping) for ref in refs], engine)
    if ids is None or any(v is None for v in ids.values()):
        return None
    resolved = {ref: ids[map_image(ref, mapping)] for ref in refs}
    return cached_stages(entry, resolved, plans, wanted)
