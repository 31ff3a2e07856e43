"""The pipeline as a whole: nothing is written until every output is ready, and each file
is written atomically, so a failed run leaves the previous report as it was."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from sitrep.config import Config
from sitrep.errors import OutputError, RenderError
from sitrep.pipeline import generate
from sitrep.writers import write_atomic

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)


class BrokenPdf:
    """A PDF renderer that fails, as WeasyPrint would on a broken template."""

    def render(self, html: str) -> bytes:
        raise RenderError("the PDF engine failed (test)")


def config_for(out: Path) -> Config:
    return Config().with_overrides(data=EXAMPLES, output=out)


def test_a_failed_render_writes_nothing_and_keeps_the_previous_report(tmp_path: Path) -> None:
    out = tmp_path / "output"
    first = generate(config_for(out), start=DAY, formats=["json", "md"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(first.files) == {"json", "md"}
    with pytest.raises(RenderError):
        generate(config_for(out), start=DAY, formats=["json", "md", "pdf"],
                 pdf_renderer=BrokenPdf())
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # no PDF, no temporary file, the Markdown and JSON untouched


def test_write_atomic_leaves_no_partial_file_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sitrep-2025-06-02.pdf"
    target.write_bytes(b"%PDF-1.7 the previous report")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"%PDF-1.7 half of the new one")
    assert target.read_bytes() == b"%PDF-1.7 the previous report"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_reports_are_readable_by_others(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "r.md", "# report\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
