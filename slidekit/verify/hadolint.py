"""Run hadolint (when installed, e.g. ``pip install slidekit[hadolint]``) on assembled text.

The only I/O of the static checks: a subprocess reading the Dockerfile from
stdin. hadolint's ShellCheck pass costs ~0.1 s of CPU per Dockerfile, so
results are cached by content (binary identity + text + the working folder's
``.hadolint.yaml``) in ``$XDG_CACHE_HOME/slidekit/hadolint/``; an unchanged deck
re-verifies without running it. Results stay in Dockerfile lines;
:mod:`slidekit.verify.static` maps them to the deck.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sysconfig
from dataclasses import asdict, dataclass
from pathlib import Path

from slidekit.files import write_atomic

TIMEOUT = 30.0
CONFIG_FILES = (".hadolint.yaml", ".hadolint.yml")


@dataclass(frozen=True)
class HadolintResult:
    code: str
    level: str  # error | warning | info | style
    message: str
    line: int


def hadolint_path() -> str | None:
    """The hadolint installed with slidekit's ``[hadolint]`` extra (this interpreter's
    scripts folder: no version-manager shim, which can cost 0.2 s a call), else PATH's."""
    name = "hadolint.exe" if os.name == "nt" else "hadolint"
    beside = Path(sysconfig.get_path("scripts")) / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("hadolint")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slidekit" / "hadolint"


def _cache_key(binary: str, text: str) -> str:
    digest = hashlib.sha256()
    stat = os.stat(binary)
    digest.update(f"{os.path.realpath(binary)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for name in CONFIG_FILES:
        if os.path.isfile(name):
            digest.update(Path(name).read_bytes())
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def identity() -> str | None:
    """What hadolint's verdicts depend on besides the text (binary, ``.hadolint.yaml``);
    None when hadolint is not installed. Keys the static-check result cache."""
    binary = hadolint_path()
    if binary is None:
        return None
    try:
        return _cache_key(binary, "")
    except OSError:
        return None


def _parse(raw: str) -> tuple[HadolintResult, ...] | None:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    return tuple(
        HadolintResult(str(i.get("code", "")), str(i.get("level", "warning")), str(i.get("message", "")), int(i.get("line", 1)))
        for i in items
        if isinstance(i, dict)
    )


def _run(binary: str, text: str) -> tuple[HadolintResult, ...] | None:
    import subprocess

    try:
        proc = subprocess.run(
            [binary, "--no-fail", "--format", "json", "-"],
            input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return _parse(proc.stdout.decode("utf-8", "replace"))


def run_hadolint(text: str, binary: str | None = None, *, use_cache: bool = True) -> tuple[HadolintResult, ...] | None:
    """hadolint's findings for ``text``; None when hadolint is missing or unusable."""
    binary = binary or hadolint_path()
    if binary is None:
        return None
    try:
        entry = cache_dir() / f"{_cache_key(binary, text)}.json" if use_cache else None
    except OSError:
        entry = None
    if entry is not None and entry.is_file():
        cached = _parse(entry.read_text("utf-8"))
        if cached is not None:
            return cached
    results = _run(binary, text)
    if results is not None and entry is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(entry, json.dumps([asdict(r) for r in results]))
        except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
            pass
    return results
