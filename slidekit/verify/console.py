"""Console checks: run each console block where it says, match, cache by content.

Runs after the builds: a ``stage=NAME`` block uses the image verify built for
that stage, ``image=REF`` a local image (``--image-map`` applies), ``host`` the
host's shell, only in a trusted deck (the caller applies the pre-processing
trust rule and passes the verdict). Outputs are cached in
``cache_dir()/console/`` by content: the image id, the commands (and the
attributes that change how they run) and the content of the files the block
mounts; the verdict is recomputed from the current deck each time, so an edit to
an expected line is checked without running anything, and line numbers follow
the deck.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from slidekit.deck.console import ConsoleBlock, console_blocks
from slidekit.deck.model import Deck
from slidekit.errors import SlidekitError
from slidekit.files import write_atomic
from slidekit.preprocess.trust import decide, gather
from slidekit.verify import cache as result_cache
from slidekit.verify.assemble import assemble, has_blocks_to_verify
from slidekit.verify.cache import cache_dir, hash_context
from slidekit.verify.console_match import CommandRun, check_block
from slidekit.verify.console_result import CommandOutput, ConsoleResult, ConsoleStatus
from slidekit.verify.console_run import abort_all, run_in_container, run_on_host, terminate_as_interrupt
from slidekit.verify.engine import EngineSpec, local_image_ids
from slidekit.verify.engine import connect as connect_engine
from slidekit.verify.model import StageResult, VerifyReport
from slidekit.verify.plan import context_root, effective_image_map, list_files, map_image

FORMAT = 1

#: A docker SDK client, or why there is none (called at most once, on the first block that must run).
Connect = Callable[[], tuple[Any, str]]
#: Told (block, None) before a block runs and (block, result) after.
OnBlock = Callable[[ConsoleBlock, ConsoleResult | None], None]


@dataclass
class ConsoleOptions:
    deck_dir: Path
    trusted: bool = False
    trust_notice: str = "not run: untrusted deck — pass --allow-exec"
    image_map: Mapping[str, str] = field(default_factory=dict)
    use_cache: bool = True
    connect: Connect | None = None
    on_block: OnBlock | None = None
    offline: bool = False  # only cached outputs: a block that would have to run is `not checked`
    jobs: int = 4  # blocks run at once (each in its own container)
    engine: EngineSpec | None = None  # the selected engine (None: the environment's), for image look-ups


@dataclass
class _Engine:
    connect: Connect | None
    client: Any = None
    message: str = ""
    tried: bool = False

    def get(self) -> Any:
        if not self.tried:
            self.tried = True
            if self.connect is None:
                self.message = "no Docker engine"
            else:
                self.client, self.message = self.connect()
        return self.client


def check_console(deck: Deck, stages: Sequence[StageResult], options: ConsoleOptions,
                  blocks: Sequence[ConsoleBlock] | None = None) -> tuple[ConsoleResult, ...]:
    """Check ``blocks`` (default: every console block of the deck) against ``stages``' images.

    Blocks answered without running (cached, not checked, refused...) are decided first; the
    others run ``options.jobs`` at a time, each in its own container. Ctrl-C or SIGTERM removes
    every container still running before the exception goes on."""
    engine = _Engine(options.connect)
    chosen = console_blocks(deck) if blocks is None else list(blocks)
    out: list[ConsoleResult | None] = []
    jobs: list[tuple[int, ConsoleBlock, Callable[[], ConsoleResult]]] = []
    for block in chosen:
        prepared = _prepare(deck, block, stages, options, engine)
        if isinstance(prepared, ConsoleResult):
            _tell(options, block, prepared)
            out.append(prepared)
        else:
            jobs.append((len(out), block, prepared))
            out.append(None)
    if jobs:
        for index, result in _run_jobs(jobs, options):
            out[index] = result
    return tuple(r for r in out if r is not None)


def _tell(options: ConsoleOptions, block: ConsoleBlock, result: ConsoleResult | None) -> None:
    if options.on_block is not None:
        options.on_block(block, result)


def _run_jobs(jobs: list[tuple[int, ConsoleBlock, Callable[[], ConsoleResult]]],
              options: ConsoleOptions) -> list[tuple[int, ConsoleResult]]:

    def work(block: ConsoleBlock, job: Callable[[], ConsoleResult]) -> ConsoleResult:
        _tell(options, block, None)
        result = job()
        _tell(options, block, result)
        return result

    with terminate_as_interrupt():
        if options.jobs <= 1 or len(jobs) == 1:
            return [(index, work(block, job)) for index, block, job in jobs]

        pool = ThreadPoolExecutor(max_workers=min(options.jobs, len(jobs)), thread_name_prefix="slidekit-console")
        try:
            futures = [(index, pool.submit(work, block, job)) for index, block, job in jobs]
            return [(index, future.result()) for index, future in futures]
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            abort_all()  # the workers' containers: removed now, not when their commands end
            raise
        finally:
            pool.shutdown(wait=True)


def _result(deck: Deck, block: ConsoleBlock, status: ConsoleStatus, message: str = "", line: int = 0, **more: Any) -> ConsoleResult:
    return ConsoleResult(deck.path, line or block.line, block.line, block.describe(), status, message,
                         slide_index=block.slide_index, **more)


def _prepare(deck: Deck, block: ConsoleBlock, stages: Sequence[StageResult], options: ConsoleOptions,
             engine: _Engine) -> ConsoleResult | Callable[[], ConsoleResult]:
    """The block's verdict when nothing has to run, else the job that runs it."""
    if not block.checked:
        return _result(deck, block, ConsoleStatus.NOT_CHECKED, "no stage=, image= or host: only shown")
    if block.error:
        return _result(deck, block, ConsoleStatus.ERROR, block.error, block.error_line)
    commands = [c.text for c in block.commands]
    started = time.monotonic()
    if block.kind == "host":
        if options.offline:
            return _result(deck, block, ConsoleStatus.NOT_CHECKED, "host blocks are checked when they run")
        if not options.trusted:
            notice = options.trust_notice.removeprefix("not run: ")
            return _result(deck, block, ConsoleStatus.NOT_RUN, f"`host` runs only in a trusted deck: {notice}")
        def on_host() -> ConsoleResult:

            begun = time.monotonic()
            ran = run_on_host(commands, cwd=str(options.deck_dir), stderr=block.stderr, timeout=block.timeout)
            return _verdict(deck, block, ran.runs, ran.error, time.monotonic() - begun, None, False)

        return on_host
    image, why, status = _image_for(block, stages, options, engine)
    if image is None:
        return _result(deck, block, ConsoleStatus.NOT_CHECKED if options.offline else status, why)
    mounts, mount_hash, why = _mounts(block, options.deck_dir)
    if why:
        return _result(deck, block, ConsoleStatus.ERROR, why, block.line)
    key = run_key(image, block, mount_hash)
    cached = load_runs(key) if options.use_cache else None
    if cached is not None:
        return _verdict(deck, block, cached, "", time.monotonic() - started, image, True)
    if options.offline:
        return _result(deck, block, ConsoleStatus.NOT_CHECKED, "not checked yet: run `slidekit verify`")
    client = engine.get()
    if client is None:
        return _result(deck, block, ConsoleStatus.NOT_RUN, f"Docker engine unavailable: {engine.message}")
    def in_container() -> ConsoleResult:

        begun = time.monotonic()
        ran = run_in_container(client, image, commands, stderr=block.stderr, timeout=block.timeout, mounts=mounts,
                               labels={"io.slidekit.console.deck": deck.path})
        if not ran.error:
            store_runs(key, ran.runs)
        error = ran.error
        if "No such image" in error and block.kind == "stage":
            error = f"the image of stage {block.target} is gone (removed since verify built it): verify with --no-cache"
        return _verdict(deck, block, ran.runs, error, time.monotonic() - begun, image, False)

    return in_container


def _verdict(deck: Deck, block: ConsoleBlock, runs: Sequence[CommandRun], error: str, seconds: float,
             image: str | None, from_cache: bool) -> ConsoleResult:
    outputs = tuple(CommandOutput(c.text, r.output, r.status) for c, r in zip(block.commands, runs, strict=False))
    more: dict[str, Any] = {"seconds": round(seconds, 6), "outputs": outputs, "image_id": image, "from_cache": from_cache}
    mismatch = check_block(block, list(runs), deck.path)
    if error:
        line = mismatch.line if mismatch else block.line
        return _result(deck, block, ConsoleStatus.ERROR, error, line, diff=mismatch.diff if mismatch else "", **more)
    if mismatch is not None:
        return _result(deck, block, ConsoleStatus.DIFFERS, mismatch.message, mismatch.line, diff=mismatch.diff, **more)
    return _result(deck, block, ConsoleStatus.CHECKED, **more)


# --------------------------------------------------------------------------- where a block runs


def find_stage(target: str, stages: Sequence[StageResult]) -> tuple[StageResult | None, str]:
    """The stage ``stage=NAME`` (or ``stage=FILE:NAME``) names, or why there is none."""
    file, _, name = target.rpartition(":")
    found = [s for s in stages if s.stage.lower() == name.lower() and (not file or s.dockerfile == file)]
    if len(found) == 1:
        return found[0], ""
    if not found:
        names = ", ".join(dict.fromkeys(s.stage for s in stages)) or "none"
        return None, f"no stage named `{target}` (stages: {names})"
    return None, f"stage `{name}` is defined in several Dockerfiles; write stage=FILE:{name}"


def _image_for(block: ConsoleBlock, stages: Sequence[StageResult], options: ConsoleOptions,
               engine: _Engine) -> tuple[str | None, str, ConsoleStatus]:
    if block.kind == "stage":
        stage, why = find_stage(block.target, stages)
        if stage is None:
            return None, why, ConsoleStatus.ERROR
        if not stage.status.succeeded or not stage.image_id:
            return None, f"stage {stage.stage} is {stage.status.value}: nothing to run in", ConsoleStatus.NOT_RUN
        return stage.image_id, "", ConsoleStatus.CHECKED
    ref = map_image(block.target, options.image_map)
    shown = f"`{ref}` (mapped from `{block.target}`)" if ref != block.target else f"`{ref}`"
    ids = local_image_ids([ref], options.engine)
    if ids is None:  # not a local UNIX socket: ask the SDK
        client = engine.get()
        if client is None:
            return None, f"Docker engine unavailable: {engine.message}", ConsoleStatus.NOT_RUN
        try:
            ids = {ref: client.images.get(ref).id}
        except Exception:  # noqa: BLE001 - not found, or the engine refused: both mean "not local"
            ids = {ref: None}
    image_id = ids.get(ref)
    if image_id is None:
        return None, f"image {shown} is not a local image; build or load it, or use --image-map", ConsoleStatus.ERROR
    return image_id, "", ConsoleStatus.CHECKED


def _mounts(block: ConsoleBlock, deck_dir: Path) -> tuple[dict[str, str], str, str]:
    """(bind mounts, content hash of what they hold, error). SRC must stay inside the deck's folder."""
    if not block.mount:
        return {}, "", ""
    src, _, dest = block.mount.partition(":")
    root = deck_dir.resolve()
    path = (root / src).resolve()
    if path != root and root not in path.parents:
        return {}, "", f"console block: mount={block.mount}: {src} is outside the deck's folder"
    if not path.exists():
        return {}, "", f"console block: mount={block.mount}: {src} does not exist"
    if path.is_file():
        files, base = [path.name], path.parent
    else:
        files = sorted(os.path.relpath(os.path.join(d, f), path) for d, _, names in os.walk(path) for f in names)
        base = path
    digest = hashlib.sha256(json.dumps(sorted(hash_context(base, files).items())).encode()).hexdigest()
    return {str(path): dest}, digest, ""


# --------------------------------------------------------------------------- the output cache


def run_key(image_id: str, block: ConsoleBlock, mount_hash: str) -> str:
    """What a block's outputs depend on: the image, the commands and how they run, the mounted files."""
    payload = {"format": FORMAT, "image": image_id, "commands": [c.text for c in block.commands],
               "stderr": block.stderr, "timeout": block.timeout, "mount": block.mount, "files": mount_hash}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / "console" / f"{key}.json"


def load_runs(key: str) -> tuple[CommandRun, ...] | None:
    try:
        data = json.loads(_path(key).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return tuple(CommandRun(str(r["output"]), r["status"] if r["status"] is None else int(r["status"]))
                     for r in data["runs"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store_runs(key: str, runs: Sequence[CommandRun]) -> None:
    try:
        path = _path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "runs": [{"output": r.output, "status": r.status} for r in runs]}
        write_atomic(path, json.dumps(data), durable=False)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        pass


# --------------------------------------------------------------------------- in verify


def has_console_checks(deck: Deck) -> bool:
    """Whether the deck has a console block to check (one with a target)."""
    return any(block.checked for block in console_blocks(deck))


def deck_trust(deck: Deck, allow_exec: bool) -> tuple[bool, str]:
    """The pre-processing trust rule (stdin never; --allow-exec, the deck's execute bits, trusted_decks)."""

    verdict = decide(gather(deck.path, allow_exec))
    return verdict.trusted, verdict.notice


def with_console(report: VerifyReport, deck: Deck, *, image_map: Mapping[str, str], use_cache: bool = True,
                 allow_exec: bool = False, client: Any = None, on_block: OnBlock | None = None,
                 blocks: Sequence[ConsoleBlock] | None = None, jobs: int = 4,
                 engine: EngineSpec | None = None) -> VerifyReport:
    """``report`` plus the verdicts of the deck's console blocks, checked against its stages' images.

    ``client`` None connects to ``engine`` (None: the environment's selection) only if a block
    must really run (an uncached one)."""
    blocks = console_blocks(deck) if blocks is None else blocks
    if not blocks:
        return report
    trusted, notice = deck_trust(deck, allow_exec) if any(b.kind == "host" for b in blocks) else (False, "")
    notice = notice.replace("--allow-exec", "--allow-host")  # verify's own flag: it never pre-processes

    def connect() -> tuple[Any, str]:
        if client is not None:
            return client, ""

        connected = connect_engine(engine)
        return connected.client, connected.message

    deck_dir = Path.cwd() if deck.path == "-" else Path(deck.path).resolve().parent
    options = ConsoleOptions(deck_dir, trusted, notice, image_map, use_cache, connect, on_block, jobs=jobs,
                             engine=engine)
    results = check_console(deck, report.stages, options, blocks)
    return replace(report, console=results)


# --------------------------------------------------------------------------- cached verdicts (badges)


def cached_stage_results(deck: Deck, image_map: Mapping[str, str] | None = None) -> tuple[StageResult, ...]:
    """The stages of the verify cache entry for the deck's current content (none: empty)."""
    try:
        if not has_blocks_to_verify(deck):
            return ()
        dockerfiles = assemble(deck)
        root = context_root(deck, None)
        files = list_files(root, 50_000)
    except (SlidekitError, OSError):
        return ()
    mapping = effective_image_map(deck, dict(image_map or {}))
    entry = result_cache.load(result_cache.content_key(dockerfiles, result_cache.hash_context(root, files), mapping))
    return entry.stages if entry is not None else ()


def cached_console(deck: Deck, image_map: Mapping[str, str] | None = None) -> tuple[ConsoleResult, ...]:
    """Every console block's verdict from cached outputs only (no engine, nothing runs): a block
    whose outputs are not cached for its current image is ``not checked``."""
    blocks = console_blocks(deck)
    if not blocks:
        return ()
    stages = cached_stage_results(deck, image_map) if any(b.kind == "stage" for b in blocks) else ()

    options = ConsoleOptions(Path(deck.path).resolve().parent, False, "", effective_image_map(deck, dict(image_map or {})),
                             True, None, None, offline=True)
    return check_console(deck, stages, options, blocks)


def slide_console_statuses(results: Sequence[ConsoleResult]) -> dict[int, ConsoleStatus]:
    """Slide index → the worst console status among its blocks."""
    order = (ConsoleStatus.DIFFERS, ConsoleStatus.ERROR, ConsoleStatus.NOT_RUN, ConsoleStatus.NOT_CHECKED,
             ConsoleStatus.CHECKED)
    out: dict[int, ConsoleStatus] = {}
    for result in results:
        current = out.get(result.slide_index)
        if current is None or order.index(result.status) < order.index(current):
            out[result.slide_index] = result.status
    return out
