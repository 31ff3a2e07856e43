"""The charts (casualty chart and map, matplotlib SVG) of two reports, first call and warm.

The two reports: the 2 June 2025 example report (``examples/sahel-2025-06``, 7 charted
rows) and the rendering tests' factory report (``tests/factories.py``, 14 charted rows,
15 incidents). For each: the first ``draw_charts`` in this process (imports, font cache,
boundary data), then the casualty chart and the map separately, median of ``--repeats``.
Replaces the wall-clock assertion the unit suite used to hold (about 0.25 s warm for the
factory report, asserted under 1 s).

    .venv/bin/python bench/bench_charts.py
    .venv/bin/python bench/bench_charts.py --repeats 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the factory

from _measure import Section, machine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)


def example_report() -> Any:
    """The 2 June 2025 report of the example data, as ``sitrep generate`` builds it."""
    from sitrep.config import load_config
    from sitrep.pipeline import build_report, data_window, load

    with tempfile.TemporaryDirectory(prefix="sitrep-bench-charts-") as tmp:
        config = load_config(Path(tmp)).with_overrides(data=DATA)
        loaded = load(config, window=data_window(config, DAY, DAY))
        return build_report(config, start=DAY, end=DAY, loaded=loaded,
                            now=dt.datetime(2025, 6, 3, 6, tzinfo=dt.UTC))


def median_ms(fn: Callable[[Any], object], report: Any, repeats: int) -> tuple[float, float]:
    """Median wall and CPU time of ``fn(report)`` over ``repeats`` calls, in ms."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(report)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="warm calls per chart")
    args = parser.parse_args(argv)
    print(f"bench_charts: {machine()}")
    from factories import sahel_report

    from sitrep.render.charts import charted_rows, draw_casualty_chart, draw_charts
    from sitrep.render.maps import draw_map

    for name, build in (("example, 2 Jun 2025", example_report), ("factory", sahel_report)):
        report = build()
        print(f"{name}: {len(charted_rows(report))} charted rows, "
              f"{len(report.incidents)} incidents")
        with Section("  first draw_charts in this process") as first:
            draw_charts(report)
        print(first.line())
        for chart, fn in (
            ("casualty chart", draw_casualty_chart), ("map", draw_map), ("both", draw_charts)
        ):
            wall, cpu = median_ms(fn, report, args.repeats)
            print(f"  {chart:<16} median {wall:7.1f} ms (cpu {cpu:7.1f} ms) of {args.repeats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
