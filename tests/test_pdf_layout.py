"""The PDF as laid out by WeasyPrint: nothing in the figures table runs into the next cell."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from factories import sahel_report

from sitrep.render.documents import render_html
from sitrep.wording.languages import words_for

pytestmark = pytest.mark.pdf


def tags_in_cells(box: Any, cell: Any = None) -> Iterator[tuple[Any, Any]]:
    """Every laid-out flag tag in a table cell, with its cell."""
    kind = type(box).__name__
    if kind == "TableCellBox":
        cell = box
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    if cell is not None and kind == "InlineBlockBox" and "tag" in classes:
        yield box, cell
    for child in getattr(box, "children", None) or ():
        yield from tags_in_cells(child, cell)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_flag_tags_stay_inside_their_cell(language: str) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    html = render_html(sahel_report(), [], for_pdf=True, words=words_for(language))
    document = weasyprint.HTML(string=html).render()
    found = [pair for page in document.pages for pair in tags_in_cells(page._page_box)]
    assert len(found) >= 10  # the Sahel report flags many rows: the walk does find them
    overflowing = [
        "".join(tag.element.itertext())
        for tag, cell in found
        if tag.position_x + tag.margin_width() > cell.content_box_x() + cell.width + 0.5
    ]
    assert overflowing == []
