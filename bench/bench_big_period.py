"""A big period's PDF: about 1,000 incidents in 30 days, rendered as ``sitrep generate``
renders it (issue 12: "at most ~20 pages in under 10 s").

Generates ``--records`` synthetic records (``gen_records.py``; by default 1,250 at 31 a
day: the 30 days hold 1,029 incidents after merging, 209 of them context), builds the
report of the last 30 days once, then measures each stage of the PDF: the charts and map,
the print HTML, the tagged PDF/A-3b (JSON and CSV attached). Prints pages, seconds (wall
and this process's CPU) and peak RSS of each stage. ``--table-limit`` sets
``report.figures_table_limit``.

    .venv/bin/python bench/bench_big_period.py
    .venv/bin/python bench/bench_big_period.py --save /tmp/big    # keep the PDF and HTML
    .venv/bin/python bench/bench_big_period.py --language fr
    .venv/bin/python bench/bench_big_period.py --profile /tmp/pdf.prof  # cProfile of the PDF
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import logging
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Section, machine
from gen_records import LAST_DAY, generate, write_jsonl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1250, help="records to generate")
    parser.add_argument("--per-day", type=float, default=31, help="records a day")
    parser.add_argument("--days", type=int, default=30, help="days in the period")
    parser.add_argument(
        "--table-limit",
        type=int,
        default=None,
        help="report.figures_table_limit (default: the configured default)",
    )
    parser.add_argument("--language", default="en")
    parser.add_argument("--save", type=Path, help="folder to write the PDF, HTML and CSV to")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the PDF stage here")
    args = parser.parse_args(argv)
    logging.getLogger("sitrep").setLevel(logging.ERROR)  # the generated data's warnings
    print(f"bench_big_period: {machine()}")

    from pypdf import PdfReader

    from sitrep.config import load_config
    from sitrep.pipeline import build_report, data_window, load
    from sitrep.render.formats import FORMATS, RenderJob

    end = LAST_DAY
    start = end - dt.timedelta(days=args.days - 1)
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-big-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        write_jsonl(generate(args.records, per_day=args.per_day), data / "records.jsonl")
        config = load_config(Path(tmp)).with_overrides(data=data, language=args.language)
        with Section("load + build the report") as built:
            loaded = load(config, window=data_window(config, start, end))
            report = build_report(config, start=start, end=end, loaded=loaded,
                                  now=dt.datetime(2025, 7, 1, 6, tzinfo=dt.UTC))  # fmt: skip
            # the edition's language, as the pipeline sets it (report.language alone does not)
            report = report.model_copy(update={"language": args.language})
    statuses = Counter(i.status for i in report.incidents)
    print(f"{args.records:,} records, {start} to {end}: {len(report.incidents):,} incidents "
          f"({', '.join(f'{n} {s}' for s, n in statuses.items())}), {len(report.table):,} "
          f"table rows, {len(report.sources):,} sources")  # fmt: skip
    print(built.line())

    from sitrep.config import FIGURES_TABLE_LIMIT
    from sitrep.render.charts import draw_charts
    from sitrep.render.digest import charted

    limit = FIGURES_TABLE_LIMIT if args.table_limit is None else args.table_limit
    with Section("charts and map") as drawn:
        charts = draw_charts(charted(report, limit))
    print(drawn.line())
    job = RenderJob(report, "big", charts, table_limit=limit)
    from sitrep.render.documents import render_html

    with Section("print HTML") as html_section:
        html = render_html(report, charts, for_pdf=True, table_limit=limit)
    print(html_section.line(f"  {len(html) // 1024:,} KiB"))
    profiler = cProfile.Profile() if args.profile else None
    with Section("PDF (WeasyPrint, tagged PDF/A-3b, JSON + CSV)") as pdf_section:
        if profiler:
            profiler.enable()
        files = FORMATS["pdf"].render(job)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
    pdf = files["big.pdf"]
    assert isinstance(pdf, bytes)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(pdf_section.line(f"  {pages} pages, {len(pdf) // 1024:,} KiB"))
    total = drawn.cpu + pdf_section.cpu
    print(f"PDF with its charts: {pages} pages, {drawn.seconds + pdf_section.seconds:.2f} s "
          f"(cpu {total:.2f}), peak RSS {max(drawn.peak, pdf_section.peak):.0f} MB")  # fmt: skip
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            target = args.save / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        (args.save / "big-print.html").write_text(html, encoding="utf-8")
        print(f"written to {args.save}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
