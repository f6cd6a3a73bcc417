from __future__ import annotations

import os
from pathlib import Path

import pytest

from slidekit.verify.context import is_excluded, list_context, parse_dockerignore


def make_tree(root: Path, files: list[str], ignore: str | None = None) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    if ignore is not None:
        (root / ".dockerignore").write_text(ignore)


@pytest.mark.parametrize(
    ("pattern", "path", "excluded"),
    [
        ("*.md", "README.md", True),
        ("*.md", "docs/README.md", False),  # * does not cross /
        ("**/*.md", "docs/deep/README.md", True),
        ("**/*.md", "README.md", True),  # ** matches zero directories
        ("docs", "docs/a/b.txt", True),  # a parent directory match excludes its contents
        ("/build", "build/x", True),  # leading / is the context root
        ("./tmp/../cache", "cache/x", True),  # patterns are cleaned
        ("file?.txt", "file1.txt", True),
        ("file?.txt", "file10.txt", False),
        ("[a-c].txt", "b.txt", True),
        ("[^a-c].txt", "b.txt", False),
        ("[!a-c].txt", "b.txt", True),  # Go regexp classes: `!` is a literal, unlike .gitignore
        ("dir/**", "dir/x/y", True),
        ("dir/**", "dirx/y", False),
        ("# comment", "# comment", False),
    ],
)
def test_pattern_semantics(pattern: str, path: str, excluded: bool) -> None:
    assert is_excluded(path, parse_dockerignore(pattern + "\n")) is excluded


def test_exceptions_last_match_wins() -> None:
    patterns = parse_dockerignore("*.md\n!README*.md\nREADME-secret.md\n")
    assert is_excluded("CHANGES.md", patterns)
    assert not is_excluded("README.md", patterns)
    assert is_excluded("README-secret.md", patterns)


def test_list_context_walks_and_honours_dockerignore(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        ["app/main.py", "app/test_main.py", "node_modules/x/index.js", "docs/keep.md", "docs/other.md", "requirements.txt"],
        "node_modules\n**/test_*.py\ndocs\n!docs/keep.md\n",
    )
    (tmp_path / "empty").mkdir()
    assert list_context(tmp_path) == {"app/main.py", "docs/keep.md", "requirements.txt", ".dockerignore", "empty"}


def test_list_context_without_dockerignore_and_symlinks(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a/b.txt"])
    os.symlink(tmp_path / "a", tmp_path / "link")
    assert list_context(tmp_path) == {"a/b.txt", "link"}
