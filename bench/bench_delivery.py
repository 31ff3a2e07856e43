"""Time to build and send personalised reports for 200 subscribers in 5 filter groups.

Generates each edition once (the real pipeline on ``examples/sahel-2025-06``, or with
``--fake`` a hand-made one-page PDF), then sends every message through SMTP to a local
aiosmtpd server (``tests/smtp_server.py``, its own process on 127.0.0.1) with the real
ledger and mailer. Prints the total time, the time per message and the editions
generated. The rate limit is lifted for the measurement (the default of 120 messages a
minute alone would take 100 s for 200).

    .venv/bin/python bench/bench_delivery.py [--subscribers 200] [--fake]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from delivery_fakes import FakeGenerator, write_project  # noqa: E402
from smtp_server import SmtpTestServer  # noqa: E402

from sitrep.config import load_config  # noqa: E402
from sitrep.deliver.delivery import Outcome, deliver  # noqa: E402
from sitrep.deliver.ledger import Ledger  # noqa: E402
from sitrep.deliver.mailers import SmtpMailer  # noqa: E402
from sitrep.deliver.subscribers import editions, load_subscribers  # noqa: E402

DAY = dt.date(2025, 6, 2)
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
    args = parser.parse_args()
    people = [
        {"name": f"{NAMES[i % len(NAMES)]} {i:03d}", "email": f"reader{i:03d}@example.org",
         "receive": ["pdf", "html"], **GROUPS[i % len(GROUPS)]}
        for i in range(args.subscribers)
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        folder = Path(tmp)
        with SmtpTestServer(folder / "smtp") as server:
            root = write_project(
                folder / "project", people, port=server.port,
                smtp={"rate_per_minute": 1_000_000},
                report={"data": str(ROOT / "examples" / "sahel-2025-06")},
            )  # fmt: skip
            config = load_config(root)
            subscribers = load_subscribers(config, strict=True)
            spent = {"generate": 0.0}
            from sitrep.pipeline import EditionBuilder, make_plan

            if args.fake:
                build: Any = FakeGenerator(padding=90_000).for_run(config, DAY)
                source = "fake generator (one-page PDF padded to ~90 kB)"
            else:  # what `sitrep run` calls: one load and merge, then each edition
                build = EditionBuilder(make_plan(config, start=DAY))
                source = "real pipeline on examples/sahel-2025-06"

            def timed(edition: Any, formats: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return build(edition, formats)
                finally:
                    spent["generate"] += time.perf_counter() - t0

            start = time.perf_counter()
            with Ledger.for_config(config) as ledger, SmtpMailer(config.smtp) as mailer:
                result = deliver(config, subscribers, start=DAY, mailer=mailer, ledger=ledger,
                                 build=timed)  # fmt: skip
            total = time.perf_counter() - start
            received = Counter(str(m["X-Test-Envelope-To"]) for m in server.messages())
            size = sum(p.stat().st_size for p in server.files())
            connections = server.connections()
    sent = result.count(Outcome.SENT)
    send_time = total - spent["generate"]
    print(f"delivery benchmark: {args.subscribers} subscribers in "
          f"{len(editions(subscribers))} editions; generation: {source}")  # fmt: skip
    print(f"  reports generated      {result.editions_generated}")
    print(f"  messages sent          {sent} (received {sum(received.values())}, "
          f"{len(received)} distinct recipients, {connections} SMTP connection(s), "
          f"{size / 1e6:.1f} MB)")  # fmt: skip
    print(f"  total                  {total:.2f} s")
    print(
        f"    loading + generating {spent['generate']:.2f} s "
        f"({spent['generate'] / max(result.editions_generated, 1):.2f} s per report)"
    )
    print(
        f"    composing + sending  {send_time:.2f} s "
        f"({1000 * send_time / max(sent, 1):.1f} ms per message, ledger included)"
    )
    print(f"  per message overall    {1000 * total / max(sent, 1):.1f} ms")
    ok = result.ok and sent == args.subscribers and set(received.values()) == {1}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
