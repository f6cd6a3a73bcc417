"""Acceptance: real builds against the real engine (tests/env/setup.sh) on the busybox base image."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from slidekit.cli import main
from slidekit.session import open_deck
from slidekit.verify.build import DockerSdkBuilder
from slidekit.verify.model import StageStatus
from slidekit.verify.run import verify_deck

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify_build"
pytestmark = pytest.mark.docker


@pytest.fixture(scope="module", autouse=True)
def _remove_stage_tags():  # type: ignore[no-untyped-def]
    """Afterwards, remove the stage images slidekit tagged for these fixture decks."""
    yield
    import hashlib

    import docker

    try:
        client = docker.from_env()
    except Exception:  # noqa: BLE001 - no engine, nothing was tagged
        return
    for deck in sorted(FIXTURES.glob("*/deck.md")):
        repo = "slidekit-verify/" + hashlib.sha256(str(deck.resolve()).encode()).hexdigest()[:12]
        for image in client.api.images(name=repo):
            for tag in image.get("RepoTags") or ():
                try:
                    client.api.remove_image(tag)
                except docker.errors.DockerException:
                    pass


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["verify", "--format", "json", "--no-hadolint", *args])
    return code, json.loads(capsys.readouterr().out)


def _stages(data: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {s["stage"]: s for s in data["stages"]}


class CountingBuilder(DockerSdkBuilder):
    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        super().__init__(client)
        self.builds = 0

    def build(self, request, on_step=None):  # type: ignore[no-untyped-def]
        self.builds += 1
        return super().build(request, on_step)


def _built(status: str) -> str:
    """A stage whose every step came from the engine's layer cache is reported "cached": built all the same."""
    return "built" if status == "cached" else status


def test_all_stages_build_then_cache_hit(docker_client, busybox_image, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    deck_path = str(FIXTURES / "good" / "deck.md")
    junit = tmp_path / "out" / "report.xml"
    junit.parent.mkdir()
    code, data = _run(capsys, deck_path, "--junit", str(junit))
    assert code == 0
    stages = _stages(data)
    assert {k: _built(v["status"]) for k, v in stages.items()} == {"base": "built", "app": "built", "tool": "built"}
    assert stages["app"]["line"] == 21 and stages["tool"]["line"] == 31
    # BuildKit's trace gives a cache hit started == completed: only stages that ran steps take time.
    assert all(v["seconds"] > 0 if v["status"] == "built" else v["seconds"] >= 0 for v in stages.values())
    assert data["from_cache"] is False
    suite_cases = ET.parse(junit).getroot().iter("testcase")
    names = {case.get("name") for case in suite_cases}
    assert any("app" in (n or "") for n in names)
    # The stage images are tagged (not dangling) and carry through to the cache entry.
    tool_image = stages["tool"]["image_id"]
    assert docker_client.images.get(tool_image).tags

    builder = CountingBuilder(docker_client)
    report = verify_deck(open_deck(deck_path, preprocess=False), context=None, image_map={}, builder=builder, hadolint=False)
    assert report.from_cache is True and builder.builds == 0
    assert all(s.status.succeeded for s in report.stages) and len(report.stages) == 3
    report = verify_deck(open_deck(deck_path, preprocess=False), context=None, image_map={}, builder=builder, hadolint=False,
                         use_cache=False, targets={"app"})
    assert report.from_cache is False and builder.builds == 1
    assert {s.stage: s.status for s in report.stages}["tool"] is StageStatus.NOT_VERIFIED


@pytest.mark.parametrize("builder", ["buildkit", "classic"])
def test_failing_run_and_missing_copy_source(docker_client, busybox_image, tmp_path, capsys, builder) -> None:  # type: ignore[no-untyped-def]
    junit = tmp_path / "junit.xml"
    code, data = _run(capsys, str(FIXTURES / "fail" / "deck.md"), "--junit", str(junit), "--builder", builder)
    assert code == 1
    stages = _stages(data)
    broken = stages["broken"]
    assert broken["status"] == "failed" and broken["line"] == 34  # the RUN, on slide 5
    assert broken["slide"] == 5
    assert "about to fail" in broken["log_tail"]
    assert ("non-zero code: 3" if builder == "classic" else "exit code: 3") in broken["message"]
    after = stages["after"]
    assert after["status"] == "failed" and after["line"] == 44 and "missing.txt" in after["message"]
    assert _built(stages["side"]["status"]) == "built" and _built(stages["base"]["status"]) == "built"
    failures = [c for c in ET.parse(junit).getroot().iter("testcase") if c.find("failure") is not None]
    assert any(c.get("line") == "34" for c in failures)
    # Nothing left behind: no containers, no dangling images from this deck's builds.
    label = {"label": "slidekit.test=verify-build-fail"}
    assert docker_client.containers.list(all=True, filters=label) == []
    assert docker_client.images.list(filters={**label, "dangling": True}) == []


def test_multi_dockerfile_deck_with_front_matter_image_map(docker_client, busybox_image, capsys) -> None:  # type: ignore[no-untyped-def]
    code, data = _run(capsys, str(FIXTURES / "multi" / "deck.md"))
    assert code == 0
    assert {(s["dockerfile"], s["stage"], _built(s["status"])) for s in data["stages"]} == {
        ("api", "api", "built"), ("web", "web", "built")}


def test_missing_base_image_then_image_map(docker_client, busybox_image, capsys) -> None:  # type: ignore[no-untyped-def]
    deck_path = str(FIXTURES / "missing" / "deck.md")
    code, data = _run(capsys, deck_path)
    assert code == 4 and data["exit_code"] == 4 and data["ok"] is False  # its own exit code, not a slide failure
    stages = _stages(data)
    assert stages["base"]["status"] == "base image missing" and stages["base"]["line"] == 6
    assert "registry.invalid/nothing/here:7" in stages["base"]["message"] and "--image-map" in stages["base"]["message"]
    assert stages["app"]["status"] == "not reached"
    code, data = _run(capsys, deck_path, "--image-map", f"registry.invalid/nothing/here:7={busybox_image}")
    assert code == 0 and {_built(s["status"]) for s in data["stages"]} == {"built"}


def test_docker_unavailable_reports_static_findings(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "deck.md"
    deck.write_text("# t\n\n---\n\n```dockerfile\nFROM scratch as base\nCOPY deck.md /deck.md\n```\n")
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    code = main(["verify", "--no-hadolint", str(deck)])
    out = capsys.readouterr().out
    assert code == 3
    assert f"{deck}:6: warning:" in out and "FromAsCasing" in out
    assert "Docker engine unavailable" in out and "not verified" in out


def test_context_option_and_dockerignore(docker_client, busybox_image, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    ctx = tmp_path / "ctx"
    shutil.copytree(FIXTURES / "good", ctx)
    (ctx / ".dockerignore").write_text("hello.txt\n")
    code, data = _run(capsys, str(FIXTURES / "good" / "deck.md"), "--context", str(ctx), "--target", "app")
    assert code == 1
    assert _stages(data)["app"]["status"] == "failed" and _stages(data)["app"]["line"] == 22
