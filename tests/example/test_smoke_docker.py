"""run_checks against real containers (tiny busybox images): verdicts, timeouts, clean-up."""

from __future__ import annotations

import io
import uuid

import pytest

from slidekit.deck.load import load_deck
from slidekit.verify import smoke
from slidekit.verify.smoke import LABEL, run_checks

pytestmark = pytest.mark.docker

HTTPD_DOCKERFILE = """\
FROM {base}
RUN mkdir -p /www && echo 'hello from busybox httpd' > /www/index.html
EXPOSE 8080
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
"""

FRONT_MATTER = r"""---
checks:
  box:
    - command: [echo, smoke ok]
      expect_output: ^smoke ok$
    - command: sh -c 'echo oops; exit 3'
    - command: [sh, -c, 'echo 5.4.0']
      expect_output: ^6\.
    - command: [sleep, '30']
      timeout: 1.5
    - http: {port: 8080}
      timeout: 10
  web:
    - http: {port: 8080, path: /index.html, status: 200, expect: hello from busybox}
    - http: {port: 8080, path: /missing, status: 200}
    - http: {port: 8080, expect: goodbye}
  unbuilt:
    exit_code: 0
---

# slide
"""


@pytest.fixture(scope="module")
def httpd_image(docker_client, busybox_image):  # type: ignore[no-untyped-def]
    tag = f"slidekit-test/smoke-httpd:{uuid.uuid4().hex[:8]}"
    dockerfile = HTTPD_DOCKERFILE.format(base=busybox_image).encode()
    image, _ = docker_client.images.build(fileobj=io.BytesIO(dockerfile), tag=tag, rm=True, forcerm=True)
    yield image.id
    docker_client.images.remove(tag, force=True)


def leftovers(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.name for c in client.containers.list(all=True, filters={"label": f"{LABEL}.deck=smoke-deck.md"})]


def test_run_checks_verdicts_and_cleanup(docker_client, busybox_image, httpd_image) -> None:  # type: ignore[no-untyped-def]
    deck = load_deck(FRONT_MATTER, "smoke-deck.md")
    images = {("Dockerfile", "box"): busybox_image, ("Dockerfile", "web"): httpd_image}
    results = run_checks(docker_client, deck, images)

    verdicts = [(r.stage, r.kind, r.passed, r.line) for r in results]
    assert verdicts == [
        ("box", "command", True, 4),
        ("box", "command", False, 6),
        ("box", "command", False, 7),
        ("box", "command", False, 9),
        ("box", "http", False, 11),
        ("web", "http", True, 14),
        ("web", "http", False, 15),
        ("web", "http", False, 16),
        ("unbuilt", "command", False, 17),
    ]
    details = [r.detail for r in results]
    assert details[0] == "echo 'smoke ok': exit 0, output matches /^smoke ok$/"
    assert "exit 3, expected 0" in details[1] and "| oops" in details[1]
    assert "does not match /^6\\./" in details[2] and "| 5.4.0" in details[2]
    assert "still running after 1.5s" in details[3]
    assert results[3].seconds < 15
    assert "exited (0) before answering" in details[4]
    assert details[5] == "GET :8080/index.html: HTTP 200, body matches /hello from busybox/"
    assert "HTTP 404, expected 200" in details[6]
    assert "does not match /goodbye/" in details[7]
    assert "no stage `unbuilt`" in details[8]
    assert all(r.path == "smoke-deck.md" and r.dockerfile == "Dockerfile" for r in results)
    assert leftovers(docker_client) == []


def test_interrupt_during_a_probe_still_removes_the_container(  # type: ignore[no-untyped-def]
    docker_client, httpd_image, monkeypatch
) -> None:
    seen: list[str] = []

    def interrupted(url: str, timeout: float) -> object:
        seen.extend(leftovers(docker_client))
        raise KeyboardInterrupt

    monkeypatch.setattr(smoke, "_get", interrupted)
    deck = load_deck("---\nchecks:\n  web:\n    http: {port: 8080}\n---\n\n# s\n", "smoke-deck.md")
    with pytest.raises(KeyboardInterrupt):
        run_checks(docker_client, deck, {("Dockerfile", "web"): httpd_image})
    assert len(seen) == 1  # the container was running when the interrupt came
    assert leftovers(docker_client) == []
