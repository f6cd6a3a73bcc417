"""``slidekit verify DECK... | DIR -j N``: several decks, verified N at a time.

- A DIR stands for every ``*.md`` file under it, recursively (sorted; hidden folders and
  ``node_modules`` are skipped) that has Dockerfile blocks to verify; the others are skipped.
- Decks whose Dockerfiles share a root stage (same base image after the image map, same
  instructions) are not started side by side: a deck waits for the earlier deck it shares
  one with, so its shared stages come from the engine's build cache instead of being
  built twice at once (and one deck's clean-up of untagged intermediate images cannot
  race another deck's build that reuses them: every shared layer descends from a shared
  root stage). Decks sharing nothing run concurrently, ``jobs`` at a time.
- The exit code is the worst one: 1 (failed) > 4 (base image missing) > 3 (no engine) > 0.

:func:`schedule` and :func:`share_keys` are pure; :func:`run_decks` runs the callables it
is given on a thread pool.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from slidekit.deck.model import Deck
from slidekit.errors import EXIT_DOCKER_UNAVAILABLE, EXIT_FAILED, SlidekitError
from slidekit.verify.assemble import assemble, has_blocks_to_verify
from slidekit.verify.cancel import Cancel
from slidekit.verify.model import EXIT_BASE_MISSING, VerifyReport
from slidekit.verify.plan import effective_image_map, map_image, plan_stages

SKIPPED_FOLDERS = frozenset({"node_modules"})


def worst_exit(codes: Sequence[int]) -> int:
    """A failure (1) outranks a missing base image (4), which outranks no engine (3);
    0 only when every deck is 0."""
    for code in (EXIT_FAILED, EXIT_BASE_MISSING, EXIT_DOCKER_UNAVAILABLE):
        if code in codes:
            return code
    return max(codes, default=0)


def expand_paths(args: Sequence[str]) -> tuple[list[tuple[str, bool]], bool]:
    """The deck paths for ``args``: a file as given, a folder as its ``*.md`` files
    (recursively, sorted). Each path comes with whether it was found in a folder (then a
    deck with nothing to verify is skipped, not an error). The flag: several decks
    (more than one argument, or a folder), which selects the combined report."""
    out: list[tuple[str, bool]] = []
    for arg in args:
        if arg != "-" and os.path.isdir(arg):
            found = [(path, True) for path in _markdown_under(Path(arg))]
            if not found:
                raise SlidekitError("no Markdown decks (*.md) in this folder", arg)
            out.extend(found)
        else:
            out.append((arg, False))
    first: dict[str, bool] = {}
    for path, in_folder in out:
        first.setdefault(path, in_folder)  # a deck named twice is verified once
    unique = list(first.items())
    several = len(args) > 1 or any(d for _, d in out)
    return unique, several


def _markdown_under(folder: Path) -> list[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        found.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".md") and not f.startswith("."))
    return sorted(found)


def share_keys(deck: Deck, image_map: Mapping[str, str]) -> frozenset[str]:
    """Fingerprints of the deck's root stages (stages built from an external image): the
    mapped base image plus the stage's instruction text."""
    if not has_blocks_to_verify(deck):
        return frozenset()  # console blocks only: nothing to build, nothing shared
    mapping = effective_image_map(deck, image_map)
    keys: set[str] = set()
    for dockerfile in assemble(deck):
        plan = plan_stages(dockerfile)
        lines = dockerfile.text.splitlines()
        for stage in plan.stages:
            if stage.deps or not stage.images:
                continue
            base = map_image(stage.images[0][0], mapping)
            body = [line.strip() for line in lines[stage.first_line:stage.last_line] if line.strip()]
            payload = "\n".join([base, *body])
            keys.add(hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest())
    return frozenset(keys)


def schedule(keys: Sequence[frozenset[str]]) -> list[frozenset[int]]:
    """For each deck, the earlier decks it waits for: the nearest earlier deck sharing
    each of its root stages (a chain, so later decks reuse what the first one built)."""
    waits: list[frozenset[int]] = []
    last: dict[str, int] = {}
    for index, mine in enumerate(keys):
        waits.append(frozenset(last[k] for k in mine if k in last))
        for key in mine:
            last.setdefault(key, index)  # the first deck to build a stage is the one to wait for
    return waits


Task = Callable[[Cancel], VerifyReport]


def run_decks(tasks: Sequence[Task], waits: Sequence[frozenset[int]], jobs: int,
              on_start: Callable[[int], None] | None = None) -> list[VerifyReport]:
    """Run ``tasks`` (one per deck, each given the cancel event) ``jobs`` at a time, a task
    starting only once the tasks it waits for are done. Reports in task order.

    Ctrl-C sets the :class:`Cancel` (builders that can abort do so at once; a task's progress
    callback raises KeyboardInterrupt in its thread when it is set, so each build cleans up),
    waits for the running tasks, re-raises.
    """
    cancel = Cancel()
    reports: dict[int, VerifyReport] = {}
    pending = list(range(len(tasks)))
    running: dict[Future[VerifyReport], int] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="slidekit-verify") as pool:
        try:
            while pending or running:
                for index in [i for i in pending if waits[i] <= set(reports)][: max(1, jobs) - len(running)]:
                    pending.remove(index)
                    if on_start is not None:
                        on_start(index)
                    running[pool.submit(tasks[index], cancel)] = index
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    reports[running.pop(future)] = future.result()
        except BaseException:
            cancel.set()
            for future in running:
                future.cancel()
            wait(running)
            raise
    return [reports[i] for i in range(len(tasks))]
