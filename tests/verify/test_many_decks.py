"""`slidekit verify DECK... | DIR -j N`: combined reports, the worst exit code, scheduling; real builds."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from slidekit.cli import main
from slidekit.verify.cancel import Cancel
from slidekit.verify.many import expand_paths, run_decks, schedule
from slidekit.verify.model import StageResult, StageStatus, VerifyReport
from slidekit.verify.report import to_dict_many, to_junit_many, to_text_many


def deck_text(shared: str, own: str, *, base: str = "slidekit-test/busybox:latest") -> str:
    return (f"# {own}\n\n---\n\n```dockerfile\nFROM {base} AS base\nRUN echo {shared} > /shared\n```\n\n---\n\n"
            f"```dockerfile\nFROM base AS app\nRUN {own}\n```\n")


# --------------------------------------------------------------------------- pure parts


def test_schedule_chains_decks_that_share_a_root_stage() -> None:
    a, b, c = frozenset({"a"}), frozenset({"b"}), frozenset({"a", "b"})
    assert schedule([a, a, b, c, frozenset()]) == [frozenset(), {0}, frozenset(), {0, 2}, frozenset()]


def test_expand_paths(tmp_path: Path) -> None:
    (tmp_path / "talks" / "b").mkdir(parents=True)
    (tmp_path / "talks" / ".hidden").mkdir()
    (tmp_path / "talks" / "node_modules").mkdir()
    for rel in ("talks/z.md", "talks/b/a.md", "talks/.hidden/x.md", "talks/node_modules/y.md", "talks/notes.txt"):
        (tmp_path / rel).write_text("# x\n")
    folder = str(tmp_path / "talks")
    found, several = expand_paths([folder])
    assert found == [(f"{folder}/b/a.md", True), (f"{folder}/z.md", True)] and several
    assert expand_paths([f"{folder}/z.md"]) == ([(f"{folder}/z.md", False)], False)
    assert expand_paths([f"{folder}/z.md", f"{folder}/z.md"])[1] is True  # two arguments: the combined report
    (tmp_path / "empty").mkdir()
    with pytest.raises(Exception, match="no Markdown decks"):
        expand_paths([str(tmp_path / "empty")])


def _report(path: str, status: StageStatus, engine: str = "default (unix:///var/run/docker.sock)") -> VerifyReport:
    return VerifyReport(path, stages=(StageResult("Dockerfile", "base", status, 6, path, 1.0),), engine_name=engine,
                        seconds=1.0)


def test_combined_reports_shapes() -> None:
    reports = [_report("a.md", StageStatus.BUILT), _report("b.md", StageStatus.FAILED),
               _report("c.md", StageStatus.BASE_MISSING)]
    data = to_dict_many(reports, 1, 2.5, 2)
    assert (data["schema"], data["ok"], data["exit_code"], data["jobs"]) == ("slidekit.verify/2", False, 1, 2)
    assert data["summary"] == {"decks": 3, "verified": 1, "failed": 1, "base image missing": 1, "no engine": 0}
    assert [d["deck"] for d in data["decks"]] == ["a.md", "b.md", "c.md"]  # type: ignore[attr-defined]
    assert all(d["schema"] == "slidekit.verify/1" for d in data["decks"])  # type: ignore[attr-defined]
    root = ET.fromstring(to_junit_many(reports, 2.5))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a.md", "b.md", "c.md"]
    assert [s.get("failures") for s in suites] == ["0", "1", "1"] and root.get("tests") == "6"
    assert {p.get("name"): p.get("value") for p in suites[1].iter("property")} == {
        "deck": "b.md", "engine": "default (unix:///var/run/docker.sock)"}
    text = to_text_many(reports, 1, 2.5, 2)
    assert [line for line in text.splitlines() if line.startswith("== ")] == ["== a.md", "== b.md", "== c.md"]
    assert text.splitlines()[-1] == ("FAILED: 3 decks (1 verified, 1 failed, 1 base image missing) "
                                     "on default (unix:///var/run/docker.sock) in 2.5s (-j 2)")


# --------------------------------------------------------------------------- real builds

@pytest.fixture()
def talks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docker_client, busybox_image) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A folder of decks (unique instructions, so nothing comes from an earlier run); their stage tags removed after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for var in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY"):
        monkeypatch.delenv(var, raising=False)
    folder = tmp_path / "talks"
    folder.mkdir()
    yield folder
    for deck in folder.rglob("*.md"):
        repo = "slidekit-verify/" + hashlib.sha256(str(deck.resolve()).encode()).hexdigest()[:12]
        for image in docker_client.api.images(name=repo):
            for tag in image.get("RepoTags") or ():
                docker_client.api.remove_image(tag)


@pytest.mark.docker
def test_three_decks_with_j2(talks: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    shared = uuid.uuid4().hex
    (talks / "one.md").write_text(deck_text(shared, "echo one"))
    (talks / "part2").mkdir()
    (talks / "part2" / "two.md").write_text(deck_text(shared, "echo two && sleep 1"))
    (talks / "three.md").write_text(deck_text(shared, "echo three && sleep 1"))
    (talks / "README.md").write_text("# no Dockerfile here: skipped in a folder\n")
    junit = tmp_path / "junit.xml"
    assert main(["verify", "-j", "2", "--format", "json", "--no-hadolint", "--junit", str(junit), str(talks)]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    decks = [str(talks / "one.md"), str(talks / "part2" / "two.md"), str(talks / "three.md")]
    assert data["schema"] == "slidekit.verify/2" and data["exit_code"] == 0 and data["jobs"] == 2
    assert [d["deck"] for d in data["decks"]] == decks
    # The shared base stage was built once; the other decks got it from the engine's build cache.
    statuses = [{s["stage"]: s["status"] for s in d["stages"]} for d in data["decks"]]
    assert statuses == [{"base": "built", "app": "built"}] + [{"base": "cached", "app": "built"}] * 2
    # one.md builds the shared stage first; then two.md and three.md run side by side (-j 2).
    lines = [line for line in err.splitlines() if line.endswith("] started") or "] verified" in line]
    order = [(line.split("[")[1].split("]")[0], "started" if line.endswith("started") else "done") for line in lines]
    assert order[:2] == [(decks[0], "started"), (decks[0], "done")]
    assert sorted(order[2:4]) == [(decks[1], "started"), (decks[2], "started")], order
    suites = ET.parse(junit).getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == decks
    assert all({p.get("name") for p in s.iter("property")} == {"deck", "engine"} for s in suites)

    # Listed explicitly with a failing and a base-missing deck: the worst exit code (1), text report.
    (talks / "bad.md").write_text(deck_text(shared, "exit 3"))
    (talks / "missing.md").write_text(deck_text(shared, "true", base="registry.invalid/slidekit-test/nope:1"))
    args = [str(talks / "missing.md"), decks[0], str(talks / "bad.md")]
    assert main(["verify", "-j", "2", "--no-hadolint", *args]) == 1
    text = capsys.readouterr().out
    assert [line for line in text.splitlines() if line.startswith("== ")] == [f"== {a}" for a in args]
    assert text.splitlines()[-1].startswith("FAILED: 3 decks (1 verified, 1 failed, 1 base image missing) on default (")
    assert main(["verify", "-j", "2", "--no-hadolint", str(talks / "missing.md"), decks[0]]) == 4


def test_run_decks_jobs_waits_and_cancel() -> None:
    lock = threading.Lock()
    running: list[int] = []
    peak = [0]
    finished: list[int] = []

    def task(index: int, seconds: float):  # type: ignore[no-untyped-def]
        def run(cancel: Cancel) -> VerifyReport:
            with lock:
                running.append(index)
                peak[0] = max(peak[0], len(running))
            time.sleep(seconds)
            with lock:
                running.remove(index)
                finished.append(index)
            return VerifyReport(f"{index}.md")
        return run

    waits = [frozenset(), frozenset({0}), frozenset(), frozenset({1}), frozenset()]
    reports = run_decks([task(i, 0.05) for i in range(5)], waits, 2)
    assert [r.deck_path for r in reports] == [f"{i}.md" for i in range(5)]  # in deck order
    assert peak[0] == 2
    assert finished.index(0) < finished.index(1) < finished.index(3)

    # A failing deck (an input error) cancels the others: they see the event, the error propagates.
    seen: list[bool] = []

    def slow(cancel: Cancel) -> VerifyReport:
        seen.append(cancel.wait(5))
        return VerifyReport("slow.md")

    def boom(cancel: Cancel) -> VerifyReport:
        time.sleep(0.05)
        raise ValueError("bad deck")

    with pytest.raises(ValueError, match="bad deck"):
        run_decks([slow, boom, task(9, 0)], [frozenset()] * 3, 2)
    assert seen == [True]


@pytest.mark.docker
@pytest.mark.parametrize("builder", ["classic", "buildkit"])
def test_sigint_with_j2_stops_both_decks_and_cleans_up(docker_client, busybox_image, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        builder: str) -> None:
    """Ctrl-C in the main thread: each deck's build stops at its next step and removes what it left."""
    marker = f"slidekit.test.sigint={uuid.uuid4().hex}"
    # the marker in every RUN: BuildKit's cache ignores LABEL, and a cached step would finish before the signal
    steps = "".join(f"RUN sleep 3 && echo {n} {marker}\n" for n in range(8))
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(
            f"# {name}\n\n```dockerfile\nFROM {busybox_image} AS {name}\nLABEL {marker}\nRUN echo {name}\n{steps}```\n")
    label = {"label": marker}
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slidekit", "verify", "--no-hadolint", "--builder", builder, "-j", "2",
         str(tmp_path / "a.md"), str(tmp_path / "b.md")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a background shell may ignore it
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        deadline = time.monotonic() + 90
        while not all(any(f"{n}.md] building" in line for line in list(lines)) for n in "ab"):
            assert time.monotonic() < deadline and proc.poll() is None, lines
            time.sleep(0.1)
        time.sleep(2)  # into the RUN steps
        proc.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(5)
    assert proc.returncode == 130, lines
    assert time.monotonic() - interrupted < 20  # each build stopped (at once, or at its next step), not after all 8
    assert not any("] verified" in line for line in lines)
    assert docker_client.api.containers(all=True, filters=label) == []
    assert docker_client.api.images(all=True, filters=label) == []
