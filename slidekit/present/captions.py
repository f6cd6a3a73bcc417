"""Pre-processing captions: what the presenter (not the audience) should know about a slide.

A ``~~~cmd`` block whose output is shown may carry a caption ("cached output (this
deck does not run commands)", what the command wrote on stderr). The slide shows the
output alone; the caption goes to the notes view and to the status line (key ``i``).
"""

from __future__ import annotations

from slidekit.deck.model import CommandBlock, Slide, walk


def slide_captions(slide: Slide) -> str:
    """The slide's captions on one line (``line N: caption``, ``; ``-separated); '' if none."""
    return "; ".join(
        f"line {block.span.first}: {block.notice}"
        for block in walk(slide.blocks)
        if isinstance(block, CommandBlock) and block.output is not None and block.notice
    )
