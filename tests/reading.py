"""What a reader reads, for the tests: model objects seen through the English words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

from sitrep.model.records import Record
from sitrep.model.report import Place
from sitrep.render.worded import wrap
from sitrep.wording import words_for
from sitrep.wording.figures import date_text as _date_text
from sitrep.wording.figures import place_label

EN = words_for("en")


def worded(obj: Any) -> Any:
    """A model object (or a list of them) with its English worded fields: ``.text``,
    ``.label``, ``.basis``, ``.reasons``, ``.date_text`` ... as templates see them."""
    return wrap(obj, EN)


def date_text(record: Record) -> str:
    """An event's date as the report writes it."""
    return _date_text(record.day, record.date_precision, record.end_date)


def short_label(record: Record) -> str:
    """'Boulkessi, 1 Jun'."""
    place = Place(location=record.location, date=record.day,
                  date_precision=record.date_precision, end_date=record.end_date)  # fmt: skip
    return place_label(place)


def structure_elements(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element of a tagged PDF under ``node`` (``Root.StructTreeRoot``),
    depth first: in reading order, as a screen reader meets them."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from structure_elements(kid)
