"""The one glob translator and its two dialects (trusted_decks paths vs .dockerignore)."""

from __future__ import annotations

import re

import pytest

from slidekit.globs import DOCKERIGNORE, PATHS, GlobDialect, glob_regex


def matches(pattern: str, path: str, dialect: GlobDialect) -> bool:
    return re.fullmatch(glob_regex(pattern, dialect), path) is not None


@pytest.mark.parametrize("dialect", [PATHS, DOCKERIGNORE])
@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("*.md", "talk.md", True),
    ("*.md", "docs/talk.md", False),  # * never crosses /
    ("deck-?.md", "deck-1.md", True),
    ("deck-?.md", "deck-/.md", False),
    ("a/**/b", "a/b", True),  # **/ matches no directory too
    ("a/**/b", "a/x/y/b", True),
    ("a/**", "a/x/y/z", True),
    ("deck-[0-9].md", "deck-7.md", True),
    ("deck-[^0-9].md", "deck-7.md", False),
    ("a.b", "axb", False),  # everything else is literal
])
def test_what_both_dialects_agree_on(dialect: GlobDialect, pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, path, dialect) is expected


@pytest.mark.parametrize(("pattern", "path", "paths", "dockerignore"), [
    ("deck-[!0-9].md", "deck-7.md", False, True),  # shell negation vs a literal ! in Go's class
    ("deck-[!0-9].md", "deck-x.md", True, False),
    ("a\\*b", "a*b", False, True),  # Go's escape vs a literal backslash
    ("a\\*b", "a\\xb", True, False),
    ("talks/**.md", "talks/x/deck.md", True, False),  # ** inside a name: any path vs whole directories
    ("[]x]", "]", True, False),  # fnmatch: a ] right after [ is in the class
])
def test_the_deliberate_differences(pattern: str, path: str, paths: bool, dockerignore: bool) -> None:
    assert matches(pattern, path, PATHS) is paths
    assert matches(pattern, path, DOCKERIGNORE) is dockerignore
