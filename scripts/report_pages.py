"""Render the example report's PDF pages, in English and in French, as the PNG images of
the documentation (``docs/img/report-page{N}.png``, ``report-page{N}.fr.png``, 100 dpi),
and the one page of a quiet day: the example's Timbuktu record alone
(``docs/img/quiet-day.png``, ``quiet-day.fr.png``).

    .venv/bin/python scripts/report_pages.py

Needs ``pdftoppm`` (poppler-utils, installed by ``scripts/setup.sh``). Earlier images of
pages the report no longer has are removed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
DAY = "2025-06-02"
GENERATED = "1748930400"
"""SOURCE_DATE_EPOCH: 'generated 3 June 2025, 06:00 UTC', so that the images change only
when the report does."""


def pages(language: str, work: Path, data: Path = ROOT / "examples" / "sahel-2025-06"
          ) -> list[Path]:  # fmt: skip
    """The PDF of the example day in ``language`` (out of ``data``), as PNG pages at 100 dpi."""
    out = work / f"{language}-{data.name}"
    subprocess.run(
        [sys.executable, "-m", "sitrep", "-q", "generate", "--data",
         str(data), "--date", DAY, "--format", "pdf",
         "--language", language, "--out", str(out)],
        check=True, capture_output=True, env={**os.environ, "SOURCE_DATE_EPOCH": GENERATED},
    )  # fmt: skip
    (pdf,) = out.glob("*.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for language, suffix in (("en", ""), ("fr", ".fr")):
            made = pages(language, Path(tmp))
            for old in IMG.glob(f"report-page[0-9]*{suffix}.png"):
                if old.name.count(".") == suffix.count(".") + 1:
                    old.unlink()
            for n, png in enumerate(made, start=1):
                target = IMG / f"report-page{n}{suffix}.png"
                target.write_bytes(png.read_bytes())
                print(target.relative_to(ROOT))
        quiet = Path(tmp) / "quiet"
        quiet.mkdir()
        (quiet / "timbuktu.yaml").write_bytes(
            (ROOT / "examples" / "sahel-2025-06" / "mali" / "timbuktu.yaml").read_bytes()
        )
        for language, suffix in (("en", ""), ("fr", ".fr")):
            (page,) = pages(language, Path(tmp), quiet)  # one event: one page
            target = IMG / f"quiet-day{suffix}.png"
            target.write_bytes(page.read_bytes())
            print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
