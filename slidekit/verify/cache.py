"""The verify result cache: an unchanged deck re-verifies without building.

Two keys, both sha256:

* the *content key*: the assembled Dockerfile texts, the content hash of every
  build-context file and the image map — everything that can be known without
  an engine (the presenter's footer badges and the HTML export look results up
  with it, see :mod:`slidekit.verify.status`);
* the *full key*: the content key plus the ids of the base images as the engine
  resolves them. A cached result counts only when the full key matches.

Entries are JSON files named after the content key in
``$XDG_CACHE_HOME/slidekit/verify/`` (default ``~/.cache/slidekit/verify/``).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from slidekit.files import write_atomic
from slidekit.verify.model import AssembledDockerfile, StageResult, StageStatus

FORMAT = 1


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slidekit" / "verify"


def hash_context(root: Path, files: Iterable[str]) -> dict[str, str]:
    """sha256 of every context file (a symlink hashes its target path)."""
    out: dict[str, str] = {}
    for rel in sorted(files):
        path = root / rel
        digest = hashlib.sha256()
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode())
        elif path.is_file():
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            digest.update(b"x" if os.access(path, os.X_OK) else b"-")
        out[rel] = digest.hexdigest()
    return out


def content_key(
    dockerfiles: Sequence[AssembledDockerfile], context_hashes: Mapping[str, str], image_map: Mapping[str, str]
) -> str:
    payload = {
        "format": FORMAT,
        "dockerfiles": [[d.name, d.text] for d in dockerfiles],
        "context": sorted(context_hashes.items()),
        "image_map": sorted(image_map.items()),
    }
    return _sha(payload)


def full_key(content: str, base_ids: Mapping[str, str | None]) -> str:
    return _sha({"content": content, "bases": sorted((k, v or "") for k, v in base_ids.items())})


def _sha(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    content_key: str
    full_key: str
    deck_path: str
    stages: tuple[StageResult, ...]
    created: float = 0.0

    def stage(self, dockerfile: str, stage: str) -> StageResult | None:
        for result in self.stages:
            if result.dockerfile == dockerfile and result.stage == stage:
                return result
        return None


def load(content: str, directory: Path | None = None) -> CacheEntry | None:
    path = (directory or cache_dir()) / f"{content}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        stages = tuple(_stage_from(d) for d in data["stages"])
        return CacheEntry(data["content_key"], data["full_key"], data["deck_path"], stages, data.get("created", 0.0))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing or damaged entry is simply a miss


def store(entry: CacheEntry, directory: Path | None = None) -> None:
    folder = directory or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "content_key": entry.content_key,
            "full_key": entry.full_key,
            "deck_path": entry.deck_path,
            "created": entry.created or time.time(),
            "stages": [_stage_to(s) for s in entry.stages],
        }
        write_atomic(folder / f"{entry.content_key}.json", json.dumps(data, indent=1))
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        pass


def merge(old: CacheEntry | None, new: CacheEntry) -> CacheEntry:
    """``new`` plus the stages of ``old`` it did not cover (same full key only)."""
    if old is None or old.full_key != new.full_key:
        return new
    covered = {(s.dockerfile, s.stage) for s in new.stages}
    kept = tuple(s for s in old.stages if (s.dockerfile, s.stage) not in covered)
    return replace(new, stages=kept + new.stages)


def _stage_to(result: StageResult) -> dict[str, object]:
    data = asdict(result)
    data["status"] = result.status.value
    data["log_tail"] = list(result.log_tail)
    return data


def _stage_from(data: Mapping[str, object]) -> StageResult:
    fields = dict(data)
    fields["status"] = StageStatus(fields["status"])
    fields["log_tail"] = tuple(fields.get("log_tail") or ())  # type: ignore[arg-type]
    known = StageResult.__dataclass_fields__
    return StageResult(**{k: v for k, v in fields.items() if k in known})  # type: ignore[arg-type]
