"""What the persistent highlight store saves: `slidekit export` of the generated 200-slide
code-heavy deck with the token store cold (its folder emptied before each run) and warm,
every other cache warm, alternating in one run. Prints medians and the saving.

Usage: python benchmarks/highlight_bench.py [--slides 200] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_bench import make_deck


def export(work: Path) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "slidekit", "export", "deck.md", "-o", "deck.html"], cwd=work, env=env,
                   check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="slidekit-hl-bench-") as tmp:
        work = Path(tmp)
        (work / "deck.md").write_text(make_deck(args.slides), encoding="utf-8")
        store = work / "cache" / "slidekit" / "highlight"
        export(work)  # warms every cache (parsed deck, verification lookups, tokens)
        cold: list[float] = []
        warm: list[float] = []
        for _ in range(args.runs):
            shutil.rmtree(store, ignore_errors=True)
            cold.append(export(work))
            warm.append(export(work))
        entries = sum(1 for _ in store.rglob("*.json"))
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"export of {args.slides} slides, {args.runs} runs each (median):")
    print(f"  token store cold: {c:.3f} s")
    print(f"  token store warm: {w:.3f} s  ({entries} stored blocks)")
    print(f"  saved: {c - w:.3f} s ({(c - w) / c:.0%})")
    print(f"  load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
