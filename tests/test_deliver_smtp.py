"""Delivery through a real SMTP server (aiosmtpd in its own process), faults included.

No mock of smtplib: every test sends over TCP to 127.0.0.1 and parses what the server
stored with the ``email`` package.
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from delivery_fakes import FakeGenerator, write_project
from reading import EN
from smtp_server import SmtpTestServer, free_port, wait_until

from sitrep.cli import main
from sitrep.config import Config, load_config
from sitrep.deliver.delivery import DeliveryReport, Outcome, deliver
from sitrep.deliver.ledger import Ledger, Status
from sitrep.deliver.mailers import SmtpMailer
from sitrep.deliver.subscribers import load_subscribers
from sitrep.errors import DeliveryError

DAY = dt.date(2025, 6, 2)
TESTS = Path(__file__).resolve().parent
DRIVER = TESTS / "delivery_driver.py"

PEOPLE: list[dict[str, Any]] = [
    {"name": "Aïcha Maïga", "email": "aicha@example.org", "countries": ["Mali"]},
    {"name": "Bob", "email": "bob@example.org"},
    {"name": "Chloé", "email": "chloe@example.org", "countries": ["Mali"]},
    {"name": "Dan", "email": "dan@example.org"},
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SmtpTestServer]:
    with SmtpTestServer(tmp_path / "smtp") as srv:
        yield srv


def project(tmp_path: Path, port: int, people: list[dict[str, Any]] | None = None,
            **smtp: object) -> Config:  # fmt: skip
    return load_config(write_project(tmp_path / "project", people or PEOPLE, port=port, smtp=smtp))


def send(
    config: Config, *, mailer: SmtpMailer | None = None,
    sleep: Callable[[float], None] | None = None, **kwargs: Any,
) -> DeliveryReport:  # fmt: skip
    mailer = mailer or SmtpMailer(config.smtp)
    with Ledger.for_config(config) as ledger, mailer:
        return deliver(
            config, load_subscribers(config), start=DAY, mailer=mailer, ledger=ledger,
            build=FakeGenerator().for_run(config, DAY), sleep=sleep or (lambda s: None),
            **kwargs,
        )  # fmt: skip


def recipients(srv: SmtpTestServer) -> Counter[str]:
    return Counter(str(m["X-Test-Envelope-To"]) for m in srv.messages())


def test_messages_arrive_intact_over_one_connection(tmp_path: Path, server: SmtpTestServer) -> None:
    config = project(tmp_path, server.port)
    result = send(config)
    assert result.ok, result.problems()
    messages = server.messages()
    assert recipients(server) == Counter({p["email"]: 1 for p in PEOPLE})
    assert server.connections() == 1  # one connection for every recipient
    by_to = {str(m["X-Test-Envelope-To"]): m for m in messages}
    aicha = by_to["aicha@example.org"]
    assert aicha["X-Test-Envelope-From"] == "desk@sitrep.example.org"
    assert aicha["Subject"] == "Sahel sitrep (Mali) - 2 June 2025 - 4 incidents, at least 30 killed"
    assert aicha["To"].addresses[0].display_name == "Aïcha Maïga"
    for header in ("Date", "Message-ID", "From", "Reply-To", "List-Unsubscribe"):
        assert aicha[header], header
    [pdf] = list(aicha.iter_attachments())
    sent_pdf = (config.path(config.report.output) / "sitrep-2025-06-02-MLI.pdf").read_bytes()
    assert pdf.get_filename() == "sitrep-2025-06-02-MLI.pdf"
    assert pdf.get_content() == sent_pdf  # byte for byte the generated file
    body = aicha.get_body(("plain",))
    assert body is not None and "Ménaka" in body.get_content()
    with Ledger.for_config(config) as ledger:
        assert {e.status for e in ledger.entries()} == {Status.SENT}
        assert {e.message_id for e in ledger.entries()} == {m["Message-ID"] for m in messages}


def test_temporary_451_then_success(tmp_path: Path) -> None:
    with SmtpTestServer(tmp_path / "smtp", "--tempfail-rcpt", "1", "--tempfail-data", "1") as srv:
        config = project(tmp_path, srv.port)
        result = send(config)
        assert result.ok, result.problems()
        assert recipients(srv) == Counter({p["email"]: 1 for p in PEOPLE})
        assert any(e.startswith("tempfail-rcpt") for e in srv.events())
        assert any(e.startswith("tempfail-data") for e in srv.events())
    with Ledger.for_config(config) as ledger:
        attempts = sorted(e.attempts for e in ledger.entries())
        assert attempts == [1, 1, 2, 2]


def test_550_for_one_recipient_among_several(tmp_path: Path) -> None:
    with SmtpTestServer(tmp_path / "smtp", "--reject", "bob@example.org") as srv:
        config = project(tmp_path, srv.port)
        result = send(config)
        assert not result.ok
        assert recipients(srv) == Counter(
            {"aicha@example.org": 1, "chloe@example.org": 1, "dan@example.org": 1}
        )
    [failed] = result.problems()
    assert failed.recipient == "bob@example.org" and failed.outcome is Outcome.FAILED
    assert "550" in failed.detail and "mailbox unavailable" in failed.detail
    with Ledger.for_config(config) as ledger:
        entry = ledger.get("2025-06-02", "bob@example.org")
        assert entry is not None and entry.status is Status.FAILED and entry.attempts == 1


def test_connection_dropped_during_data(tmp_path: Path) -> None:
    with SmtpTestServer(tmp_path / "smtp", "--drop-data", "1") as srv:
        config = project(tmp_path, srv.port)
        result = send(config)
        assert result.ok, result.problems()
        assert recipients(srv) == Counter({p["email"]: 1 for p in PEOPLE})
        # Reconnected after the drop, and again for the retry round (closed during backoff).
        assert srv.connections() == 3
    with Ledger.for_config(config) as ledger:
        history = ledger.history("2025-06-02", "aicha@example.org")
        assert [a.status for a in history] == ["deferred", "sent"]
        assert "dropped at end of DATA" in (history[0].detail or "")


def test_server_down_then_started_within_the_run(tmp_path: Path) -> None:
    port = free_port()
    config = project(tmp_path, port)
    srv = SmtpTestServer(tmp_path / "smtp", port=port)
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # the backoff: the server comes up meanwhile
        waits.append(seconds)
        if srv.proc is None:
            srv.start()

    try:
        result = send(config, sleep=sleep)
        assert result.ok, result.problems()
        assert waits == [0.01]
        assert recipients(srv) == Counter({p["email"]: 1 for p in PEOPLE})
    finally:
        srv.stop()


def test_server_down_for_the_whole_run_then_the_next_run(tmp_path: Path) -> None:
    port = free_port()
    config = project(tmp_path, port)
    result = send(config)
    assert not result.ok and result.count(Outcome.DEFERRED) == 4
    assert "cannot connect" in result.problems()[0].detail
    with SmtpTestServer(tmp_path / "smtp", port=port) as srv:
        result = send(config)
        assert result.ok and result.count(Outcome.SENT) == 4
        assert recipients(srv) == Counter({p["email"]: 1 for p in PEOPLE})


# --- TLS and login --------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    trustme = pytest.importorskip("trustme")
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    return folder / "server.pem", folder / "ca.pem"


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_and_login_with_the_password_from_the_environment(
    tmp_path: Path, certificates: tuple[Path, Path], security: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    cert, ca = certificates
    mode = ["--require-starttls"] if security == "starttls" else ["--implicit-tls"]
    args = ["--tls-cert", str(cert), "--auth", "desk:s3cret-Pässword", *mode]
    with SmtpTestServer(tmp_path / "smtp", *args) as srv:
        root = write_project(tmp_path / "project", PEOPLE[:2], port=srv.port,
                             smtp={"security": security, "username": "desk"})  # fmt: skip
        context = ssl.create_default_context(cafile=str(ca))
        caplog.set_level(logging.DEBUG)
        good = load_config(root, environ={"SITREP_SMTP_PASSWORD": "s3cret-Pässword"})
        result = send(good, mailer=SmtpMailer(good.smtp, ssl_context=context))
        assert result.ok, result.problems()
        assert {str(m["X-Test-TLS"]) for m in srv.messages()} == {"yes"}
        assert "auth ok" in srv.events()
        bad = load_config(root, environ={"SITREP_SMTP_PASSWORD": "wrong-password"})
        result = send(bad, mailer=SmtpMailer(bad.smtp, ssl_context=context), resend=True)
    assert result.error is not None and "refused the login of 'desk'" in result.error
    assert "wrong-password" not in result.error and "s3cret" not in caplog.text


def test_starttls_refuses_an_untrusted_certificate(
    tmp_path: Path, certificates: tuple[Path, Path]
) -> None:
    cert, _ = certificates
    with SmtpTestServer(tmp_path / "smtp", "--tls-cert", str(cert)) as srv:
        config = project(tmp_path, srv.port, security="starttls")
        with pytest.raises(DeliveryError, match=r"STARTTLS with 127\.0\.0\.1"):
            SmtpMailer(config.smtp).send(b"x", sender="a@b.c", recipient="d@e.f")
        assert srv.files() == []


# --- the command line, crashes and exactly-once -------------------------------------


def sitrep(project_dir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DRIVER), "run", "--config", str(project_dir), *args],
        capture_output=True, text=True, timeout=timeout, cwd=TESTS,
    )  # fmt: skip


def many(n: int) -> list[dict[str, Any]]:
    return [
        {"name": f"Reader {i}", "email": f"reader{i:02d}@example.org",
         "countries": ["Mali"] if i % 2 else []}
        for i in range(n)
    ]  # fmt: skip


def test_exit_codes_and_the_summary_line(tmp_path: Path) -> None:
    with SmtpTestServer(tmp_path / "smtp", "--reject", "bob@example.org") as srv:
        root = write_project(tmp_path / "project", PEOPLE, port=srv.port)
        done = sitrep(root, "--date", "2025-06-02")
        assert done.returncode == 1, done.stderr
        assert "bob@example.org (all edition): failed: RCPT TO: 550" in done.stderr
        last = done.stderr.strip().splitlines()[-1]
        assert "report 2025-06-02: 3 sent, 1 failed; 2 edition(s) generated" in last
        again = sitrep(root, "--date", "2025-06-02")
        assert again.returncode == 1 and "3 already sent, 1 failed" in again.stderr
        assert main(["run", "--config", str(root), "--date", "June 2"]) == 2
        only = ["--date", "2025-06-02", "--only", "nobody@example.org"]
        assert main(["run", "--config", str(root), *only]) == 2
        assert recipients(srv) == Counter(
            {"aicha@example.org": 1, "chloe@example.org": 1, "dan@example.org": 1}
        )


def _run_and_kill(root: Path, srv: SmtpTestServer, event: str) -> str:
    """Start ``sitrep run``, SIGKILL it when the server logs ``event...``; return that line."""
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), "run", "--config", str(root), "--date", "2025-06-02"],
        cwd=TESTS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def seen() -> str | None:
        return next((e for e in srv.events() if e.startswith(event)), None)

    try:
        wait_until(lambda: seen() is not None or proc.poll() is not None, timeout=30)
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.kill()  # SIGKILL: no cleanup, no ledger update
    finally:
        proc.wait(timeout=10)
    return seen() or ""


def _restart_plain(srv: SmtpTestServer) -> SmtpTestServer:
    srv.stop()
    return SmtpTestServer(srv.folder, port=srv.port).start()


def test_sigkill_before_the_end_of_data_then_rerun_delivers_exactly_once(tmp_path: Path) -> None:
    people = many(8)
    srv = SmtpTestServer(tmp_path / "smtp", "--delay-data-cmd", "20", "--delay-only", "4").start()
    try:
        root = write_project(tmp_path / "project", people, port=srv.port)
        _run_and_kill(root, srv, "data-cmd 4")  # killed while waiting for 354 of message 4
        assert len(srv.files()) == 3
        with Ledger.for_config(load_config(root)) as ledger:
            statuses = Counter(e.status for e in ledger.entries())
        assert statuses == Counter({Status.SENT: 3, Status.SENDING: 1})
        srv = _restart_plain(srv)
        done = sitrep(root, "--date", "2025-06-02")
        assert done.returncode == 0, done.stderr
        assert "5 sent, 3 already sent" in done.stderr
        assert recipients(srv) == Counter({str(p["email"]): 1 for p in people})
    finally:
        srv.stop()


def test_sigkill_after_the_server_has_the_message_then_rerun(tmp_path: Path) -> None:
    people = many(8)
    srv = SmtpTestServer(tmp_path / "smtp", "--delay-after-store", "20", "--delay-only", "3")
    srv.start()
    try:
        root = write_project(tmp_path / "project", people, port=srv.port)
        # Killed while waiting for the 250 of message 3: the server queued it already.
        third = _run_and_kill(root, srv, "stored 3 ").split()[-1]
        assert len(srv.files()) == 3
        with Ledger.for_config(load_config(root)) as ledger:
            statuses = Counter(e.status for e in ledger.entries())
        assert statuses == Counter({Status.SENT: 2, Status.UNCONFIRMED: 1})
        srv = _restart_plain(srv)
        done = sitrep(root, "--date", "2025-06-02")
        assert done.returncode == 0, done.stderr
        assert "5 sent, 2 already sent, 1 unconfirmed" in done.stderr
        assert f"{third} (all edition): unconfirmed" in done.stderr
        assert "--resend-unconfirmed" in done.stderr
        assert recipients(srv) == Counter({str(p["email"]): 1 for p in people})
    finally:
        srv.stop()


def test_overlapping_runs_cannot_both_send(tmp_path: Path) -> None:
    people = many(4)
    srv = SmtpTestServer(tmp_path / "smtp", "--delay-data-cmd", "20", "--delay-only", "1")
    srv.start()
    try:
        root = write_project(tmp_path / "project", people, port=srv.port)
        first = subprocess.Popen(
            [sys.executable, str(DRIVER), "run", "--config", str(root), "--date", "2025-06-02"],
            cwd=TESTS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_until(lambda: "data-cmd 1" in srv.events(), timeout=30)  # first is sending
            second = sitrep(root, "--date", "2025-06-02")
            assert second.returncode == 1 and "another sitrep run holds" in second.stderr
        finally:
            first.kill()
            first.wait(timeout=10)
        srv = _restart_plain(srv)
        third = sitrep(root, "--date", "2025-06-02")  # the lock died with the first run
        assert third.returncode == 0, third.stderr
        assert recipients(srv) == Counter({str(p["email"]): 1 for p in people})
    finally:
        srv.stop()


def test_sitrep_run_end_to_end_on_the_example_data(tmp_path: Path) -> None:
    """The real pipeline: generate the 2 June 2025 example report and mail it."""
    examples = TESTS.parent / "examples" / "sahel-2025-06"
    if not examples.exists():
        pytest.skip("example data not present")
    people: list[dict[str, Any]] = [  # one edition (one PDF to render) keeps this test quick
        {"name": "Desk", "email": "desk@example.org", "receive": ["pdf", "html", "md"]},
        {"name": "Amadou Touré", "email": "amadou@example.org"},
    ]
    with SmtpTestServer(tmp_path / "smtp") as srv:
        root = write_project(tmp_path / "project", people, port=srv.port,
                             report={"data": str(examples)})  # fmt: skip
        assert main(["run", "--config", str(root), "--date", "2025-06-02"]) == 0
        assert recipients(srv) == Counter({"desk@example.org": 1, "amadou@example.org": 1})
        by_to = {str(m["X-Test-Envelope-To"]): m for m in srv.messages()}
        assert main(["run", "--config", str(root), "--date", "2025-06-02"]) == 0
        assert len(srv.files()) == 2  # the re-run sent nothing
    from pypdf import PdfReader

    from sitrep.pipeline import build_report, load

    config = load_config(root)
    report = build_report(config, start=DAY, end=DAY, loaded=load(config))
    figures = report.key_figures
    n, killed = figures.incidents + figures.updates, figures.killed_all.low
    desk = by_to["desk@example.org"]
    expected = f"Sahel sitrep - 2 June 2025 - {n} incident{'' if n == 1 else 's'}"
    assert str(desk["Subject"]) == expected + (f", at least {killed} killed" if killed else "")
    output = root / "output"
    attachments = {a.get_filename(): a.get_payload(decode=True) for a in desk.iter_attachments()}
    assert attachments["sitrep-2025-06-02.pdf"] == (output / "sitrep-2025-06-02.pdf").read_bytes()
    assert attachments["sitrep-2025-06-02.md"] == (output / "sitrep-2025-06-02.md").read_bytes()
    assert len(PdfReader(output / "sitrep-2025-06-02.pdf").pages) >= 1
    amadou = by_to["amadou@example.org"]
    assert [a.get_filename() for a in amadou.iter_attachments()] == ["sitrep-2025-06-02.pdf"]
    text = desk.get_body(("plain",))
    assert text is not None and "KEY DEVELOPMENTS" in text.get_content()
    assert EN.developments(report)[0][:40] in " ".join(text.get_content().split())
