"""How long work tells how far it has got, without printing: a small callback interface.

Library code that reads many records (``validate``, imports) calls a :class:`Progress`
now and then; it never prints. The command layer passes one that draws a bar on a
terminal (``commands/_progress.py``), or nothing, and :data:`SILENT` is used.
"""

from __future__ import annotations

import logging
from typing import Protocol

logger = logging.getLogger(__name__)

EVERY = 512
"""Records between two reports of progress inside a file (a report costs a little)."""


class Progress(Protocol):
    """Told how far a long piece of work has got."""

    def start(self, total: int | None, unit: str = "bytes") -> None:
        """Work begins: ``total`` bytes to read (or records, ``unit="records"``), None when
        not known beforehand (a URL, a spreadsheet)."""
        ...

    def update(self, records: int, done: int | None = None) -> None:
        """``records`` records read so far, and ``done`` bytes (or records) of the total."""
        ...

    def finish(self) -> None:
        """The work is over (what follows may print)."""
        ...


class _Silent:
    """Progress nobody watches."""

    def start(self, total: int | None, unit: str = "bytes") -> None:
        """Nothing to do."""

    def update(self, records: int, done: int | None = None) -> None:
        """Nothing to do."""

    def finish(self) -> None:
        """Nothing to do."""


SILENT: Progress = _Silent()
"""The default: no progress shown."""
