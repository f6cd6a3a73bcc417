#!/usr/bin/env python3
"""slidekit verify against its floor, `docker build --target`, on the same deck in the same run.

Cold: `slidekit verify --no-cache` (engine layer cache off too) vs `docker build
--no-cache --target T` of the extracted Dockerfile for every leaf target T (the
stages slidekit builds; the others are built on the way). Goal: ratio <= 1.10.

Warm: `slidekit verify` of the unchanged deck (answered from slidekit's cache;
goal < 0.3 s) vs a fully cached `docker build --target T` of every target
(goal: ratio <= 0.2).

By default a generated multi-stage busybox deck (slidekit-test/busybox:latest,
tests/env/image-busybox.sh); `--deck PATH [--image-map NAME=REF]...` measures
another deck. Everything this script builds is labelled and removed at the end.

    python benchmarks/verify_bench.py [--repeat 3] [--stages 6] [--deck D --image-map N=R]

Builders: `--builders` instead measures BuildKit against the classic builder in one run:
cold `slidekit verify --no-cache --builder buildkit|classic` of a generated deck with 3
independent branches (2 stages each, each running `sleep 2`; goal: BuildKit <= 0.6 x
classic), then both builders on the seed deck slides/docker-multistage.md (cold with
`--seed-cold`, else with the engine's layer cache warm: slidekit's result cache off).

Badges: `--badges N` instead measures `slide_statuses(deck)` (the presenter's
footer badges, the HTML export) on a deck whose folder holds N files of up to
32 KiB (a node_modules-like context): the first lookup, warm lookups (the stat
index: a `stat` per file), and the same lookup hashing every file each time (as
before the index). `--badges-deck PATH` measures an existing deck instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slidekit.deck.load import load_deck  # noqa: E402
from slidekit.verify.assemble import assemble  # noqa: E402
from slidekit.verify.plan import build_text, context_root, effective_image_map, plan_stages  # noqa: E402

BASE = "slidekit-test/busybox:latest"


def generate_deck(folder: Path, stages: int, marker: str) -> Path:
    """base → (stages-2) independent builders → one final stage copying from all of them."""
    slides = ["---\nauthor: bench\n---\n\n# Generated multi-stage deck\n"]
    slides.append(f"## base\n\n```dockerfile\nFROM {BASE} AS base\nLABEL slidekit.bench={marker}\n"
                  "RUN mkdir -p /out && echo base > /out/base\nCOPY data.txt /data.txt\n```\n")
    builders = [f"builder{i}" for i in range(1, stages - 1)]
    for name in builders:
        slides.append(f"## {name}\n\n```dockerfile\nFROM base AS {name}\n"
                      f"RUN echo {name} > /out/{name} && sleep 0.2\nRUN cat /data.txt /out/{name}\n```\n")
    copies = "\n".join(f"COPY --from={n} /out/{n} /out/{n}" for n in builders)
    slides.append(f"## final\n\n```dockerfile\nFROM base AS final\n{copies}\nCMD [\"ls\", \"/out\"]\n```\n")
    (folder / "data.txt").write_text("payload\n")
    deck = folder / "deck.md"
    deck.write_text("\n---\n\n".join(slides))
    return deck


def timed(cmd: list[str], env: dict[str, str], check: bool = True) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if check and result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr[-2000:]}")
    return took


def docker_builds(dockerfiles: list[tuple[Path, list[str]]], context: Path, tag: str, env: dict[str, str],
                  nocache: bool) -> float:
    total = 0.0
    for path, targets in dockerfiles:
        for target in targets:
            cmd = ["docker", "build", "-q", "-f", str(path), "--target", target, "-t", f"{tag}:{target}", str(context)]
            total += timed(cmd[:2] + (["--no-cache"] if nocache else []) + cmd[2:], env)
    return total


def cleanup(marker: str, tag: str, deck_tags: str) -> None:
    ids = subprocess.run(["docker", "images", "-a", "-q", "--filter", f"label=slidekit.bench={marker}"],
                         capture_output=True, text=True).stdout.split()
    refs = subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"],
                          capture_output=True, text=True).stdout.split()
    mine = [r for r in refs if r.startswith((f"{tag}:", f"{deck_tags}:"))]
    if mine:
        subprocess.run(["docker", "rmi", *mine], capture_output=True)
    if ids:
        subprocess.run(["docker", "rmi", "-f", *sorted(set(ids))], capture_output=True)


def bench_badges(count: int, deck_path: Path | None, repeat: int) -> int:
    import random
    import statistics as st

    from slidekit.verify import cache
    from slidekit.verify.status import slide_statuses

    with tempfile.TemporaryDirectory(prefix="slidekit-badges-") as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        if deck_path is None:
            folder = Path(tmp) / "deck"
            rng = random.Random(1)
            for n in range(count):
                sub = folder / "node_modules" / f"pkg{n // 100}"
                sub.mkdir(parents=True, exist_ok=True)
                (sub / f"f{n}.js").write_bytes(rng.randbytes(rng.randint(0, 32768)))
            deck_path = folder / "deck.md"
            deck_path.write_text(f"# t\n\n---\n\n```dockerfile\nFROM {BASE} AS base\nRUN true\n```\n")
            time.sleep(cache.RACY_SECONDS + 0.1)  # files changed just now are not indexed yet
        deck = load_deck(deck_path.read_text(), str(deck_path))
        files = len(list_context_of(deck))
        size = sum(p.stat().st_size for p in Path(context_root(deck, None)).rglob("*") if p.is_file() and not p.is_symlink()) if count else 0

        def timed_lookup() -> float:
            start = time.perf_counter()
            slide_statuses(deck)
            return time.perf_counter() - start

        first = timed_lookup()
        warm = [timed_lookup() for _ in range(max(repeat, 5))]
        real = cache.hash_context
        cache.hash_context = lambda root, names, **kw: real(root, names, use_index=False)  # type: ignore[assignment]
        try:
            unindexed = [timed_lookup() for _ in range(max(repeat, 3))]
        finally:
            cache.hash_context = real  # type: ignore[assignment]
    print(f"badges: {deck_path} ({files} context files{f', {size / 1e6:.0f} MB' if size else ''})")
    print(f"badges  first lookup (hashes every file)   {first:7.3f} s")
    print(f"badges  warm lookup (stat index)   median {st.median(warm):7.3f} s  {[f'{x:.3f}' for x in warm]}")
    print(f"badges  every file hashed each time median {st.median(unindexed):7.3f} s")
    return 0


def generate_branches(folder: Path, marker: str, branches: int = 3) -> Path:
    """``branches`` independent chains of two stages, each stage running ``sleep 2``."""
    slides = ["---\nauthor: bench\n---\n\n# Independent branches\n"]
    for i in range(1, branches + 1):
        slides.append(f"## branch {i}\n\n```dockerfile\nFROM {BASE} AS first{i}\nLABEL slidekit.bench={marker}\n"
                      f"RUN sleep 2 && echo {marker} > /first\n```\n")
        slides.append(f"## branch {i}, second stage\n\n```dockerfile\nFROM first{i} AS second{i}\n"
                      f"RUN sleep 2 && cat /first > /second\n```\n")
    deck = folder / "deck.md"
    deck.write_text("\n---\n\n".join(slides))
    return deck


def bench_builders(repeat: int, seed_cold: bool) -> int:
    import hashlib

    marker = uuid.uuid4().hex[:12]
    med = statistics.median
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="slidekit-bench-") as tmp:
        work = Path(tmp)
        (work / "deck").mkdir()
        deck_path = generate_branches(work / "deck", marker)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        deck_tags = "slidekit-verify/" + hashlib.sha256(str(deck_path).encode()).hexdigest()[:12]
        times: dict[str, list[float]] = {"buildkit": [], "classic": []}
        try:
            for _ in range(repeat):
                for builder in ("classic", "buildkit"):
                    cmd = [sys.executable, "-m", "slidekit", "verify", "--no-hadolint", "--no-cache", "--builder", builder, str(deck_path)]
                    times[builder].append(timed(cmd, env))
        finally:
            cleanup(marker, "slidekit-bench/none", deck_tags)
        ratio = med(times["buildkit"]) / med(times["classic"])
        rows.append("3 independent branches x 2 stages x `sleep 2`, cold (--no-cache):")
        for builder, values in times.items():
            rows.append(f"  {builder:8s} median {med(values):6.2f} s  {[f'{x:.2f}' for x in values]}")
        rows.append(f"  ratio buildkit/classic {ratio:5.2f}   (goal <= 0.60: {'met' if ratio <= 0.6 else 'MISSED'})")
        seed = ROOT / "slides" / "docker-multistage.md"
        image_map = "python:3.9.10=slidekit-test/python:3.9-bullseye"
        seed_times: dict[str, float] = {}
        seed_codes: dict[str, int] = {}
        for builder in ("classic", "buildkit"):
            cmd = [sys.executable, "-m", "slidekit", "verify", "--no-hadolint", "--builder", builder, f"--image-map={image_map}",
                   str(seed)]
            if seed_cold:
                cmd.insert(4, "--no-cache")
            else:
                (work / "cache" / "slidekit" / "verify").mkdir(parents=True, exist_ok=True)
                for entry in (work / "cache" / "slidekit" / "verify").glob("*.json"):
                    entry.unlink()  # slidekit's result cache off; the engine's layer cache stays warm
                timed(cmd, env, check=False)  # fill the engine's layer cache for this builder
                for entry in (work / "cache" / "slidekit" / "verify").glob("*.json"):
                    entry.unlink()
            start = time.perf_counter()
            result = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seed_times[builder] = time.perf_counter() - start
            seed_codes[builder] = result.returncode
    mode = "cold (--no-cache)" if seed_cold else "engine layer cache warm, slidekit result cache off"
    rows.append(f"seed deck slides/docker-multistage.md, {mode}:")
    for builder, value in seed_times.items():
        rows.append(f"  {builder:8s} {value:6.2f} s  (exit {seed_codes[builder]})")
    print("\n".join(rows))
    return 0


def list_context_of(deck):  # type: ignore[no-untyped-def]
    from slidekit.verify.context import list_context

    return list_context(context_root(deck, None))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deck", type=Path)
    parser.add_argument("--image-map", action="append", default=[])
    parser.add_argument("--stages", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--badges", type=int, metavar="N", help="measure badge lookups on a deck folder of N files")
    parser.add_argument("--badges-deck", type=Path, metavar="PATH", help="measure badge lookups on this deck")
    parser.add_argument("--builders", action="store_true", help="BuildKit vs the classic builder (see above)")
    parser.add_argument("--seed-cold", action="store_true", help="with --builders: the seed deck cold (minutes)")
    args = parser.parse_args()
    if args.builders:
        return bench_builders(args.repeat, args.seed_cold)
    if args.badges is not None or args.badges_deck is not None:
        return bench_badges(args.badges or 0, args.badges_deck, args.repeat)
    marker = uuid.uuid4().hex[:12]
    tag = f"slidekit-bench/{marker}"
    with tempfile.TemporaryDirectory(prefix="slidekit-bench-") as tmp:
        work = Path(tmp)
        (work / "deck").mkdir()
        deck_path = args.deck.resolve() if args.deck else generate_deck(work / "deck", args.stages, marker)
        mapping = dict(item.split("=", 1) for item in args.image_map)
        deck = load_deck(deck_path.read_text(), str(deck_path))
        context = context_root(deck, None)
        mapping = effective_image_map(deck, mapping)
        extracted: list[tuple[Path, list[str]]] = []
        for i, dockerfile in enumerate(assemble(deck)):
            plan = plan_stages(dockerfile)
            path = work / f"Dockerfile.{i}"
            path.write_text(build_text(plan, tuple(range(len(plan.stages))), mapping))
            extracted.append((path, [plan.stages[leaf].label for leaf in plan.leaves()]))
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        # docker build here is the classic builder (DOCKER_BUILDKIT unset): compare like with like.
        verify = [sys.executable, "-m", "slidekit", "verify", "--no-hadolint", "--builder", "classic", str(deck_path)]
        verify += [f"--image-map={m}" for m in args.image_map]
        import hashlib

        deck_tags = "slidekit-verify/" + hashlib.sha256(str(deck_path).encode()).hexdigest()[:12]
        targets = sum(len(t) for _, t in extracted)
        print(f"deck: {deck_path} ({targets} leaf target(s), {sum(len(plan_stages(d).stages) for d in assemble(deck))} stages)")
        print(f"docker build: {subprocess.run(['docker', 'version', '--format', '{{.Server.Version}}'], capture_output=True, text=True).stdout.strip()}"
              f", DOCKER_BUILDKIT={os.environ.get('DOCKER_BUILDKIT', '(unset: classic builder on 20.10)')}")
        try:
            cold_sk, cold_docker = [], []
            for _ in range(args.repeat):
                cold_docker.append(docker_builds(extracted, context, tag, env, nocache=True))
                cold_sk.append(timed(verify + ["--no-cache"], env, check=False))
            # Warm: slidekit's cache is filled by the last cold run; docker's layer cache by its builds.
            docker_builds(extracted, context, tag, env, nocache=False)
            warm_sk, warm_docker, warm_inproc = [], [], []
            for _ in range(max(args.repeat, 5)):
                warm_sk.append(timed(verify, env))
                warm_docker.append(docker_builds(extracted, context, tag, env, nocache=False))
            code = ("import sys,time;from slidekit.session import open_deck;from slidekit.verify.run import verify_deck;"
                    f"d=open_deck({str(deck_path)!r}, preprocess=False);m=dict(a.split('=',1) for a in {args.image_map!r});"
                    "t=time.perf_counter();r=verify_deck(d,context=None,image_map=m,hadolint=False);"
                    "print(time.perf_counter()-t, r.from_cache)")
            for _ in range(5):
                out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT).stdout.split()
                if out and out[1] == "True":
                    warm_inproc.append(float(out[0]))
        finally:
            cleanup(marker, tag, deck_tags)
    med = statistics.median
    print(f"cold  slidekit verify --no-cache      median {med(cold_sk):7.2f} s  {[f'{x:.2f}' for x in cold_sk]}")
    print(f"cold  docker build --no-cache (all)   median {med(cold_docker):7.2f} s  {[f'{x:.2f}' for x in cold_docker]}")
    print(f"cold  ratio slidekit/docker           {med(cold_sk) / med(cold_docker):7.2f}   (goal <= 1.10)")
    print(f"warm  slidekit verify (CLI process)   median {med(warm_sk):7.3f} s  (goal < 0.3 s)")
    if warm_inproc:
        print(f"warm  verify_deck() in-process        median {med(warm_inproc):7.3f} s")
    print(f"warm  docker build, cached (all)      median {med(warm_docker):7.3f} s")
    print(f"warm  ratio slidekit CLI/docker       {med(warm_sk) / med(warm_docker):7.2f}   (goal <= 0.2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
