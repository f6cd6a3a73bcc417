"""Time slidekit's native Graph::Easy renderer against the Perl `graph-easy` on the corpus.

Usage: python benchmarks/diagram_bench.py [--corpus DIR] [--runs 5] [--perl-every 1] [--mode boxart]

Native: each of the 219 corpus graphs rendered in process (parse + layout + draw), the best
of --runs per graph; prints the mean and max per graph (goal: mean <= 10 ms) and the byte-exact
count. Perl: `graph-easy --as=MODE` as a fresh process on every --perl-every'th graph
(start-up included, as a ~~~graph-easy block pays it); prints its mean per graph.
Big graphs: random graphs of 50..200 nodes (beyond the corpus), native and Perl, with the edges
each left out: both layouters cap their work and give up on what does not fit.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slidekit.diagram import layout, parse, render  # noqa: E402
from tests.diagram.corpus import CORPUS, cases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--perl-every", type=int, default=1, help="time the Perl tool on every N'th graph (0: never)")
    parser.add_argument("--mode", choices=("boxart", "ascii"), default="boxart")
    args = parser.parse_args()
    if args.corpus is not None:
        os.environ["SLIDEKIT_GRAPH_EASY_CORPUS"] = str(args.corpus)
    if not CORPUS.is_dir():
        print(f"error: no corpus at {CORPUS} (pass --corpus)", file=sys.stderr)
        return 2
    all_cases = cases()
    native: list[float] = []
    exact = 0
    for case in all_cases:
        text = case.text()
        best = float("inf")
        out = ""
        for _ in range(args.runs):
            t0 = time.perf_counter()
            out = render(text, args.mode)
            best = min(best, time.perf_counter() - t0)
        native.append(best)
        exact += out == case.expected[args.mode].read_text(encoding="utf-8")
    mean_ms = statistics.mean(native) * 1000
    print(f"native {args.mode}: {len(all_cases)} graphs, mean {mean_ms:.2f} ms/graph, "
          f"median {statistics.median(native) * 1000:.2f} ms, max {max(native) * 1000:.2f} ms "
          f"(goal: mean <= 10 ms: {'met' if mean_ms <= 10 else 'NOT met'}); byte-exact {exact}/{len(all_cases)}")
    perl = shutil.which("graph-easy")
    big_graphs(perl)
    if perl is None or args.perl_every <= 0:
        print("perl graph-easy: not timed" + ("" if perl else " (not installed)"))
        return 0
    perl_times = []
    for case in all_cases[:: args.perl_every]:
        t0 = time.perf_counter()
        subprocess.run([perl, f"--as={args.mode}", str(case.source)], capture_output=True, check=False, timeout=60)
        perl_times.append(time.perf_counter() - t0)
    perl_ms = statistics.mean(perl_times) * 1000
    print(f"perl graph-easy {args.mode}: {len(perl_times)} graphs, mean {perl_ms:.1f} ms/graph "
          f"(process start-up included); native is {perl_ms / mean_ms:.0f}x faster")
    return 0


def big_graphs(perl: str | None) -> None:
    for nodes, edges in ((50, 80), (100, 150), (200, 300)):
        rng = random.Random(nodes)
        text = "".join(f"[ n{rng.randrange(nodes)} ] -> [ n{rng.randrange(nodes)} ]\n" for _ in range(edges))
        t0 = time.perf_counter()
        graph = parse(text)
        lost = len(layout(graph).unrouted)
        line = f"big random graph {nodes} nodes/{edges} edges: native {time.perf_counter() - t0:.2f} s ({lost} edges left out)"
        if perl:
            t0 = time.perf_counter()
            proc = subprocess.run([perl, "--as=boxart"], input=text, capture_output=True, text=True, check=False,
                                  timeout=600)
            line += f", perl {time.perf_counter() - t0:.2f} s ({proc.stderr.strip()[:60] or 'all placed'})"
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())
