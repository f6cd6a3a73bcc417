"""``ctrl+e``: run the current slide's code blocks (trusted decks only).

Each runnable block is written to a file in a fresh temporary directory and run
with its interpreter, with a timeout; stdout, stderr and the exit status come
back as a :class:`RunResult` the presenter shows under the slide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from slidekit.deck.model import CodeBlock, Slide, walk
from slidekit.highlight import is_dockerfile_lang

TIMEOUT = 10.0


@dataclass(frozen=True)
class Runner:
    command: tuple[str, ...]  # the file name is appended
    suffix: str


#: language tag → how to run it (slides' languages plus common aliases)
RUNNERS: dict[str, Runner] = {
    "bash": Runner(("bash",), ".sh"),
    "sh": Runner(("sh",), ".sh"),
    "shell": Runner(("sh",), ".sh"),
    "zsh": Runner(("zsh",), ".zsh"),
    "fish": Runner(("fish",), ".fish"),
    "python": Runner(("python3",), ".py"),
    "python3": Runner(("python3",), ".py"),
    "py": Runner(("python3",), ".py"),
    "javascript": Runner(("node",), ".js"),
    "js": Runner(("node",), ".js"),
    "ruby": Runner(("ruby",), ".rb"),
    "perl": Runner(("perl",), ".pl"),
    "lua": Runner(("lua",), ".lua"),
    "elixir": Runner(("elixir",), ".exs"),
    "julia": Runner(("julia",), ".jl"),
    "go": Runner(("go", "run"), ".go"),
}


@dataclass(frozen=True)
class RunResult:
    lang: str
    stdout: str
    stderr: str
    status: int | None  # None: could not run (see ``error``)
    seconds: float = 0.0
    error: str = ""


def runnable_blocks(slide: Slide) -> list[CodeBlock]:
    return [b for b in walk(slide.blocks) if isinstance(b, CodeBlock) and b.lang in RUNNERS]


def dockerfile_blocks(slide: Slide) -> list[CodeBlock]:
    return [b for b in walk(slide.blocks) if isinstance(b, CodeBlock) and is_dockerfile_lang(b.lang)]


def visible_code(code: str) -> str:
    """slides hides lines starting ``///`` when showing code but runs them without the marker."""
    return "\n".join(line[3:] if line.startswith("///") else line for line in code.splitlines())


def run_block(block: CodeBlock, timeout: float = TIMEOUT) -> RunResult:
    runner = RUNNERS[block.lang]
    program = shutil.which(runner.command[0])
    if program is None:
        return RunResult(block.lang, "", "", None, error=f"{runner.command[0]} is not installed")
    with tempfile.TemporaryDirectory(prefix="slidekit-run-") as tmp:
        source = Path(tmp) / f"main{runner.suffix}"
        source.write_text(visible_code(block.code) + "\n", encoding="utf-8")
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [program, *runner.command[1:], str(source)],
                cwd=tmp, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                env={**os.environ, "TERM": "dumb"},
            )
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or b"").decode("utf-8", "replace")
            err = (exc.stderr or b"").decode("utf-8", "replace")
            return RunResult(block.lang, out, err, None, timeout, error=f"timed out after {timeout:g}s")
        except OSError as exc:
            return RunResult(block.lang, "", "", None, error=f"cannot run {program}: {exc.strerror}")
        return RunResult(
            block.lang,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
            proc.returncode,
            time.monotonic() - start,
        )


def run_slide(slide: Slide, timeout: float = TIMEOUT) -> list[RunResult]:
    return [run_block(block, timeout) for block in runnable_blocks(slide)]
