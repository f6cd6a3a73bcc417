"""S4: the execute bit alone no longer trusts a deck; the presenter asks (through a real
pty); `always` is recorded in the user's config; a changed command line asks again."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from slidekit.userconfig import commands_digest, record_trust
from tests.security.conftest import Run

PROMPT = r"this deck wants to run: touch SENTINEL \(2 blocks\) — allow\? \[y/N/always\]"


def _deck(folder: Path, command: str = "touch SENTINEL", mode: int = 0o755) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    deck = folder / "talk.md"
    block = f"```\n~~~{command}\nx\n~~~\n```\n"
    deck.write_text(f"# t\n\n{block}\n---\n\n# u\n\n{block.replace('x', 'y')}")
    deck.chmod(mode)
    return deck


def test_s4_cloned_executable_deck_runs_nothing(tmp_path: Path, slidekit: Run) -> None:
    deck = _deck(tmp_path / "repo")
    result = slidekit("render", str(deck), cwd=deck.parent)
    assert result.returncode == 0
    assert not (deck.parent / "SENTINEL").exists()
    assert f"warning: {deck}:3: not run: untrusted deck" in result.stderr
    strict = slidekit("render", "--strict", str(deck), cwd=deck.parent)
    assert strict.returncode == 1 and not (deck.parent / "SENTINEL").exists()
    assert slidekit("export", str(deck), "-o", str(tmp_path / "o.html"), cwd=deck.parent).returncode == 0
    assert not (deck.parent / "SENTINEL").exists()
    assert slidekit("render", "--allow-exec", str(deck), cwd=deck.parent).returncode == 0
    assert (deck.parent / "SENTINEL").exists()


def test_trust_exec_bit_switch(tmp_path: Path, slidekit: Run, home: Path) -> None:
    config = home / ".config" / "slidekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("trust_exec_bit: true\n")
    deck = _deck(tmp_path / "repo")
    slidekit("render", str(deck), cwd=deck.parent)
    assert (deck.parent / "SENTINEL").exists()


def _present(deck: Path) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    return pexpect.spawn(sys.executable, ["-m", "slidekit", "present", str(deck)], cwd=str(deck.parent), env=env,
                         dimensions=(24, 80), timeout=20, encoding="utf-8")


def _quit(child: pexpect.spawn) -> None:
    child.expect("Slide 1 / 2")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.parametrize("answer", ["n", "", "whatever"])
def test_prompt_no_runs_nothing(tmp_path: Path, answer: str) -> None:
    deck = _deck(tmp_path / "talk")
    child = _present(deck)
    child.expect(PROMPT)
    child.sendline(answer)
    child.expect("not running them")
    _quit(child)
    assert not (deck.parent / "SENTINEL").exists()


def test_prompt_yes_runs_for_this_session_only(tmp_path: Path, slidekit: Run, home: Path) -> None:
    deck = _deck(tmp_path / "talk")
    child = _present(deck)
    child.expect(PROMPT)
    child.sendline("y")
    _quit(child)
    assert (deck.parent / "SENTINEL").exists()
    assert not (home / ".config" / "slidekit" / "config.yaml").exists()
    (deck.parent / "SENTINEL").unlink()
    slidekit("render", "--refresh", str(deck), cwd=deck.parent)  # a later non-interactive run: not trusted
    assert not (deck.parent / "SENTINEL").exists()


def test_prompt_always_records_and_a_changed_command_asks_again(tmp_path: Path, slidekit: Run, home: Path) -> None:
    config = home / ".config" / "slidekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("# my settings\ntrusted_decks:\n  - ~/talks/**   # mine\nallow_paths: [/srv/img]\n")
    deck = _deck(tmp_path / "talk")
    child = _present(deck)
    child.expect(PROMPT)
    child.sendline("always")
    child.expect("recorded in")
    _quit(child)
    assert (deck.parent / "SENTINEL").exists()
    text = config.read_text()
    assert text.startswith("# my settings\ntrusted_decks:\n  - ~/talks/**   # mine\n")  # the rest is kept
    data = yaml.safe_load(text)
    assert data["allow_paths"] == ["/srv/img"]
    assert data["trusted_commands"] == [{"deck": str(deck.resolve()),
                                         "sha256": commands_digest(["touch SENTINEL"])}]
    # non-interactive commands honour the recorded trust
    (deck.parent / "SENTINEL").unlink()
    assert slidekit("render", "--refresh", str(deck), cwd=deck.parent).returncode == 0
    assert (deck.parent / "SENTINEL").exists()
    # a changed command line is not covered: render refuses, present asks again
    (deck.parent / "SENTINEL").unlink()
    _deck(deck.parent, "touch SENTINEL2")
    result = slidekit("render", str(deck), cwd=deck.parent)
    assert "not run: untrusted deck" in result.stderr and not (deck.parent / "SENTINEL2").exists()
    child = _present(deck)
    child.expect(r"this deck wants to run: touch SENTINEL2 \(2 blocks\)")
    child.sendline("n")
    _quit(child)
    assert not (deck.parent / "SENTINEL2").exists()


def test_no_prompt_when_every_output_is_cached(tmp_path: Path, slidekit: Run) -> None:
    deck = _deck(tmp_path / "talk", "echo hi")
    assert slidekit("render", "--allow-exec", str(deck), cwd=deck.parent).returncode == 0  # fills the cache
    child = _present(deck)
    index = child.expect(["allow\\?", "Slide 1 / 2"])
    assert index == 1
    child.send("q")
    child.expect(pexpect.EOF)


def test_record_trust_replaces_the_entry_for_the_same_deck(tmp_path: Path, home: Path) -> None:
    deck = tmp_path / "d.md"
    record_trust(deck, "a" * 64)
    path = record_trust(deck, "b" * 64)
    record_trust(tmp_path / "other.md", "c" * 64)
    entries = yaml.safe_load(path.read_text())["trusted_commands"]
    assert entries == [{"deck": str(deck), "sha256": "b" * 64}, {"deck": str(tmp_path / "other.md"), "sha256": "c" * 64}]


def test_front_matter_cannot_grant_trust(tmp_path: Path, slidekit: Run) -> None:
    folder = tmp_path / "talk"
    folder.mkdir()
    deck = folder / "talk.md"
    deck.write_text("---\ntrusted_commands: [{deck: talk.md}]\ntrust_exec_bit: true\nallow_exec: true\n---\n"
                    "# t\n\n```\n~~~touch SENTINEL\nx\n~~~\n```\n")
    deck.chmod(0o755)
    slidekit("render", str(deck), cwd=folder)
    assert not (folder / "SENTINEL").exists()


def test_example_deck_shows_its_cached_diagram_untrusted_without_asking(slidekit: Run) -> None:
    from slidekit.present.ask import should_ask
    from slidekit.session import open_deck

    example = Path(__file__).resolve().parents[2] / "slides" / "docker-multistage.md"
    assert should_ask(open_deck(str(example), preprocess=False, quiet=True)) == ()
    result = slidekit("render", "--width", "100", str(example))
    assert result.returncode == 0 and "not run" not in result.stderr
    assert "┌" in result.stdout or "+--" in result.stdout  # the graph-easy boxart from .slidekit-cache
