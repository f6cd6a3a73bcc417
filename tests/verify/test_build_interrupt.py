"""Acceptance: Ctrl-C (SIGINT) during a real build leaves no containers or images behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.docker


def _wait(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_sigint_during_build_cleans_up(docker_client, busybox_image, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    marker = f"slidekit.test.sigint={uuid.uuid4().hex}"
    deck = tmp_path / "deck.md"
    deck.write_text(
        "# Slow\n\n---\n\n```dockerfile\n"
        f"FROM {busybox_image} AS slow\nLABEL {marker}\nRUN echo started && sleep 120\n```\n"
    )
    label = {"label": marker}
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slidekit", "verify", "--no-hadolint", "--builder", "classic", str(deck)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a background shell may ignore it
    )
    try:
        # The RUN step's container carries the LABEL of the image it runs on.
        running = lambda: [c for c in docker_client.api.containers(all=True, filters=label) if "sleep" in c["Command"]]  # noqa: E731
        assert _wait(running, 90), "build never started"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert docker_client.api.containers(all=True, filters=label) == []
    assert docker_client.api.images(all=True, filters=label) == []


def _sleeping(seconds: str) -> bool:
    """Whether a process runs ``sleep <seconds>`` (BuildKit runs RUN steps with runc, not as engine containers)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmdline.read_bytes().split(b"\0")[:2] == [b"sleep", seconds.encode()]:
                return True
        except OSError:
            continue
    return False


def test_sigint_during_buildkit_build_cancels_it(docker_client, busybox_image, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    marker = f"slidekit.test.sigint={uuid.uuid4().hex}"
    seconds = f"{uuid.uuid4().int % 9000 + 1000}"  # a unique `sleep N` to find the step's process by
    deck = tmp_path / "deck.md"
    deck.write_text(
        "# Slow\n\n---\n\n```dockerfile\n"
        f"FROM {busybox_image} AS slow\nLABEL {marker}\nRUN echo started && sleep {seconds}\n```\n"
    )
    label = {"label": marker}
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slidekit", "verify", "--no-hadolint", "--builder", "buildkit", str(deck)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert _wait(lambda: _sleeping(seconds), 90), "build never started"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert _wait(lambda: not _sleeping(seconds), 30), "the engine went on building after Ctrl-C"
    assert docker_client.api.containers(all=True, filters=label) == []
    assert docker_client.api.images(all=True, filters=label) == []
