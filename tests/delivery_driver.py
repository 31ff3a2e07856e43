"""``sitrep`` with the fake generator in place of the real pipeline, for subprocess tests.

Everything else is the real command line: ``sitrep run`` parses its options, takes the
lock, reads the ledger and sends through SMTP. Only report generation is faked, so the
crash tests run in a fraction of a second per report.

With ``STALL_BEFORE_DOT=N:path`` in the environment, the run stops just before it sends
the final ``.`` of the N-th message (the body has gone out), creates ``path`` and waits
there, so that a test can kill it at exactly that point.
"""

from __future__ import annotations

import os
import smtplib
import sys
import time
from pathlib import Path
from typing import Any

from delivery_fakes import FakeGenerator

import sitrep.daily
from sitrep.cli import main
from sitrep.pipeline import Plan


def fake_builder(plan: Plan, strict: bool = False) -> Any:
    """In place of ``EditionBuilder``: `sitrep run` builds its editions with the fake."""
    return FakeGenerator().for_plan(plan)


sitrep.daily.EditionBuilder = fake_builder  # type: ignore[misc]


def stall_before_dot(nth: int, marker: Path) -> None:
    """Make the ``nth`` final ``.`` of DATA wait forever (after creating ``marker``)."""
    original = smtplib.SMTP.send
    dots = 0

    def send(self: smtplib.SMTP, s: bytes | str) -> None:
        nonlocal dots
        if s == b".\r\n":
            dots += 1
            if dots == nth:
                marker.touch()
                time.sleep(120)
        original(self, s)

    smtplib.SMTP.send = send  # type: ignore[method-assign]


if os.environ.get("STALL_BEFORE_DOT"):
    n, _, path = os.environ["STALL_BEFORE_DOT"].partition(":")
    stall_before_dot(int(n), Path(path))

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
