"""slides/verified-examples.md: every kind of verified example, checked for real (BuildKit cache mount,
console sessions in two stage images, a local image, a graph-easy diagram rendered from the committed cache)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slidekit.cli import main
from tests.console.helpers import remove_stage_images

ROOT = Path(__file__).resolve().parents[2]
DECK = ROOT / "slides" / "verified-examples.md"


def test_diagram_renders_untrusted_from_the_committed_cache(capsys: pytest.CaptureFixture[str]) -> None:
    assert not DECK.stat().st_mode & 0o111  # not trusted by its execute bits
    assert main(["render", "--slide", "1", "--width", "100", "--color", "never", str(DECK)]) == 0
    out = capsys.readouterr().out
    assert "│ base │ ──> │ builder │" in out and "counts.txt" in out


def test_shows_a_cache_mount_and_console_blocks_of_two_stages() -> None:
    text = DECK.read_text()
    assert "RUN --mount=type=cache,target=" in text
    assert "```console stage=app" in text and "```console stage=builder" in text
    assert "\n...\n" in text and "[exit: 1]" in text and "[..]" in text


@pytest.mark.docker
def test_verifies_with_the_local_busybox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str], docker_client, busybox_image) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    try:
        code = main(["verify", "--format", "json", "--image-map", f"busybox:1.36={busybox_image}", str(DECK)])
        report = json.loads(capsys.readouterr().out)
        assert code == 0, report
        assert report["builder"] == "buildkit"
        assert [s["status"] in ("built", "cached") for s in report["stages"]] == [True, True, True]
        assert [(c["target"], c["status"]) for c in report["console"]] == [
            ("stage app", "checked"), ("stage builder", "checked"), ("image busybox:1.36", "checked"), ("", "not checked")]
    finally:
        remove_stage_images(docker_client, DECK)
