"""Time `slidekit export` against Marp CLI on the same generated 200-slide code-heavy deck.

Usage: python benchmarks/export_bench.py [--slides 200] [--runs 5] [--marp PATH]

Marp: `npm i @marp-team/marp-cli` in a scratch folder; pass its node_modules/.bin/marp
with --marp (default /tmp/marp/node_modules/.bin/marp). Both tools run as fresh
processes (interpreter / Node start-up included), alternating, in the same run.
Prints medians, the ratio slidekit/Marp (goal ≤ 0.25) and output sizes.
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

LANGS = (
    ("dockerfile", "FROM python:3.12-slim AS stage{n}\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n"
                   "    rm -rf /var/lib/apt/lists/*\nCOPY --from=builder /src /srv/app{n}\nENV PORT={n}\n"
                   'CMD ["python", "-m", "app", "--port", "{n}"]'),
    ("python", "def handler_{n}(event: dict) -> dict:\n    total = sum(x * {n} for x in event['items'])\n"
               "    if total > {n}:\n        return {{'status': 'big', 'total': total}}\n"
               "    return {{'status': 'ok', 'total': total}}\n\n\nprint(handler_{n}({{'items': [1, 2, 3]}}))"),
    ("go", "package main\n\nimport \"fmt\"\n\nfunc main() {{\n\tfor i := 0; i < {n}; i++ {{\n"
           "\t\tfmt.Println(\"slide\", i)\n\t}}\n}}"),
    ("yaml", "services:\n  app{n}:\n    image: example/app:{n}\n    ports:\n      - \"{n}:80\"\n"
             "    environment:\n      LEVEL: debug"),
)


def make_deck(slides: int) -> str:
    parts = ["---\nauthor: Bench\ndate: \"2024-01-01\"\n---\n"]
    for n in range(1, slides + 1):
        lang, code = LANGS[n % len(LANGS)]
        parts.append(
            f"# Slide {n}: {lang}\n\n- point one about `{lang}`\n- point **two** with a [link](https://example.com/{n})\n\n"
            f"```{lang}\n{code.format(n=n)}\n```\n"
        )
    return parts[0] + "\n---\n\n".join(parts[1:])


def timed(cmd: list[str], cwd: Path) -> float:
    # a scratch cache folder: no verification results from other runs are consulted;
    # PYTHONDONTWRITEBYTECODE would make every start compile slidekit's modules, but an
    # installed slidekit has its .pyc files (pip compiles them), so measure with them
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(cwd / "cache")
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--marp", default="/tmp/marp/node_modules/.bin/marp")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="slidekit-export-bench-"))
    deck = work / "deck.md"
    deck.write_text(make_deck(args.slides), encoding="utf-8")
    lines = deck.read_text().count("\n")
    slidekit = [sys.executable, "-m", "slidekit", "export", "deck.md", "-o", "slidekit.html",
                "--theme", "solarized_dark"]
    marp = [args.marp, "--no-stdin", "deck.md", "-o", "marp.html"]
    have_marp = os.access(args.marp, os.X_OK)
    print(f"deck: {args.slides} slides, {lines} lines ({deck})")
    timed(slidekit, work)  # warm the file cache / .pyc once for both
    if have_marp:
        timed(marp, work)
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.runs):
        ours.append(timed(slidekit, work))
        if have_marp:
            theirs.append(timed(marp, work))
    med = statistics.median(ours)
    size = (work / "slidekit.html").stat().st_size
    print(f"slidekit export: median {med:.3f}s  (runs: {', '.join(f'{t:.3f}' for t in ours)})  "
          f"output {size / 1024:.0f} KiB")
    if have_marp:
        mmed = statistics.median(theirs)
        msize = (work / "marp.html").stat().st_size
        print(f"marp-cli:        median {mmed:.3f}s  (runs: {', '.join(f'{t:.3f}' for t in theirs)})  "
              f"output {msize / 1024:.0f} KiB")
        ratio = med / mmed
        print(f"ratio slidekit/marp: {ratio:.2f} (goal <= 0.25: {'met' if ratio <= 0.25 else 'NOT met'})")
    else:
        print(f"marp-cli not found at {args.marp}: npm i @marp-team/marp-cli in a scratch folder")
    phases(work)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def phases(work: Path) -> None:
    """Where slidekit's time goes: interpreter + imports, parsing, rendering (medians in-process).

    Commands import their machinery lazily, so start-up + imports is measured as
    a whole export of a one-slide deck with one code block (everything loaded,
    almost nothing parsed or lexed)."""
    (work / "one.md").write_text("# One\n\n```python\nx = 1\n```\n", encoding="utf-8")
    startup = [timed([sys.executable, "-m", "slidekit", "export", "one.md", "-o", "one.html",
                      "--theme", "solarized_dark"], work) for _ in range(3)]
    bare = [timed([sys.executable, "-c", "pass"], work) for _ in range(3)]
    from slidekit.session import open_deck, open_theme
    from slidekit.render.html import HtmlOptions, highlight, render_html

    parse: list[float] = []
    render: list[float] = []
    for _ in range(3):
        t0 = time.perf_counter()
        deck = open_deck(str(work / "deck.md"), preprocess=True, quiet=True)
        t1 = time.perf_counter()
        theme = open_theme(deck, "solarized_dark", quiet=True).theme
        highlight.cache_clear()
        t2 = time.perf_counter()
        render_html(deck, theme, HtmlOptions())
        t3 = time.perf_counter()
        parse.append(t1 - t0)
        render.append(t3 - t2)
    print(f"phases (medians): python start {statistics.median(bare):.3f}s, start + imports (1-slide export) "
          f"{statistics.median(startup):.3f}s, parse {statistics.median(parse):.3f}s, "
          f"render {statistics.median(render):.3f}s")


if __name__ == "__main__":
    raise SystemExit(main())
