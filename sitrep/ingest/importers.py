"""The importers, keyed by source name (``sitrep import SOURCE FILE...``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import Problem
from .acled import read_acled
from .hxl import read_hxl
from .raw import RawRecord
from .sheets import read_sheet
from .ucdp import read_ucdp

logger = logging.getLogger(__name__)

Reader = Callable[[str, str], Iterator[RawRecord | Problem]]


@dataclass(frozen=True)
class Importer:
    """A format that maps into records: its reader (location, dataset) and the dataset
    name that prefixes the ids it makes (``acled-NER1234``)."""

    name: str
    help: str
    read: Reader
    dataset: str


IMPORTERS: dict[str, Importer] = {
    i.name: i
    for i in (
        Importer("acled", "ACLED CSV export (any variant) or API JSON", read_acled, "acled"),
        Importer("ucdp", "UCDP GED CSV (bulk or download tool) or API JSON", read_ucdp, "ucdp"),
        Importer("hxl", "an HXL-tagged CSV or XLSX file (HDX)", read_hxl, "hxl"),
        Importer("sheet", "a tracker spreadsheet, CSV or XLSX, one claim a row", read_sheet, ""),
    )
}
