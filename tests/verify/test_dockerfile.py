from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from slidekit.verify.dockerfile import arg_defaults, expand, parse_dockerfile, parse_words


def test_directives_escape_and_continuations() -> None:
    parsed = parse_dockerfile("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo one `\n  two\n")
    assert parsed.directives == {"syntax": "docker/dockerfile:1", "escape": "`"}
    run = parsed.instructions[1]
    assert (run.keyword, run.start, run.end, run.args) == ("RUN", 4, 5, "echo one   two")


def test_directive_after_an_instruction_is_a_comment() -> None:
    parsed = parse_dockerfile("FROM a\n# escape=`\nRUN x \\\n y\n")
    assert parsed.directives == {} and parsed.escape == "\\"
    assert parsed.instructions[1].end == 4


def test_bad_escape_and_duplicate_directive_are_problems() -> None:
    bad = parse_dockerfile("# escape=x\nFROM a\n")
    assert [p.line for p in bad.problems] == [1] and bad.escape == "\\"
    twice = parse_dockerfile("# escape=`\n# escape=`\nFROM a\n")
    assert [p.line for p in twice.problems] == [2]


def test_comments_inside_continuations_and_empty_continuation_lines() -> None:
    parsed = parse_dockerfile("FROM a\nRUN a \\\n  # note\n\n  b\nRUN c\n")
    run = parsed.instructions[1]
    # BuildKit reports the empty continuation line on the instruction's last line
    assert (run.start, run.end, run.empty_continuation) == (2, 5, 5)
    assert run.args.split() == ["a", "b"]
    assert parsed.instructions[2].empty_continuation is None


def test_flags_json_and_shell_forms() -> None:
    parsed = parse_dockerfile('FROM --platform=$BUILDPLATFORM a AS b\nCOPY --from=b --chown=1:1 ["x y", "/z"]\nCMD echo hi\n')
    frm, copy, cmd = parsed.instructions
    assert frm.flag("platform").value == "$BUILDPLATFORM" and frm.words == ("a", "AS", "b")
    assert [f.name for f in copy.flags] == ["from", "chown"] and copy.json == ("x y", "/z")
    assert cmd.json is None and cmd.words == ("echo", "hi")


def test_unknown_flag_is_a_problem_but_not_for_unflagged_instructions() -> None:
    parsed = parse_dockerfile("FROM a\nCOPY --bogus x y\nWORKDIR --x\n")
    assert [(p.line, "bogus" in p.message) for p in parsed.problems] == [(2, True)]


def test_heredocs_extend_the_instruction() -> None:
    parsed = parse_dockerfile('FROM a\nRUN <<EOF\necho hi\nEOF\nCOPY <<-"END" /x\n\tdata\n\tEND\nRUN cat <<<"not a heredoc"\n')
    run, copy, here = parsed.instructions[1:]
    assert (run.start, run.end, run.heredocs[0].content) == (2, 4, "echo hi\n")
    assert (copy.start, copy.end, copy.heredocs[0].name, copy.heredocs[0].content) == (5, 7, "END", "data\n")
    assert here.heredocs == () and parsed.problems == ()


def test_unclosed_heredoc_is_a_problem() -> None:
    parsed = parse_dockerfile("FROM a\nRUN <<EOF\necho\n")
    assert parsed.problems[0].line == 2 and "never closed" in parsed.problems[0].message


def test_stages_names_are_lowercased_and_indexed() -> None:
    parsed = parse_dockerfile("ARG V=1\nFROM a:$V AS Base\nRUN x\nFROM base\n")
    assert [(s.index, s.name, s.raw_name, s.base, s.line) for s in parsed.stages] == [
        (0, "base", "Base", "a:$V", 2),
        (1, None, None, "base", 4),
    ]
    assert [i.keyword for i in parsed.stages[0].instructions] == ["RUN"]
    assert parsed.stage_named("BASE") is parsed.stages[0] and parsed.stage_named("1") is parsed.stages[1]
    assert [a.start for a in parsed.global_args] == [1]


def test_structural_problems() -> None:
    assert "before the first FROM" in parse_dockerfile("RUN x\nFROM a\n").problems[0].message
    assert "no FROM" in parse_dockerfile("ARG x\n").problems[0].message
    assert parse_dockerfile("FROM a b\n").problems[0].line == 1
    assert "at least 2" in parse_dockerfile("FROM a\nCOPY x\n").problems[0].message
    assert "JSON" in parse_dockerfile("FROM a\nSHELL sh -c\n").problems[0].message
    assert parse_dockerfile("FROM a\nbogus x\n").problems == ()  # unknown instructions are a check, not a parse error


def test_crlf_and_no_trailing_newline() -> None:
    parsed = parse_dockerfile("FROM a\r\nRUN b \\\r\n c")
    assert [(i.keyword, i.start, i.end) for i in parsed.instructions] == [("FROM", 1, 1), ("RUN", 2, 3)]


def test_expansion_follows_buildkits_lexer() -> None:
    assert expand("${A}:${C:-x}", {"A": "img"}) == "img:x"
    assert expand('alpine:"${V}"', {"V": "3.20"}) == "alpine:3.20"  # quotes are removed, as BuildKit does
    assert expand("scratch${DEBUG-@bogus}", {"DEBUG": ""}) == "scratch"  # set but empty: `-` keeps it
    assert expand("scra${DEBUG:-tch}", {"DEBUG": ""}) == "scratch"
    assert expand("${V%%-*}:${V#*-}", {"V": "3.20-slim"}) == "3.20:slim"
    assert expand("$UNKNOWN ${NONE} ${NONE:-x}", {"NONE": None}) == "$UNKNOWN ${NONE} x"  # no value: left as written
    assert expand('"unterminated', {}) == '"unterminated'


def test_global_arg_defaults_expand_earlier_args() -> None:
    parsed = parse_dockerfile('ARG V=3.20\nARG TAG="${V}-alpine" OTHER\nFROM img:$TAG\n')
    assert arg_defaults(parsed.global_args) == {"V": "3.20", "TAG": "3.20-alpine", "OTHER": None}
    assert arg_defaults(parsed.global_args, {"V": "1"}) == {"V": "1", "TAG": "1-alpine", "OTHER": None}


def test_words_keep_quotes_and_split_on_blanks_outside_them() -> None:
    assert parse_words('a="b c"  d=e\\ f \'g h\'') == ['a="b c"', "d=e\\ f", "'g h'"]


def test_comments_before_an_instruction_are_kept_until_a_bare_hash() -> None:
    parsed = parse_dockerfile("# check=skip=all\nFROM a\n# one\n\n# two\nRUN x\n# gone\n#\n# three\nRUN y\nRUN z\n")
    assert [i.comments for i in parsed.instructions] == [(), ("one", "two"), ("three",), ()]
    assert parsed.directives == {"check": "skip=all"}

LINE = st.sampled_from(["FROM a AS b", "RUN x \\", "", "  # c", "COPY --from=b a b", "RUN <<EOF", "EOF", "bogus",
                        "# escape=`", "CMD [\"a\"]", "ENV a b \\", "\t", "FROM", "ARG X=1", "`"])


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=25))
def test_parser_never_raises_and_spans_are_ordered(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    parsed = parse_dockerfile(text)
    previous_end = 0
    for ins in parsed.instructions:
        assert previous_end < ins.start <= ins.end <= max(len(lines), 1)
        assert lines[ins.start - 1].strip() != "" and not lines[ins.start - 1].strip().startswith("#")
        previous_end = ins.end
    assert all(1 <= p.line <= max(len(lines), 1) for p in parsed.problems)
