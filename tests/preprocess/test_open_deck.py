"""open_deck end to end with real commands: trust, failures, cache, strict."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from slidekit.session import open_deck
from slidekit.deck.model import CommandBlock, Deck
from slidekit.preprocess import PreprocessError
from slidekit.preprocess.cache import CACHE_DIR
from slidekit.preprocess.pipeline import command_blocks

from .conftest import wrapped

WriteDeck = Callable[..., Path]


def only_block(deck: Deck) -> CommandBlock:
    blocks = command_blocks(deck)
    assert len(blocks) == 1
    return blocks[0]


def counting(counter: Path) -> str:
    """A command that records each run in ``counter`` and echoes its stdin."""
    return f"sh -c 'echo run >> {counter}; cat'"


def cache_files(deck: Path) -> list[Path]:
    return sorted((deck.parent / CACHE_DIR).glob("*"))


# --------------------------------------------------------------------------- trust


def test_untrusted_deck_runs_nothing(write_deck: WriteDeck, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    text = ("# Slide\n\n" + wrapped(f"sh -c 'touch {marker}'", "body\n")
            + "\n---\n\n~~~touch " + str(marker) + "-2\nx\n~~~\n"
            + "\n---\n\n- item\n\n  ```\n  ~~~sh\n  touch " + str(marker) + "-3\n  ~~~\n  ```\n")
    deck_path = write_deck(text)
    deck = open_deck(str(deck_path), preprocess=True)
    blocks = command_blocks(deck)
    assert len(blocks) == 3  # wrapped, bare and nested in a list
    assert not list(tmp_path.glob("pwned*"))
    for block in blocks:
        assert block.output is None and not block.failed
        assert block.notice is not None and "untrusted deck" in block.notice and "--allow-exec" in block.notice
    err = capsys.readouterr().err
    assert f"{deck_path}:3: not run: untrusted deck" in err
    assert cache_files(deck_path) == []


def test_front_matter_cannot_grant_trust(write_deck: WriteDeck, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    deck_path = write_deck("---\nallow_exec: true\ntrusted: true\ntrusted_decks: ['**']\n---\n\n# S\n\n"
                           + wrapped(f"touch {marker}", "x\n"))
    assert "untrusted deck" in (only_block(open_deck(str(deck_path), preprocess=True)).notice or "")
    assert not marker.exists()


def test_allow_exec_runs(write_deck: WriteDeck) -> None:
    deck_path = write_deck("# S\n\n" + wrapped("""printf '%s|' "a b" c""", "ignored\n"))
    block = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert (block.output, block.notice, block.failed) == ("a b|c|", None, False)


def test_execute_bits_alone_do_not_trust_the_deck(write_deck: WriteDeck, tmp_path: Path) -> None:
    """S4: `git clone` and archives hand out execute bits; they are no vote of trust."""
    marker = tmp_path / "ran"
    deck_path = write_deck("# S\n\n" + wrapped(f"touch {marker}", "x\n"), mode=0o755)
    assert "untrusted" in (only_block(open_deck(str(deck_path), preprocess=True)).notice or "")
    assert not marker.exists()


def test_trust_exec_bit_switch_restores_slides_rule(write_deck: WriteDeck, tmp_path: Path,
                                                   _isolated_user: Path) -> None:
    config = _isolated_user / ".config" / "slidekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("trust_exec_bit: true\n")
    marker = tmp_path / "ran"
    deck_path = write_deck("# S\n\n" + wrapped(f"touch {marker}", "x\n"), mode=0o755)
    open_deck(str(deck_path), preprocess=True)
    assert marker.exists()
    marker.unlink()
    shutil.rmtree(deck_path.parent / ".slidekit-cache")  # else the cached output is shown
    os.chmod(deck_path, 0o744)  # slides needs all three x bits
    assert "untrusted" in (only_block(open_deck(str(deck_path), preprocess=True)).notice or "")
    assert not marker.exists()


def test_user_config_trusts_the_deck(write_deck: WriteDeck, tmp_path: Path, _isolated_user: Path) -> None:
    deck_path = write_deck("# S\n\n" + wrapped("cat", "hello\n"))
    assert only_block(open_deck(str(deck_path), preprocess=True)).output is None
    config = _isolated_user / ".config" / "slidekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(f"trusted_decks:\n  - {deck_path.parent}/*.md\n")
    assert only_block(open_deck(str(deck_path), preprocess=True)).output == "hello"


def test_stdin_deck_never_runs_even_with_allow_exec(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = "# S\n\n" + wrapped(f"touch {marker}", "x\n")
    code = ("import sys; from slidekit.session import open_deck; "
            "from slidekit.preprocess.pipeline import command_blocks; "
            "b = command_blocks(open_deck('-', preprocess=True, allow_exec=True))[0]; print(b.output, b.notice, sep='|')")
    proc = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True,
                          cwd=tmp_path, timeout=60, check=True)
    assert proc.stdout.startswith("None|not run: decks read from stdin never run commands")
    assert "-:3: not run" in proc.stderr
    assert not marker.exists()
    assert not (tmp_path / ".slidekit-cache").exists()


# --------------------------------------------------------------------------- failures


def test_timeout_from_front_matter(write_deck: WriteDeck, capsys: pytest.CaptureFixture[str]) -> None:
    deck_path = write_deck("---\ntimeout: 0.5\n---\n\n# S\n\n~~~sleep 5\n~~~\n")
    started = time.monotonic()
    block = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert time.monotonic() - started < 3
    assert block.failed and block.output is None
    assert "sleep timed out after 0.5 s" in (block.notice or "")
    assert f"{deck_path}:7: sleep timed out" in capsys.readouterr().err
    assert cache_files(deck_path) == []


def test_timeout_env_overrides_front_matter(write_deck: WriteDeck, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLIDEKIT_EXEC_TIMEOUT", "0.3")
    deck_path = write_deck("---\ntimeout: 60\n---\n\n# S\n\n~~~sleep 5\n~~~\n")
    started = time.monotonic()
    assert "timed out after 0.3 s" in (only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True)).notice or "")
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("bad", ["0", "-1", "soon"])
def test_bad_timeout_env_is_a_user_error(write_deck: WriteDeck, monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("SLIDEKIT_EXEC_TIMEOUT", bad)
    deck_path = write_deck("# S\n\n~~~sleep 0\n~~~\n")
    with pytest.raises(Exception, match="SLIDEKIT_EXEC_TIMEOUT") as info:
        open_deck(str(deck_path), preprocess=True, allow_exec=True)
    assert getattr(info.value, "exit_code", None) == 2


def test_negative_front_matter_timeout_names_its_line(write_deck: WriteDeck) -> None:
    deck_path = write_deck("---\nauthor: me\ntimeout: -2\n---\n\n# S\n\n~~~sleep 0\n~~~\n")
    with pytest.raises(Exception, match="timeout") as info:
        open_deck(str(deck_path), preprocess=True, allow_exec=True)
    assert str(info.value).startswith(f"{deck_path}:3: ")


def test_missing_graph_easy_says_what_to_install(write_deck: WriteDeck, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    # --as=boxart|ascii are drawn in process; an output slidekit cannot draw needs the program
    deck_path = write_deck("# S\n\n" + wrapped("graph-easy --as=dot", "[ a ] -> [ b ]\n"))
    block = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert block.failed and block.output is None
    assert block.notice == ("not run: command `graph-easy` not found — install Debian package libgraph-easy-perl")
    assert f"{deck_path}:3: not run: command `graph-easy` not found" in capsys.readouterr().err


def test_missing_other_command(write_deck: WriteDeck) -> None:
    deck_path = write_deck("# S\n\n~~~no-such-tool-xyz --flag\nbody\n~~~\n")
    block = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert block.failed and block.notice == "not run: command `no-such-tool-xyz` not found"


def test_nonzero_exit_shows_status_and_stderr_tail(write_deck: WriteDeck) -> None:
    script = "echo partial; echo line1 >&2; echo line2 >&2; exit 3"
    deck_path = write_deck("# S\n\n" + wrapped(f"sh -c '{script}'", "x\n"))
    block = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert block.failed and block.output is None
    assert block.notice == "sh exited with status 3: line1 | line2"
    assert cache_files(deck_path) == []


def test_stderr_on_success_is_a_warning_not_output(write_deck: WriteDeck, capsys: pytest.CaptureFixture[str]) -> None:
    deck_path = write_deck("# S\n\n" + wrapped("sh -c 'echo careful >&2; cat'", "data\n"))
    block = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert (block.output, block.failed, block.notice) == ("data", False, "stderr: careful")
    assert f"{deck_path}:3: sh wrote to stderr: careful" in capsys.readouterr().err


def test_unbalanced_quote_is_a_failure(write_deck: WriteDeck) -> None:
    deck_path = write_deck("# S\n\n~~~echo 'oops\nx\n~~~\n")
    block = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert block.failed and "cannot parse command" in (block.notice or "")


# --------------------------------------------------------------------------- strict


def test_strict_raises_with_path_and_line_exit_1(write_deck: WriteDeck) -> None:
    deck_path = write_deck("# S\n\n~~~sh -c 'exit 4'\n~~~\n\n---\n\n~~~false\n~~~\n")
    with pytest.raises(PreprocessError) as info:
        open_deck(str(deck_path), preprocess=True, allow_exec=True, strict=True)
    assert info.value.exit_code == 1
    assert str(info.value).startswith(f"{deck_path}:3: sh exited with status 4")
    assert "and 1 more" in str(info.value)


def test_strict_fails_for_blocks_not_allowed_to_run(write_deck: WriteDeck) -> None:
    deck_path = write_deck("# S\n\n~~~cat\nx\n~~~\n")
    with pytest.raises(PreprocessError, match="untrusted deck"):
        open_deck(str(deck_path), preprocess=True, strict=True)
    assert only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True, strict=True)).output == "x"


# --------------------------------------------------------------------------- cache


def test_cache_hit_runs_no_subprocess(write_deck: WriteDeck, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    deck_path = write_deck("# S\n\n" + wrapped(counting(counter), "  keep  spaces\n"))
    first = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    second = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert first.output == second.output == "  keep  spaces"
    assert second.notice is None
    assert counter.read_text() == "run\n"
    [entry] = cache_files(deck_path)
    data = json.loads(entry.read_text())
    assert data["command"] == counting(counter) and data["argv"][0] == "sh"
    assert data["stdout"] == "  keep  spaces" and data["exit_status"] == 0 and data["stderr"] == ""
    assert len(data["body_sha256"]) == 64 and data["created"]
    # a changed body is a different key: it runs again
    deck_path.write_text("# S\n\n" + wrapped(counting(counter), "changed\n"))
    assert only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True)).output == "changed"
    assert counter.read_text() == "run\nrun\n"


def test_refresh_reruns_despite_cache(write_deck: WriteDeck, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    deck_path = write_deck("# S\n\n" + wrapped(counting(counter), "x\n"))
    open_deck(str(deck_path), preprocess=True, allow_exec=True)
    open_deck(str(deck_path), preprocess=True, allow_exec=True, refresh=True)
    assert counter.read_text() == "run\nrun\n"


def test_cached_output_is_used_on_an_untrusted_deck(write_deck: WriteDeck, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    deck_path = write_deck("# S\n\n" + wrapped(counting(counter), "diagram\n"))
    open_deck(str(deck_path), preprocess=True, allow_exec=True)
    block = only_block(open_deck(str(deck_path), preprocess=True, strict=True))  # cached data is not a problem
    assert block.output == "diagram" and not block.failed
    assert "cached output" in (block.notice or "")
    assert counter.read_text() == "run\n"


def test_cached_output_on_a_machine_without_the_tool(write_deck: WriteDeck, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    deck_path = write_deck("# S\n\n" + wrapped("cat", "saved\n"))
    open_deck(str(deck_path), preprocess=True, allow_exec=True)
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    block = only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True))
    assert (block.output, block.failed) == ("saved", False)


def test_corrupt_cache_entry_is_a_miss(write_deck: WriteDeck, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    deck_path = write_deck("# S\n\n" + wrapped(counting(counter), "x\n"))
    open_deck(str(deck_path), preprocess=True, allow_exec=True)
    [entry] = cache_files(deck_path)
    entry.write_text("{not json")
    assert only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True)).output == "x"
    assert counter.read_text() == "run\nrun\n"
    assert json.loads(entry.read_text())["stdout"] == "x"  # rewritten


def test_unwritable_cache_folder_is_only_a_warning(write_deck: WriteDeck, capsys: pytest.CaptureFixture[str]) -> None:
    deck_path = write_deck("# S\n\n~~~cat\nx\n~~~\n")
    (deck_path.parent / ".slidekit-cache").write_text("a file where the folder should be")
    assert only_block(open_deck(str(deck_path), preprocess=True, allow_exec=True)).output == "x"
    assert "cannot write pre-processing cache" in capsys.readouterr().err


def test_same_block_twice_runs_once(write_deck: WriteDeck, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    block = wrapped(counting(counter), "same\n")
    deck_path = write_deck(f"# A\n\n{block}\n---\n\n# B\n\n{block}")
    deck = open_deck(str(deck_path), preprocess=True, allow_exec=True)
    assert [b.output for b in command_blocks(deck)] == ["same", "same"]
    assert counter.read_text() == "run\n"


def test_the_source_deck_file_is_never_modified(write_deck: WriteDeck) -> None:
    text = "# S\n\n" + wrapped("cat", "x\n")
    deck_path = write_deck(text)
    deck = open_deck(str(deck_path), preprocess=True, allow_exec=True)
    assert deck_path.read_text() == text and deck.source == text


def test_preprocess_false_leaves_blocks_alone(write_deck: WriteDeck, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "ran"
    deck_path = write_deck("# S\n\n" + wrapped(f"touch {marker}", "x\n"), mode=0o755)
    block = only_block(open_deck(str(deck_path), preprocess=False, strict=True))
    assert (block.output, block.notice) == (None, None)
    assert not marker.exists() and capsys.readouterr().err == ""
