"""``~~~cmd`` pre-processing blocks (slides' format), run safely.

- :mod:`.trust`   may this deck run commands? (pure decision + fact gathering)
- :mod:`.config`  the user's ``trusted_decks`` list
- :mod:`.runner`  the subprocess part (argv via shlex, no shell, timeout, process group)
- :mod:`.cache`   ``<deck dir>/.slidekit-cache/preprocess/<sha256>.json``
- :mod:`.apply`   pure: run/cache results → block outputs and notices → new Deck
- :mod:`.pipeline` ties them together; :func:`slidekit.session.open_deck` calls :func:`preprocess`
"""

from __future__ import annotations

from slidekit.preprocess.pipeline import PreprocessError, Processed, Problem, preprocess

__all__ = ["PreprocessError", "Problem", "Processed", "preprocess"]
