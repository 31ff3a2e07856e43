"""Sending over several SMTP connections at once (``smtp.connections``), and the ledger's
group commit: a real aiosmtpd server in its own process on 127.0.0.1, a real SQLite ledger,
real processes killed with SIGKILL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from delivery_fakes import FakeGenerator, write_project
from smtp_server import SmtpTestServer, wait_until

from sitrep.config import Config, load_config
from sitrep.deliver import groupsync
from sitrep.deliver.delivery import DeliveryReport, Outcome, RateLimiter, deliver
from sitrep.deliver.ledger import Ledger, Status
from sitrep.deliver.mailers import MemoryMailer, SmtpMailer, TemporaryFailure
from sitrep.deliver.subscribers import load_subscribers
from sitrep.errors import DeliveryError

DAY = dt.date(2025, 6, 2)
REPORT = "2025-06-02"
TESTS = Path(__file__).resolve().parent
DRIVER = TESTS / "delivery_driver.py"


def readers(n: int) -> list[dict[str, Any]]:
    return [
        {"name": f"Reader {i}", "email": f"reader{i:02d}@example.org",
         "countries": ["Mali"] if i % 3 == 0 else []}
        for i in range(n)
    ]  # fmt: skip


def project(tmp_path: Path, port: int, people: list[dict[str, Any]], **smtp: object) -> Config:
    return load_config(write_project(tmp_path / "project", people, port=port, smtp=smtp))


def send(config: Config, **kwargs: Any) -> DeliveryReport:
    with Ledger.for_config(config) as ledger, SmtpMailer(config.smtp) as mailer:
        return deliver(
            config, load_subscribers(config), start=DAY, mailer=mailer, ledger=ledger,
            build=FakeGenerator().for_run(config, DAY), sleep=lambda s: None, **kwargs,
        )  # fmt: skip


def recipients(srv: SmtpTestServer) -> Counter[str]:
    return Counter(str(m["X-Test-Envelope-To"]) for m in srv.messages())


def test_four_connections_deliver_each_message_exactly_once(tmp_path: Path) -> None:
    people = readers(40)
    with SmtpTestServer(tmp_path / "smtp") as srv:
        config = project(tmp_path, srv.port, people, connections=4)
        result = send(config)
        assert result.ok, result.problems()
        assert result.count(Outcome.SENT) == 40
        assert recipients(srv) == Counter({str(p["email"]): 1 for p in people})
        assert srv.connections() == 4  # each connection reused for about ten messages
        ids = {str(m["Message-ID"]) for m in srv.messages()}
    with Ledger.for_config(config) as ledger:
        entries = ledger.entries(REPORT)
        assert {e.status for e in entries} == {Status.SENT} and len(entries) == 40
        assert {e.message_id for e in entries} == ids
        assert [a.status for a in ledger.history(REPORT)] == ["sent"] * 40


def test_retries_and_refusals_over_four_connections(tmp_path: Path) -> None:
    people = readers(24)
    refused = {"reader05@example.org", "reader17@example.org"}
    args = ["--tempfail-rcpt", "3", "--tempfail-data", "2"]
    args += [a for who in sorted(refused) for a in ("--reject", who)]
    with SmtpTestServer(tmp_path / "smtp", *args) as srv:
        config = project(tmp_path, srv.port, people, connections=4)
        result = send(config)
        tempfailed = {e.split()[1] for e in srv.events() if e.startswith("tempfail-")}
        got = recipients(srv)
    assert len(tempfailed) == 5 and not tempfailed & refused
    assert got == Counter({str(p["email"]): 1 for p in people if p["email"] not in refused})
    assert {r.recipient for r in result.problems()} == refused
    assert all(r.outcome is Outcome.FAILED and "550" in r.detail for r in result.problems())
    with Ledger.for_config(config) as ledger:
        for person in people:
            who = str(person["email"])
            entry = ledger.get(REPORT, who)
            history = [a.status for a in ledger.history(REPORT, who)]
            assert entry is not None, who
            if who in refused:
                assert (entry.status, entry.attempts, history) == (Status.FAILED, 1, ["failed"])
            elif who in tempfailed:  # retried in the next round, on whichever connection
                assert (entry.status, entry.attempts) == (Status.SENT, 2)
                assert history == ["deferred", "sent"]
            else:
                assert (entry.status, entry.attempts, history) == (Status.SENT, 1, ["sent"])


def test_a_run_killed_with_four_messages_in_flight_resumes_exactly_once(tmp_path: Path) -> None:
    people = readers(40)
    # From the 10th message on, the server stores each message and then holds its reply:
    # the four connections each end up with a stored message and no answer.
    srv = SmtpTestServer(tmp_path / "smtp", "--delay-after-store", "30", "--delay-from", "10")
    srv.start()
    try:
        root = write_project(tmp_path / "project", people, port=srv.port,
                             smtp={"connections": 4})  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), "run", "--config", str(root), "--date", REPORT],
            cwd=TESTS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def statuses() -> Counter[Status]:
            with Ledger(root / "state" / "deliveries.sqlite") as other:
                return Counter(e.status for e in other.entries(REPORT))

        def stuck() -> bool:  # 13 stored, the last four waiting for their reply
            return len(srv.files()) == 13 and statuses()[Status.UNCONFIRMED] == 4

        try:
            wait_until(lambda: stuck() or proc.poll() is not None, timeout=60)
            assert proc.poll() is None, "the run finished before it could be killed"
            proc.kill()  # SIGKILL: no cleanup, nothing flushed
        finally:
            proc.wait(timeout=10)
        assert len(srv.files()) == 13
        assert statuses() == Counter({Status.SENT: 9, Status.UNCONFIRMED: 4})
        srv.stop()
        srv = SmtpTestServer(srv.folder, port=srv.port).start()
        done = subprocess.run(
            [sys.executable, str(DRIVER), "run", "--config", str(root), "--date", REPORT],
            capture_output=True, text=True, timeout=120, cwd=TESTS,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "27 sent, 9 already sent, 4 unconfirmed" in done.stderr
        assert recipients(srv) == Counter({str(p["email"]): 1 for p in people})
    finally:
        srv.stop()


def test_an_unreachable_server_stops_every_connection(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, readers(12), smtp={"connections": 3,
                                                                    "retries": 0}))  # fmt: skip
    down = MemoryMailer(default=TemporaryFailure("cannot connect", unreachable=True))
    with Ledger.for_config(config) as ledger:
        result = deliver(config, load_subscribers(config), start=DAY, mailer=down,
                         ledger=ledger, build=FakeGenerator().for_run(config, DAY))  # fmt: skip
        assert {e.status for e in ledger.entries(REPORT)} == {Status.DEFERRED}
    assert result.count(Outcome.DEFERRED) == 12
    assert 1 <= len(down.attempts) <= 3  # at most one try a connection, not twelve


def test_the_rate_limit_counts_every_connection() -> None:
    sleeps: list[float] = []
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            sleeps.append(seconds)

    limiter = RateLimiter(30, monotonic=lambda: 100.0, sleep=sleep)  # all at the same moment
    threads = [threading.Thread(target=limiter.wait) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(sleeps) == [2.0, 4.0, 6.0]  # one slot each, two seconds apart


# --- the ledger's group commit ----------------------------------------------------------


def begin(ledger: Ledger, who: str) -> None:
    ledger.begin(REPORT, who, name="", edition="all", message_id=f"<{who}>", generation=0,
                 attachment_sha256=None, sync=False)  # fmt: skip


def test_one_fsync_covers_the_commits_made_during_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []  # commits made when each fsync began
    real = os.fsync

    def slow_fsync(fd: int) -> None:  # a busy disk: 50 ms a sync
        calls.append(ledger.sync._made)
        time.sleep(0.05)
        real(fd)

    monkeypatch.setattr(groupsync.os, "fsync", slow_fsync)
    with Ledger(tmp_path / "deliveries.sqlite") as ledger:

        def connection(n: int) -> None:
            for i in range(25):
                who = f"c{n}-{i}@example.org"
                begin(ledger, who)
                ledger.mark_unconfirmed(REPORT, who, sync=False)

        threads = [threading.Thread(target=connection, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ledger.flush()
        made = ledger.sync._made
        assert made == 200 and ledger.sync.pending == 0
        assert calls and calls[-1] == made  # the last fsync began after the last commit
        # the log's folder once, then the log: far fewer syncs than commits
        assert len(calls) <= made // 4, len(calls)


def test_a_commit_without_fsync_survives_the_process_being_killed(tmp_path: Path) -> None:
    path = tmp_path / "deliveries.sqlite"
    child = (
        "import sys, os\n"
        "from sitrep.deliver.ledger import Ledger\n"
        "ledger = Ledger(__import__('pathlib').Path(sys.argv[1]))\n"
        "ledger.begin('2025-06-02', 'a@example.org', name='', edition='all', message_id='<a>',"
        " generation=0, attachment_sha256=None, sync=False)\n"
        "ledger.mark_unconfirmed('2025-06-02', 'a@example.org', sync=False)\n"
        "os.kill(os.getpid(), 9)\n"  # no close, no flush, no fsync
    )
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent)}
    done = subprocess.run([sys.executable, "-c", child, str(path)], env=env, timeout=60)
    assert done.returncode == -9
    with Ledger(path) as ledger:
        entry = ledger.get(REPORT, "a@example.org")
    assert entry is not None and entry.status is Status.UNCONFIRMED


def test_a_disk_that_refuses_the_fsync_stops_the_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    ledger = Ledger(tmp_path / "deliveries.sqlite")
    monkeypatch.setattr(groupsync.os, "fsync", broken)
    begin(ledger, "a@example.org")
    with pytest.raises(DeliveryError, match=r"deliveries\.sqlite.*Input/output error"):
        ledger.flush()
    monkeypatch.undo()
    with pytest.raises(DeliveryError):
        ledger.close()
