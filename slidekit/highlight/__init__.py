"""The one highlighting service: fence languages, lexers, token streams, token styles.

* this module: the language names slidekit gives a meaning to (the Dockerfile set the
  verifier assembles and the renderers badge); importing it loads no Pygments code, so
  the verifier and the deck parser can use it without paying for lexers;
* :mod:`.tokens`: fence language → Pygments lexer (names, aliases, file names and
  extensions), and code → lines of ``(token type, text)``, memoised by content;
* :mod:`.styles`: a theme → a Pygments style, and a token type → its style, walking up
  to parent token types as rich does (Pygments styles know only the standard types;
  YAML's ``Literal.Scalar.Plain`` or MySQL's ``Name.Quoted`` resolve to an ancestor).

The terminal renderer (:mod:`slidekit.render.code`) and the HTML export
(:mod:`slidekit.render.html`) both highlight through :func:`.tokens.tokenize`.
"""

from __future__ import annotations

#: fence languages whose blocks are Dockerfile code (compared case-insensitively)
DOCKERFILE_LANGS = frozenset({"dockerfile", "docker", "containerfile"})


def is_dockerfile_lang(lang: str) -> bool:
    """Whether a fence language (``dockerfile``, ``Docker``, ``containerfile``…) is Dockerfile code."""
    return lang.strip().lower() in DOCKERFILE_LANGS
