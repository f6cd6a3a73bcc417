"""The user's own slidekit config file (:mod:`slidekit.userconfig`), as far as
pre-processing trust needs it: ``trusted_decks:`` — deck paths, directories or
globs whose ``~~~cmd`` blocks may run — and the ``trust_exec_bit`` switch. Only this
file (never a deck's front matter) can grant trust.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from slidekit import globs, userconfig
from slidekit.userconfig import UserConfig, config_path

__all__ = ["config_path"]

CONFIG_KEY = "trusted_decks"
_MAGIC = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class TrustConfig:
    """The trust settings of one config file (empty when absent)."""

    path: Path
    trusted_decks: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: ``trust_exec_bit: true``: slides' rule (an executable deck is trusted) is on
    trust_exec_bit: bool = False
    #: the whole file, for the entries the presenter's ``always`` recorded
    user: UserConfig | None = None


def display_path(path: Path, home: Path) -> str:
    """``path`` with the home directory shown as ``~``."""
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)


def parse_config(text: str, path: Path) -> TrustConfig:
    """The trust entries in a config file's text; problems become warnings (fail safe:
    a broken config trusts nothing)."""
    return trust_config(userconfig.parse(text, path))


def trust_config(user: UserConfig) -> TrustConfig:
    path = user.path
    if user.warnings:
        return TrustConfig(path, (), tuple(f"{w} (trusted_decks ignored)" for w in user.warnings))
    exec_bit = user.flag("trust_exec_bit")
    entries = user.data.get(CONFIG_KEY)
    if entries is None:
        return TrustConfig(path, trust_exec_bit=exec_bit, user=user)
    if isinstance(entries, str):
        entries = [entries]
    if not isinstance(entries, list):
        return TrustConfig(path, (), (f"{path}: `{CONFIG_KEY}` must be a list of paths or globs (ignored)",),
                           exec_bit, user)
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
    return TrustConfig(path, tuple(kept), tuple(warnings), exec_bit, user)


def read_config(env: Mapping[str, str] | None = None, home: Path | None = None) -> TrustConfig:
    """Read the user's config file; a missing file trusts nothing."""
    return trust_config(userconfig.read(env, home))


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
