"""``sitrep`` with the fake generator in place of the real pipeline, for subprocess tests.

Everything else is the real command line: ``sitrep run`` parses its options, takes the
lock, reads the ledger and sends through SMTP. Only report generation is faked, so the
crash tests run in a fraction of a second per report.
"""

from __future__ import annotations

import sys
from typing import Any

from delivery_fakes import FakeGenerator

import sitrep.daily
from sitrep.cli import main
from sitrep.pipeline import Plan


def fake_builder(plan: Plan, strict: bool = False) -> Any:
    """In place of ``EditionBuilder``: `sitrep run` builds its editions with the fake."""
    return FakeGenerator().for_plan(plan)


sitrep.daily.EditionBuilder = fake_builder  # type: ignore[misc]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
