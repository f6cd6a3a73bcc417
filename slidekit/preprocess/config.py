"""The user's own slidekit config file, as far as pre-processing trust needs it.

``$XDG_CONFIG_HOME/slidekit/config.yaml`` (or ``~/.config/slidekit/config.yaml``)
may list ``trusted_decks:`` — deck paths, directories or globs whose ``~~~cmd``
blocks may run. Only this file (never a deck's front matter) can grant trust.
Other keys are left to the features that own them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from slidekit import globs

CONFIG_KEY = "trusted_decks"
_MAGIC = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class TrustConfig:
    """The ``trusted_decks`` entries of one config file (empty when absent)."""

    path: Path
    trusted_decks: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def config_path(env: Mapping[str, str], home: Path) -> Path:
    """Where the user's config lives (XDG: a relative XDG_CONFIG_HOME is ignored)."""
    base = env.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else home / ".config"
    return root / "slidekit" / "config.yaml"


def display_path(path: Path, home: Path) -> str:
    """``path`` with the home directory shown as ``~``."""
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)


def parse_config(text: str, path: Path) -> TrustConfig:
    """The trust entries in a config file's text; problems become warnings (fail safe:
    a broken config trusts nothing)."""

    try:
        data = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        return TrustConfig(path, (), (f"{path}{line}: invalid YAML, trusted_decks ignored",))
    if data is None:
        return TrustConfig(path)
    if not isinstance(data, dict):
        return TrustConfig(path, (), (f"{path}: expected `key: value` lines, trusted_decks ignored",))
    entries = data.get(CONFIG_KEY)
    if entries is None:
        return TrustConfig(path)
    if isinstance(entries, str):
        entries = [entries]
    if not isinstance(entries, list):
        return TrustConfig(path, (), (f"{path}: `{CONFIG_KEY}` must be a list of paths or globs (ignored)",))
    kept: list[str] = []
    warnings: list[str] = []
    for entry in entries:
        text_entry = str(entry).strip() if isinstance(entry, (str, int, float)) else ""
        if not text_entry:
            warnings.append(f"{path}: `{CONFIG_KEY}` entry {entry!r} is not a path (ignored)")
        elif not (text_entry.startswith("~") or os.path.isabs(text_entry)):
            warnings.append(f"{path}: `{CONFIG_KEY}` entry {text_entry!r} must be absolute or start with ~ (ignored)")
        else:
            kept.append(text_entry)
    return TrustConfig(path, tuple(kept), tuple(warnings))


def read_config(env: Mapping[str, str] | None = None, home: Path | None = None) -> TrustConfig:
    """Read the user's config file; a missing file trusts nothing."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    path = config_path(env, home)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return TrustConfig(path)
    except (OSError, UnicodeDecodeError) as exc:
        return TrustConfig(path, (), (f"{path}: cannot read ({exc}), trusted_decks ignored",))
    return parse_config(text, path)


# --------------------------------------------------------------------------- matching


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A ``trusted_decks`` glob as a regex: ``*`` and ``?`` stay within one path segment,
    ``**`` crosses segments (``~/talks/**`` = everything below ~/talks); see :mod:`slidekit.globs`."""
    return re.compile(globs.glob_regex(pattern, globs.PATHS) + r"\Z")


def split_literal_prefix(pattern: str) -> tuple[str, str]:
    """``/a/b/*.md`` → (``/a/b``, ``*.md``): the directory part before any glob."""
    parts = pattern.split("/")
    for index, part in enumerate(parts):
        if _MAGIC.search(part):
            return "/".join(parts[:index]) or "/", "/".join(parts[index:])
    return pattern, ""


def entry_matches(entry: str, deck: Path, home: Path) -> bool:
    """Does the ``trusted_decks`` entry cover the (resolved) deck path?

    A plain path matches that file, or every deck below it if it is a directory;
    a glob is matched against the resolved path (its literal directory prefix is
    resolved too, so symlinked folders work).
    """
    expanded = str(home) + entry[1:] if entry == "~" or entry.startswith("~/") else os.path.expanduser(entry)
    prefix, rest = split_literal_prefix(expanded)
    base = Path(prefix).resolve()
    if not rest:
        return deck == base or base in deck.parents
    return glob_regex(f"{base.as_posix().rstrip('/')}/{rest}").match(deck.as_posix()) is not None


def matching_entry(config: TrustConfig, deck: Path, home: Path) -> str | None:
    """The first entry of ``config`` that trusts ``deck`` (already resolved)."""
    for entry in config.trusted_decks:
        if entry_matches(entry, deck, home):
            return entry
    return None
