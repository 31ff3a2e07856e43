"""What the delivery benchmarks share: a project whose subscribers are sent to a local SMTP
server (``tests/smtp_server.py``, aiosmtpd in its own process), and one measured run of
:func:`sitrep.deliver.delivery.deliver` with the real ledger and SMTP mailer.

The run's wall and CPU time are split into building the editions (the build function, or
the builder's ``prepare`` when it builds them all at once, possibly on other processes)
and the rest: planning, composing, sending and the ledger, whose cost per message is the
marginal cost of one subscriber. CPU times are this process's (``time.process_time``):
neither the SMTP server's nor a process pool's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from delivery_fakes import write_project  # noqa: E402
from smtp_server import SmtpTestServer  # noqa: E402

from sitrep.config import Config, load_config  # noqa: E402
from sitrep.deliver.delivery import DeliveryReport, Outcome, Prepares, deliver  # noqa: E402
from sitrep.deliver.ledger import Ledger  # noqa: E402
from sitrep.deliver.mailers import SmtpMailer  # noqa: E402
from sitrep.deliver.subscribers import Subscriber  # noqa: E402

DAY = dt.date(2025, 6, 2)
DATA = ROOT / "examples" / "sahel-2025-06"


@contextlib.contextmanager
def smtp_project(
    folder: Path, people: Sequence[Mapping[str, Any]], *, rate_per_minute: int = 10_000_000,
    connections: int = 1, server_delay: float = 0.0, sink: bool = False,
) -> Iterator[tuple[SmtpTestServer, Config]]:  # fmt: skip
    """A local SMTP server and a project on the example data that sends to it over
    ``connections`` connections, the rate limit lifted for the measurement (the default 120
    a minute would be all one measured). ``server_delay``: seconds the server waits after
    storing each message before it answers, as a remote relay's round trip and queue
    would. ``sink``: a bare SMTP sink in place of aiosmtpd, that keeps nothing and costs
    next to nothing a message (what a fast MTA costs the sender)."""
    options = ["--delay-after-store", str(server_delay)] if server_delay else []
    with SmtpTestServer(folder / "smtp", *(["--sink"] if sink else options)) as server:
        root = write_project(
            folder / "project", people, port=server.port,
            smtp={"rate_per_minute": rate_per_minute,
                  **({"connections": connections} if connections != 1 else {})},
            report={"data": str(DATA)},
        )  # fmt: skip
        yield server, load_config(root)


@dataclass
class Spent:
    """Wall and CPU seconds spent inside the calls it timed."""

    wall: float = 0.0
    cpu: float = 0.0

    def time(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)``, its time added to this one's."""
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return fn(*args)
        finally:
            self.wall += time.perf_counter() - t0
            self.cpu += time.process_time() - c0


class _Timed:
    def __init__(self, build: Callable[..., Any], spent: Spent) -> None:
        self.build, self.spent = build, spent

    def __call__(self, edition: Any, formats: Any) -> Any:
        return self.spent.time(self.build, edition, formats)


class _TimedPrepare(_Timed):
    def prepare(self, wanted: Any) -> None:
        self.spent.time(self.build.prepare, wanted)  # type: ignore[attr-defined]


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) another process has used so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One measured delivery run."""

    result: DeliveryReport
    wall: float
    cpu: float
    build: Spent
    server_cpu: float = 0.0
    """CPU time of the SMTP server process (receiving, parsing and storing the messages)."""
    fsyncs: int | None = None
    """The ledger's group fsyncs (None: code without group commit, one fsync a message)."""

    @property
    def sent(self) -> int:
        """Messages the server accepted."""
        return self.result.count(Outcome.SENT)

    def marginal_ms(self) -> tuple[float, float]:
        """(wall, CPU) milliseconds a subscriber once the editions are built."""
        n = max(self.sent, 1)
        return ((self.wall - self.build.wall) * 1000 / n, (self.cpu - self.build.cpu) * 1000 / n)

    def lines(self) -> list[str]:
        """The printable figures."""
        wall, cpu = self.marginal_ms()
        n = max(self.result.editions_generated, 1)
        server = self.server_cpu * 1000 / max(self.sent, 1)
        return [
            f"  total                        {self.wall:7.2f} s (cpu {self.cpu:6.2f} s)",
            f"    building {self.result.editions_generated:3d} edition(s)       "
            f"{self.build.wall:7.2f} s (cpu {self.build.cpu:6.2f} s in this process; "
            f"{self.build.wall / n:.2f} s an edition)",
            f"    composing, sending, ledger {self.wall - self.build.wall:7.2f} s "
            f"(cpu {self.cpu - self.build.cpu:6.2f} s)",
            f"  per subscriber once rendered {wall:7.2f} ms (cpu {cpu:.2f} ms; goal: under 5 ms)",
            f"    the SMTP server's cpu         {server:7.2f} ms "
            "a message (its own process: not sitrep's, but waited for)",
            f"    the ledger's fsyncs           {'-' if self.fsyncs is None else self.fsyncs:>7}"
            f" for {self.sent} messages (group commit)",
        ]


def measured_delivery(
    server: SmtpTestServer, config: Config, subscribers: Sequence[Subscriber], build: Any
) -> Run:
    """Deliver the example day to ``subscribers`` through ``server``."""
    spent = Spent()
    pid = server.proc.pid if server.proc is not None else 0
    server_cpu = process_cpu(pid)
    timed = _TimedPrepare(build, spent) if isinstance(build, Prepares) else _Timed(build, spent)
    t0, c0 = time.perf_counter(), time.process_time()
    with Ledger.for_config(config) as ledger, SmtpMailer(config.smtp) as mailer:
        result = deliver(config, subscribers, start=DAY, mailer=mailer, ledger=ledger,
                         build=timed)  # fmt: skip
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    sync = getattr(ledger, "sync", None)  # None: the code before group commit
    return Run(result, wall, cpu, spent, process_cpu(pid) - server_cpu,
               None if sync is None else sync.fsyncs)  # fmt: skip


def received(server: SmtpTestServer) -> Counter[str]:
    """Messages the server stored, by envelope recipient (from its event log: parsing
    thousands of stored messages would take longer than sending them)."""
    return Counter(
        rcpt for line in server.events() if line.startswith("stored ")
        for rcpt in line.split(" ", 2)[2].split(",")
    )  # fmt: skip
