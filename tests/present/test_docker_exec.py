"""ctrl+e on a Dockerfile slide builds that slide's stage with the verifier, live,
and the footer badge shows the verified status (a real Docker Engine)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from external_tools import require
from tests.present.harness import TMUX, Tmux, on_slide

pytestmark = pytest.mark.docker

DECK = """---
author: Docker Tester
---

# Base stage

```dockerfile
FROM {image} AS base
RUN echo present-test > /marker
```

---

# Broken stage

```dockerfile
FROM base AS broken
RUN exit 7
```
"""


def test_ctrl_e_builds_the_slide_stage_and_badges_follow(tmp_path: Path, docker_client, busybox_image) -> None:  # type: ignore[no-untyped-def]
    require(Path(TMUX).exists(), f"tmux at {TMUX}")
    talk = tmp_path / "talk"
    talk.mkdir()
    deck = talk / "deck.md"
    deck.write_text(DECK.format(image=busybox_image))
    deck_id = hashlib.sha256(str(deck.resolve()).encode()).hexdigest()[:12]
    tmux = Tmux(tmp_path, width=100, height=30)
    tmux.env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    try:
        tmux.start("present", "--allow-exec", str(deck))
        screen = tmux.wait_for(on_slide(1, 2))
        assert "docker:" not in screen  # nothing verified yet: no badge
        tmux.keys("C-e")
        # "cached": every step came from the engine's layer cache (an earlier run): built all the same.
        tmux.wait_for(lambda s: "stage base: built" in s or "stage base: cached" in s, timeout=60)
        tmux.wait_for(lambda s: "docker: built ✓" in s or "docker: cached ✓" in s)  # the badge follows from the verifier's cache
        tmux.keys("j")
        screen = tmux.wait_for(lambda s: "Slide 2 / 2" in s and "docker: not verified" in s)
        assert "stage base" not in screen  # output cleared on slide change
        tmux.keys("C-e")
        screen = tmux.wait_for("stage broken: failed", timeout=60)
        assert "deck.md:18" in screen and "exit 7" in screen
        tmux.wait_for("docker: failed ✗")
    finally:
        tmux.kill()
        for image in docker_client.images.list(name=f"slidekit-verify/{deck_id}"):
            for tag in image.tags:
                docker_client.images.remove(tag, force=True)
