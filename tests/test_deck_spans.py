"""Every model element of a real deck file, with its 1-based line span checked
against the lines of that file."""

from __future__ import annotations

from pathlib import Path

from slidekit.deck import model as m
from slidekit.deck.load import load_deck

DECK = """\
---
author: Ann
---

# Heading one

A paragraph
over two lines.

- item a
  - nested b
- [x] done
- [ ] todo

3. three
4. four

| a | b |
|---|--:|
| 1 | 2 |

> quote
> more

```python {1,3} title="x.py" +exec
print(1)
```

~~~cat -n
hello
~~~

![alt](img.png "T")

<!-- plain comment -->
<!-- speaker_note: short note -->
<!--
speaker_note: |
  long
  note
-->
<!-- pause -->
after pause
---
second
"""


def lines_of(path: Path, span: m.Span) -> list[str]:
    return path.read_text().splitlines()[span.first - 1:span.last]


def test_every_block_spans_exactly_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "deck.md"
    path.write_text(DECK)
    deck = load_deck(path.read_text(), str(path))
    first, second = deck.slides
    kinds = [type(b).__name__ for b in first.blocks]
    assert kinds == ["Heading", "Paragraph", "ListBlock", "ListBlock", "Table", "BlockQuote", "CodeBlock",
                     "CommandBlock", "Paragraph", "Pause", "Paragraph"]
    heading, para, bullets, ordered, table, quote, code, cmd, image, pause, after = first.blocks
    assert lines_of(path, heading.span) == ["# Heading one"]
    assert lines_of(path, para.span) == ["A paragraph", "over two lines."]
    # lists end on their last item line, not on the blank line markdown-it counts in
    assert lines_of(path, bullets.span) == ["- item a", "  - nested b", "- [x] done", "- [ ] todo"]
    assert [lines_of(path, i.span) for i in bullets.items] == [
        ["- item a", "  - nested b"], ["- [x] done"], ["- [ ] todo"]]
    assert [i.checked for i in bullets.items] == [None, True, False]
    assert lines_of(path, bullets.items[0].blocks[1].span) == ["  - nested b"]
    assert lines_of(path, ordered.span) == ["3. three", "4. four"] and ordered.start == 3
    assert lines_of(path, ordered.items[1].span) == ["4. four"]
    assert lines_of(path, table.span) == ["| a | b |", "|---|--:|", "| 1 | 2 |"]
    assert lines_of(path, quote.span) == ["> quote", "> more"]
    assert lines_of(path, code.span)[0].startswith("```python") and lines_of(path, code.span)[-1] == "```"
    assert code.lang == "python" and code.attrs == {"title": "x.py"} and "exec" in code.flags
    assert lines_of(path, m.Span(code.code_start, code.code_start)) == ["print(1)"]
    assert isinstance(cmd, m.CommandBlock) and lines_of(path, cmd.span) == ["~~~cat -n", "hello", "~~~"]
    assert isinstance(image.inlines[0], m.Image) and lines_of(path, image.span) == ['![alt](img.png "T")']
    assert lines_of(path, pause.span) == ["<!-- pause -->"] and lines_of(path, after.span) == ["after pause"]
    short, long = first.notes
    assert short.text == "short note" and lines_of(path, short.span) == ["<!-- speaker_note: short note -->"]
    assert long.text == "long\nnote" and lines_of(path, long.span)[0] == "<!--"
    assert lines_of(path, long.span)[-1] == "-->"
    assert lines_of(path, second.blocks[0].span) == ["second"]
    assert lines_of(path, deck.meta.span) == ["---", "author: Ann", "---"]
