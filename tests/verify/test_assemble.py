from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from slidekit.cli import cli
from slidekit.deck.load import load_deck
from slidekit.errors import SlidekitError
from slidekit.verify.assemble import assemble, extract_text, pick

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"
EXAMPLE = Path(__file__).resolve().parents[2] / "slides" / "docker-multistage.md"


def load(name: str):  # type: ignore[no-untyped-def]
    path = FIXTURES / name
    return load_deck(path.read_text(), str(path))


def deck_line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.strip() == text)


def test_every_line_maps_back_to_the_deck_line_it_came_from() -> None:
    deck = load_deck(EXAMPLE.read_text(), str(EXAMPLE))
    (dockerfile,) = assemble(deck)
    source = EXAMPLE.read_text().splitlines()
    for number, line in enumerate(dockerfile.text.splitlines(), 1):
        assert source[dockerfile.deck_line(number) - 1].strip() == line.strip() or line == ""
    from_lines = [n for n, line in enumerate(dockerfile.text.splitlines(), 1) if line.startswith("FROM")]
    assert len(from_lines) == 7
    backend = from_lines[3]
    assert dockerfile.deck_line(backend) == deck_line_of(EXAMPLE, "FROM backend-common as backend")
    assert dockerfile.slide_index(backend) == 4  # slide 5


def test_blocks_are_joined_with_one_blank_line_mapped_to_the_previous_fence() -> None:
    deck = load_deck("```dockerfile\nFROM a AS x\n```\n\n---\n\n```dockerfile\nFROM x\n```\n", "d.md")
    (dockerfile,) = assemble(deck)
    assert dockerfile.text == "FROM a AS x\n\nFROM x\n"
    assert dockerfile.line_map == (2, 3, 8)
    assert dockerfile.slide_of == (0, 0, 1)


def test_several_dockerfiles_by_file_attribute_and_opt_outs() -> None:
    deck = load("multi.md")
    api, web = assemble(deck)
    assert (api.name, web.name) == ("api", "web")
    assert api.text == "FROM busybox:latest AS api-base\nRUN echo api\n\nFROM api-base AS api\nCMD [\"sh\"]\n"
    assert "nothing" not in api.text + web.text and "rm -rf" not in api.text
    source = Path(deck.path).read_text().splitlines()
    # the nested block (inside a list item) maps to its own lines
    assert source[api.deck_line(4) - 1].strip() == "FROM api-base AS api"
    assert web.slide_of == (1, 1)
    assert extract_text(deck, "web") == "FROM busybox:latest AS web\nCOPY --from=api-base /bin/sh /bin/sh\n"


def test_pick_needs_a_name_when_there_are_several() -> None:
    deck = load("multi.md")
    with pytest.raises(SlidekitError, match=r"2 Dockerfiles \(api, web\)"):
        pick(assemble(deck), None, deck.path)
    with pytest.raises(SlidekitError, match="available: api, web"):
        extract_text(deck, "db")


@pytest.mark.parametrize(
    ("fixture", "message", "line"),
    [
        ("nodocker.md", "no Dockerfile code blocks", 1),
        ("optout.md", "all 1 Dockerfile block(s) are marked +no-verify", 3),
        ("badfile.md", "`file=../etc`", 3),
    ],
)
def test_deck_level_errors_name_path_and_line(fixture: str, message: str, line: int) -> None:
    deck = load(fixture)
    with pytest.raises(SlidekitError) as caught:
        assemble(deck)
    assert message in caught.value.message
    assert (caught.value.path, caught.value.line) == (deck.path, line)


def test_bad_verify_value_is_an_error() -> None:
    deck = load_deck("```dockerfile verify=maybe\nFROM a\n```\n", "d.md")
    with pytest.raises(SlidekitError, match="verify=maybe"):
        assemble(deck)


def test_extract_command_stdout_file_and_unknown_name(tmp_path: Path) -> None:
    runner = CliRunner()
    deck = str(FIXTURES / "multi.md")
    result = runner.invoke(cli, ["extract", deck, "--file", "web"], standalone_mode=False)
    assert result.exit_code == 0
    assert result.output == "FROM busybox:latest AS web\nCOPY --from=api-base /bin/sh /bin/sh\n"
    target = tmp_path / "Dockerfile.api"
    runner.invoke(cli, ["extract", deck, "--file", "api", "-o", str(target)], standalone_mode=False)
    assert target.read_text().startswith("FROM busybox:latest AS api-base\n")


def test_extract_unknown_name_exits_2_listing_names(capsys: pytest.CaptureFixture[str]) -> None:
    from slidekit.cli import main

    assert main(["extract", str(FIXTURES / "multi.md"), "--file", "db"]) == 2
    assert "available: api, web" in capsys.readouterr().err
