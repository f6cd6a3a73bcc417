"""The example deck: slidekit only adds front matter; the slides stay the original's bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from slidekit.deck.load import load_deck

from .conftest import CONTEXT, DECK

#: The original deck (front matter `theme: solarized_dark.json` only) this example is taken from.
ORIGINAL = Path("/work/shared/decks/docker-multistage.md")
#: SHA-256 and length of the original's slides (everything after its front matter), so the
#: check also holds where the original file is not at hand (CI).
ORIGINAL_BODY_SHA256 = "19422f12e50b539af22af24746cfca32cd2bbc90bbc86d13902fb167b0f7e195"
ORIGINAL_BODY_LENGTH = 2436


def body(data: bytes) -> bytes:
    """Everything after the closing `---` of the front matter."""
    assert data.startswith(b"---\n")
    return data[data.index(b"\n---\n", 3) + len(b"\n---\n") :]


def test_slides_after_the_front_matter_are_the_originals_bytes() -> None:
    ours = body(DECK.read_bytes())
    assert len(ours) == ORIGINAL_BODY_LENGTH
    assert hashlib.sha256(ours).hexdigest() == ORIGINAL_BODY_SHA256


def test_slides_match_the_original_file_when_present() -> None:
    if not ORIGINAL.exists():
        pytest.skip("the original deck is not on this machine; the hash test covers it")
    assert body(DECK.read_bytes()) == body(ORIGINAL.read_bytes())
    assert hashlib.sha256(body(ORIGINAL.read_bytes())).hexdigest() == ORIGINAL_BODY_SHA256


def test_front_matter_names_the_build_context_and_checks() -> None:
    deck = load_deck(DECK.read_text(), str(DECK))
    assert deck.warnings == ()
    assert deck.meta.theme == "solarized_dark.json"
    assert deck.meta.options["context"] == "docker-multistage"
    assert (DECK.parent / str(deck.meta.options["context"])) == CONTEXT
    assert set(deck.meta.options["checks"]) == {"backend", "chime-event-listener", "celery-worker", "celery-beat"}


def test_context_holds_what_the_dockerfile_copies() -> None:
    requirements = (CONTEXT / "requirements" / "requirements.txt").read_text().splitlines()
    pins = [line for line in requirements if line.strip() and not line.lstrip().startswith("#")]
    assert pins and all("==" in line and not line.startswith("-") for line in pins)
    names = {line.split("==")[0].lower() for line in pins}
    assert {"django", "hypercorn", "celery", "asgiref", "kombu", "h11"} <= names
    for relative in ("manage.py", "config/asgi.py", "config/celery.py", "config/settings.py",
                     "chime/management/commands/chime_event_listener.py", "locale/de/LC_MESSAGES/django.po"):
        assert (CONTEXT / relative).is_file(), relative
