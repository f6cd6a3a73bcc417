"""A warm re-verify answers from caches without loading the build, rule or SDK machinery (real engine)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slidekit.verify import cache
from slidekit.verify.engine import local_image_ids
from slidekit.verify.model import AssembledDockerfile
from slidekit.verify.run import static_findings

pytestmark = pytest.mark.docker
DECK = "# t\n\n---\n\n```dockerfile\nFROM slidekit-test/busybox:latest as base\nCOPY data.txt /data.txt\n```\n"
HEAVY = ("slidekit.verify.static", "slidekit.verify.build", "slidekit.verify.smoke", "docker", "http.client",
         "tarfile", "xml.etree.ElementTree", "rich")
PROBE = (
    "import json, sys\nfrom slidekit.cli import main\n"
    "code = main(['verify', '--format', 'json', sys.argv[1]])\n"
    f"print(json.dumps({{'code': code, 'loaded': [m for m in {HEAVY!r} if m in sys.modules]}}), file=sys.stderr)\n"
)


def test_local_image_ids_over_the_socket(docker_client, busybox_image) -> None:  # type: ignore[no-untyped-def]
    ids = local_image_ids([busybox_image, "registry.invalid/slidekit-test/absent:1"])
    assert ids == {busybox_image: docker_client.images.get(busybox_image).id,
                   "registry.invalid/slidekit-test/absent:1": None}


def test_warm_verify_skips_the_heavy_modules(docker_client, busybox_image, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "data.txt").write_text("x\n")
    deck = folder / "deck.md"
    deck.write_text(DECK)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("GITHUB_ACTIONS", None)

    def verify() -> tuple[dict, dict]:  # type: ignore[type-arg]
        proc = subprocess.run([sys.executable, "-c", PROBE, str(deck)], env=env, capture_output=True, text=True)
        return json.loads(proc.stdout), json.loads(proc.stderr.strip().splitlines()[-1])

    try:
        report, probe = verify()
        assert probe["code"] == 0 and report["from_cache"] is False and "slidekit.verify.static" in probe["loaded"]
        report, probe = verify()
        assert probe == {"code": 0, "loaded": []} and report["from_cache"] is True
        # The cached static findings are the deck's (FromAsCasing at the FROM line).
        assert [(f["rule"], f["line"]) for f in report["findings"] if f["source"] == "slidekit"] == [("FromAsCasing", 6)]
        # A context file added changes the key: rebuilt, and the rules run again.
        (folder / "more.txt").write_text("y\n")
        report, probe = verify()
        assert report["from_cache"] is False and "slidekit.verify.static" in probe["loaded"]
    finally:
        repo = "slidekit-verify/" + hashlib.sha256(str(deck.resolve()).encode()).hexdigest()[:12]
        for image in docker_client.api.images(name=repo):
            for tag in image.get("RepoTags") or ():
                docker_client.api.remove_image(tag)


def test_static_findings_cache_follows_text_and_context_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    df = AssembledDockerfile("Dockerfile", "FROM scratch\nCOPY a.txt /a\n", (5, 6), (0, 0), "deck.md")
    missing = static_findings((df,), frozenset(), hadolint=False)
    assert [f.rule for f in missing] == ["CopySourceMissing"] and missing[0].line == 6
    assert static_findings((df,), frozenset(), hadolint=False) == missing  # from the cache
    assert static_findings((df,), frozenset({"a.txt"}), hadolint=False) == ()
    moved = AssembledDockerfile("Dockerfile", df.text, (8, 9), (1, 1), "deck.md")
    assert static_findings((moved,), frozenset(), hadolint=False)[0].line == 9
    assert cache.findings_key((df,), (), None) != cache.findings_key((df,), (), "hadolint-identity")
