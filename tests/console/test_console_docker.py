"""Console blocks checked by ``slidekit verify`` against real images (a real Docker Engine, busybox)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from slidekit.cli import main
from tests.console.helpers import remove_stage_images

pytestmark = pytest.mark.docker

IMAGE = "slidekit-test/busybox:latest"

DECK = """---
author: Tester
---

# Build

```dockerfile
FROM {image} AS app
WORKDIR /app
RUN echo hello > greeting.txt && mkdir -p /data/sub
```

---

# Passing

```console stage=app
$ cat greeting.txt
hello
$ cd /data/sub
$ pwd
/data/sub
$ ls /
...
$ echo "pid [$$] done"
pid [..] done
$ cat /missing
cat: can't open '/missing': No such file or directory
[exit: 1]
```

---

# Stale

```console stage=app
$ echo one; echo two
one
three
```

```console stage=app
$ echo before; exit 3
before
```

```console image={image} stderr=ignore
$ echo out; echo err >&2
out
```

```console host
$ echo on-host
on-host
```

```console
$ only shown
```
"""

#: (fence line, status, reported line) of each block of DECK, untrusted
EXPECTED = [(17, "checked", 17), (36, "differs", 39), (42, "differs", 45), (47, "checked", 47),
            (52, "not run", 52), (57, "not checked", 57)]


def _verify(deck: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["verify", "--no-hadolint", "--format", "json", *args, str(deck)])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture()
def deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docker_client, busybox_image):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = tmp_path / "talk"
    folder.mkdir()
    path = folder / "deck.md"
    path.write_text(DECK.format(image=busybox_image))
    yield path
    remove_stage_images(docker_client, path)
    label = f"io.slidekit.console.deck={path}"
    assert docker_client.api.containers(all=True, filters={"label": label}) == []  # every container removed


def test_transcripts_checked_against_the_stage_image(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _verify(deck, capsys)
    assert code == 1
    assert [(c["block_line"], c["status"], c["line"]) for c in report["console"]] == EXPECTED
    passing, stale, exits, ignored, host, shown = report["console"]
    assert passing["message"] == "" and passing["target"] == "stage app"
    # cd then pwd: state carries across the commands of a block
    assert [o["output"] for o in passing["outputs"]][1:3] == ["", "/data/sub\n"]
    assert passing["outputs"][-1]["status"] == 1
    # the stale line, reported at its deck line, with a unified diff
    assert stale["message"] == "`echo one; echo two`: output differs"
    assert stale["diff"].splitlines()[3:] == [" $ echo one; echo two", " one", "-three", "+two"]
    assert "status 3" in exits["message"] and "+[exit: 3]" in exits["diff"]
    assert ignored["outputs"][0]["output"] == "out\n"  # stderr=ignore
    assert "runs only in a trusted deck" in host["message"] and "--allow-host" in host["message"]
    assert shown["status"] == "not checked"
    assert report["summary"]["console"] == {"checked": 2, "differs": 2, "error": 0, "not run": 1, "not checked": 1}


def test_text_junit_and_github_rows(deck: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    junit = tmp_path / "junit.xml"
    assert main(["verify", "--no-hadolint", "--junit", str(junit), str(deck)]) == 1
    out = capsys.readouterr().out
    assert f"{deck}:39: console block (stage app): differs ✗: `echo one; echo two`: output differs" in out
    assert f"{deck}:17: console block (stage app): checked ✓" in out
    assert f"{deck}:57: console block: not checked" in out
    assert "2/5 console blocks checked" in out
    assert f"::error file={deck},line=39,title=console block (stage app) differs::" in out
    suite = next(s for s in ET.parse(junit).getroot() if s.get("name", "").endswith(":console"))
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("6", "2", "2")


def test_host_runs_only_when_trusted(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, report = _verify(deck, capsys, "--allow-host")
    assert report["console"][4]["status"] == "checked"
    deck.chmod(0o755)  # the execute bits alone do not trust a deck (issue 12, S4)...
    _, report = _verify(deck, capsys)
    assert report["console"][4]["status"] == "not run"
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "slidekit" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"trusted_decks: [{deck.resolve()}]\n")  # ...the user's config does, as for ~~~ blocks
    _, report = _verify(deck, capsys)
    assert report["console"][4]["status"] == "checked"


def test_unchanged_deck_is_answered_from_the_cache(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, first = _verify(deck, capsys)
    assert not any(c["from_cache"] for c in first["console"])
    _, second = _verify(deck, capsys)
    assert second["from_cache"] is True
    docker_rows = [c for c in second["console"] if c["target"].startswith(("stage", "image"))]
    assert docker_rows and all(c["from_cache"] for c in docker_rows)
    assert [(c["status"], c["line"]) for c in second["console"]] == [(c["status"], c["line"]) for c in first["console"]]
    # an edit to an expected line is matched against the cached output: nothing runs
    deck.write_text(deck.read_text().replace("three", "two"))
    _, third = _verify(deck, capsys)
    assert third["console"][1]["status"] == "checked" and third["console"][1]["from_cache"]


def test_accept_writes_the_real_output_into_a_copy(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = deck.read_text().replace("\n", "\r\n")
    deck.write_bytes(text.encode())
    code = main(["verify", "--no-hadolint", "--accept", str(deck)])
    captured = capsys.readouterr()
    err = captured.err
    assert code == 0, captured.out
    expected = text.replace("one\r\nthree\r\n", "one\r\ntwo\r\n").replace("before\r\n```", "before\r\n[exit: 3]\r\n```")
    assert deck.read_bytes() == expected.encode()
    assert f"accepted: {deck}:39: replaced 1 line with 1 line" in err
    assert f"accepted: {deck}:45: inserted 1 line" in err
    code, report = _verify(deck, capsys)
    assert code == 0 and [c["status"] for c in report["console"]][:4] == ["checked"] * 4


def test_timeout_and_sigterm_remove_the_container(tmp_path: Path, docker_client, busybox_image) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "slow.md"
    deck.write_text(f"# Slow\n\n```console image={busybox_image} timeout=1\n$ sleep 30\n```\n\n"
                    f"```console image={busybox_image}\n$ echo started; sleep 120\n```\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "slidekit", "verify", "--format", "json", str(deck)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    label = {"label": f"io.slidekit.console.deck={deck}"}
    try:
        deadline = time.monotonic() + 60
        while not [c for c in docker_client.api.containers(filters=label) if "sleep 120" in c["Command"]]:
            assert time.monotonic() < deadline and proc.poll() is None, "the second block never started"
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert docker_client.api.containers(all=True, filters=label) == []
    # the timeout alone: the first block is an error, reported, and its container is gone too
    only = tmp_path / "timeout.md"
    only.write_text(f"```console image={busybox_image} timeout=1\n$ sleep 30\n```\n")
    result = subprocess.run([sys.executable, "-m", "slidekit", "verify", "--format", "json", str(only)],
                            env=env, capture_output=True, text=True, timeout=120)
    row = json.loads(result.stdout)["console"][0]
    assert (result.returncode, row["status"], row["message"]) == (1, "error", "timed out after 1s")
    assert docker_client.api.containers(all=True, filters={"label": f"io.slidekit.console.deck={only}"}) == []


def test_mount_binds_files_from_the_deck_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch, busybox_image: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.txt").write_text("first\n")
    deck = tmp_path / "m.md"
    deck.write_text(f"```console image={busybox_image} mount=data:/data\n$ cat /data/x.txt\nfirst\n```\n\n"
                    f"```console image={busybox_image} mount=../:/up\n$ ls /up\n```\n")
    code, report = _verify(deck, capsys)
    assert [c["status"] for c in report["console"]] == ["checked", "error"]
    assert "outside the deck's folder" in report["console"][1]["message"]
    (tmp_path / "data" / "x.txt").write_text("second\n")  # the mounted file is part of the cache key
    _, again = _verify(deck, capsys)
    assert again["console"][0]["status"] == "differs" and not again["console"][0]["from_cache"]
    assert shutil.which("sh")


def test_several_decks_carry_their_console_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch, busybox_image: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "talks"
    folder.mkdir()
    (folder / "only-console.md").write_text(f"```console image={busybox_image}\n$ echo a\na\n```\n")
    (folder / "stale.md").write_text(f"```console image={busybox_image}\n$ echo b\nc\n```\n")
    (folder / "notes.md").write_text("# nothing to verify\n")
    junit = tmp_path / "junit.xml"
    code = main(["verify", "--format", "json", "--junit", str(junit), str(folder)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["schema"] == "slidekit.verify/2"
    rows = {Path(d["deck"]).name: [(c["status"], c["line"]) for c in d["console"]] for d in report["decks"]}
    assert rows == {"only-console.md": [("checked", 1)], "stale.md": [("differs", 3)]}
    failures = [case for case in ET.parse(junit).getroot().iter("testcase") if case.find("failure") is not None]
    assert [case.get("name") for case in failures] == [f"console block at line 1 (image {busybox_image})"]
