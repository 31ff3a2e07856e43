"""Editions in parallel: 5,000 subscribers in 50 filter groups x 2 languages (100 editions).

Renders the 100 editions of ``examples/sahel-2025-06`` (2 June 2025) three ways: in one
process (``[render] workers = 1``), on the process pool (``workers`` = the machine's cores)
and on a Dask ``LocalCluster`` of two worker processes, and prints editions per second for
each. Then delivers the day to every subscriber through SMTP to a local aiosmtpd server
(``tests/smtp_server.py``, its own process) over ``--connections`` SMTP connections, with
the pool, and prints the total time and the marginal cost of one subscriber once the
editions are rendered (goal: under 5 ms).
The ``fr`` editions are worded in French (``sitrep/locale/fr``).

    .venv/bin/python bench/bench_editions.py [--subscribers 5000] [--formats pdf,md]
                                             [--skip-serial] [--skip-pool] [--skip-dask]
                                             [--connections 4] [--server-delay-ms 0] [--sink]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _delivery import DAY, measured_delivery, received, smtp_project

from sitrep.config import Config, RenderConfig
from sitrep.deliver.subscribers import editions, load_subscribers
from sitrep.model.edition import Edition
from sitrep.pipeline import EditionBuilder, make_plan

COUNTRIES = ["Mali", "Burkina Faso", "Niger"]
REGIONS = ["Mopti", "Timbuktu", "Kidal", "Koulikoro", "Bamako", "Sahel", "Tahoua", "Dosso"]
SEVERITIES = ["minor", "moderate", "major", "critical"]


def groups(count: int) -> list[dict[str, Any]]:
    """``count`` distinct filter sets: country sets, then regions, at each severity."""
    country_sets = [list(c) for n in (1, 2, 3) for c in itertools.combinations(COUNTRIES, n)]
    places: list[dict[str, Any]] = [{"countries": c} for c in country_sets]
    places += [{"admin1": [r]} for r in REGIONS]
    out = [{**p, "min_severity": s} for s in SEVERITIES for p in places]
    return [{}, *out][:count]


def with_render(config: Config, **render: Any) -> Config:
    return config.model_copy(update={"render": RenderConfig.model_validate(render)})


def render_all(config: Config, wanted: list[Edition], formats: list[str]) -> float:
    """Seconds to render every edition (load and merge excluded: done before the clock)."""
    builder = EditionBuilder(make_plan(config, start=DAY, formats=formats, editions=wanted))
    builder.merged()
    t0 = time.perf_counter()
    builder.all()
    return time.perf_counter() - t0


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--formats", default="pdf,md", help="the attachments subscribers get")
    parser.add_argument("--skip-serial", action="store_true")
    parser.add_argument("--skip-pool", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--connections", type=int, default=4, help="smtp.connections")
    parser.add_argument("--server-delay-ms", type=float, default=0.0,
                        help="the server answers each message this long after storing it")
    parser.add_argument("--sink", action="store_true",
                        help="a bare SMTP sink instead of aiosmtpd (keeps nothing)")
    args = parser.parse_args()
    formats = args.formats.split(",")
    filters = groups(args.groups)
    people = [
        {"email": f"reader{i:05d}@example.org", "receive": formats,
         "language": "en" if (i // len(filters)) % 2 == 0 else "fr", **filters[i % len(filters)]}
        for i in range(args.subscribers)
    ]  # fmt: skip
    with (
        tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp,
        smtp_project(Path(tmp), people, connections=args.connections,
                     server_delay=args.server_delay_ms / 1000, sink=args.sink) as (server, config),
    ):
        subscribers = load_subscribers(config, strict=True)
        wanted = [audience.edition for audience in editions(subscribers)]
        print(f"editions benchmark: {len(subscribers)} subscribers, {len(wanted)} editions, "
              f"formats {','.join(formats)}")  # fmt: skip
        rates: dict[str, float] = {}
        if not args.skip_serial:
            rates["one process"] = render_all(with_render(config, workers=1), wanted, formats)
        if not args.skip_pool:
            rates["process pool"] = render_all(config, wanted, formats)
        if not args.skip_dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:  # fmt: skip
                on_dask = with_render(config, scheduler=cluster.scheduler_address)
                rates["LocalCluster (2 workers)"] = render_all(on_dask, wanted, formats)
        for name, seconds in rates.items():
            print(f"  render {name:<26} {seconds:7.2f} s  "
                  f"{len(wanted) / seconds:6.2f} editions/s")  # fmt: skip
        builder = EditionBuilder(make_plan(config, start=DAY))
        run = measured_delivery(server, config, subscribers, builder)
        got = received(server)
    print(f"  delivery (pool): {run.result.editions_generated} editions generated, "
          f"{run.sent} sent, {sum(got.values())} received")
    print("\n".join(run.lines()))
    ok = run.result.ok and run.sent == args.subscribers == sum(got.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
