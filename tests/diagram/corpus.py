"""The Graph::Easy corpus (inputs + the real tool's outputs), shared with other checkouts.

It lives outside the repository (``shared/graph-easy-corpus`` beside the checkout or one of
its parents, or ``$SLIDEKIT_GRAPH_EASY_CORPUS``): its inputs come from Graph::Easy's own test suite.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _find() -> Path:
    if os.environ.get("SLIDEKIT_GRAPH_EASY_CORPUS"):
        return Path(os.environ["SLIDEKIT_GRAPH_EASY_CORPUS"])
    for parent in ROOT.parents:  # a checkout at X/main or X/wt/NAME finds X/shared/
        if (parent / "shared" / "graph-easy-corpus").is_dir():
            return parent / "shared" / "graph-easy-corpus"
    return ROOT.parent / "shared" / "graph-easy-corpus"


CORPUS = _find()
MODES = ("boxart", "ascii")


@dataclass(frozen=True)
class Case:
    name: str  # "2nodes.txt" or "fun/0030.txt"
    source: Path
    expected: dict[str, Path]

    @property
    def category(self) -> str:
        return self.name.split("/")[0] if "/" in self.name else "inputs"

    def text(self) -> str:
        return self.source.read_text(encoding="utf-8")


def cases() -> list[Case]:
    """Every corpus input that has reference outputs (219)."""
    out = []
    for src in sorted((CORPUS / "inputs").glob("*.txt")):
        exp = {m: CORPUS / f"expected-{m}" / src.name for m in MODES}
        if all(p.exists() for p in exp.values()):
            out.append(Case(src.name, src, exp))
    for src in sorted((CORPUS / "inputs-extra").glob("*/*.txt")):
        rel = src.relative_to(CORPUS / "inputs-extra").as_posix()
        exp = {m: CORPUS / f"expected-{m}-extra" / rel for m in MODES}
        if all(p.exists() for p in exp.values()):
            out.append(Case(rel, src, exp))
    return out
