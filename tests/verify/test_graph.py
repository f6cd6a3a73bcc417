from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from slidekit.cli import cli
from slidekit.deck.load import load_deck
from slidekit.verify.assemble import assemble
from slidekit.verify.graph import Edge, stage_graph, to_graph_easy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "verify"
EXAMPLE = Path(__file__).resolve().parents[2] / "slides" / "docker-multistage.md"


def graph_of(text: str):  # type: ignore[no-untyped-def]
    (dockerfile,) = assemble(load_deck(f"```dockerfile\n{text}```\n", "g.md"))
    return stage_graph(dockerfile)


def render(source: str, graph_easy: str) -> str:
    proc = subprocess.run([graph_easy, "--as=boxart"], input=source, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_example_deck_graph_edges() -> None:
    (dockerfile,) = assemble(load_deck(EXAMPLE.read_text(), str(EXAMPLE)))
    graph = stage_graph(dockerfile)
    assert graph.stages == ("base", "builder", "backend-common", "backend", "chime-event-listener", "celery-worker", "celery-beat")
    assert graph.externals == ("python:3.9.10",)
    assert Edge("base", "builder", "from") in graph.edges
    assert Edge("builder", "backend-common", "copy") in graph.edges
    assert Edge("celery-worker", "celery-beat", "from") in graph.edges
    # two COPY --from=builder in one stage make one edge
    assert sum(e == Edge("builder", "backend", "copy") for e in graph.edges) == 1
    assert Edge("builder", "chime-event-listener", "copy") not in graph.edges


def test_args_indexes_and_external_copy_sources() -> None:
    graph = graph_of("ARG BASE=alpine:3\nFROM ${BASE}\nFROM stage0 AS x\nCOPY --from=0 /a /b\nCOPY --from=nginx:1 /c /d\n"
                     "RUN --mount=type=bind,from=x,target=/m true\n")
    assert graph.stages == ("stage 0", "x")
    assert graph.externals == ("alpine:3", "stage0", "nginx:1")
    assert Edge("stage 0", "x", "copy") in graph.edges and Edge("nginx:1", "x", "copy") in graph.edges
    assert Edge("x", "x", "copy") in graph.edges  # a mount from itself shows as a loop


def test_graph_easy_syntax() -> None:
    text = to_graph_easy((graph_of("FROM a:1 AS b\nFROM b AS c\nCOPY --from=b /x /y\n"),))
    assert text.splitlines() == [
        "graph { flow: east; }",
        "node.external { border: dashed; }",
        "[ a:1 ] { class: external; }",
        "[ a:1 ] --> [ b ]",
        "[ b ] --> [ c ]",
        "[ b ] ..> [ c ]",
    ]


def test_real_graph_easy_accepts_the_example_and_multi_file_graphs(graph_easy: str) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["graph", str(EXAMPLE)], standalone_mode=False)
    assert result.exit_code == 0
    drawing = render(result.output, graph_easy)
    for name in ("python:3.9.10", "backend-common", "celery-beat"):
        assert name in drawing
    assert "··>" in drawing and "──>" in drawing  # dotted COPY --from, solid FROM
    multi = runner.invoke(cli, ["graph", str(FIXTURES / "multi.md")], standalone_mode=False).output
    drawing = render(multi, graph_easy)
    assert "api-base" in drawing and " web " in drawing and "api/" not in drawing
    only_web = runner.invoke(cli, ["graph", str(FIXTURES / "multi.md"), "--file", "web"], standalone_mode=False).output
    assert "api/" not in only_web and "[ web ]" in only_web
    render(only_web, graph_easy)


def test_node_names_with_graph_easy_syntax_characters_are_escaped(graph_easy: str) -> None:
    text = to_graph_easy((graph_of("FROM registry:5000/a|b AS x\n"),))
    assert "registry:5000/a\\|b" in text
    assert "a|b" in render(text, graph_easy)
