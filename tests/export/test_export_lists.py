"""HTML ordered lists leave room for their widest number: with 10 or more items
(or a high ``start``) the tens digit is never clipped by the list's padding."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.chromium

MEASURE = """([index, widest]) => {
  const ol = document.querySelectorAll('.sk-slide ol')[index];
  const li = ol.querySelector('li');
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = getComputedStyle(li).font;
  return [parseFloat(getComputedStyle(ol).paddingLeft), ctx.measureText(widest + '. ').width];
}"""


def test_ordered_list_numbers_are_never_clipped(export, open_page) -> None:  # type: ignore[no-untyped-def]
    twelve = "\n".join(f"{n}. item {n}" for n in range(1, 13))
    high = "\n".join(f"{n}. item" for n in range(998, 1003))
    page = open_page(export(f"# Twelve\n\n{twelve}\n\n---\n\n# High\n\n{high}\n\n---\n\n# Short\n\n1. one\n2. two\n"))
    for index, widest in ((0, "12"), (1, "1002"), (2, "2")):
        padding, marker = page.evaluate(MEASURE, [index, widest])
        assert padding >= marker, f"list {index}: padding {padding:.1f}px < marker '{widest}. ' {marker:.1f}px"
    assert page.errors == []
