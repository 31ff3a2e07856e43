"""Time to build and send personalised reports for 200 subscribers in 5 filter groups.

Generates each edition once (the real pipeline on ``examples/sahel-2025-06``, or with
``--fake`` a hand-made one-page PDF), then sends every message through SMTP to a local
aiosmtpd server (``tests/smtp_server.py``, its own process on 127.0.0.1) with the real
ledger and mailer. Prints the total time, the time per message and the editions
generated. The rate limit is lifted for the measurement (the default of 120 messages a
minute alone would take 100 s for 200). ``--connections`` sets ``smtp.connections``
(default 4); ``--server-delay-ms`` makes the server answer each message that long after
storing it, as a relay across a network would.

    .venv/bin/python bench/bench_delivery.py [--subscribers 200] [--fake] [--connections 4]
                                             [--server-delay-ms 0] [--sink]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _delivery import DAY, measured_delivery, received, smtp_project
from delivery_fakes import FakeGenerator

from sitrep.deliver.subscribers import editions, load_subscribers

GROUPS: list[dict[str, Any]] = [
    {},
    {"countries": ["Mali"]},
    {"countries": ["Burkina Faso"]},
    {"countries": ["Niger"]},
    {"countries": ["Mali", "Niger"], "min_severity": "major"},
]
NAMES = ["Aïcha", "Boubacar", "Chloé", "Djénéba", "Élodie", "Fatoumata", "Gaël", "Hawa"]


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--fake", action="store_true", help="fake generator, not the pipeline")
    parser.add_argument("--connections", type=int, default=4, help="smtp.connections")
    parser.add_argument("--server-delay-ms", type=float, default=0.0,
                        help="the server answers each message this long after storing it")
    parser.add_argument("--sink", action="store_true",
                        help="a bare SMTP sink instead of aiosmtpd (keeps nothing)")
    args = parser.parse_args()
    people = [
        {"name": f"{NAMES[i % len(NAMES)]} {i:03d}", "email": f"reader{i:03d}@example.org",
         "receive": ["pdf", "html"], **GROUPS[i % len(GROUPS)]}
        for i in range(args.subscribers)
    ]  # fmt: skip
    with (
        tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp,
        smtp_project(Path(tmp), people, connections=args.connections,
                     server_delay=args.server_delay_ms / 1000, sink=args.sink) as (server, config),
    ):
        subscribers = load_subscribers(config, strict=True)
        from sitrep.pipeline import EditionBuilder, make_plan

        if args.fake:
            build: Any = FakeGenerator(padding=90_000).for_run(config, DAY)
            source = "fake generator (one-page PDF padded to ~90 kB)"
        else:  # what `sitrep run` calls: one load and merge, then the editions
            build = EditionBuilder(make_plan(config, start=DAY))
            source = "real pipeline on examples/sahel-2025-06"
        run = measured_delivery(server, config, subscribers, build)
        got = received(server)
        size = sum(p.stat().st_size for p in server.files())
        connections = server.connections()
    print(f"delivery benchmark: {args.subscribers} subscribers in "
          f"{len(editions(subscribers))} editions; generation: {source}")  # fmt: skip
    print(f"  messages sent                {run.sent} (received {sum(got.values())}, "
          f"{len(got)} distinct recipients, {connections} SMTP connection(s), "
          f"{size / 1e6:.1f} MB)")  # fmt: skip
    print("\n".join(run.lines()))
    ok = run.result.ok and run.sent == args.subscribers and set(got.values()) == {1}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
