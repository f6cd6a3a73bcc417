"""The HTML export badges each console block (checked ✓ / differs ✗ / not checked) and shows expected
and actual output on a ✗ (a real Docker Engine)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from slidekit.cli import main
from tests.console.helpers import remove_stage_images

pytestmark = pytest.mark.docker

DECK = """# Image

```dockerfile
FROM {image} AS app
RUN echo v1 > /version
```

---

# Checked

```console stage=app
$ cat /version
v1
```

---

# Stale

```console stage=app
$ cat /version
v0
```

```console
$ not checked
```
"""


def _badges(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<div class="sk-console-badge[^"]*"[^>]*>([^<]*)</div>', page)]


def test_export_verify_badges_console_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], docker_client, busybox_image) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "talk").mkdir()
    deck = tmp_path / "talk" / "deck.md"  # the page is written outside the build context
    deck.write_text(DECK.format(image=busybox_image))
    out = tmp_path / "deck.html"
    try:
        assert main(["export", str(deck), "-o", str(out)]) == 0
        assert _badges(out.read_text()) == []  # nothing verified yet: no console badges
        assert main(["export", "--verify", str(deck), "-o", str(out)]) == 0
        assert "console: 1 checked, 1 differs, 1 not checked" in capsys.readouterr().out
        page = out.read_text()
        assert _badges(page) == ["checked ✓", "differs ✗", "not checked"]
        diff = page.split('class="sk-console-diff"')[1]
        assert re.search(r'<pre class="sk-expected">\$ cat /version\nv0</pre>', diff)
        assert re.search(r'<pre class="sk-actual">\$ cat /version\nv1</pre>', diff)
        # from the cached outputs, without --verify
        assert main(["export", str(deck), "-o", str(out)]) == 0
        assert _badges(out.read_text()) == ["checked ✓", "differs ✗", "not checked"]
    finally:
        remove_stage_images(docker_client, deck)
