"""The verify result cache: an unchanged deck re-verifies without building.

An entry is keyed by the *content key* (sha256): the assembled Dockerfile
texts, the content hash of every build-context file and the image map —
everything that can be known without an engine (the presenter's footer badges
and the HTML export look results up with it, see :mod:`slidekit.verify.status`).
The entry also records the id of every base image as the engine resolved it
for the build (``bases``); a cached stage counts only while the base images its
stages need still resolve to the same ids, so ``--target`` looks up only the
images the target needs.

Entries are JSON files named after the content key in
``$XDG_CACHE_HOME/slidekit/verify/`` (default ``~/.cache/slidekit/verify/``).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from slidekit.files import write_atomic
from slidekit.verify.model import AssembledDockerfile, Finding, Severity, StageResult, StageStatus, StepTiming

FORMAT = 2


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slidekit" / "verify"


#: Files changed this recently (inode ctime) are not indexed, so hashed again next time: a
#: write within the file system's timestamp granularity would not change the stat
#: (git's "racily clean" entries).
RACY_SECONDS = 2.0


def hash_context(root: Path, files: Iterable[str], *, use_index: bool = True) -> dict[str, str]:
    """sha256 of every context file: its bytes and permission bits (a symlink hashes
    its target path, an empty directory its name).

    File contents are hashed once per (size, mtime_ns, ctime_ns, inode, mode): the
    digests are kept in a per-context stat index under ``cache_dir()/hashes`` and
    reused while a file's stat is unchanged, so looking up an unchanged deck (the
    presenter's badges, a warm verify) costs a ``stat`` per file, not a read. An
    unreadable file gets a digest of its stat (the build will report it).
    """
    index_path = _index_path(root) if use_index else None
    index = _load_index(index_path)
    fresh: dict[str, list[object]] = {}
    out: dict[str, str] = {}
    now = time.time()
    base = str(root)
    for rel in sorted(files):
        path = os.path.join(base, rel)
        try:
            st = os.lstat(path)
        except OSError:
            out[rel] = _sha_text("missing:")
            continue
        if stat.S_ISLNK(st.st_mode):
            out[rel] = _sha_text("link:" + os.readlink(path))
            continue
        if not stat.S_ISREG(st.st_mode):
            out[rel] = _sha_text(f"other:{stat.S_IFMT(st.st_mode)}")
            continue
        sig = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode]
        known = index.get(rel)
        if known is not None and known[:-1] == sig:
            out[rel] = str(known[-1])
            fresh[rel] = known
            continue
        digest = _hash_file(path, st.st_mode)
        if digest is None:
            out[rel] = _sha_text(f"unreadable:{sig}")
            continue
        out[rel] = digest
        if now - st.st_ctime_ns / 1e9 > RACY_SECONDS:  # every write sets ctime (utime cannot set it)
            fresh[rel] = [*sig, digest]
    if index_path is not None and fresh != index:
        _store_index(index_path, root, fresh)
    return out


def _hash_file(path: str, mode: int) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    digest.update(f"mode:{stat.S_IMODE(mode):o}".encode())
    return digest.hexdigest()


def _sha_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _index_path(root: Path) -> Path:
    return cache_dir() / "hashes" / f"{_sha_text(str(root))[:32]}.json"


def _load_index(path: Path | None) -> dict[str, list[object]]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data["files"] if data.get("format") == FORMAT and isinstance(data.get("files"), dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _store_index(path: Path, root: Path, files: Mapping[str, list[object]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"format": FORMAT, "root": str(root), "files": files}, separators=(",", ":")))
    except Exception:  # noqa: BLE001 - an index that cannot be written only costs time
        pass


def content_key(
    dockerfiles: Sequence[AssembledDockerfile], context_hashes: Mapping[str, str], image_map: Mapping[str, str]
) -> str:
    payload = {
        "format": FORMAT,
        # the deck is part of the key: two decks with the same Dockerfile have different line numbers
        "decks": sorted({d.deck_path if d.deck_path == "-" else os.path.realpath(d.deck_path) for d in dockerfiles}),
        "dockerfiles": [[d.name, d.text] for d in dockerfiles],
        "context": sorted(context_hashes.items()),
        "image_map": sorted(image_map.items()),
    }
    return _sha(payload)


def _sha(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    content_key: str
    bases: Mapping[str, str]  # base image reference → id it resolved to ("" when missing)
    deck_path: str
    stages: tuple[StageResult, ...]
    created: float = 0.0
    engine: str = ""  # the engine's URL (EngineSpec.base_url): results count only on that engine ("": unknown)

    def bases_match(self, resolved: Mapping[str, str | None]) -> bool:
        """Whether every image in ``resolved`` is present and has the id it had for the build."""
        return all(image_id and self.bases.get(ref) == image_id for ref, image_id in resolved.items())

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
        bases = {str(k): str(v) for k, v in data["bases"].items()}
        return CacheEntry(data["content_key"], bases, data["deck_path"], stages, data.get("created", 0.0),
                          str(data.get("engine", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing or damaged entry is simply a miss


def store(entry: CacheEntry, directory: Path | None = None) -> None:
    folder = directory or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "content_key": entry.content_key,
            "bases": dict(sorted(entry.bases.items())),
            "deck_path": entry.deck_path,
            "created": entry.created or time.time(),
            "engine": entry.engine,
            "stages": [_stage_to(s) for s in entry.stages],
        }
        write_atomic(folder / f"{entry.content_key}.json", json.dumps(data, indent=1))
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        pass


def merge(old: CacheEntry | None, new: CacheEntry) -> CacheEntry:
    """``new`` plus the stages of ``old`` it did not cover, when both come from the same
    engine and no base image both resolved differs between them (otherwise ``old``'s
    stages may be stale: dropped)."""
    if (old is None or old.engine not in ("", new.engine)
            or any(old.bases.get(ref, image_id) != image_id for ref, image_id in new.bases.items())):
        return new
    covered = {(s.dockerfile, s.stage) for s in new.stages}
    kept = tuple(s for s in old.stages if (s.dockerfile, s.stage) not in covered)
    return replace(new, bases={**old.bases, **new.bases}, stages=kept + new.stages)


# --------------------------------------------------------------------------- static findings by content

#: The modules whose code decides the static findings: a change to them is a new key.
_RULE_MODULES = ("static.py", "lint.py", "shell_lex.py", "image_env.py", "dockerfile.py", "context.py", "hadolint.py", "model.py", "cache.py")


def findings_key(dockerfiles: Sequence[AssembledDockerfile], files: Iterable[str], hadolint: str | None,
                 ignore: Iterable[str] = ()) -> str:
    """Key of the static findings: Dockerfile texts and line maps, the context's file
    names (CopySourceMissing), its .dockerignore patterns (CopyIgnoredFile), hadolint's
    identity (None: not used) and slidekit's rule code."""
    here = Path(__file__).parent
    code = []
    for name in _RULE_MODULES:
        try:
            st = os.stat(here / name)
            code.append([name, st.st_size, st.st_mtime_ns])
        except OSError:
            code.append([name])
    return _sha({
        "format": FORMAT,
        "code": code,
        "dockerfiles": [[d.name, d.text, list(d.line_map), list(d.slide_of), d.deck_path] for d in dockerfiles],
        "files": sorted(files),
        "hadolint": hadolint,
        "ignore": list(ignore),
    })


def load_findings(key: str) -> tuple[Finding, ...] | None:
    try:
        data = json.loads((cache_dir() / "static" / f"{key}.json").read_text(encoding="utf-8"))
        return tuple(Finding(**{**item, "severity": Severity(item["severity"])}) for item in data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_findings(key: str, findings: Sequence[Finding]) -> None:
    folder = cache_dir() / "static"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{key}.json", json.dumps([{**asdict(f), "severity": f.severity.value} for f in findings]))
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        pass


def _stage_to(result: StageResult) -> dict[str, object]:
    data = asdict(result)
    data["status"] = result.status.value
    data["log_tail"] = list(result.log_tail)
    data["steps"] = [asdict(step) for step in result.steps]
    return data


def _stage_from(data: Mapping[str, object]) -> StageResult:
    fields = dict(data)
    fields["status"] = StageStatus(fields["status"])
    fields["log_tail"] = tuple(fields.get("log_tail") or ())  # type: ignore[arg-type]  # a JSON list
    steps = fields.get("steps") or ()
    fields["steps"] = tuple(StepTiming(**step) for step in steps)  # type: ignore[attr-defined]  # our own JSON: a list of dicts
    known = StageResult.__dataclass_fields__
    return StageResult(**{k: v for k, v in fields.items() if k in known})  # type: ignore[arg-type]  # our own JSON
