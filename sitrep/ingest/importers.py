"""The importers, keyed by source name (``sitrep import SOURCE FILE...``).

The readers are imported when an import runs, not when the list is read: ``sitrep --help``
names the importers without loading the record model."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..errors import Problem
    from .raw import RawRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Importer:
    """A format that maps into records: its reader (a function of location and dataset in
    a module of this package) and the dataset name that prefixes the ids it makes
    (``acled-NER1234``)."""

    name: str
    help: str
    reader: str  # "module:function"
    dataset: str

    def read(self, location: str, dataset: str) -> Iterator[RawRecord | Problem]:
        """The records (or problems) the reader finds in ``location``."""
        module, function = self.reader.split(":")
        read = getattr(importlib.import_module(f"{__package__}.{module}"), function)
        result: Iterator[RawRecord | Problem] = read(location, dataset)
        return result


_ACLED = "ACLED CSV export (any variant) or API JSON"
_UCDP = "UCDP GED CSV (bulk or download tool) or API JSON"
IMPORTERS: dict[str, Importer] = {
    i.name: i
    for i in (
        Importer("acled", _ACLED, "acled:read_acled", "acled"),
        Importer("ucdp", _UCDP, "ucdp:read_ucdp", "ucdp"),
        Importer("hxl", "an HXL-tagged CSV or XLSX file (HDX)", "hxl:read_hxl", "hxl"),
        Importer("sheet", "a tracker spreadsheet, CSV or XLSX, one claim a row",
                 "sheets:read_sheet", ""),
    )
}
