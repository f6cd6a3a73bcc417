"""``slidekit verify`` command line: usage errors (exit 2) and CI output without an engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from slidekit.cli import main

DECK = "# t\n\n---\n\n```dockerfile\nFROM scratch as base\nCOPY deck.md /deck.md\n```\n"


@pytest.fixture()
def deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "deck.md"
    path.write_text(DECK)
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--image-map", "no-equals-sign"], "expected NAME=REF"),
        (["--context", "/nonexistent/dir"], "not a directory"),
        (["--junit", "/nonexistent/dir/report.xml"], "--junit: folder /nonexistent/dir does not exist"),
    ],
)
def test_usage_errors_exit_2(deck: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["verify", *args, str(deck)]) == 2
    assert message in capsys.readouterr().err


def test_unknown_target_exit_2(deck: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["verify", "--no-hadolint", "--target", "nope", str(deck)]) == 2
    assert "no stage named 'nope' (stages: base)" in capsys.readouterr().err


def test_deck_without_dockerfile_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.md"
    path.write_text("# nothing\n\n```python\nprint(1)\n```\n")
    assert main(["verify", str(path)]) == 2
    assert f"{path}:1: no Dockerfile code blocks" in capsys.readouterr().err


def test_no_engine_github_annotations_and_junit(deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    junit = tmp_path / "junit.xml"
    assert main(["verify", "--no-hadolint", "--junit", str(junit), str(deck)]) == 3
    out = capsys.readouterr().out
    assert f"::warning file={deck},line=6" in out
    assert "<testsuites" in junit.read_text()


def test_allow_empty_skips_only_decks_with_nothing_to_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain.md"
    plain.write_text("# nothing\n\n```dockerfile +no-verify\nFROM nothing\n```\n")
    assert main(["verify", "--allow-empty", str(plain)]) == 0
    # The pre-commit hook passes --allow-empty: a malformed attribute must still fail the commit.
    for attrs, line in (("file=../escape", 3), ("verify=maybe", 3)):
        bad = tmp_path / "bad.md"
        bad.write_text(f"# bad\n\n```dockerfile {attrs}\nFROM scratch\n```\n")
        capsys.readouterr()
        assert main(["verify", "--allow-empty", str(bad)]) == 2
        assert f"{bad}:{line}: `{attrs}`" in capsys.readouterr().err


def test_front_matter_context_missing_names_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deck.md"
    path.write_text("---\ntheme: dark\ncontext: nope\n---\n\n# t\n\n```dockerfile\nFROM scratch\n```\n")
    assert main(["verify", "--no-hadolint", str(path)]) == 2
    assert f"{path}:3: build context {tmp_path / 'nope'} is not a directory" in capsys.readouterr().err


def test_outputs_never_overwrite_the_deck(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = deck.read_text()
    link = deck.parent / "link.md"
    link.symlink_to(deck)
    assert main(["extract", str(deck), "-o", str(deck)]) == 2
    assert main(["verify", "--no-hadolint", "--junit", str(link), str(deck)]) == 2
    assert "refusing to overwrite the deck" in capsys.readouterr().err
    assert deck.read_text() == before
    assert main(["extract", str(deck), "-o", str(deck.parent / "Dockerfile")]) == 0
    assert (deck.parent / "Dockerfile").read_text() == "FROM scratch as base\nCOPY deck.md /deck.md\n"
