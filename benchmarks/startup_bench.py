"""Start-up goals, side by side in one run: the presenter's first frame and `slidekit export` against Marp CLI.

On the generated 200-slide decks of present_bench.py and export_bench.py, as medians over fresh processes:

* ``slidekit DECK`` until the first slide's footer is on the pty (40x120): cold, with an empty parsed-deck cache
  (goal <= 150 ms), and warm, with the deck parsed before (goal <= 100 ms);
* ``slidekit export`` cold and warm, and Marp CLI on the same deck in the same run (goal: slidekit <= 0.25x Marp);
* the interpreter's own start (``python -c pass`` on the same pty): the floor every figure above includes, which
  on a loaded machine says how much of a miss is the machine.

Also CPU time (user+sys) per presenter start, which a busy machine inflates less than wall time.

Run: ``python benchmarks/startup_bench.py [--runs 7] [--marp PATH]`` (Marp: ``npm i @marp-team/marp-cli`` in
/tmp/marp, see export_bench.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export_bench
import present_bench

MARKER = b"Slide 1 / 200"


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms (min {min(values) * 1000:.1f}, n={len(values)})"


def goal(values: list[float], limit_ms: float) -> str:
    median = statistics.median(values) * 1000
    return f"goal <= {limit_ms:.0f} ms: {'met' if median <= limit_ms else f'NOT met by {median - limit_ms:.0f} ms'}"


def presenter(work: Path, runs: int) -> None:
    deck = work / "deck.md"
    deck.write_text(present_bench.make_deck(), encoding="utf-8")
    env = present_bench._env()
    env["SLIDEKIT_STATE_DIR"] = str(work / "state")
    cache = work / "cache"
    env["XDG_CACHE_HOME"] = str(cache)
    argv = [sys.executable, "-m", "slidekit", str(deck)]
    floor = [present_bench.first_frame([sys.executable, "-c", "print('ready')"], b"ready", env, str(work), "")
             for _ in range(runs)]
    present_bench.first_frame(argv, MARKER, env, str(work), "q")  # OS file cache and .pyc files
    cold, warm, cold_cpu, warm_cpu = [], [], [], []
    for _ in range(runs):  # alternate, so the machine's load hits both alike
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(present_bench.first_frame(argv, MARKER, env, str(work), "q"))
        cold_cpu.append(present_bench.CPU[-1])
        warm.append(present_bench.first_frame(argv, MARKER, env, str(work), "q"))
        warm_cpu.append(present_bench.CPU[-1])
    print(f"python start-up floor (pty):     {ms(floor)}")
    print(f"presenter first frame, cold:     {ms(cold)}   {goal(cold, 150)}")
    print(f"presenter first frame, warm:     {ms(warm)}   {goal(warm, 100)}")
    print(f"  minus the floor: cold {(statistics.median(cold) - statistics.median(floor)) * 1000:.0f} ms, "
          f"warm {(statistics.median(warm) - statistics.median(floor)) * 1000:.0f} ms")
    print(f"  CPU start to quit: cold {ms(cold_cpu)}, warm {ms(warm_cpu)} (cold includes the full parse)")


def export(work: Path, runs: int, marp: str) -> None:
    deck = work / "deck.md"
    deck.write_text(export_bench.make_deck(200), encoding="utf-8")
    ours = [sys.executable, "-m", "slidekit", "export", "deck.md", "-o", "slidekit.html", "--theme", "solarized_dark"]
    theirs = [marp, "--no-stdin", "deck.md", "-o", "marp.html"]
    have_marp = os.access(marp, os.X_OK)
    export_bench.timed(ours, work)  # timed() uses work/cache as XDG_CACHE_HOME
    if have_marp:
        export_bench.timed(theirs, work)
    cold, warm, marp_times = [], [], []
    for _ in range(runs):
        shutil.rmtree(work / "cache", ignore_errors=True)
        cold.append(export_bench.timed(ours, work))
        warm.append(export_bench.timed(ours, work))
        if have_marp:
            marp_times.append(export_bench.timed(theirs, work))
    print(f"slidekit export, cold cache:     {ms(cold)}")
    print(f"slidekit export, warm cache:     {ms(warm)}")
    if not have_marp:
        print(f"marp-cli not found at {marp}: npm i @marp-team/marp-cli in /tmp/marp")
        return
    reference = statistics.median(marp_times)
    print(f"marp-cli export:                 {ms(marp_times)}")
    for label, values in (("cold", cold), ("warm", warm)):
        ratio = statistics.median(values) / reference
        print(f"  ratio slidekit/marp, {label}: {ratio:.2f}x (goal <= 0.25x: {'met' if ratio <= 0.25 else 'NOT met'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--marp", default="/tmp/marp/node_modules/.bin/marp")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="slidekit-startup-bench-") as tmp:
        (Path(tmp) / "present").mkdir()
        (Path(tmp) / "export").mkdir()
        load = os.getloadavg()[0]
        print(f"load average {load:.1f} on {os.cpu_count()} cores; decks of 200 slides")
        presenter(Path(tmp) / "present", args.runs)
        export(Path(tmp) / "export", args.runs, args.marp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
