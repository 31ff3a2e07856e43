"""The scheduler on an injected clock: DST, catch-up, retries, heartbeat, clean stop."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from delivery_fakes import write_project
from smtp_server import wait_until

from sitrep.commands.schedule import config_job
from sitrep.config import load_config
from sitrep.deliver.scheduling import (
    DailyScheduler,
    ScheduleState,
    latest_slot,
    next_slot,
    slot_on,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
SIX = dt.time(6, 0)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(instant: dt.datetime) -> str:
    return instant.astimezone(PARIS).strftime("%Y-%m-%d %H:%M %Z")


class FakeTime:
    """A clock and a sleep that advances it; counts the sleeps."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        if len(self.sleeps) > 10_000:
            raise AssertionError("the scheduler does not stop")
        self.now += dt.timedelta(seconds=seconds)


def make(
    tmp_path: Path, fake: FakeTime, job: Callable[[dt.datetime], bool], **kwargs: Any
) -> DailyScheduler:
    return DailyScheduler(
        job, at=SIX, zone=PARIS,
        state_file=tmp_path / "schedule.json", heartbeat_file=tmp_path / "heartbeat",
        clock=fake.clock, sleep=fake.sleep, **kwargs,
    )  # fmt: skip


def test_slots_keep_the_local_time_across_dst() -> None:
    # Spring forward (30 March 2025): 06:00 CET -> 06:00 CEST is 23 hours later.
    before = slot_on(dt.date(2025, 3, 29), SIX, PARIS)
    after = next_slot(before, SIX, PARIS)
    assert (before, after) == (utc(2025, 3, 29, 5), utc(2025, 3, 30, 4))
    assert local(after) == "2025-03-30 06:00 CEST"
    # Fall back (26 October 2025): 25 hours.
    before = slot_on(dt.date(2025, 10, 25), SIX, PARIS)
    assert next_slot(before, SIX, PARIS) == utc(2025, 10, 26, 5)
    # 02:30 does not exist on 30 March: it runs at 03:30 CEST, once.
    gap = slot_on(dt.date(2025, 3, 30), dt.time(2, 30), PARIS)
    assert local(gap) == "2025-03-30 03:30 CEST"
    # 02:30 happens twice on 26 October: the first one, and only once.
    twice = slot_on(dt.date(2025, 10, 26), dt.time(2, 30), PARIS)
    assert twice == utc(2025, 10, 26, 0, 30)
    assert next_slot(twice, dt.time(2, 30), PARIS) == utc(2025, 10, 27, 1, 30)
    assert latest_slot(utc(2025, 10, 26, 1, 45), dt.time(2, 30), PARIS) == twice


def test_daily_runs_across_dst_at_06_local(tmp_path: Path) -> None:
    fake = FakeTime(utc(2025, 3, 27, 12))  # Thursday noon, before the change
    ScheduleState(utc(2025, 3, 27, 5), True, utc(2025, 3, 27, 5, 1)).save(
        tmp_path / "schedule.json"
    )
    runs: list[dt.datetime] = []

    def job(slot: dt.datetime) -> bool:
        assert fake.now == slot  # run at the slot, not later
        runs.append(slot)
        fake.now += dt.timedelta(minutes=3)  # the job takes a while
        if len(runs) == 5:
            scheduler.request_stop()
        return True

    scheduler = make(tmp_path, fake, job, heartbeat_seconds=3600)
    scheduler.run_forever()
    assert [local(r) for r in runs] == [
        "2025-03-28 06:00 CET", "2025-03-29 06:00 CET", "2025-03-30 06:00 CEST",
        "2025-03-31 06:00 CEST", "2025-04-01 06:00 CEST",
    ]  # fmt: skip
    assert max(fake.sleeps) <= 3600  # the heartbeat is rewritten at least every hour
    state = ScheduleState.load(tmp_path / "schedule.json")
    assert state.slot == runs[-1] and state.ok


def test_a_missed_run_is_caught_up_once_at_start(tmp_path: Path) -> None:
    # Last run three days ago; the machine comes back at 10:00 local.
    ScheduleState(utc(2025, 6, 1, 4), True, utc(2025, 6, 1, 4, 2)).save(tmp_path / "schedule.json")
    fake = FakeTime(utc(2025, 6, 4, 8))
    runs: list[tuple[dt.datetime, dt.datetime]] = []

    def job(slot: dt.datetime) -> bool:
        runs.append((fake.now, slot))
        if len(runs) == 2:
            scheduler.request_stop()
        return True

    scheduler = make(tmp_path, fake, job, heartbeat_seconds=3600)
    scheduler.run_forever()
    assert runs == [
        (utc(2025, 6, 4, 8), utc(2025, 6, 4, 4)),  # caught up at once, for today's slot
        (utc(2025, 6, 5, 4), utc(2025, 6, 5, 4)),  # then back on schedule
    ]


def test_no_catch_up_when_the_days_run_is_done(tmp_path: Path) -> None:
    ScheduleState(utc(2025, 6, 4, 4), True, utc(2025, 6, 4, 4, 1)).save(tmp_path / "schedule.json")
    fake = FakeTime(utc(2025, 6, 4, 8))
    scheduler = make(tmp_path, fake, lambda slot: True)
    scheduler.plan()
    assert scheduler.due == utc(2025, 6, 5, 4)


def test_first_start_runs_the_latest_slot(tmp_path: Path) -> None:
    fake = FakeTime(utc(2025, 6, 4, 8))
    scheduler = make(tmp_path, fake, lambda slot: True)
    scheduler.plan()
    assert (scheduler.due, scheduler.due_slot) == (fake.now, utc(2025, 6, 4, 4))


def test_a_failed_run_is_retried_until_the_next_slot(tmp_path: Path) -> None:
    fake = FakeTime(utc(2025, 6, 4, 3, 59))
    ScheduleState(utc(2025, 6, 3, 4), True, utc(2025, 6, 3, 4)).save(tmp_path / "schedule.json")
    runs: list[tuple[dt.datetime, dt.datetime]] = []

    def job(slot: dt.datetime) -> bool:
        runs.append((fake.now, slot))
        if len(runs) == 4:
            scheduler.request_stop()
        return len(runs) >= 3  # two failures, then success

    scheduler = make(tmp_path, fake, job, retry_minutes=30, heartbeat_seconds=3600)
    scheduler.run_forever()
    slot = utc(2025, 6, 4, 4)
    assert runs == [
        (slot, slot),
        (utc(2025, 6, 4, 4, 30), slot),  # retried for the same slot (same report day)
        (utc(2025, 6, 4, 5), slot),
        (utc(2025, 6, 5, 4), utc(2025, 6, 5, 4)),
    ]


def test_a_crashing_job_does_not_kill_the_scheduler(tmp_path: Path) -> None:
    fake = FakeTime(utc(2025, 6, 4, 8))
    calls: list[dt.datetime] = []

    def job(slot: dt.datetime) -> bool:
        calls.append(slot)
        if len(calls) == 2:
            scheduler.request_stop()
            return True
        raise RuntimeError("boom")

    scheduler = make(tmp_path, fake, job, retry_minutes=15)
    scheduler.run_forever()
    assert len(calls) == 2 and fake.now == utc(2025, 6, 4, 8, 15)


def test_sigterm_stops_cleanly_after_the_current_job(tmp_path: Path) -> None:
    fake = FakeTime(utc(2025, 6, 4, 8))
    finished: list[bool] = []

    def job(slot: dt.datetime) -> bool:
        os.kill(os.getpid(), signal.SIGTERM)  # arrives in the middle of the job
        finished.append(True)  # ...which still runs to the end
        return True

    scheduler = make(tmp_path, fake, job)
    before = signal.getsignal(signal.SIGTERM)
    restore = scheduler.install_signal_handlers()
    try:
        scheduler.run_forever()
    finally:
        restore()
    assert signal.getsignal(signal.SIGTERM) == before
    assert finished == [True] and scheduler.stopping
    assert fake.sleeps == []  # stopped right after the job, without waiting for the next
    assert ScheduleState.load(tmp_path / "schedule.json").ok
    beat = json.loads((tmp_path / "heartbeat").read_text())
    assert beat["state"] == "stopping" and beat["pid"] == os.getpid()


def test_heartbeat_shows_the_next_run(tmp_path: Path) -> None:
    ScheduleState(utc(2025, 6, 4, 4), True, utc(2025, 6, 4, 4, 1)).save(tmp_path / "schedule.json")
    fake = FakeTime(utc(2025, 6, 4, 8))
    scheduler = make(tmp_path, fake, lambda slot: True, heartbeat_seconds=60)
    beats: list[dict[str, object]] = []
    sleep = fake.sleep

    def sleep_and_read(seconds: float) -> None:
        beats.append(json.loads((tmp_path / "heartbeat").read_text()))
        if len(beats) == 3:
            scheduler.request_stop()
        sleep(seconds)

    scheduler._sleep = sleep_and_read
    scheduler.run_forever()
    assert [b["time"] for b in beats] == [
        "2025-06-04T08:00:00+00:00", "2025-06-04T08:01:00+00:00", "2025-06-04T08:02:00+00:00",
    ]  # fmt: skip
    assert beats[0]["next_run"] == "2025-06-05T06:00+02:00"
    assert beats[0]["state"] == "idle" and beats[0]["time_zone"] == "Europe/Paris"


def test_for_config_uses_the_schedule_zone_or_the_report_zone(tmp_path: Path) -> None:
    root = write_project(tmp_path, [], report={"timezone": "Africa/Bamako"})
    config = load_config(root)
    assert DailyScheduler.for_config(config, lambda s: True).zone.key == "Africa/Bamako"
    text = (root / "sitrep.toml").read_text()
    (root / "sitrep.toml").write_text(
        text + '\n[schedule]\ntime = "07:30"\ntimezone = "Europe/Paris"\n'
    )
    config = load_config(root)
    scheduler = DailyScheduler.for_config(config, lambda s: True)
    assert (scheduler.zone.key, scheduler.at) == ("Europe/Paris", dt.time(7, 30))
    assert scheduler.state_file == root / "state" / "schedule.json"


def test_the_production_job_runs_sitrep_run_for_the_slot(tmp_path: Path) -> None:
    root = write_project(tmp_path, [])  # nobody to send to: nothing is generated
    assert config_job(root)(utc(2025, 6, 3, 4)) is True


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sitrep_schedule_process_heartbeat_and_sigterm(tmp_path: Path) -> None:
    root = write_project(tmp_path, [])
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitrep", "schedule", "--config", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    heartbeat = root / "state" / "schedule.heartbeat"
    try:
        wait_until(lambda: (root / "state" / "schedule.json").exists(), timeout=30)
        wait_until(heartbeat.exists, timeout=10)
        assert json.loads(heartbeat.read_text())["pid"] == proc.pid
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "catching up" in err and "scheduler stopped" in err
    assert json.loads(heartbeat.read_text())["state"] == "stopping"
