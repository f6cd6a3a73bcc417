"""``slidekit verify --static``: the static checks alone, for pre-commit and fast CI.

No engine is needed: neither the docker SDK nor the build machinery is imported,
and nothing connects anywhere. The report has the findings (BuildKit's checks,
slidekit's own, hadolint's when installed, the front matter ``checks:``) and no
stages; it fails (exit 1) only on an error-severity finding.
"""

from __future__ import annotations

import time
from pathlib import Path

from slidekit.deck.model import Deck
from slidekit.verify.assemble import assemble
from slidekit.verify.model import VerifyReport
from slidekit.verify.checks import read_dockerignore, smoke_findings, static_findings
from slidekit.verify.plan import context_root, list_files, plan_stages


def verify_static(deck: Deck, *, context: Path | None, hadolint: bool = True) -> VerifyReport:
    started = time.monotonic()
    dockerfiles = assemble(deck)
    root = context_root(deck, context)
    findings = static_findings(dockerfiles, list_files(root), hadolint, read_dockerignore(root))
    checks = smoke_findings(deck, tuple(plan_stages(d) for d in dockerfiles))
    return VerifyReport(deck.path, findings + checks, dockerfiles=tuple(d.name for d in dockerfiles),
                        static_only=True, seconds=time.monotonic() - started)
