"""Small helpers shared by the benchmarks: wall time and peak memory of a section."""

from __future__ import annotations

import os
import platform
import resource
import time
from dataclasses import dataclass
from pathlib import Path

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_mb(key: str) -> float | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    now = _status_mb("VmRSS")
    return now if now is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux: clear_refs 5)."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    """Peak resident memory since the last reset (or since the process started), in MB."""
    hwm = _status_mb("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Section:
    """Wall time, CPU time and memory of a ``with`` block.

    ``cpu`` is this process's CPU time: when other work shares the 2 cores, wall time grows
    and CPU time much less, so a large gap between them means the figure is inflated.

    ``peak`` is the process's peak RSS during the block (the kernel's high-water mark, reset
    on entry where Linux allows it; otherwise the peak since the process started), ``before``
    the RSS on entry, so ``peak - before`` is what the block itself needed at most.
    """

    name: str
    seconds: float = 0.0
    cpu: float = 0.0
    before: float = 0.0
    after: float = 0.0
    peak: float = 0.0
    reset: bool = False

    def __enter__(self) -> Section:
        self.before = rss_mb()
        self.reset = _reset_peak()
        self._t0 = time.perf_counter()
        self._c0 = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        # The memory is read before the clocks stop: reading it allocates, which may set off
        # the garbage collection of what the block left (put off while a stage paused the
        # collector), a cost of the block that a real run pays at its next allocation.
        self.after = rss_mb()
        self.peak = peak_mb()
        self.seconds = time.perf_counter() - self._t0
        self.cpu = time.process_time() - self._c0

    @property
    def grew(self) -> float:
        """Peak during the block above the RSS on entry, in MB."""
        return self.peak - self.before

    def line(self, extra: str = "") -> str:
        """One printable line: name, seconds, memory."""
        mark = "" if self.reset else " (peak since start)"
        return (
            f"{self.name:<46} {self.seconds:7.2f} s (cpu {self.cpu:6.2f})  "
            f"rss {self.before:7.0f} -> {self.after:7.0f} MB   "
            f"peak {self.peak:7.0f} MB{mark} (+{self.grew:.0f}){extra}"
        )


def machine() -> str:
    """A one-line description of the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
