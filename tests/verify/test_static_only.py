"""`slidekit verify --static`: the static checks alone, without an engine (the pre-commit hook's mode)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CLEAN = "# t\n\n---\n\n```dockerfile\nARG V=3.20\nFROM alpine:\"${V}\" as base\nENV PATH=$PAHT:/x\n```\n"
BROKEN = "# t\n\n---\n\n```dockerfile\nFROM alpine AS base\nCOPY missing.txt /x\nFROM base AS base\n```\n"
NOTES = "# Notes\n\nNo Dockerfile here.\n"
ENGINE_MODULES = ("docker", "requests", "urllib3", "slidekit.verify.build", "slidekit.verify.engine", "http.client")
PROBE = (
    "import json, sys\nfrom slidekit.cli import main\n"
    "code = main(sys.argv[1:])\n"
    f"print(json.dumps({{'code': code, 'loaded': [m for m in {ENGINE_MODULES!r} if m in sys.modules]}}), file=sys.stderr)\n"
)


def run(args: list[str], cwd: Path) -> tuple[int, str, list[str]]:
    """Run the CLI in a fresh interpreter that cannot reach any engine; (exit code, stdout, engine modules loaded)."""
    env = {**os.environ, "DOCKER_HOST": "tcp://127.0.0.1:9", "XDG_CACHE_HOME": str(cwd / ".cache")}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    probe = json.loads(proc.stderr.strip().splitlines()[-1])
    return probe["code"], proc.stdout, probe["loaded"]


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    (tmp_path / "clean.md").write_text(CLEAN)
    (tmp_path / "broken.md").write_text(BROKEN)
    (tmp_path / "notes.md").write_text(NOTES)
    return tmp_path


def test_warnings_only_exit_0_without_an_engine_or_the_sdk(decks: Path) -> None:
    code, out, loaded = run(["verify", "--static", "--no-hadolint", "--format", "json", "clean.md"], decks)
    report = json.loads(out)
    assert code == 0 and loaded == []
    assert report["static_only"] is True and report["stages"] == [] and report["ok"] is True
    # FROM alpine:"${V}" is a valid image (quotes and ${V} expanded as BuildKit does): no UndefinedStage
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("FromAsCasing", 7), ("UndefinedVar", 8)]
    assert "did you mean $PATH?" in report["findings"][1]["message"]


def test_an_error_finding_exits_1(decks: Path) -> None:
    code, out, loaded = run(["verify", "--static", "--no-hadolint", "broken.md"], decks)
    assert code == 1 and loaded == []
    assert "broken.md:7: error: COPY source `missing.txt` is not in the build context" in out
    assert 'broken.md:8: warning: Duplicate stage name "base", stage names should be unique [DuplicateStageName]' in out
    assert out.rstrip().splitlines()[-1].startswith("FAILED: 1 error; 1 warning")


def test_the_pre_commit_hook_command_line(decks: Path) -> None:
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    command = hook["entry"].split()[1:] + hook["args"]
    code, out, loaded = run([*command, "clean.md", "notes.md"], decks)
    assert (code, loaded) == (0, []) and "static checks passed" in out
    code, _, loaded = run([*command, "clean.md", "broken.md", "notes.md"], decks)
    assert (code, loaded) == (1, [])


def test_static_with_run_is_a_usage_error(decks: Path) -> None:
    code, _, _ = run(["verify", "--static", "--run", "clean.md"], decks)
    assert code == 2


def test_the_context_dockerignore_reaches_the_checks(tmp_path: Path) -> None:
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "app.py").write_text("print()\n")
    (tmp_path / "ctx" / "secret.txt").write_text("x\n")
    (tmp_path / "ctx" / ".dockerignore").write_text("secret.txt\n")
    (tmp_path / "deck.md").write_text("---\ncontext: ctx\n---\n\n```dockerfile\nFROM alpine\nCOPY app.py secret.txt /\n```\n")
    code, out, loaded = run(["verify", "--static", "--no-hadolint", "--format", "json", "deck.md"], tmp_path)
    findings = [(f["rule"], f["line"], f["severity"]) for f in json.loads(out)["findings"]]
    assert (code, loaded) == (1, [])
    assert sorted(findings) == [("CopyIgnoredFile", 7, "warning"), ("CopySourceMissing", 7, "error")]
