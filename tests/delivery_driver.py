"""``sitrep`` with the fake generator in place of the real pipeline, for subprocess tests.

Everything else is the real command line: ``sitrep run`` parses its options, takes the
lock, reads the ledger and sends through SMTP. Only report generation is faked, so the
crash tests run in a fraction of a second per report.
"""

from __future__ import annotations

import sys

from delivery_fakes import FakeGenerator

import sitrep.pipeline
from sitrep.cli import main

sitrep.pipeline.generate = FakeGenerator()
sitrep.pipeline.load = lambda config, store=None, *, strict=False, window=None: None  # no data

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
