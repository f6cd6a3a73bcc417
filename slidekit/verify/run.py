"""``verify_deck``: assemble → static checks (also the front matter `checks:`) → build every stage → smoke checks → report.

The build plan is pure (:func:`plan_stages`, :func:`build_text`, :func:`step_table`);
only the :class:`~slidekit.verify.build.ImageBuilder` talks to the engine.

Each *leaf* stage (one no other stage needs) is built once; stages built as its
dependencies count as built. The engine only ever sees the stages a target
needs: the other stages' lines are blanked in the text sent (line numbers stay
the same), so a broken stage does not take unrelated stages down with it, as
with BuildKit, although the SDK drives the classic builder. Numeric
``COPY --from=N`` references keep every stage up to the target (indexes must
not shift). ``--image-map`` rewrites ``FROM`` lines in the text sent only;
reports and line numbers always refer to the deck.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from slidekit.confine import confinement
from slidekit.deck.model import Deck
from slidekit.errors import SlidekitError
from slidekit.verify import cache as result_cache
from slidekit.verify.dockerfile import ParsedDockerfile, arg_defaults, expand, parse_dockerfile
from slidekit.verify.model import AssembledDockerfile, Finding, Severity, SmokeResult, StageResult, StageStatus, VerifyReport
from slidekit.verify.progress import ProgressEvent

if TYPE_CHECKING:  # build.py (tarfile, the SDK builder) is imported only when something is built
    from slidekit.verify.build import BuildOutcome, ImageBuilder

Progress = Callable[[ProgressEvent], None]


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
    """Status of every stage in ``closure`` after one build."""
    from slidekit.verify.build import FINAL_STEP

    table = step_table(plan, closure)
    failed_step = outcome.error_step
    if failed_step == 0:  # the engine refused the file before any step
        failed_step = _line_step(table, outcome.error or "") or (len(plan.arg_lines) + 1)
    seconds = {r.number: r.seconds for r in outcome.steps}
    out: dict[int, StageResult] = {}
    for index in closure:
        numbers = [n for n, (s, _) in enumerate(table, 1) if s == index]
        first, last = numbers[0], numbers[-1]
        took = sum(seconds.get(n, 0.0) for n in numbers)
        stage = plan.stages[index]
        if failed_step is None or failed_step > last:
            image = outcome.image_after(last if index != closure[-1] else FINAL_STEP) or outcome.image_after(last)
            out[index] = _result(plan, stage, StageStatus.BUILT, stage.first_line, took, image_id=image)
        elif failed_step < first:
            out[index] = _result(plan, stage, StageStatus.NOT_REACHED, stage.first_line, 0.0,
                                 message="not reached: an earlier stage failed")
        else:
            out[index] = _failure(plan, stage, table[failed_step - 1][1], failed_step == first, took, outcome, image_map)
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
        return _result(plan, stage, StageStatus.BASE_MISSING, line, took,
                       message=missing_message(ref, map_image(ref, image_map)), tail=outcome.tail)
    return _result(plan, stage, StageStatus.FAILED, line, took, message=error, tail=outcome.tail)


def missing_message(ref: str, mapped: str) -> str:
    shown = f"`{mapped}` (mapped from `{ref}`)" if mapped != ref else f"`{ref}`"
    return (f"base image {shown} is neither local nor pullable; build or load it, "
            f"or substitute one with --image-map {ref}=<local image>")


def _result(
    plan: DockerfilePlan, stage: StagePlan, status: StageStatus, line: int, seconds: float = 0.0, *,
    image_id: str | None = None, message: str = "", tail: tuple[str, ...] = (),
) -> StageResult:
    df = plan.dockerfile
    return StageResult(df.name, stage.label, status, df.deck_line(line), df.deck_path, round(seconds, 6),
                       image_id, message, tail, df.slide_index(line))


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
    from slidekit.verify.context import list_context

    return list_context(root, limit)


def static_findings(dockerfiles: tuple[AssembledDockerfile, ...], files: frozenset[str], hadolint: bool) -> tuple[Finding, ...]:
    """The static checks' findings, cached by content (:func:`cache.findings_key`): an
    unchanged deck neither imports the rules nor starts hadolint."""
    identity = None
    if hadolint:
        from slidekit.verify.hadolint import identity as hadolint_identity

        identity = hadolint_identity()
    key = result_cache.findings_key(dockerfiles, files, identity)
    cached = result_cache.load_findings(key)
    if cached is not None:
        return cached
    from slidekit.verify.hadolint import run_hadolint
    from slidekit.verify.static import check

    # hadolint caches its own results by text: asked first, the check below reads them back.
    complete = identity is None or all(run_hadolint(d.text) is not None for d in dockerfiles)
    findings = tuple(check(dockerfiles, files, hadolint=hadolint))
    if complete:  # a hadolint that failed this time is asked again next time
        result_cache.store_findings(key, findings)
    return findings


def smoke_findings(deck: Deck, plans: tuple[DockerfilePlan, ...]) -> tuple[Finding, ...]:
    """The front matter ``checks:``, validated before anything is built: a malformed
    check raises DeckError (exit 2); one naming no (or an ambiguous) stage is an error finding."""
    if deck.meta.options.get("checks") is None:
        return ()  # the common case: smoke.py (urllib, uuid) is not even imported
    from slidekit.verify.smoke import check_findings, parse_checks

    stages = [(p.dockerfile.name, s.label) for p in plans for s in p.stages]
    return tuple(check_findings(parse_checks(deck), stages))


# --------------------------------------------------------------------------- orchestration


@dataclass
class _Run:
    deck: Deck
    plans: tuple[DockerfilePlan, ...]
    root: Path
    files: frozenset[str]
    image_map: dict[str, str]
    builder: ImageBuilder
    progress: Progress
    nocache: bool

    def __post_init__(self) -> None:
        self.deck_id = hashlib.sha256(str(Path(self.deck.path).resolve()).encode()).hexdigest()[:12]
        self.tags: dict[tuple[str, str], str] = {}
        self.resolved: dict[str, str | None] = {}

    def build_plan(self, plan: DockerfilePlan, wanted: tuple[int, ...], missing: set[tuple[str, int]]) -> dict[int, StageResult]:
        done: dict[int, StageResult] = {}
        for index in self._blocked(plan, missing):
            done[index] = self._missing(plan, index)
        for target in wanted:
            if target in done:
                continue
            closure = plan.closure(target)
            bad = [i for i in closure if i in done and done[i].status is not StageStatus.BUILT]
            if bad:
                for i in closure:
                    done.setdefault(i, _result(plan, plan.stages[i], StageStatus.NOT_REACHED, plan.stages[i].first_line,
                                               message=f"not reached: needs stage {plan.stages[bad[0]].label}, "
                                               f"which is {done[bad[0]].status.value}"))
                continue
            for index, result in self._build(plan, closure, done).items():
                done.setdefault(index, result)
        return done

    def _blocked(self, plan: DockerfilePlan, missing: set[tuple[str, int]]) -> list[int]:
        return [s.index for s in plan.stages if any((ref, line) in missing for ref, line in s.images)]

    def _missing(self, plan: DockerfilePlan, index: int) -> StageResult:
        stage = plan.stages[index]
        ref, line = next(item for item in stage.images if self.resolved.get(item[0]) is None)
        return _result(plan, stage, StageStatus.BASE_MISSING, line,
                       message=missing_message(ref, map_image(ref, self.image_map)))

    def _build(self, plan: DockerfilePlan, closure: tuple[int, ...], done: Mapping[int, StageResult]) -> dict[int, StageResult]:
        from slidekit.verify.build import FINAL_STEP, BuildRequest, context_tar, dockerfile_name, stage_tag

        df = plan.dockerfile
        target = plan.stages[closure[-1]]
        name = dockerfile_name(self.files, df.name)
        table = step_table(plan, closure)
        keep = {}
        for index in closure:
            last = max(n for n, (s, _) in enumerate(table, 1) if s == index)
            tag = stage_tag(self.deck_id, df.name, plan.stages[index].label)
            keep[FINAL_STEP if index == target.index else last] = tag
            self.tags[(df.name, plan.stages[index].label)] = tag
        text = build_text(plan, closure, self.image_map)
        self.progress(ProgressEvent("build", df.name, target.label))

        def on_step(number: int, total: int, instruction: str) -> None:
            stage = table[number - 1][0] if 0 < number <= len(table) else target.index
            label = plan.stages[stage].label if stage >= 0 else "(global ARG)"
            self.progress(ProgressEvent("step", df.name, label, number, total, instruction))

        request = BuildRequest(context_tar(self.root, self.files, name, text), name, None, self.nocache,
                               {"io.slidekit.deck": str(Path(self.deck.path).name)}, keep)
        outcome = self.builder.build(request, on_step)
        results = stage_results(plan, closure, outcome, self.image_map)
        for index, result in results.items():
            if index not in done:
                self.progress(ProgressEvent("stage", df.name, result.stage, status=result.status.value,
                                            seconds=result.seconds))
        return results


def verify_deck(
    deck: Deck,
    *,
    context: Path | None,
    image_map: dict[str, str],
    targets: set[str] | None = None,
    use_cache: bool = True,
    run_checks: bool = False,
    builder: ImageBuilder | None = None,
    progress: Progress | None = None,
    hadolint: bool = True,
) -> VerifyReport:
    """Verify ``deck``'s Dockerfiles; see the module docstring.

    ``builder`` None connects to the engine from the environment; without one the
    report has the static findings, every stage ``not verified`` and
    ``engine_available=False`` (exit 3 unless the findings already fail).
    """
    from slidekit.verify.assemble import assemble

    started = time.monotonic()
    emit: Progress = progress or (lambda event: None)
    dockerfiles = assemble(deck)
    root = context_root(deck, context)
    files = list_files(root)
    mapping = effective_image_map(deck, image_map)
    emit(ProgressEvent("static"))
    findings = static_findings(dockerfiles, files, hadolint)
    plans = tuple(plan_stages(d) for d in dockerfiles)
    checks = smoke_findings(deck, plans)
    wanted = _wanted(plans, targets, deck.path)
    base = VerifyReport(deck.path, findings + checks, dockerfiles=tuple(d.name for d in dockerfiles))
    if any(f.severity is Severity.ERROR for f in checks):
        # A check naming no stage is a deck error: report it now rather than after minutes of building.
        emit(ProgressEvent("done"))
        return replace(base, stages=_unverified(plans, {}), seconds=time.monotonic() - started)
    content = result_cache.content_key(dockerfiles, result_cache.hash_context(root, files), mapping)
    previous = result_cache.load(content)
    if builder is None and use_cache and not run_checks and previous is not None:
        quick = _quick_hit(previous, plans, wanted, mapping)
        if quick is not None:
            emit(ProgressEvent("cached"))
            return replace(base, stages=quick, from_cache=True, seconds=time.monotonic() - started)
    client = None
    if builder is None:
        from slidekit.verify.build import DockerSdkBuilder
        from slidekit.verify.engine import connect

        engine = connect()
        if not engine.available:
            return replace(base, stages=_unverified(plans, {}), engine_available=False,
                           engine_message=engine.message, seconds=time.monotonic() - started)
        builder, client = DockerSdkBuilder(engine.client), engine.client
    else:
        client = getattr(builder, "client", None)
    run = _Run(deck, plans, root, files, mapping, builder, emit, nocache=not use_cache)
    run.resolved = _resolve(plans, wanted, mapping, builder)
    hit = _cache_hit(previous, run.resolved, plans, wanted, builder if run_checks else None) if use_cache else None
    if hit is not None:
        emit(ProgressEvent("cached"))
        stages, from_cache = hit, True
    else:
        missing = {(ref, line) for p in plans for s in p.stages for ref, line in s.images if run.resolved.get(ref, "") is None}
        done = {p.dockerfile.name: run.build_plan(p, wanted[p.dockerfile.name], missing) for p in plans}
        stages, from_cache = _collect(plans, done), False
        fresh = tuple(s for s in stages if s.status is not StageStatus.NOT_VERIFIED)
        bases = {ref: image_id or "" for ref, image_id in run.resolved.items()}
        result_cache.store(result_cache.merge(previous, result_cache.CacheEntry(content, bases, deck.path, fresh)))
    smoke = _smoke(client, deck, stages, run) if run_checks else ()
    emit(ProgressEvent("done"))
    return replace(base, stages=stages, smoke=tuple(smoke), from_cache=from_cache, seconds=time.monotonic() - started)


def _wanted(plans: tuple[DockerfilePlan, ...], targets: set[str] | None, path: str) -> dict[str, tuple[int, ...]]:
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


def _resolve(plans: tuple[DockerfilePlan, ...], wanted: Mapping[str, tuple[int, ...]],
             mapping: Mapping[str, str], builder: ImageBuilder) -> dict[str, str | None]:
    return {ref: builder.resolve_base(map_image(ref, mapping)) for ref in _refs(plans, wanted)}


def _refs(plans: tuple[DockerfilePlan, ...], wanted: Mapping[str, tuple[int, ...]]) -> list[str]:
    """The external images the stages to build need (``--target``: that stage's closure only)."""
    return sorted({ref for p in plans for i in wanted[p.dockerfile.name] for s in p.closure(i)
                   for ref, _ in p.stages[s].images if "$" not in ref})


def _quick_hit(entry: result_cache.CacheEntry, plans: tuple[DockerfilePlan, ...],
               wanted: Mapping[str, tuple[int, ...]], mapping: Mapping[str, str]) -> tuple[StageResult, ...] | None:
    """The cached result, checking base image ids over the engine socket without the SDK."""
    from slidekit.verify.engine import local_image_ids

    refs = _refs(plans, wanted)
    ids = local_image_ids([map_image(ref, mapping) for ref in refs])
    if ids is None or any(v is None for v in ids.values()):
        return None
    resolved = {ref: ids[map_image(ref, mapping)] for ref in refs}
    return _cache_hit(entry, resolved, plans, wanted, None)


def _scope(plans: tuple[DockerfilePlan, ...], wanted: Mapping[str, tuple[int, ...]]) -> set[tuple[str, str]]:
    return {(p.dockerfile.name, p.stages[s].label) for p in plans for i in wanted[p.dockerfile.name] for s in p.closure(i)}


def _cache_hit(entry: result_cache.CacheEntry | None, resolved: Mapping[str, str | None], plans: tuple[DockerfilePlan, ...],
               wanted: Mapping[str, tuple[int, ...]], builder: ImageBuilder | None) -> tuple[StageResult, ...] | None:
    if entry is None or not entry.bases_match(resolved):
        return None
    scope = _scope(plans, wanted)
    cached = {(s.dockerfile, s.stage): s for s in entry.stages}
    if not all(k in cached and cached[k].status is StageStatus.BUILT for k in scope):
        return None
    if builder is not None and not all(cached[k].image_id and builder.image_exists(cached[k].image_id or "") for k in scope):
        return None  # smoke checks need the images themselves
    return _unverified(plans, {k: v for k, v in cached.items() if k in scope})


def _unverified(plans: tuple[DockerfilePlan, ...], known: Mapping[tuple[str, str], StageResult]) -> tuple[StageResult, ...]:
    out: list[StageResult] = []
    for plan in plans:
        for stage in plan.stages:
            result = known.get((plan.dockerfile.name, stage.label))
            out.append(result or _result(plan, stage, StageStatus.NOT_VERIFIED, stage.first_line))
    return tuple(out)


def _collect(plans: tuple[DockerfilePlan, ...], done: Mapping[str, Mapping[int, StageResult]]) -> tuple[StageResult, ...]:
    known = {(p.dockerfile.name, r.stage): r for p in plans for r in done[p.dockerfile.name].values()}
    return _unverified(plans, known)


def _smoke(client: object, deck: Deck, stages: tuple[StageResult, ...], run: _Run) -> list[SmokeResult]:
    from slidekit.verify.smoke import run_checks

    if client is None:
        return []
    images = {(s.dockerfile, s.stage): run.tags.get((s.dockerfile, s.stage)) or s.image_id or ""
              for s in stages if s.status is StageStatus.BUILT and (s.image_id or (s.dockerfile, s.stage) in run.tags)}
    def on_check(check: object, dockerfile: str, result: SmokeResult | None) -> None:
        kind = str(getattr(check, "kind", ""))
        if result is None:
            run.progress(ProgressEvent("smoke", dockerfile, str(getattr(check, "stage", "")), text=kind))
        else:
            run.progress(ProgressEvent("checked", dockerfile, result.stage, text=kind,
                                       status="passed" if result.passed else "failed", seconds=result.seconds))

    return list(run_checks(client, deck, images, on_check))
