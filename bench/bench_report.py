"""The 2 June 2025 report of the example dataset, end to end.

1. cold: ``sitrep generate --data examples/sahel-2025-06 --date 2025-06-02 --format
   md,pdf,json`` in a new process, median of 3 (imports, fonts and all), then once with
   ``--format json`` and once with ``--format md`` to show what charts and PDF add;
2. warm, in one process: the same report repeated, median of 5, split by stage: load,
   reconcile + summarise (``build_report``), charts, Markdown, HTML for the PDF, PDF
   (WeasyPrint), JSON. The stage calls are the ones ``pipeline.render_outputs`` makes.

    .venv/bin/python bench/bench_report.py
    .venv/bin/python bench/bench_report.py --quick    # 1 cold run, 2 warm
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Section, machine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)
SITREP = Path(sys.executable).with_name("sitrep")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1748930400"}  # 2025-06-03 06:00 UTC


def cold(runs: int, formats: str = "md,pdf,json") -> None:
    """``sitrep generate`` in a fresh process, ``runs`` times."""
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-report-") as out:
        cmd = [
            str(SITREP), "-q", "generate", "--data", str(DATA), "--date", DAY.isoformat(),
            "--format", formats, "--out", out,
        ]
        for _ in range(runs):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=out)
            times.append(time.perf_counter() - t0)
            if done.returncode != 0:
                tail = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
                print(f"  sitrep generate exited {done.returncode}: {tail}")
                return
        files = sorted(p.name for p in Path(out).iterdir())
    print(f"  --format {formats:<12} median {statistics.median(times):.2f} s of {runs} "
          f"({', '.join(f'{t:.2f}' for t in times)}); wrote {', '.join(files)}")


def warm(repeats: int) -> None:
    """The report in this process, stage by stage, ``repeats`` times after a warm-up."""
    from sitrep.config import load_config
    from sitrep.pipeline import build_report, load

    config = load_config(DATA.parent).with_overrides(data=DATA)
    stages: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    now = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            value = fn()
        except Exception as exc:  # a stage still being written: say so, go on
            stages.setdefault(name, [])
            if name not in failed:
                failed[name] = f"{type(exc).__name__}: {exc}"
                traceback.print_exc(limit=1, file=sys.stderr)
            return None
        stages.setdefault(name, []).append(time.perf_counter() - t0)
        cpu.setdefault(name, []).append(time.process_time() - c0)
        return value

    failed: dict[str, str] = {}
    with Section("import sitrep.render, sitrep.render.charts") as imp:
        try:
            from sitrep import render
            from sitrep.render import charts
        except Exception as exc:
            print(f"  rendering is not importable: {exc}")
            return
    print(f"  {imp.line()}")
    renderer = None
    for i in range(repeats + 1):
        t_all, c_all = time.perf_counter(), time.process_time()
        loaded = stage("load + validate", lambda: load(config))
        report = stage(
            "reconcile + summarise",
            lambda loaded=loaded: build_report(config, start=DAY, end=DAY, loaded=loaded,
                                               now=now),
        )
        if report is None:
            break
        chart_list = stage("charts", lambda report=report: charts.draw_charts(report)) or []
        stage("render md", lambda r=report, c=chart_list: render.render_markdown(
            r, c, stem="sitrep-2025-06-02", templates=None))
        html = stage("render html (for pdf)", lambda r=report, c=chart_list: render.render_html(
            r, c, templates=None, for_pdf=True))
        if renderer is None:
            renderer = stage("pdf renderer setup", lambda: render.WeasyPrintRenderer(
                [render.shipped_templates()]))
        if html is not None and renderer is not None:
            stage("pdf (weasyprint)", lambda h=html, pdf=renderer: pdf.render(h))
        stage("render json", lambda r=report: render.render_json(r))
        stages.setdefault("total", []).append(time.perf_counter() - t_all)
        cpu.setdefault("total", []).append(time.process_time() - c_all)
        if i == 0:
            first_total = stages["total"][0]
            setup = stages.get("pdf renderer setup", [0.0])[0]
            print(f"  first run in this process: {first_total:.2f} s "
                  f"(font cache, template compilation, matplotlib set-up; "
                  f"WeasyPrint renderer set-up {setup * 1000:.0f} ms, once a process)")
            for times in (*stages.values(), *cpu.values()):
                times.clear()
    for name, times in stages.items():
        if name in failed:
            print(f"  {name:<28} failed: {failed[name]}")
        elif times:
            print(f"  {name:<28} median {statistics.median(times) * 1000:8.1f} ms "
                  f"(cpu {statistics.median(cpu[name]) * 1000:7.1f} ms; "
                  f"min {min(times) * 1000:.1f}, {len(times)} runs)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 cold run, 2 warm")
    args = parser.parse_args(argv)
    print(f"bench_report: {machine()}")
    print("cold process (median of runs):")
    cold(1 if args.quick else 3)
    if not args.quick:  # what the formats cost: no charts, charts, charts and PDF
        cold(1, "json")
        cold(1, "md")
    print("\nwarm, in one process (median of repeats, after one warm-up run):")
    warm(2 if args.quick else 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
