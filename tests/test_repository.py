"""The repository itself: no merge left half done (conflict markers) in any text file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<<<<<<<|>>>>>>>) ", re.MULTILINE)


def test_no_conflict_markers_in_tracked_files() -> None:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    files = listed.stdout.split() if listed.returncode == 0 else []
    found = []
    for name in files:
        path = ROOT / name
        if path.suffix in (".png", ".pdf", ".xlsx", ".ico") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if MARKER.search(text):
            found.append(name)
    assert not found, f"unresolved merge conflicts in: {', '.join(found)}"
