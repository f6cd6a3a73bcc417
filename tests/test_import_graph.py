"""The package's import graph, read from the source with ast, flows one way and has no cycles.

    cli -> commands -> present, export -> session -> render / preprocess / verify -> deck, highlight
        -> theme / source / errors / files / output / globs / sanitize / limits / timed_regex / userconfig / confine

Every import counts, also those under ``if TYPE_CHECKING`` and inside functions: a type-only or deferred
dependency is still an arrow a reader has to follow.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "slidekit"

#: each top-level unit of the package (a subpackage or a module) → its layer; an import may only go to a lower
#: layer, or sideways within a layer as long as that makes no cycle
LAYERS: dict[str, int] = {
    "__main__": 7, "cli": 7,
    "commands": 6,
    "present": 5, "export": 5,
    "session": 4,
    "render": 3, "preprocess": 3, "verify": 3,
    "deck": 2, "highlight": 2,
    "theme": 1, "source": 1, "errors": 1, "files": 1, "output": 1, "globs": 1, "__init__": 1,
    "diagram": 1,  # Graph::Easy: text in, text out; imports nothing from slidekit
    # the security helpers every layer may use: the terminal sanitizer, input limits, timed regexes,
    # the user's config and file confinement
    "sanitize": 1, "limits": 1, "timed_regex": 1, "userconfig": 1, "confine": 1,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(path: Path, module: str) -> set[str]:
    """Every slidekit module ``path`` imports (``from slidekit import x`` counts as slidekit.x if it is one)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}"))
    return {name for name in found if name == "slidekit" or name.startswith("slidekit.")}


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def unit_graph() -> dict[str, dict[str, set[str]]]:
    """unit → imported unit → the modules whose imports make that arrow."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        for target in imported_modules(path, module):
            if unit(target) != unit(module):
                graph[unit(module)][unit(target)].add(module)
    return graph


def test_every_unit_has_a_layer() -> None:
    units = {unit(module_name(path)) for path in PACKAGE.rglob("*.py")}
    assert units <= set(LAYERS), f"give these a layer in LAYERS: {sorted(units - set(LAYERS))}"


def test_no_upward_arrow() -> None:
    upward = sorted(
        f"{source} -> {target} (in {', '.join(sorted(modules))})"
        for source, targets in unit_graph().items()
        for target, modules in targets.items()
        if LAYERS[target] > LAYERS[source]
    )
    assert upward == []


def test_no_cycle_between_units() -> None:
    graph = {source: set(targets) for source, targets in unit_graph().items()}
    assert _cycles(graph) == []


def test_no_cycle_between_modules() -> None:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = module_name(path)
        # a package's own __init__ importing its submodules (re-exports) is not a cycle a reader follows
        graph[module] = {t for t in imported_modules(path, module) if t != module and not module.startswith(t + ".")}
    assert _cycles(graph) == []


def test_the_checker_sees_arrows_and_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    arrows = unit_graph()
    assert "session" in arrows["present"] and "deck" in arrows["session"]  # the real graph is read
    assert "commands" not in arrows["present"]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of nodes (as a path that returns to its start), sorted."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return sorted(found)
