"""Run hadolint (when installed, e.g. ``pip install slidekit[hadolint]``) on assembled text.

The only I/O of the static checks: a subprocess reading the Dockerfile from stdin.
Results stay in Dockerfile lines; :mod:`slidekit.verify.static` maps them to the deck.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass

TIMEOUT = 30.0


@dataclass(frozen=True)
class HadolintResult:
    code: str
    level: str  # error | warning | info | style
    message: str
    line: int


def hadolint_path() -> str | None:
    return shutil.which("hadolint")


def run_hadolint(text: str, binary: str | None = None) -> tuple[HadolintResult, ...] | None:
    """hadolint's findings for ``text``; None when hadolint is missing or unusable."""
    binary = binary or hadolint_path()
    if binary is None:
        return None
    try:
        proc = subprocess.run(
            [binary, "--no-fail", "--format", "json", "-"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        items = json.loads(proc.stdout.decode("utf-8") or "[]")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    if not isinstance(items, list):
        return None
    return tuple(
        HadolintResult(str(i.get("code", "")), str(i.get("level", "warning")), str(i.get("message", "")), int(i.get("line", 1)))
        for i in items
        if isinstance(i, dict)
    )
