"""The highlighting service: lexer lookup, token lines, token styles up the type tree,
and the persistent token store."""

from __future__ import annotations

from pathlib import Path

import pytest
from pygments.token import Keyword, Literal, Name, Token

from slidekit.highlight import is_dockerfile_lang
from slidekit.highlight import store as store_module
from slidekit.highlight import tokens
from slidekit.highlight.store import TokenStore
from slidekit.highlight.styles import style_for, token_style
from slidekit.theme.load import load_theme


def test_lexer_lookup_by_name_alias_file_name_and_extension() -> None:
    assert tokens.lexer_for("python").name == "Python"  # type: ignore[union-attr]
    assert tokens.lexer_for("yml").name == "YAML"  # type: ignore[union-attr]
    assert tokens.lexer_for("Dockerfile").name == "Docker"  # type: ignore[union-attr]
    assert tokens.lexer_for("main.go").name == "Go"  # type: ignore[union-attr]
    assert tokens.lexer_for(".rs").name == "Rust"  # type: ignore[union-attr]
    assert tokens.lexer_for("no-such-language") is None and tokens.lexer_for("") is None


def test_dockerfile_languages() -> None:
    assert all(is_dockerfile_lang(x) for x in ("dockerfile", "Docker", "CONTAINERFILE"))
    assert not is_dockerfile_lang("python")


def test_token_lines_keep_the_code_exactly() -> None:
    code = "$ echo hi\nhi\n$ ls"  # the console lexer drops an unterminated last line on its own
    lines = tokens.tokenize(code, "console")
    assert ["".join(text for _, text in line) for line in lines] == code.split("\n")


@pytest.mark.parametrize(("lang", "code", "token"), [
    ("yaml", "key: plain value", Literal.Scalar.Plain),
    ("mysql", "SELECT `quoted` FROM t;", Name.Quoted),
    ("postgresql", 'SELECT "name" FROM t;', Literal.String.Name),
    ("scss", "$x: true;", Name.Pseudo),
])
def test_token_types_outside_the_standard_set_resolve_to_a_parent(lang: str, code: str, token: object) -> None:
    emitted = {t for line in tokens.tokenize(code, lang) for t, _ in line}
    assert token in emitted  # the lexer really emits the non-standard type
    style = style_for(load_theme("solarized_dark", env={}).theme)
    assert style is not None
    rule = token_style(style, token)  # type: ignore[arg-type]
    parent = token_style(style, token.parent)  # type: ignore[attr-defined]
    assert rule == parent
    assert token_style(style, Keyword)["color"]  # the theme's own colours still apply


def test_store_round_trip_and_damaged_entries(tmp_path: Path) -> None:
    store = TokenStore(tmp_path)
    lines = tokens._lex("def f():\n    return 1", "python")
    store.save("def f():\n    return 1", "python", lines)
    assert store.load("def f():\n    return 1", "python") == lines
    assert store.load("def f():\n    return 2", "python") is None
    for path in tmp_path.rglob("*.json"):
        path.write_text("[[[\"Keyword\", \"other text\"]]]", encoding="utf-8")
    assert store.load("def f():\n    return 1", "python") is None  # damaged: a miss, not an error


def test_tokenize_reads_the_store_without_loading_a_lexer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = "FROM busybox AS base\nRUN echo unique-7f3a"
    store_module.use_store(TokenStore(tmp_path))
    try:
        tokens.tokenize.cache_clear()
        first = tokens.tokenize(code, "dockerfile")
        assert list(tmp_path.rglob("*.json"))
        tokens.tokenize.cache_clear()

        def no_lexer(lang: str) -> None:
            raise AssertionError("a lexer was loaded for a stored block")

        monkeypatch.setattr(tokens, "lexer_for", no_lexer)
        assert tokens.tokenize(code, "dockerfile") == first
        assert (Token.Keyword, "FROM") in first[0]
    finally:
        store_module.use_store(None)
        tokens.tokenize.cache_clear()
