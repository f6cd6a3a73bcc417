"""ctrl+e on a console slide runs its transcript live in the stage image (through a real pty: tmux)
and the footer badge follows (a real Docker Engine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from external_tools import require
from tests.console.helpers import remove_stage_images
from tests.present.harness import TMUX, Tmux, footer, on_slide

pytestmark = pytest.mark.docker

DECK = """---
author: Console Tester
---

# Image

```dockerfile
FROM {image} AS app
RUN echo from-the-image > /marker
```

---

# Session

```console stage=app
$ cat /marker
from-the-image
$ cd /etc && pwd
/etc
```

---

# Stale session

```console stage=app
$ echo real
typed by hand
```
"""


def test_ctrl_e_runs_the_console_block_live_and_badges_follow(tmp_path: Path, docker_client, busybox_image) -> None:  # type: ignore[no-untyped-def]
    require(Path(TMUX).exists(), f"tmux at {TMUX}")
    talk = tmp_path / "talk"
    talk.mkdir()
    deck = talk / "deck.md"
    deck.write_text(DECK.format(image=busybox_image))
    tmux = Tmux(tmp_path, width=100, height=30)
    tmux.env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    try:
        tmux.start("present", "--allow-exec", str(deck))  # trusted on the command line
        tmux.wait_for(on_slide(1, 3))
        tmux.keys("j")
        screen = tmux.wait_for(on_slide(2, 3))
        # nothing checked yet: no verdict (the badge, once the background lookup is done, says "not checked")
        assert "checked ✓" not in footer(screen) and "differs" not in footer(screen)
        tmux.keys("C-e")
        screen = tmux.wait_for("▶ console (stage app): checked ✓", timeout=90)
        assert "from-the-image" in screen.split("▶ console")[1] and "/etc" in screen.split("▶ console")[1]
        tmux.wait_for("console: checked ✓")  # the footer badge, from the outputs just run
        tmux.keys("j")
        tmux.wait_for(on_slide(3, 3))
        tmux.keys("C-e")
        screen = tmux.wait_for("▶ console (stage app): differs ✗", timeout=90)
        assert "-typed by hand" in screen and "+real" in screen
        tmux.wait_for("console: differs ✗")
    finally:
        tmux.kill()
        remove_stage_images(docker_client, deck)
