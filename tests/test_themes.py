"""Built-in themes and theme resolution (deck folder → cwd → built-in)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from slidekit.theme.load import BUILTIN_NAMES, builtin_dir, builtin_names, load_theme, read_theme_file
from slidekit.theme.schema import CHROMA_KEYS, ELEMENTS

SOLARIZED = {
    "#002b36", "#073642", "#586e75", "#657b83", "#839496", "#93a1a1", "#eee8d5", "#fdf6e3",
    "#b58900", "#cb4b16", "#dc322f", "#d33682", "#6c71c4", "#268bd2", "#2aa198", "#859900",
}


def test_every_builtin_theme_loads_cleanly() -> None:
    assert set(BUILTIN_NAMES) <= set(builtin_names())
    for name in BUILTIN_NAMES:
        theme, warnings = read_theme_file(builtin_dir() / f"{name}.json")
        assert warnings == [], name
        assert set(theme.elements) == set(ELEMENTS), name


@pytest.mark.parametrize("name", ["solarized_dark", "solarized_light"])
def test_solarized_styles_every_element_and_chroma_key(name: str) -> None:
    theme, _ = read_theme_file(builtin_dir() / f"{name}.json")
    raw = json.loads((builtin_dir() / f"{name}.json").read_text(encoding="utf-8"))
    for element in ELEMENTS:
        assert raw.get(element), f"{name}: `{element}` is not styled"
    chroma = theme.chroma
    for key in CHROMA_KEYS:
        assert key in chroma and (chroma[key].color or chroma[key].background_color), f"{name}: chroma.{key}"
    colours = set(re.findall(r"#[0-9a-fA-F]{6}", json.dumps(raw)))
    assert colours <= SOLARIZED, colours - SOLARIZED
    accents = {"#b58900", "#cb4b16", "#dc322f", "#d33682", "#6c71c4", "#268bd2", "#2aa198", "#859900"}
    assert accents <= colours and len(colours - accents) >= 5  # every accent, five base tones


def test_solarized_dark_and_light_swap_backgrounds() -> None:
    dark = load_theme("solarized_dark", env={}).theme
    light = load_theme("solarized_light", env={}).theme
    assert dark.get("document").background_color == "#002b36"
    assert light.get("document").background_color == "#fdf6e3"


def _theme_file(path: Path, heading_colour: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"heading": {"color": heading_colour}}), encoding="utf-8")
    return path


def test_resolution_order_deck_dir_then_cwd_then_builtin(tmp_path: Path) -> None:
    deck_dir, cwd = tmp_path / "deck", tmp_path / "cwd"
    _theme_file(deck_dir / "mine.json", "1")
    _theme_file(cwd / "mine.json", "2")
    _theme_file(cwd / "only_cwd.json", "3")
    _theme_file(deck_dir / "dark.json", "4")
    assert load_theme("mine", deck_dir, cwd, env={}).path == deck_dir / "mine.json"
    assert load_theme("mine.json", deck_dir, cwd, env={}).theme.get("heading").color == "1"
    assert load_theme("only_cwd", deck_dir, cwd, env={}).path == cwd / "only_cwd.json"
    assert load_theme("dark", deck_dir, cwd, env={}).path == deck_dir / "dark.json"  # a local file wins
    builtin = load_theme("solarized_light", deck_dir, cwd, env={})
    assert builtin.path == builtin_dir() / "solarized_light.json" and builtin.warnings == ()
    assert load_theme("solarized_light.json", deck_dir, cwd, env={}).path == builtin.path


def test_relative_subdirectory_and_absolute_paths(tmp_path: Path) -> None:
    nested = _theme_file(tmp_path / "deck" / "themes" / "brand.json", "5")
    assert load_theme("themes/brand", tmp_path / "deck", tmp_path, env={}).path == nested
    assert load_theme(str(nested), None, tmp_path, env={}).path == nested


def test_missing_theme_warns_and_falls_back(tmp_path: Path) -> None:
    loaded = load_theme("no_such_theme", tmp_path, tmp_path, env={})
    assert loaded.path == builtin_dir() / "dark.json"
    assert len(loaded.warnings) == 1 and "no_such_theme" in loaded.warnings[0]
    assert "using `dark`" in loaded.warnings[0]


@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "invalid JSON"),
    ('{"h1": "red"}', "h1: expected an object"),
    ('{"h1": {"bold": "yes"}}', "h1.bold: expected true or false"),
    ('{"list": {"level_indent": -1}}', "level_indent"),
    ("[1, 2]", "a theme must be a JSON object"),
])
def test_invalid_theme_warns_naming_the_file(tmp_path: Path, content: str, reason: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    loaded = load_theme("bad", tmp_path, tmp_path, env={})
    assert loaded.path == builtin_dir() / "dark.json"
    assert str(bad) in loaded.warnings[0] and reason in loaded.warnings[0]


def test_non_utf8_theme_warns_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{\n"h1": {"prefix": "\xe9"}}')
    loaded = load_theme("latin1", tmp_path, tmp_path, env={})
    assert loaded.path == builtin_dir() / "dark.json"
    assert loaded.warnings[0].startswith(f"{bad}:2: theme is not valid UTF-8 (byte 0xe9)")


def test_theme_with_bom_and_crlf_loads(tmp_path: Path) -> None:
    (tmp_path / "win.json").write_bytes(b'\xef\xbb\xbf{\r\n"h1": {"prefix": "# "}\r\n}\r\n')
    loaded = load_theme("win", tmp_path, tmp_path, env={})
    assert loaded.path == tmp_path / "win.json" and loaded.warnings == ()
    assert loaded.theme.elements["h1"].prefix == "# "


def test_unknown_keys_are_warnings_not_errors(tmp_path: Path) -> None:
    (tmp_path / "extra.json").write_text(json.dumps({"h1": {"colour": "1"}, "sparkles": {}}), encoding="utf-8")
    loaded = load_theme("extra", tmp_path, tmp_path, env={})
    assert loaded.path == tmp_path / "extra.json"
    assert len(loaded.warnings) == 2 and all(str(tmp_path / "extra.json") in w for w in loaded.warnings)


def test_unparseable_colours_are_warnings_naming_the_field(tmp_path: Path) -> None:
    theme = {"h1": {"color": "notacolor", "background_color": "#abc"}, "document": {"color": "300"},
             "code_block": {"chroma": {"keyword": {"color": "#zzzzzz"}, "comment": {"color": "244"}}}}
    (tmp_path / "colours.json").write_text(json.dumps(theme), encoding="utf-8")
    loaded = load_theme("colours", tmp_path, tmp_path, env={})
    assert loaded.path == tmp_path / "colours.json"
    assert [w.split(": ", 1)[1] for w in loaded.warnings] == [
        "`h1.color`: 'notacolor' is not a colour (ignored)",
        "`document.color`: '300' is not a colour (ignored)",
        "`code_block.chroma.keyword.color`: '#zzzzzz' is not a colour (ignored)",
    ]


def test_no_color_selects_notty(tmp_path: Path) -> None:
    assert load_theme(None, tmp_path, tmp_path, env={"NO_COLOR": "1"}).path == builtin_dir() / "notty.json"
    fallback = load_theme("missing", tmp_path, tmp_path, env={"NO_COLOR": "1"})
    assert fallback.path == builtin_dir() / "notty.json"
    assert load_theme(None, tmp_path, tmp_path, env={}).path == builtin_dir() / "dark.json"
    assert load_theme(None, tmp_path, tmp_path, env={"GLAMOUR_STYLE": "light"}).path == builtin_dir() / "light.json"
