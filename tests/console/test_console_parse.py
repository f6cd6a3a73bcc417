"""Console blocks without Docker: the transcript parser, the matcher and the --accept writer (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slidekit.deck.console import console_blocks
from slidekit.deck.load import load_deck
from slidekit.verify.console_accept import accept
from slidekit.verify.console_match import CommandRun, check_block, first_difference, line_matches
from slidekit.verify.console_result import CommandOutput, ConsoleResult, ConsoleStatus
from slidekit.verify.console_run import script, split_output

DECK = """# Title

```console stage=app stderr=ignore timeout=5
$ echo a \\
> b
a b
$ false

[exit: 1]

$ printf 'x\\n'
x
```

- item

  ```shell-session image=busybox
  $ echo nested
  nested
  ```
"""


def test_parse_commands_continuations_output_exit_and_lines() -> None:
    first, nested = console_blocks(load_deck(DECK, "d.md"))
    assert (first.kind, first.target, first.stderr, first.timeout, first.line) == ("stage", "app", False, 5.0, 3)
    assert [c.text for c in first.commands] == ["echo a \\\nb", "false", "printf 'x\\n'"]
    assert [c.line for c in first.commands] == [4, 7, 11]
    assert [[(e.text, e.line) for e in c.expected] for c in first.commands] == [[("a b", 6)], [], [("x", 12)]]
    assert (first.commands[1].exit_status, first.commands[1].exit_line) == (1, 9)
    assert (nested.kind, nested.target, nested.line) == ("image", "busybox", 17)
    assert [(e.text, e.line) for e in nested.commands[0].expected] == [("nested", 19)]


@pytest.mark.parametrize(("info", "body", "message", "line"), [
    ("console stage=a image=b", "$ x\n", "choose one of stage=, image= and host", 1),
    ("console stage=", "$ x\n", "`stage=` needs a value", 1),
    ("console host stderr=maybe", "$ x\n", "stderr=maybe", 1),
    ("console host timeout=no", "$ x\n", "timeout=no", 1),
    ("console host mount=data", "$ x\n", "mount=data", 1),
    ("console host", "stray\n$ x\n", "output before the first", 2),
    ("console host", "nothing here\n", "output before the first", 2),
    ("console host", "", "no `$ ` command", 1),
    ("console host", "$ x\n[exit: 2]\nmore\n", "must be the last line", 3),
])
def test_malformed_blocks_name_their_line(info: str, body: str, message: str, line: int) -> None:
    block = console_blocks(load_deck(f"```{info}\n{body}```\n", "d.md"))[0]
    assert message in block.error
    assert block.error_line == line


def test_block_without_target_is_only_shown() -> None:
    block = console_blocks(load_deck("```console\nstray text\n$ x\n```\n", "d.md"))[0]
    assert (block.kind, block.checked, block.error) == ("", False, "")


@pytest.mark.parametrize(("expected", "actual", "result"), [
    (["a", "b"], ["a", "b"], None),
    (["a", "b"], ["a", "c"], 1),
    (["a"], ["a", "extra"], 1),
    (["a", "..."], ["a", "x", "y"], None),
    (["...", "z"], ["x", "y", "z"], None),
    (["...", "z"], ["x", "y"], 1),
    (["a", "...", "c"], ["a", "c"], None),  # ... matches no lines, too
    (["id [..] end"], ["id 42 end"], None),
    (["id [..] end"], ["id 42 ending"], 0),
    (["[..]"], [""], None),
    (["a  "], ["a"], None),  # trailing whitespace does not count
])
def test_first_difference(expected: list[str], actual: list[str], result: int | None) -> None:
    assert first_difference(expected, actual) == result


@given(st.lists(st.text(alphabet="ab.[] \n", max_size=8).map(lambda s: s.replace("\n", "")), max_size=6))
def test_lines_always_match_themselves_and_any_lines_matches_everything(lines: list[str]) -> None:
    plain = [line for line in lines if "[..]" not in line and line.strip() != "..."]
    assert first_difference(plain, plain) is None
    assert first_difference(["..."], lines) is None
    assert all(line_matches("[..]", line) for line in lines)


def test_mismatch_names_the_first_differing_line_with_a_diff() -> None:
    block = console_blocks(load_deck("```console host\n$ seq 3\n1\n2\n9\n```\n", "talk.md"))[0]
    mismatch = check_block(block, [CommandRun("1\n2\n3\n", 0)], "talk.md")
    assert mismatch is not None and mismatch.line == 5
    assert mismatch.diff.splitlines() == ["--- talk.md:1 (expected)", "+++ actual", "@@ -1,4 +1,4 @@",
                                          " $ seq 3", " 1", " 2", "-9", "+3"]


def test_exit_status_must_be_written() -> None:
    block = console_blocks(load_deck("```console host\n$ a\nout\n$ b\n[exit: 2]\n```\n", "t.md"))[0]
    assert check_block(block, [CommandRun("out\n", 0), CommandRun("", 2)], "t.md") is None
    unexpected = check_block(block, [CommandRun("out\n", 1), CommandRun("", 2)], "t.md")
    assert unexpected is not None and unexpected.line == 4 and "status 1" in unexpected.message
    wrong = check_block(block, [CommandRun("out\n", 0), CommandRun("", 3)], "t.md")
    assert wrong is not None and wrong.line == 5 and "expected 2" in wrong.message


def test_the_script_runs_in_one_shell_and_splits_per_command() -> None:
    import subprocess

    token = "@@t@@"
    commands = ["cd /", "pwd", "printf 'no newline'", "echo err >&2", "exit 4", "echo never"]
    proc = subprocess.run(["sh", "-c", script(commands, token)], capture_output=True, text=True, check=False)
    runs = split_output(proc.stdout, token, len(commands), proc.returncode)
    assert runs == (CommandRun("", 0), CommandRun("/\n", 0), CommandRun("no newline", 0), CommandRun("err\n", 0),
                    CommandRun("", 4))


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_accept_rewrites_only_the_differing_lines(eol: str) -> None:
    text = ("# T\n\n  ```console host\n  $ echo 1\n  ...\n  $ echo 2\n  old\n\n  $ echo 3\n  3\n  ```\n"
            "after\n").replace("\n", eol)
    data = text.encode()
    blocks = console_blocks(load_deck(text, "t.md"))
    result = ConsoleResult("t.md", 7, 3, "host", ConsoleStatus.DIFFERS, outputs=(
        CommandOutput("echo 1", "1\n", 0), CommandOutput("echo 2", "new\nline\n", 5), CommandOutput("echo 3", "3\n", 0)))
    new, changes = accept(data, blocks, [result])
    assert new == text.replace(f"  old{eol}", f"  new{eol}  line{eol}  [exit: 5]{eol}").encode()
    assert [c.describe("t.md") for c in changes] == ["t.md:7: replaced 1 line with 3 lines"]
