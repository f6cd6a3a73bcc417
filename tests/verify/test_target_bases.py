"""``--target STAGE`` looks up only the base images that stage needs (real engine, busybox base)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from slidekit.cli import main
from slidekit.session import open_deck
from slidekit.verify.model import StageStatus
from slidekit.verify.run import verify_deck
from recording_builder import RecordingBuilder

pytestmark = pytest.mark.docker
ABSENT = "registry.invalid/slidekit-test/absent:1"
DECK = f"""# t

---

```dockerfile
FROM slidekit-test/busybox:latest AS ok
RUN echo ok > /ok.txt
```

---

```dockerfile
FROM {ABSENT} AS other
RUN true
```
"""




@pytest.fixture()
def deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docker_client):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "deck" / "deck.md"  # the deck's folder is the build context: the cache lives elsewhere
    path.parent.mkdir()
    path.write_text(DECK)
    yield path
    repo = "slidekit-verify/" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    for image in docker_client.api.images(name=repo):
        for tag in image.get("RepoTags") or ():
            docker_client.api.remove_image(tag)



def _built(status: StageStatus) -> StageStatus:
    """Every step from the engine's layer cache is reported CACHED: built all the same."""
    return StageStatus.BUILT if status is StageStatus.CACHED else status

def test_target_resolves_only_its_own_base_images(docker_client, busybox_image, deck: Path,  # type: ignore[no-untyped-def]
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    builder = RecordingBuilder(docker_client)
    report = verify_deck(open_deck(str(deck), preprocess=False), context=None, image_map={}, builder=builder, hadolint=False,
                         targets={"ok"})
    assert builder.calls == [f"resolve {busybox_image}", "build"]
    assert {s.stage: _built(s.status) for s in report.stages} == {"ok": StageStatus.BUILT, "other": StageStatus.NOT_VERIFIED}
    assert report.exit_code == 0
    # Re-verified from the command line: answered from the cache (the absent image is not looked up).
    assert main(["verify", "--format", "json", "--no-hadolint", "--target", "ok", str(deck)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["from_cache"] is True
    # The whole deck needs the absent image: now it is looked up, and reported missing.
    builder.calls.clear()
    report = verify_deck(open_deck(str(deck), preprocess=False), context=None, image_map={}, builder=builder, hadolint=False)
    assert f"resolve {ABSENT}" in builder.calls
    assert {s.stage: _built(s.status) for s in report.stages} == {"ok": StageStatus.BUILT, "other": StageStatus.BASE_MISSING}
