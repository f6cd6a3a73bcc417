"""Find and load a theme: deck folder, then current directory, then built-ins.

A missing or invalid theme never stops a talk: :func:`load_theme` returns a
fallback theme and a warning naming the file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from slidekit.errors import ThemeError
from slidekit.limits import MAX_NESTING, surrogate_in, surrogate_line, theme_name_problem, too_deep
from slidekit.theme.schema import SchemaError, Theme, parse_theme

#: the names `slidekit themes` lists; glamour's four plus the two solarized ones
BUILTIN_NAMES = ("dark", "light", "ascii", "notty", "solarized_dark", "solarized_light")


def builtin_dir() -> Path:
    """Where the shipped themes are: inside the installed wheel, or the repo's themes/."""
    packaged = resources.files("slidekit") / "_themes"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "themes"


def builtin_names() -> list[str]:
    directory = builtin_dir()
    return sorted(p.stem for p in directory.glob("*.json"))


def default_theme_name(env: dict[str, str] | None = None) -> str:
    """slides' default: notty under NO_COLOR, else $GLAMOUR_STYLE, else dark."""
    env = dict(os.environ) if env is None else env
    if env.get("NO_COLOR"):
        return "notty"
    return env.get("GLAMOUR_STYLE") or "dark"


def resolve_theme_path(name: str, deck_dir: Path | None, cwd: Path | None = None) -> Path | None:
    """The file a ``theme:`` value means, or None if no candidate exists.

    Tried in order: relative to the deck's folder, the current directory, the
    built-in themes; each with the name as given and with ``.json`` added.
    """
    cwd = cwd or Path.cwd()
    try:
        given = Path(os.path.expanduser(name))
    except RuntimeError:  # `~nosuchuser/...`
        return None
    if not given.name or "\0" in name or len(name) > 4096:  # `/`, `.`, `..`: folders, never a theme
        return None
    names = [given] if given.suffix == ".json" else [given, given.with_name(given.name + ".json")]
    roots: list[Path | None] = [None] if given.is_absolute() else [deck_dir, cwd, builtin_dir()]
    for root in roots:
        for candidate in names:
            path = candidate if root is None else root / candidate
            try:
                if path.is_file():
                    return path
            except (OSError, ValueError):  # a name too long for the file system
                continue
    return None


@dataclass(frozen=True)
class LoadedTheme:
    theme: Theme
    path: Path | None
    warnings: tuple[str, ...] = ()


def read_theme_file(path: Path) -> tuple[Theme, list[str]]:
    """Parse a theme file; raises ValueError with a readable reason."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read theme: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # a BOM (Windows editors) is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValueError(f"{path}:{line}: theme is not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    deep = too_deep(text)
    if deep is not None:
        raise ValueError(f"{path}:{deep}: invalid theme: nested more than {MAX_NESTING} levels deep") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise ValueError(f"{path}: invalid theme: nested more than {MAX_NESTING} levels deep") from None
    if surrogate_in(data):
        raise ValueError(f"{path}:{surrogate_line(text)}: invalid theme: a lone surrogate escape "
                         "(such as \\udfff) is not a character") from None
    try:
        return parse_theme(data, str(path))
    except SchemaError as exc:
        raise ValueError(f"{path}: invalid theme: {exc}") from None


def load_theme(name: str | None, deck_dir: Path | None = None, cwd: Path | None = None,
               env: dict[str, str] | None = None) -> LoadedTheme:
    """Resolve and load ``name`` (None → the default); fall back with a warning."""
    env = dict(os.environ) if env is None else env
    wanted = name or default_theme_name(env)
    problem = theme_name_problem(wanted)
    if problem is not None:
        source = "GLAMOUR_STYLE" if not name and env.get("GLAMOUR_STYLE") else "theme"
        raise ThemeError(f"{source} `{wanted[:80]}`: {problem}")
    fallback = "notty" if env.get("NO_COLOR") else "dark"
    path = resolve_theme_path(wanted, deck_dir, cwd)
    if path is None:
        return _fallback(fallback, f"theme `{wanted}` not found (looked next to the deck, in the "
                         f"current directory and in the built-in themes); using `{fallback}`")
    try:
        theme, notes = read_theme_file(path)
    except ValueError as exc:
        return _fallback(fallback, f"{exc}; using `{fallback}`")
    return LoadedTheme(theme, path, tuple(f"{path}: {n}" for n in notes))


def _fallback(name: str, warning: str) -> LoadedTheme:
    path = builtin_dir() / f"{name}.json"
    theme, _ = read_theme_file(path)
    return LoadedTheme(theme, path, (warning,))
