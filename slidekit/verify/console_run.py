"""Running a console block: its commands, in order, in one shell.

One ``sh -c SCRIPT`` runs every command of the block through ``eval`` (so ``cd``,
variables and functions carry over as in a real shell), stderr folded into
stdout unless the block says ``stderr=ignore``, and after each command prints a
marker line with a per-run random token and the command's exit status. The
output is split at those markers (:func:`split_output`, pure).

- :func:`run_in_container`: one container per block from an image (docker SDK),
  with a timeout, always removed (also on Ctrl-C and SIGTERM).
- :func:`run_on_host`: ``sh -c`` in the deck's folder, in its own process
  group, killed whole on timeout.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from slidekit.verify.console_match import CommandRun

#: Every container a console check starts carries this label (and is removed afterwards).
LABEL = "io.slidekit.console"


@dataclass(frozen=True)
class BlockRun:
    """The outcome of running a block: one :class:`CommandRun` per command that was reached."""

    runs: tuple[CommandRun, ...]
    error: str = ""  # could not run at all (no image, engine error, timeout...)
    timed_out: bool = False


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def script(commands: list[str], token: str, stderr: bool = True) -> str:
    """The shell script that runs ``commands`` in one shell, a marker line after each."""
    redirect = "2>&1" if stderr else "2>/dev/null"
    parts = [f"eval {_quote(cmd)} {redirect}; printf '\\n{token} %s\\n' \"$?\"" for cmd in commands]
    return "\n".join(parts) + "\n"


def split_output(output: str, token: str, count: int, final_status: int | None) -> tuple[CommandRun, ...]:
    """Cut the script's output into per-command runs. A command that ended the shell
    (``exit 3``) has no marker: it takes the rest of the output and the shell's status."""
    runs: list[CommandRun] = []
    marker = re.compile(rf"\n{re.escape(token)} (\d+)\n")
    pos = 0
    for match in marker.finditer(output):
        runs.append(CommandRun(output[pos:match.start()], int(match.group(1))))
        pos = match.end()
        if len(runs) == count:
            break
    if len(runs) < count:
        runs.append(CommandRun(output[pos:], final_status))
    return tuple(runs)


def new_token() -> str:
    return f"@@slidekit-{secrets.token_hex(8)}@@"


#: containers running now (name → client), so that Ctrl-C/SIGTERM can remove them from the main thread
_LIVE: dict[str, Any] = {}
_LIVE_LOCK = threading.Lock()


def abort_all() -> None:
    """Force-remove every console container still running (their commands end with them)."""
    with _LIVE_LOCK:
        live = list(_LIVE.items())
    for name, client in live:
        _remove(client, None, name)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while a container runs, so ``finally`` removes it
    (only in the main thread: signal handlers cannot be set elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    old = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def run_in_container(client: Any, image: str, commands: list[str], *, stderr: bool, timeout: float,
                     mounts: dict[str, str] | None = None, labels: dict[str, str] | None = None) -> BlockRun:
    """Run ``commands`` in one container from ``image``; the container is always removed."""
    import requests  # noqa: PLC0415 - boundary: the HTTP stack loads (with the SDK) only when a container runs

    token = new_token()
    name = f"slidekit-console-{uuid.uuid4().hex[:12]}"
    volumes = {src: {"bind": dest, "mode": "ro"} for src, dest in (mounts or {}).items()}
    container = None
    with terminate_as_interrupt():
        try:
            with _LIVE_LOCK:
                _LIVE[name] = client
            container = client.containers.create(
                image, entrypoint=["sh", "-c", script(commands, token, stderr)], command=[], name=name,
                labels={LABEL: "1", **(labels or {})}, detach=True, stdin_open=False, tty=False,
                volumes=volumes or None, network_disabled=False,
            )
            container.start()
            timed_out = False
            try:
                status: int | None = int(container.wait(timeout=timeout).get("StatusCode", -1))
            except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
                timed_out, status = True, None
            output = container.logs(stdout=True, stderr=True).decode("utf-8", "replace")
            runs = split_output(output, token, len(commands), status)
            if timed_out:
                return BlockRun(runs, f"timed out after {timeout:g}s", True)
            return BlockRun(runs)
        except Exception as exc:  # noqa: BLE001 - Docker API errors become a failed check
            return BlockRun((), f"could not run the container: {_one_line(exc)}")
        finally:
            _remove(client, container, name)
            with _LIVE_LOCK:
                _LIVE.pop(name, None)


def _remove(client: Any, container: Any, name: str) -> None:
    try:
        (container or client.containers.get(name)).remove(force=True)
    except Exception:  # noqa: BLE001 - already gone, or never created
        pass


def run_on_host(commands: list[str], *, cwd: str, stderr: bool, timeout: float) -> BlockRun:
    """Run ``commands`` with the host's ``sh`` in ``cwd`` (trusted decks only: the caller decides)."""
    token = new_token()
    try:
        proc = subprocess.Popen(["sh", "-c", script(commands, token, stderr)], cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if not stderr else subprocess.STDOUT,
                                start_new_session=True, env={**os.environ, "TERM": "dumb"})
    except OSError as exc:
        return BlockRun((), f"cannot run sh: {exc.strerror}")
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, _ = proc.communicate()
        return BlockRun(split_output(out.decode("utf-8", "replace"), token, len(commands), None),
                        f"timed out after {timeout:g}s", True)
    except BaseException:
        _kill_group(proc)
        proc.wait()
        raise
    return BlockRun(split_output(out.decode("utf-8", "replace"), token, len(commands), proc.returncode))


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


def _one_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
