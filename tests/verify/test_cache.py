"""The result cache: keys, storage location, merging, and per-slide statuses without an engine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slidekit.deck.load import load_deck
from slidekit.verify import cache
from slidekit.verify.model import AssembledDockerfile, StageResult, StageStatus
from slidekit.verify.run import verify_deck
from slidekit.verify.status import slide_statuses

def _sibling(name: str):  # type: ignore[no-untyped-def]
    """The fake builder lives in test_run_plan.py (tests/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"_verify_{name}", Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_plan = _sibling("test_run_plan")
DECK, FakeBuilder = _plan.DECK, _plan.FakeBuilder


def _df(text: str) -> AssembledDockerfile:
    return AssembledDockerfile("Dockerfile", text, (1,), (0,), "deck.md")


def test_content_key_tracks_dockerfile_context_and_image_map(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    hashes = cache.hash_context(tmp_path, ["a.txt"])
    key = cache.content_key([_df("FROM x\n")], hashes, {})
    assert key == cache.content_key([_df("FROM x\n")], cache.hash_context(tmp_path, ["a.txt"]), {})
    assert key != cache.content_key([_df("FROM y\n")], hashes, {})
    assert key != cache.content_key([_df("FROM x\n")], hashes, {"x": "y"})
    (tmp_path / "a.txt").write_text("two")
    assert key != cache.content_key([_df("FROM x\n")], cache.hash_context(tmp_path, ["a.txt"]), {})
    entry = cache.CacheEntry(key, {"x": "sha256:1", "y": ""}, "deck.md", ())
    assert entry.bases_match({"x": "sha256:1"}) and entry.bases_match({})
    assert not entry.bases_match({"x": "sha256:2"}) and not entry.bases_match({"x": None})
    assert not entry.bases_match({"y": None}) and not entry.bases_match({"z": "sha256:1"})


def test_store_load_under_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    result = StageResult("Dockerfile", "app", StageStatus.FAILED, 12, "deck.md", 1.5, None, "boom", ("a", "b"), 3)
    cache.store(cache.CacheEntry("c" * 64, {"img:1": "sha256:1"}, "deck.md", (result,)))
    assert (tmp_path / "xdg" / "slidekit" / "verify" / f"{'c' * 64}.json").is_file()
    loaded = cache.load("c" * 64)
    assert loaded is not None and loaded.stages == (result,) and loaded.bases == {"img:1": "sha256:1"}
    assert cache.load("d" * 64) is None


def test_merge_keeps_other_stages_only_while_common_base_ids_agree() -> None:
    built = StageResult("D", "a", StageStatus.BUILT, 1, "p")
    other = StageResult("D", "b", StageStatus.BUILT, 5, "p")
    failed = StageResult("D", "a", StageStatus.FAILED, 2, "p")
    old = cache.CacheEntry("c", {"x": "1", "y": "2"}, "p", (built, other))
    same = cache.merge(old, cache.CacheEntry("c", {"x": "1"}, "p", (failed,)))
    assert same.stages == (other, failed) and same.bases == {"x": "1", "y": "2"}
    # A target needing only another image keeps the old stages and adds its base.
    assert cache.merge(old, cache.CacheEntry("c", {"z": "3"}, "p", (failed,))).bases == {"x": "1", "y": "2", "z": "3"}
    assert cache.merge(old, cache.CacheEntry("c", {"x": "9"}, "p", (failed,))).stages == (failed,)


def test_slide_statuses_from_cache_without_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    path = tmp_path / "deck" / "deck.md"
    path.parent.mkdir()
    path.write_text(DECK)
    deck = load_deck(DECK, str(path))
    assert slide_statuses(deck) is None
    verify_deck(deck, context=None, image_map={}, builder=FakeBuilder({"base/img:1", "other/img:2"}), hadolint=False)
    assert slide_statuses(deck) == {1: StageStatus.BUILT, 2: StageStatus.FAILED, 3: StageStatus.BUILT}
    (path.parent / "new.txt").write_text("context changed")
    assert slide_statuses(deck) is None


def test_hash_index_rehashes_only_changed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_SECONDS", -1.0)  # the files were just written: index them anyway
    hashed: list[str] = []
    real = cache._hash_file
    monkeypatch.setattr(cache, "_hash_file", lambda path, mode: hashed.append(Path(path).name) or real(path, mode))
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "a.txt").write_text("aaaa")
    (ctx / "b.sh").write_text("echo")
    first = cache.hash_context(ctx, ["a.txt", "b.sh"])
    assert sorted(hashed) == ["a.txt", "b.sh"]
    hashed.clear()
    assert cache.hash_context(ctx, ["a.txt", "b.sh"]) == first and hashed == []
    # Same size, mtime put back: the inode's ctime still tells the index the file changed.
    before = (ctx / "a.txt").stat()
    (ctx / "a.txt").write_text("bbbb")
    os.utime(ctx / "a.txt", ns=(before.st_atime_ns, before.st_mtime_ns))
    (ctx / "b.sh").chmod(0o755)
    second = cache.hash_context(ctx, ["a.txt", "b.sh"])
    assert sorted(hashed) == ["a.txt", "b.sh"]
    assert second["a.txt"] != first["a.txt"] and second["b.sh"] != first["b.sh"]
    # Without the index (or with it) the digests are the same: the index is only a shortcut.
    assert cache.hash_context(ctx, ["a.txt", "b.sh"], use_index=False) == second


def test_hash_context_survives_unreadable_and_odd_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to("elsewhere")
    monkeypatch.setattr(cache, "_hash_file", lambda path, mode: None)  # as if open() were refused
    (tmp_path / "secret").write_text("x")
    hashes = cache.hash_context(tmp_path, ["empty", "link", "secret", "gone"])
    assert len(set(hashes.values())) == 4


def test_editing_a_context_file_invalidates_the_statuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    monkeypatch.setattr(cache, "RACY_SECONDS", -1.0)
    path = tmp_path / "deck" / "deck.md"
    path.parent.mkdir()
    path.write_text(DECK)
    (path.parent / "data.txt").write_text("version 1")
    deck = load_deck(DECK, str(path))
    verify_deck(deck, context=None, image_map={}, builder=FakeBuilder({"base/img:1", "other/img:2"}), hadolint=False)
    expected = {1: StageStatus.BUILT, 2: StageStatus.FAILED, 3: StageStatus.BUILT}
    assert slide_statuses(deck) == expected and slide_statuses(deck) == expected  # the second from the index
    (path.parent / "data.txt").write_text("version 2")  # same size
    assert slide_statuses(deck) is None
    (path.parent / "data.txt").write_text("version 1")
    assert slide_statuses(deck) == expected


def test_statuses_give_up_on_huge_contexts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import slidekit.verify.status as status

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "deck" / "deck.md"
    path.parent.mkdir()
    path.write_text(DECK)
    deck = load_deck(DECK, str(path))
    verify_deck(deck, context=None, image_map={}, builder=FakeBuilder({"base/img:1", "other/img:2"}), hadolint=False)
    assert slide_statuses(deck) is not None  # the context holds deck.md: one file
    monkeypatch.setattr(status, "MAX_CONTEXT_FILES", 0)
    assert slide_statuses(deck) is None
