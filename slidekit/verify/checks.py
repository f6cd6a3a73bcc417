"""The static side of a verify run: the Dockerfile checks and the smoke-check declarations,
validated without an engine (``verify --static`` and the warm path load only this and the plan)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slidekit.deck.model import Deck
from slidekit.verify import cache as result_cache
from slidekit.verify.model import AssembledDockerfile, Finding
from slidekit.verify.plan import DockerfilePlan

if TYPE_CHECKING:
    from pathlib import Path

    from slidekit.verify.context import IgnorePattern


def read_dockerignore(root: Path) -> tuple[IgnorePattern, ...] | None:
    from slidekit.verify.context import read_dockerignore as read

    return read(root)


def static_findings(dockerfiles: tuple[AssembledDockerfile, ...], files: frozenset[str], hadolint: bool,
                    dockerignore: tuple[IgnorePattern, ...] | None = None) -> tuple[Finding, ...]:
    """The static checks' findings, cached by content (:func:`cache.findings_key`): an
    unchanged deck neither imports the rules nor starts hadolint."""
    identity = None
    if hadolint:
        from slidekit.verify.hadolint import identity as hadolint_identity

        identity = hadolint_identity()
    ignore = [("!" if p.exclusion else "") + p.pattern for p in dockerignore or ()]
    key = result_cache.findings_key(dockerfiles, files, identity, ignore)
    cached = result_cache.load_findings(key)
    if cached is not None:
        return cached
    from slidekit.verify.hadolint import run_hadolint
    from slidekit.verify.static import check

    # hadolint caches its own results by text: asked first, the check below reads them back.
    complete = identity is None or all(run_hadolint(d.text) is not None for d in dockerfiles)
    findings = tuple(check(dockerfiles, files, hadolint=hadolint, dockerignore=dockerignore))
    if complete:  # a hadolint that failed this time is asked again next time
        result_cache.store_findings(key, findings)
    return findings


def smoke_findings(deck: Deck, plans: tuple[DockerfilePlan, ...]) -> tuple[Finding, ...]:
    """The front matter ``checks:``, validated before anything is built: a malformed
    check raises DeckError (exit 2); one naming no (or an ambiguous) stage is an error finding."""
    if deck.meta.options.get("checks") is None:
        return ()  # the common case: smoke.py (urllib, uuid) is not even imported
    from slidekit.verify.smoke import check_findings, parse_checks

    stages = [(p.dockerfile.name, s.label) for p in plans for s in p.stages]
    return tuple(check_findings(parse_checks(deck), stages))
