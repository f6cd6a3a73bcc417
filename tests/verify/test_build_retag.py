"""Re-verifying an edited deck moves the stage tags and removes the superseded images (real engine)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import docker.errors
import pytest

from slidekit.cli import main

pytestmark = pytest.mark.docker


def _deck(marker: str, version: int) -> str:
    return f"""# t

---

```dockerfile
FROM slidekit-test/busybox:latest AS base
LABEL slidekit.test.retag={marker}
RUN echo base {version} > /base.txt
```

---

```dockerfile
FROM base AS app
RUN cat /base.txt > /app.txt && echo app {version} >> /app.txt
```
"""


def _label(client, image_id: str) -> str | None:  # type: ignore[no-untyped-def]
    try:
        return (client.images.get(image_id).labels or {}).get("slidekit.test.retag")
    except docker.errors.ImageNotFound:
        return None


def test_superseded_stage_images_are_removed(docker_client, busybox_image, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = uuid.uuid4().hex[:12]
    path = tmp_path / "deck" / "deck.md"
    path.parent.mkdir()
    repo = "slidekit-verify/" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    mine = {"label": f"slidekit.test.retag={marker}"}

    def dangling() -> set[str]:
        return {image.id for image in docker_client.images.list(filters={"dangling": True})}

    def stage_images() -> dict[str, str]:
        return {tag.rpartition(":")[2]: image["Id"] for image in docker_client.api.images(name=repo)
                for tag in image.get("RepoTags") or ()}

    try:
        path.write_text(_deck(marker, 1))
        assert main(["verify", "--no-hadolint", str(path)]) == 0
        first = stage_images()
        assert set(first) == {"Dockerfile.base", "Dockerfile.app"}
        before = dangling()
        path.write_text(_deck(marker, 2))  # both stages change
        assert main(["verify", "--no-hadolint", str(path)]) == 0
        second = stage_images()
        assert set(second) == set(first) and not set(second.values()) & set(first.values())
        # No new dangling image of this deck (others may build concurrently) and the superseded ones are gone.
        new = dangling() - before
        assert {i for i in new if _label(docker_client, i) == marker} == set()
        assert docker_client.images.list(filters={**mine, "dangling": True}) == []
        for image_id in first.values():
            with pytest.raises(docker.errors.ImageNotFound):
                docker_client.images.get(image_id)
    finally:
        capsys.readouterr()
        for tag in [f"{repo}:{name}" for name in stage_images()]:
            docker_client.api.remove_image(tag)
