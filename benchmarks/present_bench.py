"""Terminal presenter speed, measured through a pseudo-terminal.

Generates a 200-slide deck and reports, as medians over several runs:

* time to first frame: from spawning ``slidekit present deck.md`` until the
  first slide's footer (``Slide 1 / 200``) has been written (goal ≤ 150 ms);
* keypress to next frame: from writing ``j`` until ``Slide N+1 / 200`` is
  written (goal median ≤ 16 ms);
* the same first-frame figure for lookatme 2.5.5 on the same deck in the same
  run (its own venv under /tmp, see benchmark-anchors.md), skipped with a note
  when it cannot be installed.

Run: ``python benchmarks/present_bench.py [--runs 7] [--keys 60]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROWS, COLS = 40, 120
SLIDES = 200
LOOKATME_VENV = Path("/tmp/lookatme-venv")


def make_deck(count: int = SLIDES) -> str:
    parts: list[str] = []
    for n in range(1, count + 1):
        kind = n % 4
        body = [f"# Slide {n}: section {n // 10}", "", f"Some *prose* for slide {n} with `inline code` and a **bold** word."]
        if kind == 0:
            body += ["", "```python", *(f"def f{i}(x):\n    return x * {i}  # slide {n}" for i in range(6)), "```"]
        elif kind == 1:
            body += ["", "```dockerfile", f"FROM busybox AS stage{n}", "RUN echo hello > /x", "COPY . /app", "```"]
        elif kind == 2:
            body += ["", *(f"- point {i} of slide {n}" for i in range(8))]
        else:
            body += ["", "| a | b | c |", "|---|---|---|", *(f"| {i} | {i * 2} | {i * 3} |" for i in range(5))]
        parts.append("\n".join(body) + "\n")
    return "---\nauthor: Bench\ndate: YYYY-MM-DD\n---\n\n" + "\n---\n\n".join(parts)


def _env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE would make every start compile every module: an
    # installed slidekit has its .pyc files, so measure with them
    drop = ("COLUMNS", "LINES", "NO_COLOR", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["TERM"] = "xterm-256color"
    return env


CPU: list[float] = []  # user+sys seconds of each finished first_frame child


def first_frame(argv: list[str], marker: bytes, env: dict[str, str], cwd: str, quit_keys: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd, dimensions=(ROWS, COLS), timeout=30)
    try:
        child.expect_exact(marker)
        elapsed = time.perf_counter() - start
        if quit_keys:
            child.send(quit_keys)
        child.expect(pexpect.EOF, timeout=10)
    finally:
        child.close(force=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return elapsed


def key_latencies(argv: list[str], env: dict[str, str], cwd: str, keys: int) -> list[float]:
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd, dimensions=(ROWS, COLS), timeout=30)
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
    out: list[float] = []
    try:
        child.expect_exact(b"Slide 1 / 200")
        time.sleep(0.5)  # let it settle (prefetch, first poll)
        for n in range(2, keys + 2):
            marker = f"Slide {n} / 200".encode()
            start = time.perf_counter()
            child.send("j")
            child.expect_exact(marker)
            out.append(time.perf_counter() - start)
            time.sleep(0.05)  # a presenter does not press keys back to back
        child.send("q")
        child.expect(pexpect.EOF, timeout=10)
    finally:
        child.close(force=True)
    return out


def lookatme_available() -> str | None:
    exe = LOOKATME_VENV / "bin" / "lookatme"
    if exe.exists():
        return str(exe)
    print(f"installing lookatme 2.5.5 into {LOOKATME_VENV} …", file=sys.stderr)
    pip = LOOKATME_VENV / "bin" / "pip"
    steps = [
        [sys.executable, "-m", "venv", str(LOOKATME_VENV)],
        [str(pip), "install", "-q", "--no-deps", "lookatme==2.5.5"],
        [str(pip), "install", "-q", "pyyaml>=6", "marshmallow<4", "mistune<1", "urwid==2.1.2", "click", "pygments"],
    ]
    for step in steps:
        if subprocess.run(step, capture_output=True).returncode != 0:
            return None
    return str(exe) if exe.exists() else None


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}, n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keys", type=int, default=60)
    args = parser.parse_args()
    env = _env()
    with tempfile.TemporaryDirectory(prefix="slidekit-present-bench-") as tmp:
        deck = Path(tmp) / "deck.md"
        deck.write_text(make_deck())
        env["SLIDEKIT_STATE_DIR"] = str(Path(tmp) / "state")
        ours = [sys.executable, "-m", "slidekit", "present", str(deck)]
        print(f"deck: {SLIDES} slides, {len(deck.read_text().splitlines())} lines; pty {COLS}x{ROWS}")
        floor = [first_frame([sys.executable, "-c", "print('ready')"], b"ready", env, tmp, "") for _ in range(args.runs)]
        print(f"python start-up floor:       {ms(floor)}   (python -c print, same pty; the load on this machine)")
        first_frame(ours, b"Slide 1 / 200", env, tmp, "q")  # warm the OS file cache (and write .pyc files)
        exe = lookatme_available()
        theirs = [exe, str(deck)] if exe else None
        if theirs is not None:
            try:
                first_frame(theirs, b"200", env, tmp, "q")
            except (pexpect.TIMEOUT, pexpect.EOF) as exc:
                print(f"lookatme: comparison skipped (it did not show a first frame: {type(exc).__name__})")
                theirs = None
        else:
            print("lookatme: comparison skipped (could not install lookatme 2.5.5 in its own venv)")
        # alternate the two programs so the machine's load hits both alike
        ours_first, ours_cpu, their_first, their_cpu = [], [], [], []
        for _ in range(args.runs):
            ours_first.append(first_frame(ours, b"Slide 1 / 200", env, tmp, "q"))
            ours_cpu.append(CPU[-1])
            if theirs is not None:
                their_first.append(first_frame(theirs, b"200", env, tmp, "q"))
                their_cpu.append(CPU[-1])
        print(f"slidekit first frame:        {ms(ours_first)}   goal <= 150 ms")
        print(f"  CPU time, start to quit:   {ms(ours_cpu)}   (includes the full parse after the first frame)")
        if theirs is not None:
            print(f"lookatme first frame:        {ms(their_first)}")
            print(f"  CPU time, start to quit:   {ms(their_cpu)}")
            ratio = statistics.median(their_first) / statistics.median(ours_first)
            wins = sum(o < t for o, t in zip(ours_first, their_first))
            print(f"first frame: lookatme/slidekit median ratio {ratio:.2f}x; slidekit faster in {wins}/{args.runs} paired runs")
        latencies = key_latencies(ours, env, tmp, args.keys)
        p90 = sorted(latencies)[int(len(latencies) * 0.9) - 1]
        print(f"slidekit key -> next frame:  {ms(latencies)}   p90 {p90 * 1000:.1f} ms   goal median <= 16 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
