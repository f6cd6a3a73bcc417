"""Running one ``~~~cmd`` block: argv from shell-style splitting, no shell, the
body on stdin, stdout and stderr kept apart, a timeout that kills the whole
process group. This is the only module here that starts processes.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

#: RunResult.status values
OK = "ok"            # exit status 0 (stderr may still have text)
EXIT = "exit"        # non-zero exit status or killed by a signal
MISSING = "missing"  # the program does not exist
TIMEOUT = "timeout"  # killed after the timeout
ERROR = "error"      # could not start for another reason (permission denied, ...)

_GRACE = 2.0  # seconds to collect pipes after killing a timed-out group


@dataclass(frozen=True)
class RunResult:
    argv: tuple[str, ...]
    status: str
    stdout: str = ""
    stderr: str = ""
    exit_status: int | None = None
    seconds: float = 0.0
    error: str = ""


@dataclass(frozen=True)
class Job:
    """One command to run: argv, the text for stdin, where, and for how long."""

    argv: tuple[str, ...]
    stdin: str
    timeout: float
    cwd: Path | None = None


def split_command(command: str) -> tuple[str, ...]:
    """``graph-easy --as=boxart`` → argv, with POSIX shell quoting (no expansion).

    Raises ValueError for unbalanced quotes or an empty command.
    """
    argv = tuple(shlex.split(command, comments=False, posix=True))
    if not argv:
        raise ValueError("empty command")
    return argv


def stdin_text(body: str) -> str:
    """What the command reads: the body without its final newline, exactly as
    slides passes it (its block regex ends the body before ``\\n~~~``)."""
    return body[:-1] if body.endswith("\n") else body


def run(job: Job) -> RunResult:
    """Run ``job``; never raises for a failing command (the status says what happened)."""
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            job.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=job.cwd, start_new_session=True,
        )
    except FileNotFoundError:
        return RunResult(job.argv, MISSING, error=f"command not found: {job.argv[0]}")
    except OSError as exc:
        return RunResult(job.argv, ERROR, error=f"cannot run {job.argv[0]}: {exc.strerror or exc}")
    try:
        out, err = proc.communicate(job.stdin.encode("utf-8"), timeout=job.timeout)
    except subprocess.TimeoutExpired:
        out, err = _kill_group(proc)
        return RunResult(job.argv, TIMEOUT, _decode(out), _decode(err), proc.returncode,
                         time.monotonic() - started)
    seconds = time.monotonic() - started
    status = OK if proc.returncode == 0 else EXIT
    return RunResult(job.argv, status, _decode(out), _decode(err), proc.returncode, seconds)


def _kill_group(proc: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """SIGKILL the command and everything it started (its own session/group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    try:
        return proc.communicate(timeout=_GRACE)
    except subprocess.TimeoutExpired:  # a grandchild escaped the group and holds a pipe
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
        proc.wait()
        return b"", b""


def _decode(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


def run_all(jobs: Sequence[Job], workers: int | None = None) -> list[RunResult]:
    """Run independent jobs concurrently (each is its own process), results in order."""
    if len(jobs) <= 1:
        return [run(job) for job in jobs]
    workers = workers or min(4, os.cpu_count() or 1, len(jobs))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, jobs))
