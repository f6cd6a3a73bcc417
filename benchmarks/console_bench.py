#!/usr/bin/env python3
"""Console checks: 20 console blocks of 3 commands each against one built stage image.

Cold: `slidekit verify --no-cache` of a generated deck (one busybox stage, 20
```` ```console stage=app ```` blocks): the build, then one container per block;
the time of the console checks is reported whole and per block (the container
start-ups dominate). Cached: `slidekit verify` of the unchanged deck from the
command line, as a user runs it (a new Python process each time; goal <= 0.3 s
for the whole deck). Also the time the console part takes inside that process.

    python benchmarks/console_bench.py [--blocks 20] [--repeat 5]

Uses slidekit-test/busybox:latest (tests/env/image-busybox.sh); the stage image is
tagged slidekit-verify/<deck id>/… and removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = "slidekit-test/busybox:latest"


def generate_deck(folder: Path, blocks: int) -> Path:
    slides = ["---\nauthor: bench\n---\n\n# Console bench\n\n```dockerfile\n"
              f"FROM {BASE} AS app\nWORKDIR /app\nRUN echo hello > greeting.txt\n```\n"]
    for n in range(blocks):
        slides.append(f"# Block {n}\n\n```console stage=app\n$ cat greeting.txt\nhello\n$ cd /tmp\n"
                      f"$ echo block {n} in $(pwd)\nblock {n} in /tmp\n```\n")
    path = folder / "deck.md"
    path.write_text("\n---\n\n".join(slides))
    return path


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(deck: Path, env: dict[str, str], *args: str, cpu_times: list[float] | None = None) -> tuple[float, dict]:  # type: ignore[type-arg]
    start, start_cpu = time.perf_counter(), cpu()
    proc = subprocess.run([sys.executable, "-m", "slidekit", "verify", "--no-hadolint", "--format", "json", *args, str(deck)],
                          env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if cpu_times is not None:
        cpu_times.append(cpu() - start_cpu)
    if proc.returncode != 0:
        sys.exit(f"verify failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return took, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blocks", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="slidekit-console-bench-") as tmp:
        folder = Path(tmp) / "talk"
        folder.mkdir()
        deck = generate_deck(folder, opts.blocks)
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        try:
            print(f"deck: {opts.blocks} console blocks x 3 commands, one stage ({BASE})")
            cold_total, cold = run(deck, env, "--no-cache")
            rows = [c for c in cold["console"] if c["status"] == "checked"]
            assert len(rows) == opts.blocks, cold["console"]
            build = sum(st["seconds"] for st in cold["stages"])
            phase = cold["seconds"] - build  # the console checks' wall time (blocks run 4 at a time)
            each = [c["seconds"] for c in rows]
            print(f"cold  (verify --no-cache, new process): {cold_total:6.2f} s total, build {build:.2f} s; console checks "
                  f"{phase:5.2f} s wall = {phase / opts.blocks:.3f} s per block; one block's container (4 at once): "
                  f"median {statistics.median(each):.3f} s (min {min(each):.3f}, max {max(each):.3f})")
            times, inner, cpus = [], [], []
            for _ in range(opts.repeat):
                took, warm = run(deck, env, cpu_times=cpus)
                assert all(c["from_cache"] for c in warm["console"]), "not answered from the cache"
                times.append(took)
                inner.append(warm["seconds"])
            print(f"cached (verify, new process, {opts.repeat} runs): wall median {statistics.median(times):.3f} s "
                  f"(min {min(times):.3f}), CPU median {statistics.median(cpus):.3f} s  (goal <= 0.3 s); "
                  f"verify itself (JSON `seconds`): median {statistics.median(inner):.3f} s")
            plain = folder / "plain.md"
            plain.write_text(deck.read_text().split("# Block 0")[0].rstrip().removesuffix("---"))
            run(plain, env)
            base_times, base_cpus = [], []
            for _ in range(opts.repeat):
                base_times.append(run(plain, env, cpu_times=base_cpus)[0])
            print(f"  for comparison, the same deck without its console blocks (cached): wall median "
                  f"{statistics.median(base_times):.3f} s, CPU median {statistics.median(base_cpus):.3f} s; "
                  f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        finally:
            deck_id = hashlib.sha256(str(deck.resolve()).encode()).hexdigest()[:12]
            tags = subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}",
                                   f"slidekit-verify/{deck_id}"], capture_output=True, text=True, check=False).stdout.split()
            if tags:
                subprocess.run(["docker", "rmi", *tags], capture_output=True, check=False)


if __name__ == "__main__":
    main()
