"""What tagging, PDF/A-3b and the embedded JSON cost the PDF: the 2 June 2025 example
report rendered by WeasyPrint three ways, median of ``--repeats`` after one warm-up.

- plain: untagged PDF, no attachment (the PDF before issue 10);
- plain + JSON: the same with the report's JSON embedded;
- archival: what ``sitrep generate`` makes, tagged for PDF/UA-1, PDF/A-3b (sRGB output
  intent, XMP metadata) with the JSON embedded as its data.

The issue's budget: archival no more than 15% over plain.

    .venv/bin/python bench/bench_pdf.py
    .venv/bin/python bench/bench_pdf.py --repeats 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import machine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)
BUDGET = 1.15


def median_s(renderer: object, html: str, attachments: Sequence[object], repeats: int) -> float:
    """Median wall time of ``renderer.render(html, attachments)`` in seconds."""
    renderer.render(html, attachments)  # type: ignore[attr-defined]  # warm-up: fonts, caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        renderer.render(html, attachments)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed renders per variant")
    args = parser.parse_args(argv)
    print(f"bench_pdf: {machine()}")
    from sitrep.config import load_config
    from sitrep.pipeline import build_report, data_window, load
    from sitrep.render.charts import draw_charts
    from sitrep.render.documents import render_html, render_json
    from sitrep.render.pdf import PdfAttachment, WeasyPrintRenderer

    with tempfile.TemporaryDirectory(prefix="sitrep-bench-pdf-") as tmp:
        config = load_config(Path(tmp)).with_overrides(data=DATA)
        loaded = load(config, window=data_window(config, DAY, DAY))
        report = build_report(config, start=DAY, end=DAY, loaded=loaded,
                              now=dt.datetime(2025, 6, 3, 6, tzinfo=dt.UTC))  # fmt: skip
    html = render_html(report, draw_charts(report), for_pdf=True)
    data = PdfAttachment("sitrep-2025-06-02.json", render_json(report).encode(),
                         "the report's data", report.generated_at)  # fmt: skip
    plain = median_s(WeasyPrintRenderer(archival=False), html, [], args.repeats)
    with_json = median_s(WeasyPrintRenderer(archival=False), html, [data], args.repeats)
    archival = median_s(WeasyPrintRenderer(), html, [data], args.repeats)
    size = len(WeasyPrintRenderer().render(html, [data]))
    print(f"example report, {len(html) // 1024} KiB of HTML; median of {args.repeats}:")
    for name, seconds in (("plain", plain), ("plain + JSON", with_json),
                          ("archival (tags, PDF/A-3b, JSON)", archival)):  # fmt: skip
        print(f"  {name:<32} {seconds * 1000:7.0f} ms  ({seconds / plain - 1:+.1%})")
    print(f"  archival PDF size {size // 1024} KiB")
    ok = archival <= plain * BUDGET
    print(f"  budget (+{BUDGET - 1:.0%}): {'within' if ok else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
