"""Smoke checks (front matter ``checks:``) are validated in the static phase, before any build."""

from __future__ import annotations

from pathlib import Path

import pytest

from slidekit.cli import main
from slidekit.session import open_deck
from slidekit.errors import DeckError
from slidekit.verify.model import Severity, StageStatus
from slidekit.verify.run import verify_deck
from recording_builder import RecordingBuilder

BODY = "# t\n\n---\n\n```dockerfile\nFROM slidekit-test/busybox:latest AS base\nRUN true\n```\n"


def _deck(tmp_path: Path, checks: str) -> Path:
    path = tmp_path / "deck.md"
    path.write_text(f"---\nchecks:\n{checks}---\n\n{BODY}")
    return path


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))




def test_unknown_stage_is_reported_at_its_line_without_an_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    deck = _deck(tmp_path, "  base:\n    exit_code: 0\n  bakend:\n    command: [x]\n")
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    assert main(["verify", "--no-hadolint", str(deck)]) == 1  # a deck error outranks "no engine" (3)
    out = capsys.readouterr().out
    assert f"{deck}:5: error: checks: no stage `bakend` (stages: base) [smoke-stage]" in out
    assert "not verified" in out


def test_unknown_stage_stops_before_any_engine_call(docker_client, busybox_image, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deck = _deck(tmp_path, "  nope:\n    exit_code: 0\n")
    builder = RecordingBuilder(docker_client)
    report = verify_deck(open_deck(str(deck), preprocess=False), context=None, image_map={}, builder=builder, hadolint=False,
                         run_checks=True)
    assert builder.calls == []
    assert [(f.rule, f.severity, f.line) for f in report.findings] == [("smoke-stage", Severity.ERROR, 3)]
    assert [s.status for s in report.stages] == [StageStatus.NOT_VERIFIED] and report.exit_code == 1


@pytest.mark.parametrize("engine", ["none", "real"])
def test_malformed_checks_exit_2_before_building(engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> None:
    deck = _deck(tmp_path, "  base:\n    comand: [--version]\n")
    if engine == "none":
        monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
        assert main(["verify", "--no-hadolint", str(deck)]) == 2
        assert f"{deck}:4: checks: `base`: unknown key `comand`" in capsys.readouterr().err
        return
    builder = RecordingBuilder(request.getfixturevalue("docker_client"))
    request.getfixturevalue("busybox_image")
    with pytest.raises(DeckError) as info:
        verify_deck(open_deck(str(deck), preprocess=False), context=None, image_map={}, builder=builder, hadolint=False)
    assert (info.value.path, info.value.line) == (str(deck), 4) and builder.calls == []
