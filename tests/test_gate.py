"""The lint and type gate's own rule: every suppression in slidekit/ says why.

ruff (PGH) already requires a code on each ``noqa`` / ``type: ignore`` and mypy (warn_unused_ignores) that each
is still needed; this adds the reason, written after the code: ``# type: ignore[code]  # why`` or
``# noqa: CODE - why``.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "slidekit"
_TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")
_NOQA = re.compile(r"#\s*noqa(:\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?(?P<rest>.*)$")


def _unexplained(line: str) -> bool:
    for pattern in (_TYPE_IGNORE, _NOQA):
        match = pattern.search(line)
        if match and not re.search(r"\w", match.group("rest")):
            return True
    return False


def test_every_suppression_in_the_package_carries_a_reason() -> None:
    bare = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _unexplained(line)
    ]
    assert bare == []


def test_the_reason_check_tells_bare_from_explained() -> None:
    assert _unexplained("x = f(y)  # type: ignore[arg-type]")
    assert _unexplained("import a  # noqa: F401")
    assert _unexplained("import a  # noqa")
    assert not _unexplained("x = f(y)  # type: ignore[arg-type]  # rich's stubs want a Console")
    assert not _unexplained("except Exception:  # noqa: BLE001 - a talk must survive any edit")
    assert not _unexplained("x = 1  # no suppression here")


def test_ci_runs_the_readme_command_and_it_holds_the_gate() -> None:
    root = PACKAGE.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("Set up and pass the lint gate", 1)[1].split("```sh\n", 1)[1].split("\n", 1)[0]
    assert block.startswith("bash tests/env/setup.sh && ")
    assert "ruff check slidekit" in block and "-m mypy slidekit" in block and block.endswith("python3 -m pytest")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "Set up and pass the lint gate" in ci and 'eval "$command' in ci
