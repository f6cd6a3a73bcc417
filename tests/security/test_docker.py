"""R6 (SIGTERM during a smoke check left its container running) and R9 (two decks with
the same Dockerfile shared one cached report, and its line numbers). Real builds on the
local Docker Engine."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tests.security.conftest import Run

SMOKE_LABEL = "io.slidekit.smoke"


def test_r6_sigterm_during_a_smoke_check_removes_its_container(tmp_path: Path, docker_client,  # type: ignore[no-untyped-def]
                                                               busybox_image: str) -> None:
    marker = f"{100 + uuid.uuid4().int % 800}.{uuid.uuid4().int % 1000}"  # identifies our container
    deck = tmp_path / "d.md"
    deck.write_text(f"---\nchecks:\n  app:\n    command: [sleep, '{marker}']\n    timeout: 600\n---\n# x\n\n"
                    f"```dockerfile\nFROM {busybox_image} AS app\nRUN true\n```\n")
    process = subprocess.Popen([sys.executable, "-m", "slidekit", "verify", "--run", str(deck)], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ours = None
    try:
        deadline = time.monotonic() + 180
        while ours is None and time.monotonic() < deadline and process.poll() is None:
            for container in docker_client.containers.list(filters={"label": SMOKE_LABEL}):
                if marker in (container.attrs.get("Config", {}).get("Cmd") or []):
                    ours = container
            time.sleep(0.2)
        assert ours is not None, process.communicate(timeout=5)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 143, err
    assert "Traceback" not in err
    gone = [c for c in docker_client.containers.list(all=True, filters={"label": SMOKE_LABEL})
            if marker in (c.attrs.get("Config", {}).get("Cmd") or [])]
    assert gone == []


def test_r9_two_decks_with_the_same_dockerfile_keep_their_own_lines(tmp_path: Path, slidekit: Run,  # type: ignore[no-untyped-def]
                                                                   docker_client, busybox_image: str) -> None:
    token = uuid.uuid4().hex  # a Dockerfile no other test has built: a fresh cache entry
    block = f"```dockerfile\nFROM {busybox_image} AS app\nRUN echo {token}\n```\n"
    talks = tmp_path / "talks"  # the context: not tmp_path, which holds the result cache itself
    talks.mkdir()
    (talks / "a.md").write_text(f"# a\n\n{block}")
    (talks / "b.md").write_text(f"# b\n\nsome\n\nmore\n\nlines\n\n{block}")
    first = slidekit("verify", "--format", "json", "a.md", timeout=300, cwd=talks)
    second = slidekit("verify", "--format", "json", "b.md", timeout=300, cwd=talks)
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert first.returncode == 0 and second.returncode == 0
    lines_a = {(s["path"], s["line"]) for s in a["stages"]}
    lines_b = {(s["path"], s["line"]) for s in b["stages"]}
    assert lines_a == {("a.md", 4)}, a["stages"]
    assert lines_b == {("b.md", 10)}, b["stages"]
    again = json.loads(slidekit("verify", "--format", "json", "a.md", timeout=300, cwd=talks).stdout)
    assert again["from_cache"] and {(s["path"], s["line"]) for s in again["stages"]} == {("a.md", 4)}
