"""Join a deck's Dockerfile code blocks into Dockerfiles, with a line map back to the deck.

A block counts when its fence language is ``dockerfile``, ``docker`` or
``containerfile`` (any case). Its info string may carry attributes
(parsed by :mod:`slidekit.deck.info`):

``file=NAME``
    the block belongs to the Dockerfile called NAME (default ``Dockerfile``),
    so one deck can hold several independent Dockerfiles;
``+no-verify`` (alias ``verify=false``)
    the block is shown on its slide but left out of every Dockerfile
    (deliberately broken examples, fragments, "don't do this" slides).

Blocks of one Dockerfile are joined in deck order with one blank line between
them; that blank line maps to the closing fence of the block before it.
"""

from __future__ import annotations

import re

from slidekit.deck.model import CodeBlock, Deck
from slidekit.errors import SlidekitError
from slidekit.highlight import is_dockerfile_lang
from slidekit.verify.model import AssembledDockerfile

DEFAULT_NAME = "Dockerfile"
_FALSE = frozenset({"false", "no", "off", "0"})
_TRUE = frozenset({"true", "yes", "on", "1"})
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$")


def is_dockerfile_block(block: CodeBlock) -> bool:
    return is_dockerfile_lang(block.lang)


def _opted_out(block: CodeBlock, path: str) -> bool:
    value = block.attrs.get("verify")
    if value is not None and value.lower() not in _FALSE | _TRUE:
        raise SlidekitError(f"`verify={value}`: expected verify=true or verify=false", path, block.span.first)
    return "no-verify" in block.flags or (value is not None and value.lower() in _FALSE)


def _file_name(block: CodeBlock, path: str) -> str:
    name = block.attrs.get("file", DEFAULT_NAME)
    if not _NAME.match(name) or ".." in name.split("/"):
        raise SlidekitError(
            f"`file={name}`: a Dockerfile name is letters, digits, `.`, `_`, `-` (and `/` between parts)",
            path,
            block.span.first,
        )
    return name


class _Builder:
    """Accumulates one Dockerfile's lines and their deck lines."""

    def __init__(self, name: str, deck_path: str) -> None:
        self.name = name
        self.deck_path = deck_path
        self.lines: list[str] = []
        self.deck_lines: list[int] = []
        self.slides: list[int] = []
        self.last_fence = 0
        self.last_slide = 0

    def add(self, block: CodeBlock, slide_index: int) -> None:
        code = block.code.splitlines()
        if not code:
            return
        if self.lines:
            self.lines.append("")
            self.deck_lines.append(self.last_fence)
            self.slides.append(self.last_slide)
        for offset, line in enumerate(code):
            self.lines.append(line)
            self.deck_lines.append(block.code_start + offset)
            self.slides.append(slide_index)
        self.last_fence = block.span.last
        self.last_slide = slide_index

    def build(self) -> AssembledDockerfile:
        text = "\n".join(self.lines) + "\n" if self.lines else ""
        return AssembledDockerfile(self.name, text, tuple(self.deck_lines), tuple(self.slides), self.deck_path)


def has_blocks_to_verify(deck: Deck) -> bool:
    """Whether any Dockerfile block of ``deck`` is not opted out (a malformed
    ``verify=`` raises, as in :func:`assemble`)."""
    return any(is_dockerfile_block(b) and not _opted_out(b, deck.path) for _, b in deck.code_blocks())


def assemble(deck: Deck) -> tuple[AssembledDockerfile, ...]:
    """The deck's Dockerfiles, in order of first appearance.

    Raises :class:`SlidekitError` (exit 2) for a deck without any Dockerfile
    block to verify and for malformed ``file=``/``verify=`` attributes.
    """
    builders: dict[str, _Builder] = {}
    skipped: list[CodeBlock] = []
    for slide, block in deck.code_blocks():
        if not is_dockerfile_block(block):
            continue
        if _opted_out(block, deck.path):
            skipped.append(block)
            continue
        name = _file_name(block, deck.path)
        builders.setdefault(name, _Builder(name, deck.path)).add(block, slide.index)
    built = tuple(b.build() for b in builders.values() if b.lines)
    if not built:
        if skipped:
            raise SlidekitError(
                f"nothing to verify: all {len(skipped)} Dockerfile block(s) are marked +no-verify",
                deck.path,
                skipped[0].span.first,
            )
        raise SlidekitError(
            "no Dockerfile code blocks: mark them with ```dockerfile (or ```docker)", deck.path, 1
        )
    return built


def pick(dockerfiles: tuple[AssembledDockerfile, ...], name: str | None, deck_path: str) -> AssembledDockerfile:
    """The Dockerfile called ``name``; with None, the only one (several → error listing them)."""
    names = ", ".join(d.name for d in dockerfiles)
    if name is None:
        if len(dockerfiles) == 1:
            return dockerfiles[0]
        raise SlidekitError(f"the deck has {len(dockerfiles)} Dockerfiles ({names}); choose one with --file", deck_path)
    for dockerfile in dockerfiles:
        if dockerfile.name == name:
            return dockerfile
    raise SlidekitError(f"no Dockerfile named {name!r} in this deck (available: {names})", deck_path)


def extract_text(deck: Deck, name: str | None = None) -> str:
    """The assembled text of the Dockerfile ``name`` (None: the only one)."""
    return pick(assemble(deck), name, deck.path).text
