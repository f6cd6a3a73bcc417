"""The subprocess part, with real processes: quoting, no shell, stdin, timeouts."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from slidekit.preprocess import runner
from slidekit.preprocess.runner import Job, run, split_command, stdin_text


def test_split_uses_shell_quoting_without_a_shell() -> None:
    assert split_command("graph-easy --as=boxart") == ("graph-easy", "--as=boxart")
    assert split_command("""printf '%s|' "a b" c\\ d""") == ("printf", "%s|", "a b", "c d")
    with pytest.raises(ValueError):
        split_command("echo 'unclosed")
    with pytest.raises(ValueError):
        split_command("   ")


def test_stdin_is_the_body_without_its_last_newline_like_slides() -> None:
    assert stdin_text("a\nb\n") == "a\nb"
    assert stdin_text("a\n\n") == "a\n"
    assert stdin_text("") == ""


def test_no_shell_expansion(tmp_path: Path) -> None:
    result = run(Job(split_command("echo $HOME `id` ; ls"), "", 5, tmp_path))
    assert result.status == runner.OK
    assert result.stdout == "$HOME `id` ; ls\n"


def test_body_on_stdin_and_stdout_exact(tmp_path: Path) -> None:
    result = run(Job(("cat",), "  two spaces\n\ttab  \n", 5, tmp_path))
    assert (result.status, result.stdout, result.exit_status) == (runner.OK, "  two spaces\n\ttab  \n", 0)


def test_runs_in_the_deck_folder(tmp_path: Path) -> None:
    assert run(Job(("pwd",), "", 5, tmp_path)).stdout == f"{tmp_path.resolve()}\n"


def test_missing_and_not_executable(tmp_path: Path) -> None:
    assert run(Job(("no-such-tool-xyz",), "", 5, tmp_path)).status == runner.MISSING
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    os.chmod(script, 0o644)
    result = run(Job((str(script),), "", 5, tmp_path))
    assert result.status == runner.ERROR and "ermission denied" in result.error


def test_exit_status_and_stderr_kept_apart(tmp_path: Path) -> None:
    result = run(Job(("sh", "-c", "echo out; echo err >&2; exit 3"), "", 5, tmp_path))
    assert (result.status, result.exit_status, result.stdout, result.stderr) == (runner.EXIT, 3, "out\n", "err\n")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    script = f"sleep 30 & echo $! > {pidfile}; wait"
    started = time.monotonic()
    result = run(Job(("sh", "-c", script), "", 0.5, tmp_path))
    elapsed = time.monotonic() - started
    assert result.status == runner.TIMEOUT
    assert elapsed < 3, elapsed  # the background sleep held stdout open; it was killed too
    grandchild = int(pidfile.read_text())
    deadline = time.monotonic() + 2
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_run_all_keeps_order_and_runs_concurrently(tmp_path: Path) -> None:
    jobs = [Job(("sh", "-c", f"sleep 0.4; echo {i}"), "", 5, tmp_path) for i in range(4)]
    started = time.monotonic()
    results = runner.run_all(jobs, workers=4)
    assert [r.stdout for r in results] == ["0\n", "1\n", "2\n", "3\n"]
    assert time.monotonic() - started < 1.5
