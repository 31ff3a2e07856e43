"""``sitrep schedule``: the daily run at a local time, in the foreground, DST-safe.

The run time is a wall-clock time in a time zone (``schedule.time`` in
``schedule.timezone``, default ``report.timezone``). Each day's instant is computed from
the calendar date with :mod:`zoneinfo`, never by adding 24 hours, so the run stays at
06:00 local time across daylight-saving changes. A time that does not exist on the day
the clocks go forward (02:30 in Europe/Paris) runs at the same offset after the change
(03:30); a time that happens twice when they go back runs once, the first time.

The `schedule` library holds the job and runs it when due; which instant is due is
decided here, on an injectable clock, so the scheduler is tested without sleeping.

State kept in the state folder:

* ``schedule.json``: the last slot run and whether it succeeded. At start, a slot that
  passed without a successful run (machine down, service stopped) is caught up at once;
  a failed run is tried again after ``schedule.retry_minutes``, until the next slot.
* ``schedule.heartbeat``: rewritten at least every ``schedule.heartbeat_seconds`` (and
  before and after each job) with the pid, the time and the next run, so a monitor can
  tell the scheduler is alive.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

import schedule

from ..config import Config
from ..errors import SitrepError
from ..writers import write_atomic
from .ledger import Clock, utcnow

logger = logging.getLogger(__name__)

STATE_NAME = "schedule.json"
HEARTBEAT_NAME = "schedule.heartbeat"

Job = Callable[[dt.datetime], bool]
"""The daily job: given its slot (an aware instant), run it; True when it succeeded."""


def slot_on(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The instant (UTC) of wall-clock time ``at`` on ``day`` in ``zone``.

    ``fold=0`` picks the first of a repeated hour; in a skipped hour it gives the
    instant at the old offset, which reads as the same time plus the gap after the change.
    """
    local = dt.datetime.combine(day, at.replace(tzinfo=None)).replace(tzinfo=zone, fold=0)
    return local.astimezone(dt.UTC)


def next_slot(after: dt.datetime, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The first slot strictly after ``after``."""
    day = after.astimezone(zone).date()
    for offset in range(-1, 3):
        slot = slot_on(day + dt.timedelta(days=offset), at, zone)
        if slot > after:
            return slot
    raise AssertionError("unreachable: a slot exists every calendar day")  # pragma: no cover


def latest_slot(now: dt.datetime, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The last slot at or before ``now``."""
    day = now.astimezone(zone).date()
    for offset in range(1, -3, -1):
        slot = slot_on(day + dt.timedelta(days=offset), at, zone)
        if slot <= now:
            return slot
    raise AssertionError("unreachable: a slot exists every calendar day")  # pragma: no cover


@dataclass(frozen=True)
class ScheduleState:
    """The last slot the scheduler ran, and how it went."""

    slot: dt.datetime | None = None
    ok: bool = False
    finished: dt.datetime | None = None

    @classmethod
    def load(cls, path: Path) -> ScheduleState:
        """Read the state file; a missing or unreadable one means nothing was run yet."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                slot=dt.datetime.fromisoformat(data["slot"]),
                ok=bool(data["ok"]),
                finished=dt.datetime.fromisoformat(data["finished"]),
            )
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("ignoring unreadable %s (%s): treating as never run", path, exc)
            return cls()

    def save(self, path: Path) -> None:
        """Write the state file atomically."""
        assert self.slot is not None and self.finished is not None
        data = {"slot": self.slot.isoformat(), "ok": self.ok,
                "finished": self.finished.isoformat()}  # fmt: skip
        write_atomic(path, json.dumps(data, indent=2) + "\n")


class _ClockedJob(schedule.Job):
    """A `schedule` job whose due time is the owner's, on the owner's clock."""

    def __init__(self, owner: DailyScheduler) -> None:
        super().__init__(1, owner.poller)
        self.unit = "days"
        self._owner = owner

    @property
    def should_run(self) -> bool:
        return bool(self._owner.clock() >= self._owner.due)

    def _schedule_next_run(self) -> None:
        self._owner.plan()
        # `schedule` shows next_run as a naive local time; it is for display only here.
        self.next_run = self._owner.due.astimezone().replace(tzinfo=None)


class DailyScheduler:
    """Runs ``job`` once a day at ``at`` in ``zone``, catching up and retrying as needed.

    ``clock`` returns aware datetimes; ``sleep`` waits (the default wakes early when a
    stop is requested). Both are injectable so tests drive days in microseconds.
    """

    def __init__(
        self,
        job: Job,
        *,
        at: dt.time,
        zone: ZoneInfo,
        state_file: Path,
        heartbeat_file: Path,
        retry_minutes: int = 30,
        heartbeat_seconds: float = 60.0,
        clock: Clock = utcnow,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.job = job
        self.at = at
        self.zone = zone
        self.state_file = state_file
        self.heartbeat_file = heartbeat_file
        self.retry = dt.timedelta(minutes=retry_minutes)
        self.heartbeat_seconds = heartbeat_seconds
        self.clock = clock
        self._sleep = sleep or self._interruptible_sleep
        self.poller = schedule.Scheduler()
        self.stopping = False
        self.busy = False
        self.due = clock()
        self.due_slot = clock()
        self.runs = 0

    @classmethod
    def for_config(cls, config: Config, job: Job, **kwargs: Any) -> DailyScheduler:
        """A scheduler for the configured time, zone and state folder."""
        sc = config.schedule
        state = config.path(config.state)
        return cls(
            job,
            at=dt.time.fromisoformat(sc.time),
            zone=ZoneInfo(sc.timezone or config.report.timezone),
            state_file=state / STATE_NAME,
            heartbeat_file=state / HEARTBEAT_NAME,
            retry_minutes=sc.retry_minutes,
            heartbeat_seconds=sc.heartbeat_seconds,
            **kwargs,
        )

    # --- planning -----------------------------------------------------------------------

    def plan(self) -> None:
        """Decide when the job runs next (``due``) and for which slot (``due_slot``)."""
        now = self.clock()
        state = ScheduleState.load(self.state_file)
        latest = latest_slot(now, self.at, self.zone)
        upcoming = next_slot(now, self.at, self.zone)
        if state.slot is None or state.slot < latest:
            why = "never run" if state.slot is None else f"last run was for {state.slot}"
            logger.info("catching up the run of %s (%s)", self._local(latest), why)
            self.due, self.due_slot = now, latest
        elif not state.ok and self.retry and state.finished is not None:
            retry_at = max(state.finished + self.retry, now)
            if retry_at < upcoming:
                self.due, self.due_slot = retry_at, state.slot
            else:
                self.due, self.due_slot = upcoming, upcoming
        else:
            self.due, self.due_slot = upcoming, upcoming

    def _local(self, instant: dt.datetime) -> str:
        return instant.astimezone(self.zone).isoformat(timespec="minutes")

    # --- running ------------------------------------------------------------------------

    def _run_due(self) -> None:
        slot = self.due_slot
        self.busy = True
        self.beat()
        logger.info("running the daily job for %s", self._local(slot))
        try:
            ok = bool(self.job(slot))
        except SitrepError as exc:
            logger.error("the daily job failed: %s", exc)
            ok = False
        except Exception:
            logger.exception("the daily job crashed")
            ok = False
        finally:
            self.busy = False
        self.runs += 1
        ScheduleState(slot, ok, self.clock()).save(self.state_file)
        if not ok and self.retry:
            minutes = int(self.retry.total_seconds() // 60)
            logger.warning("the daily job did not succeed; trying again in %d min", minutes)

    def beat(self) -> None:
        """Rewrite the heartbeat file."""
        data = {
            "pid": os.getpid(),
            "time": self.clock().isoformat(timespec="seconds"),
            "state": "stopping" if self.stopping else ("running job" if self.busy else "idle"),
            "next_run": self._local(self.due),
            "next_slot": self._local(self.due_slot),
            "time_zone": self.zone.key,
        }
        write_atomic(self.heartbeat_file, json.dumps(data, indent=2) + "\n")

    def request_stop(self, *_: object) -> None:
        """Stop after the current job (if any); safe to call from a signal handler."""
        if not self.stopping:
            logger.info("stop requested: %s", "after the current job" if self.busy else "now")
        self.stopping = True

    def _interruptible_sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.5))

    def install_signal_handlers(self) -> Callable[[], None]:
        """Make SIGTERM and SIGINT stop the scheduler cleanly; returns a function undoing it."""

        def handler(signum: int, frame: FrameType | None) -> None:
            self.request_stop()

        old = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}

        def restore() -> None:
            for sig, previous in old.items():
                signal.signal(sig, previous)

        return restore

    def run_forever(self) -> None:
        """Run until a stop is requested; a missed run is caught up first."""
        self.poller.clear()
        _ClockedJob(self).do(self._run_due)
        logger.info("scheduler started: next run %s", self._local(self.due))
        while not self.stopping:
            self.poller.run_pending()
            self.beat()
            if self.stopping:
                break
            wait = (self.due - self.clock()).total_seconds()
            self._sleep(min(max(wait, 0.0), self.heartbeat_seconds))
        self.beat()
        logger.info("scheduler stopped")
