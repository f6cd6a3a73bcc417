"""The user's own slidekit config file: ``$XDG_CONFIG_HOME/slidekit/config.yaml``
(or ``~/.config/slidekit/config.yaml``). Only this file, never a deck, can widen
what a deck may do:

- ``trusted_decks: [~/talks/**]``   decks whose ``~~~cmd`` blocks may run
- ``trusted_commands: [{deck: /abs/talk.md, sha256: …}]``   recorded by the
  presenter's ``always`` answer: that deck, with exactly those command lines
- ``allow_paths: [~/shared-images]``   folders images and build contexts may come from
- ``trust_exec_bit: true``   slides' rule: an executable deck file is trusted (risky)

Reading never fails (a broken file trusts nothing and warns); :func:`record_trust`
rewrites only its own key's lines, atomically, and keeps the rest of the file as written.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from slidekit.errors import SlidekitError
from slidekit.files import write_atomic
from slidekit.limits import too_deep

TRUSTED_COMMANDS = "trusted_commands"


@dataclass(frozen=True)
class UserConfig:
    path: Path
    data: Mapping[str, object] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def flag(self, key: str) -> bool:
        return self.data.get(key) is True

    def paths(self, key: str, home: Path) -> tuple[tuple[Path, ...], tuple[str, ...]]:
        """Absolute (or ``~``) folder entries of ``key``, expanded; relative ones are warned about."""
        raw = self.data.get(key)
        entries = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        kept: list[Path] = []
        warnings: list[str] = []
        for entry in entries:
            text = str(entry).strip() if isinstance(entry, str) else ""
            if text == "~" or text.startswith("~/"):
                kept.append(Path(str(home) + text[1:]))
            elif text and os.path.isabs(text) and "\0" not in text:
                kept.append(Path(text))
            else:
                warnings.append(f"{self.path}: `{key}` entry {entry!r} must be an absolute path or start with ~ "
                                "(ignored)")
        return tuple(kept), tuple(warnings)


def config_path(env: Mapping[str, str], home: Path) -> Path:
    """Where the user's config lives (XDG: a relative XDG_CONFIG_HOME is ignored)."""
    base = env.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else home / ".config"
    return root / "slidekit" / "config.yaml"


def parse(text: str, path: Path) -> UserConfig:
    import yaml  # noqa: PLC0415 - boundary: PyYAML loads only when a config file exists (not on the first frame)

    if too_deep(text, yaml=True) is not None:
        return UserConfig(path, {}, (f"{path}: nested too deeply, ignored",))
    try:
        data = yaml.safe_load(text) if text.strip() else None
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        return UserConfig(path, {}, (f"{path}{line}: invalid YAML, ignored (nothing is trusted or allowed)",))
    if data is None:
        return UserConfig(path)
    if not isinstance(data, dict):
        return UserConfig(path, {}, (f"{path}: expected `key: value` lines, ignored",))
    return UserConfig(path, {str(k): v for k, v in data.items()})


def read(env: Mapping[str, str] | None = None, home: Path | None = None) -> UserConfig:
    """The user's config; a missing file is an empty config."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    path = config_path(env, home)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UserConfig(path)
    except (OSError, UnicodeDecodeError) as exc:
        return UserConfig(path, {}, (f"{path}: cannot read ({exc}), ignored",))
    return parse(text, path)


# --------------------------------------------------------------------------- recorded trust


def commands_digest(commands: Iterable[str]) -> str:
    """The hash recorded for a deck's ``~~~cmd`` command lines (order and repeats do not matter)."""
    joined = "\n".join(sorted(set(commands)))
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def recorded(config: UserConfig, deck: Path, digest: str) -> bool:
    """Did the user answer ``always`` for this deck with exactly these command lines?"""
    entries = config.data.get(TRUSTED_COMMANDS)
    if not isinstance(entries, list):
        return False
    return any(isinstance(e, dict) and e.get("deck") == str(deck) and e.get("sha256") == digest for e in entries)


_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")


def _without_key(lines: list[str], key: str) -> tuple[list[str], int]:
    """``lines`` minus the top-level block of ``key`` (its line and indented/blank lines
    after it); also where that block was (or the end)."""
    start = next((i for i, line in enumerate(lines) if re.match(rf"^['\"]?{re.escape(key)}['\"]?\s*:", line)), None)
    if start is None:
        return lines, len(lines)
    end = start + 1
    while end < len(lines) and not _TOP_KEY.match(lines[end]):
        end += 1
    return lines[:start] + lines[end:], start


def record_trust(deck: Path, digest: str, env: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """Add (or update) ``deck``'s entry under ``trusted_commands`` in the user's config,
    keeping every other line of the file; written atomically. Returns the file."""
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    current = read(env, home)
    if current.warnings:
        raise SlidekitError(f"not recording trust: {current.warnings[0]}")
    path = current.path
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    old = current.data.get(TRUSTED_COMMANDS)
    entries = [e for e in (old if isinstance(old, list) else [])
               if isinstance(e, dict) and e.get("deck") != str(deck)]
    entries.append({"deck": str(deck), "sha256": digest})
    lines, at = _without_key(text.splitlines(), TRUSTED_COMMANDS)
    import yaml  # noqa: PLC0415 - boundary: PyYAML loads only to write the user's answer

    block = yaml.safe_dump({TRUSTED_COMMANDS: entries}, default_flow_style=None, sort_keys=False,
                           allow_unicode=True, width=1000).splitlines()
    new_text = "\n".join(lines[:at] + block + lines[at:]) + "\n"
    check = parse(new_text, path)
    others = {k: v for k, v in current.data.items() if k != TRUSTED_COMMANDS}
    if check.warnings or {k: v for k, v in check.data.items() if k != TRUSTED_COMMANDS} != others:
        raise SlidekitError(f"not recording trust: {path} has a layout slidekit cannot edit safely; add "
                            f"`{TRUSTED_COMMANDS}: [{{deck: {deck}, sha256: {digest}}}]` yourself")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, new_text)
    return path
