"""How long ~~~cmd pre-processing takes: cold (graph-easy runs) vs. cached.

Usage: python benchmarks/preprocess_bench.py [N_GRAPHS]
Builds a deck from the first N graphs of the graph-easy corpus (default 20) in a
temporary folder, opens it with --allow-exec twice (cold, then from
.slidekit-cache) and once untrusted (cache only), and prints the timings.
"""

from __future__ import annotations

import argparse

import shutil
import sys
import tempfile
import time
from pathlib import Path

from slidekit.session import open_deck
from slidekit.preprocess.pipeline import command_blocks

CORPUS = Path("/work/shared/graph-easy-corpus/inputs")
EXAMPLE = Path(__file__).resolve().parents[1] / "slides" / "docker-multistage.md"


def usable(text: str) -> bool:
    return not any(line.startswith(("---", "~~~", "```")) for line in text.splitlines())


def timed(path: Path, allow_exec: bool) -> tuple[float, int]:
    started = time.perf_counter()
    deck = open_deck(str(path), preprocess=True, quiet=True, allow_exec=allow_exec)
    return time.perf_counter() - started, sum(b.output is not None for b in command_blocks(deck))


def main() -> None:
    parser = argparse.ArgumentParser(description="Pre-processing: cold run vs cache hit vs untrusted deck with cache.")
    parser.add_argument("count", nargs="?", type=int, default=20, help="graph-easy corpus diagrams in the big deck")
    count = parser.parse_args().count
    if shutil.which("graph-easy") is None:
        sys.exit("graph-easy is not installed (Debian package libgraph-easy-perl)")
    graphs = [p.read_text() for p in sorted(CORPUS.glob("*.txt")) if usable(p.read_text())][:count]
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example" / "deck.md"
        example.parent.mkdir()
        example.write_bytes(EXAMPLE.read_bytes())
        corpus = Path(tmp) / "corpus" / "deck.md"
        corpus.parent.mkdir()
        corpus.write_text("\n---\n\n".join(f"# {i}\n\n```\n~~~graph-easy --as=boxart\n{g}~~~\n```\n"
                                            for i, g in enumerate(graphs)))
        for label, path in (("example deck (1 diagram)", example), (f"corpus deck ({len(graphs)} diagrams)", corpus)):
            cold, ok_cold = timed(path, True)
            warm, ok_warm = timed(path, True)
            untrusted, ok_untrusted = timed(path, False)
            print(f"{label}: cold {cold * 1000:.0f} ms ({ok_cold} rendered), "
                  f"cached {warm * 1000:.1f} ms ({ok_warm}), untrusted+cache {untrusted * 1000:.1f} ms ({ok_untrusted})")


if __name__ == "__main__":
    main()
