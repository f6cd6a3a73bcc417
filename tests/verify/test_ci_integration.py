"""The pre-commit hook and the composite GitHub Action are well-formed, and the action's
script passes its inputs to ``slidekit verify`` (through env, never interpolated)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= hook.keys()
    assert hook["entry"].split() == ["slidekit", "verify"] and hook["language"] == "python"
    assert "--allow-empty" in hook["args"] and hook.get("pass_filenames", True) is True
    assert "--static" in hook["args"]  # pre-commit runs without a Docker engine
    assert re.search(hook["files"], "docs/talk.md") and not re.search(hook["files"], "docs/Dockerfile")


def test_action_is_composite_and_passes_inputs_through_env() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert {"name", "description", "inputs", "runs"} <= action.keys()
    assert action["inputs"]["deck"]["required"] is True
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert step.get("shell") == "bash", step["name"]
        assert "${{" not in step.get("run", ""), f"{step['name']}: inputs must come through env"
    assert action["outputs"]["junit"]["value"] == "${{ steps.verify.outputs.junit }}"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash")
def test_action_script_builds_the_command_line(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "verify")
    fake = tmp_path / "bin" / "slidekit"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\nexit 3\n')
    fake.chmod(0o755)
    out = tmp_path / "github_output"
    env = {
        "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(out),
        "DECK": "slides/my talk.md", "CONTEXT": "", "JUNIT": "report.xml", "ARGS": "--run  --no-cache",
        "IMAGE_MAP": "  python:3.9=mirror.local/python:3.9\n\n$(touch pwned)=x\n",
    }
    proc = subprocess.run(["bash", "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 3  # the step fails with slidekit's exit code
    assert proc.stdout.splitlines() == [
        "verify", "slides/my talk.md", "--junit", "report.xml",
        "--image-map", "python:3.9=mirror.local/python:3.9", "--image-map", "$(touch pwned)=x",
        "--run", "--no-cache",
    ]
    assert not (tmp_path / "pwned").exists()
    assert out.read_text() == "junit=report.xml\n"
