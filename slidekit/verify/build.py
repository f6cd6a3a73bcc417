"""Building with a real engine: the :class:`ImageBuilder` protocol and its docker SDK implementation.

The builder knows nothing about decks. It sends a tar context plus a Dockerfile
name to the engine, follows the classic builder's stream (``Step N/M : ...``,
`` ---> <id>``, ``errorDetail``) and returns a :class:`BuildOutcome`: which steps
ran, the image after each, and where it failed. :mod:`slidekit.verify.run` maps
step numbers back to stages and deck lines.

Hygiene: builds use ``rm``/``forcerm``; the images that end a stage are tagged
``slidekit-verify/...`` (so they are not dangling and can be smoke-tested);
every other untagged image the build left without children is removed, also
when the build fails or is interrupted (Ctrl-C closes the HTTP stream, which
makes the engine cancel the build; the running step's container is waited for
and removed).
"""

from __future__ import annotations

import io
import re
import tarfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import docker.errors

LABEL = "io.slidekit.verify"
REPOSITORY = "slidekit-verify"
TAIL_LINES = 15

_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
_IMAGE = re.compile(r"^ ---> ([0-9a-f]{12,64})$")
_NOISE = ("Removing intermediate container", "Successfully built ", "Successfully tagged ")
_RUNNING = re.compile(r"^ ---> Running in ([0-9a-f]{12,64})$")


@dataclass(frozen=True)
class BuildRequest:
    """One ``docker build --target`` call. ``keep`` maps a step number to the tag its image gets.

    The classic builder appends one ``LABEL`` step *per label* (each costs a
    container), so the target gets a single label, ``io.slidekit.verify``, whose
    value is ``labels``' values joined; use :data:`FINAL_STEP` in ``keep`` for
    the final (labelled) image of the target.
    """

    context: bytes
    dockerfile: str
    target: str | None
    nocache: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)
    keep: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StepRecord:
    number: int
    text: str
    image_id: str | None
    seconds: float
    output: tuple[str, ...] = ()
    cached: bool = False


@dataclass(frozen=True)
class BuildOutcome:
    steps: tuple[StepRecord, ...]
    total: int
    error: str | None = None
    seconds: float = 0.0
    tail: tuple[str, ...] = ()

    @property
    def error_step(self) -> int | None:
        """The step that failed (the last one started), or None if the build succeeded."""
        if self.error is None:
            return None
        return self.steps[-1].number if self.steps else 0

    def image_after(self, step: int) -> str | None:
        if step == FINAL_STEP:
            return self.steps[-1].image_id if self.steps and self.error is None else None
        for record in self.steps:
            if record.number == step:
                return record.image_id
        return None


#: ``keep`` key for the final image of a successful build (after the engine's LABEL step).
FINAL_STEP = -1

#: Progress callback: (step number, total steps, step text).
StepCallback = Callable[[int, int, str], None]


class ImageBuilder(Protocol):
    """What :func:`slidekit.verify.run.verify` needs from an engine."""

    client: Any  # the docker SDK client (smoke checks run containers with it)

    def resolve_base(self, ref: str) -> str | None:
        """The id of image ``ref``: local, else pulled; None when it cannot be had."""

    def image_exists(self, image_id: str) -> bool:
        """Whether an image id is still present (cached results with ``--run``)."""

    def build(self, request: BuildRequest, on_step: StepCallback | None = None) -> BuildOutcome:
        """Build ``request.target``; failures come back in the outcome, not as exceptions."""


# --------------------------------------------------------------------------- context


def context_tar(root: Path, files: Iterable[str], dockerfile_name: str, dockerfile_text: str) -> bytes:
    """An uncompressed tar of ``files`` (relative to ``root``) plus the Dockerfile.

    A generated ``.dockerignore`` names the Dockerfile and itself, so the engine
    drops both from the context after reading them (``COPY . .`` never sees them).
    """
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        # The Dockerfile first, in a plain ustar header: BuildKit's upload-context detection
        # reads only the first 512 bytes, and a leading PAX header there makes it take the
        # whole tar for a Dockerfile ("unknown instruction: ././@PAXHEADER").
        _add_bytes(tar, dockerfile_name, dockerfile_text.encode("utf-8"))
        _add_bytes(tar, ".dockerignore", f"{dockerfile_name}\n.dockerignore\n".encode())
        for rel in sorted(files):
            try:
                _add_file(tar, root, rel)
            except FileNotFoundError:
                continue  # vanished since the context was listed
    return buf.getvalue()


def _add_file(tar: tarfile.TarFile, root: Path, rel: str) -> None:
    info = tar.gettarinfo(str(root / rel), arcname=rel)
    _normalise(info)
    if info.isreg():
        with open(root / rel, "rb") as fh:
            tar.addfile(info, fh)
    else:
        tar.addfile(info)


def _normalise(info: tarfile.TarInfo) -> None:
    info.mtime = int(info.mtime)  # a float mtime costs a PAX header per file
    info.uid = info.gid = 0
    info.uname = info.gname = ""


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data))


def dockerfile_name(taken: Iterable[str], stem: str) -> str:
    """A context path for the assembled Dockerfile that no context file uses."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", stem) or "Dockerfile"
    taken_set = {t.lower() for t in taken}
    name, n = f".slidekit-{safe}.Dockerfile", 1
    while name.lower() in taken_set or name == ".dockerignore":
        name, n = f".slidekit-{safe}-{n}.Dockerfile", n + 1
    return name


# --------------------------------------------------------------------------- stream parsing


class _StreamState:
    """Accumulates the classic builder's stream into step records."""

    def __init__(self, on_step: StepCallback | None) -> None:
        self.on_step = on_step
        self.steps: list[StepRecord] = []
        self.total = 0
        self.current: dict[str, Any] | None = None
        self.lines: list[str] = []
        self.error: str | None = None
        self.images_seen: list[str] = []
        self.from_images: set[str] = set()
        self.running: str | None = None
        self.chain_ends: list[str] = []  # the last image before each FROM, and the very last one
        self._partial = ""

    def feed(self, event: Mapping[str, Any]) -> None:
        if "errorDetail" in event or "error" in event:
            detail = event.get("errorDetail") or {}
            self.error = str(detail.get("message") or event.get("error") or "build failed").strip()
            self.lines.append(self.error)
            return
        text = event.get("stream")
        if isinstance(text, str):
            self._text(text)
        elif isinstance(event.get("status"), str):
            self.lines.append(str(event["status"]))

    def _text(self, text: str) -> None:
        self._partial += text
        while "\n" in self._partial:
            line, self._partial = self._partial.split("\n", 1)
            self._line(line)
        if _STEP.match(self._partial):  # "Step N/M : ..." arrives without its newline
            line, self._partial = self._partial, ""
            self._line(line)

    def _line(self, line: str) -> None:
        step = _STEP.match(line)
        if step:
            self._close_step()
            if step.group(3).upper().startswith("FROM") and self.images_seen:
                self.chain_ends.append(self.images_seen[-1])
            self.total = int(step.group(2))
            self.current = {"number": int(step.group(1)), "text": step.group(3), "start": time.monotonic(), "wall": time.time(),
                            "image": None, "output": [], "cached": False}
            if self.on_step:
                self.on_step(self.current["number"], self.total, self.current["text"])
            self.lines.append(line)
            return
        if not line.strip():
            return
        self.lines.append(line)
        running = _RUNNING.match(line)
        image = _IMAGE.match(line)
        if running:
            self.running = running.group(1)
        elif image and self.current is not None:
            self.current["image"] = image.group(1)
            self.images_seen.append(image.group(1))
            if self.current["text"].upper().startswith("FROM"):
                self.from_images.add(image.group(1))
        elif line.strip() == "---> Using cache" and self.current is not None:
            self.current["cached"] = True
        elif self.current is not None and not line.startswith(_NOISE):
            self.current["output"].append(line)

    def _close_step(self) -> None:
        if self.current is None:
            return
        cur = self.current
        self.steps.append(StepRecord(cur["number"], cur["text"], cur["image"],
                                     time.monotonic() - cur["start"], tuple(cur["output"]), cur["cached"]))
        self.current = None

    def outcome(self, seconds: float) -> BuildOutcome:
        if self._partial.strip():
            self._line(self._partial)
            self._partial = ""
        self._close_step()
        return BuildOutcome(tuple(self.steps), self.total, self.error, seconds, tuple(self.lines[-TAIL_LINES:]))


# --------------------------------------------------------------------------- docker SDK


class DockerSdkBuilder:
    """:class:`ImageBuilder` on the docker SDK's low-level API (classic builder)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def api(self) -> Any:
        return self.client.api

    def resolve_base(self, ref: str) -> str | None:
        try:
            return str(self.api.inspect_image(ref)["Id"])
        except docker.errors.ImageNotFound:
            pass
        except docker.errors.APIError:
            return None
        try:
            for _ in self.api.pull(ref, stream=True, decode=True):
                pass
            return str(self.api.inspect_image(ref)["Id"])
        except docker.errors.DockerException:
            return None

    def image_exists(self, image_id: str) -> bool:
        try:
            self.api.inspect_image(image_id)
        except docker.errors.DockerException:
            return False
        return True

    def build(self, request: BuildRequest, on_step: StepCallback | None = None) -> BuildOutcome:
        state = _StreamState(on_step)
        started = time.monotonic()
        captured: dict[str, Any] = {}
        try:
            stream = self._start(request, captured)
            for event in stream:
                state.feed(event)
        except BaseException:
            self._abort(captured, state)
            raise
        outcome = state.outcome(time.monotonic() - started)
        self._keep_and_clean(request, outcome, state)
        return outcome

    def _start(self, request: BuildRequest, captured: dict[str, Any]) -> Any:
        # The SDK hides the HTTP response inside its stream generator; closing the
        # generator does not close the connection, so the engine would go on
        # building after Ctrl-C. Capture the response to be able to close it.
        api = self.api
        original = api._stream_helper

        def helper(response: Any, decode: bool = False) -> Any:
            captured["response"] = response
            return original(response, decode=decode)

        api._stream_helper = helper
        try:
            return api.build(
                fileobj=io.BytesIO(request.context), custom_context=True, dockerfile=request.dockerfile,
                target=request.target, rm=True, forcerm=True, decode=True, nocache=request.nocache,
                pull=False, labels={LABEL: " ".join(request.labels.values()) or "1"},
            )
        finally:
            del api._stream_helper

    def _abort(self, captured: Mapping[str, Any], state: _StreamState) -> None:
        """Interrupted: close the stream (the engine cancels), then remove what the build left."""
        response = captured.get("response")
        if response is not None:
            try:
                response.raw.close()
                response.close()
            except Exception:  # noqa: BLE001 - closing a broken stream is best effort
                pass
        if state.running:
            self._remove_container(state.running)
        self._discard(state, keep=set())
        # The "Running in" line may not have reached us yet: the engine then removes the
        # step's container itself (forcerm) once it notices, and until then the image
        # under it cannot be removed. Wait for that container to go (bounded), then retry.
        ends = [i for i in dict.fromkeys(state.chain_ends + state.images_seen[-1:]) if i not in state.from_images]
        deadline = time.monotonic() + 20
        while ends and time.monotonic() < deadline and self._in_use(ends):
            time.sleep(0.5)
        if ends:
            self._discard(state, keep=set())
        if state.current is not None and state.current["image"] is None and state.images_seen:
            # The engine may commit the interrupted step after we hung up: remove that child too.
            for _ in range(2):
                self._discard_children(state.images_seen[-1], state.current["wall"])
                time.sleep(0.5)

    def _in_use(self, images: Iterable[str]) -> bool:
        """Whether a container (of this build) still runs on one of ``images``."""
        try:
            return any(self.api.containers(all=True, filters={"ancestor": image}) for image in images)
        except docker.errors.DockerException:
            return False

    def _remove_container(self, container_id: str) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # forcerm removes it once the engine notices
            try:
                self.api.inspect_container(container_id)
            except docker.errors.NotFound:
                return
            except docker.errors.DockerException:
                break
            time.sleep(0.2)
        try:
            self.api.remove_container(container_id, force=True)
        except docker.errors.DockerException:
            pass

    def _keep_and_clean(self, request: BuildRequest, outcome: BuildOutcome, state: _StreamState) -> None:
        wanted = {tag: image for step, tag in request.keep.items() if (image := outcome.image_after(step))}
        current = self._current_tags({tag.rpartition(":")[0] for tag in wanted})
        replaced: list[str] = []
        for tag, image in wanted.items():
            previous = current.get(tag)
            if previous is not None and previous.startswith(f"sha256:{image}"):
                continue
            repo, _, name = tag.rpartition(":")
            self.api.tag(image, repo, name, force=True)
            if previous is not None:
                replaced.append(previous)
        for previous in replaced:
            self._remove_if_untagged(previous)
        self._discard(state, set(wanted.values()))

    def _current_tags(self, repos: set[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for repo in repos:
            try:
                for image in self.api.images(name=repo):
                    for tag in image.get("RepoTags") or ():
                        found[tag] = str(image["Id"])
            except docker.errors.DockerException:
                pass
        return found

    def _discard(self, state: _StreamState, keep: set[str]) -> None:
        """Remove the ends of the image chains this build produced that nothing keeps.

        Within a stage every image is the parent of the next, so only the last
        image of each stage (and of the build) can be left dangling; removing
        it prunes its untagged parents too.
        """
        ends = state.chain_ends + state.images_seen[-1:]
        for image in reversed(dict.fromkeys(ends)):
            if image in keep or image in state.from_images:
                continue
            self._remove_if_untagged(image)

    def _discard_children(self, parent: str, since: float) -> None:
        try:
            images = self.api.images(all=True)
        except docker.errors.DockerException:
            return
        for image in images:
            parent_id = str(image.get("ParentId") or "")
            if parent_id.startswith(f"sha256:{parent}") and image.get("Created", 0) >= int(since) - 1:
                self._remove_if_untagged(str(image["Id"]))

    def _remove_if_untagged(self, image: str) -> None:
        try:
            tags = self.api.inspect_image(image).get("RepoTags") or []
            if not tags:
                # Without force the engine refuses images that still have children.
                self.api.remove_image(image, force=False, noprune=False)
        except docker.errors.DockerException:
            pass


def stage_tag(deck_id: str, dockerfile: str, stage: str) -> str:
    """``slidekit-verify/<deck id>:<dockerfile>.<stage>`` with characters a tag allows."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{dockerfile}.{stage}")[:120].lstrip(".-") or "stage"
    return f"{REPOSITORY}/{deck_id}:{name}"
