"""Property tests over the whole input space of issue 12's limits: lone surrogates,
deep nesting, non-regular files and the numeric bounds never give anything but a
value or a clean `path:line` error."""

from __future__ import annotations

import json
import math
import os
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slidekit.confine import Confinement, read_image, sniff
from slidekit.deck.load import load_deck
from slidekit.errors import DeckError
from slidekit.limits import MAX_NESTING
from slidekit.theme.load import read_theme_file
from slidekit.theme.schema import MAX_SPACING
from tests.security.conftest import PNG

SURROGATES = st.integers(0xD800, 0xDFFF).map(lambda n: f"\\u{n:04x}")
FRAGMENTS = st.one_of(SURROGATES, st.text(max_size=4), st.sampled_from(["\\ud83c\\udf89", "\\n", "\\\\"]))


@given(st.lists(FRAGMENTS, max_size=6).map("".join), st.sampled_from(["title", "author", "context", "theme"]))
def test_front_matter_strings_with_escapes(value: str, key: str) -> None:
    text = f"---\n{key}: \"{value}\"\n---\n# x\n"
    try:
        deck = load_deck(text, "d.md")
    except DeckError as exc:
        assert exc.path == "d.md" and exc.line is not None
        return
    for item in deck.meta.raw.values():  # whatever was accepted can be written out
        str(item).encode("utf-8")


@given(st.lists(FRAGMENTS, max_size=6).map("".join))
def test_theme_strings_with_escapes(value: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.json"
        prefix = value.replace('"', "")
        path.write_text('{"document": {"prefix": "' + prefix + '"}}', encoding="utf-8")
        try:
            theme, _ = read_theme_file(path)
        except ValueError as exc:
            assert str(exc).startswith(f"{path}")
            return
        json.dumps(str(theme)).encode("utf-8")


NESTING = st.lists(st.sampled_from(["[", "{a: ", "- "]), min_size=0, max_size=3 * MAX_NESTING)


@settings(max_examples=60)
@given(NESTING)
def test_front_matter_nesting(openers: list[str]) -> None:
    closers = "".join({"[": "]", "{a: ": "}", "- ": ""}[o] for o in reversed(openers))
    value = "".join(openers) + "1" + closers
    if value.startswith("- "):
        value = "[" + value[2:]  # a block sequence cannot follow `key:` on one line
        value += "]"
    text = f"---\nk: {value}\n---\n# x\n"
    try:
        load_deck(text, "d.md")
    except DeckError as exc:
        assert exc.line is not None and exc.path == "d.md"


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 5 * MAX_NESTING), st.sampled_from(['{"a":', "["]))
def test_theme_nesting(tmp_path: Path, depth: int, opener: str) -> None:
    closer = "}" if opener.startswith("{") else "]"
    path = tmp_path / "t.json"
    path.write_text('{"document": ' + opener * depth + "1" + closer * depth + "}")
    try:
        read_theme_file(path)
    except ValueError as exc:
        assert str(exc).startswith(str(path)) and (depth + 1 > MAX_NESTING or "invalid theme" in str(exc))


def _yaml_number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    mantissa, _, exponent = repr(value).partition("e")
    mantissa = mantissa if "." in mantissa else mantissa + ".0"
    return f"{mantissa}e{exponent}" if exponent else mantissa


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10**30)))
def test_timeout_bounds(value: float) -> None:
    text = f"---\ntimeout: {_yaml_number(value)}\n---\n# x\n"
    ok = math.isfinite(value) and 0 < value <= 3600
    try:
        load_deck(text, "d.md")
    except DeckError as exc:
        assert not ok and exc.line == 2, exc
        return
    assert ok


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(-5, 10**12), st.sampled_from(["indent", "margin", "level_indent"]))
def test_theme_spacing_bounds(tmp_path: Path, value: int, field: str) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"list": {field: value}}))
    try:
        read_theme_file(path)
    except ValueError as exc:
        assert not 0 <= value <= MAX_SPACING and str(exc).startswith(str(path))
        return
    assert 0 <= value <= MAX_SPACING


@pytest.fixture(scope="module")
def specials(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("specials")
    os.mkfifo(folder / "fifo")
    (folder / "dir").mkdir()
    (folder / "dev").symlink_to("/dev/zero")
    (folder / "null").symlink_to("/dev/null")
    (folder / "dangling").symlink_to(folder / "nowhere")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock"))
    yield folder
    sock.close()


@given(kind=st.sampled_from(["fifo", "dir", "dev", "null", "dangling", "sock", "file"]),
       content=st.binary(max_size=64), image=st.booleans())
@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_only_regular_image_files_are_read(specials: Path, kind: str, content: bytes, image: bool) -> None:
    limits = Confinement((specials.resolve(), Path("/dev").resolve()))
    path = specials / kind
    if kind == "file":
        path.write_bytes((PNG if image else b"") + content)
    found = read_image(path, limits)
    if kind == "file":
        data = path.read_bytes()
        assert (found.data is not None) == (sniff(data[:512]) is not None)
        assert found.data is None or (found.data == data and found.mime == sniff(data))
    else:
        assert found.data is None and found.problem
