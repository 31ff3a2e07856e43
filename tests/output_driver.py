"""``sitrep`` whose set writer stops after the N-th file of a set, for the kill tests.

With ``STALL_AFTER_FILE=N:path`` in the environment, the run writes N files of its set,
creates ``path`` and waits, so that a test can SIGKILL it in the middle of the write
phase. Everything else is the real command line and the real pipeline.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import sitrep.writers
from sitrep.cli import main


def stall_after_file(nth: int, marker: Path) -> None:
    """Make the writer wait forever once it has written ``nth`` files."""
    original = sitrep.writers._write_fd
    written = 0

    def write(fd: int, data: bytes | str) -> None:
        nonlocal written
        original(fd, data)
        written += 1
        if written == nth:
            marker.touch()
            time.sleep(120)

    sitrep.writers._write_fd = write


if os.environ.get("STALL_AFTER_FILE"):
    n, _, path = os.environ["STALL_AFTER_FILE"].partition(":")
    stall_after_file(int(n), Path(path))

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
