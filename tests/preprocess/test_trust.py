"""Trust: the pure decision table, the config file and glob matching, execute bits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slidekit.preprocess.config import entry_matches, glob_regex, parse_config, read_config
from slidekit.preprocess.trust import TrustFacts, decide, gather, has_exec_bits


@pytest.mark.parametrize(
    ("facts", "trusted"),
    [
        (TrustFacts("d.md"), False),
        (TrustFacts("d.md", allow_exec=True), True),
        (TrustFacts("d.md", exec_bits=True), False),
        (TrustFacts("d.md", exec_bits=True, exec_bit_rule=True), True),
        (TrustFacts("d.md", exec_bit_rule=True), False),
        (TrustFacts("d.md", session=True), True),
        (TrustFacts("d.md", recorded=True), True),
        (TrustFacts("d.md", config_entry="~/talks"), True),
        (TrustFacts("-", stdin=True), False),
        (TrustFacts("-", stdin=True, allow_exec=True), False),
    ],
)
def test_decision_table(facts: TrustFacts, trusted: bool) -> None:
    assert decide(facts).trusted is trusted


def test_untrusted_notice_says_how_to_allow() -> None:
    notice = decide(TrustFacts("/x/talk.md", config_path="~/.config/slidekit/config.yaml")).notice
    assert "--allow-exec" in notice and "answer `always`" in notice and "chmod" not in notice
    assert "trusted_decks in ~/.config/slidekit/config.yaml" in notice
    assert "\n" not in notice


def test_stdin_notice_mentions_allow_exec_does_not_apply() -> None:
    notice = decide(TrustFacts("-", stdin=True, allow_exec=True)).notice
    assert "stdin" in notice and "not even with --allow-exec" in notice


@pytest.mark.parametrize(("mode", "expected"), [(0o755, True), (0o711, True), (0o744, False),
                                                 (0o754, False), (0o644, False), (0o555, True)])
def test_exec_bits_need_all_three(tmp_path: Path, mode: int, expected: bool) -> None:
    deck = tmp_path / "d.md"
    deck.write_text("# x\n")
    os.chmod(deck, mode)
    assert has_exec_bits(str(deck)) is expected


def test_config_entries_are_parsed_and_relative_ones_rejected(tmp_path: Path) -> None:
    cfg = parse_config("trusted_decks:\n  - ~/talks/*.md\n  - /abs/deck.md\n  - relative.md\nother: 1\n",
                       tmp_path / "config.yaml")
    assert cfg.trusted_decks == ("~/talks/*.md", "/abs/deck.md")
    assert len(cfg.warnings) == 1 and "relative.md" in cfg.warnings[0]


@pytest.mark.parametrize("text", ["trusted_decks: [unclosed\n", "- just\n- a list\n", "trusted_decks: 3\n"])
def test_broken_config_trusts_nothing_and_warns(tmp_path: Path, text: str) -> None:
    cfg = parse_config(text, tmp_path / "config.yaml")
    assert cfg.trusted_decks == () and cfg.warnings


def test_glob_segments() -> None:
    assert glob_regex("/a/*.md").match("/a/deck.md")
    assert not glob_regex("/a/*.md").match("/a/sub/deck.md")
    assert glob_regex("/a/**/*.md").match("/a/sub/deep/deck.md")
    assert glob_regex("/a/**/*.md").match("/a/deck.md")
    assert glob_regex("/a/deck-[0-9].md").match("/a/deck-7.md")
    assert not glob_regex("/a/deck-[!0-9].md").match("/a/deck-7.md")


def test_entry_matching(tmp_path: Path) -> None:
    home = tmp_path / "home"
    talks = home / "talks"
    (talks / "sub").mkdir(parents=True)
    deck = (talks / "sub" / "deck.md").resolve()
    deck.write_text("# x\n")
    assert entry_matches("~/talks", deck, home)                 # a directory covers decks below it
    assert entry_matches("~/talks/sub/deck.md", deck, home)
    assert entry_matches("~/talks/**", deck, home)
    assert entry_matches(str(talks) + "/*/deck.md", deck, home)
    assert not entry_matches("~/talks/*.md", deck, home)
    assert not entry_matches("~/talks/sub/other.md", deck, home)
    assert not entry_matches("~/talk", deck, home)              # a prefix of a name is not a parent


def test_symlinked_entry_is_resolved(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    deck = real / "deck.md"
    deck.write_text("# x\n")
    (tmp_path / "link").symlink_to(real)
    assert entry_matches(str(tmp_path / "link" / "*.md"), deck.resolve(), tmp_path)


def test_gather_reads_the_xdg_config(tmp_path: Path, _isolated_user: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deck = tmp_path / "decks" / "d.md"
    deck.parent.mkdir()
    deck.write_text("# x\n")
    assert decide(gather(str(deck), False)).trusted is False
    cfg_dir = tmp_path / "xdg" / "slidekit"
    cfg_dir.mkdir(parents=True)
    (cfg_dir / "config.yaml").write_text(f"trusted_decks:\n  - {tmp_path}/decks/*.md\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    facts = gather(str(deck), False)
    assert facts.config_entry == f"{tmp_path}/decks/*.md"
    assert decide(facts).trusted is True
    assert read_config().path == cfg_dir / "config.yaml"


def test_relative_xdg_config_home_is_ignored(tmp_path: Path, _isolated_user: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")
    assert read_config().path == _isolated_user / ".config" / "slidekit" / "config.yaml"
