"""Delivery logic with the in-memory mailer: editions, messages, ledger, retries, dry run."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import logging
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from delivery_fakes import FakeGenerator, write_project

from sitrep.config import Config, load_config
from sitrep.daily import run_daily
from sitrep.deliver.delivery import DeliveryReport, Outcome, RateLimiter, deliver
from sitrep.deliver.ledger import Ledger, Status
from sitrep.deliver.mailers import EmlMailer, MemoryMailer, PermanentFailure, TemporaryFailure
from sitrep.deliver.messages import Composer, attachment_name, header_safe, long_date
from sitrep.deliver.runlock import RunLock
from sitrep.deliver.subscribers import Subscriber, load_subscribers
from sitrep.errors import DataError, DeliveryError, LockError

DAY = dt.date(2025, 6, 2)

SUBSCRIBERS: list[dict[str, Any]] = [
    {"name": "Aïcha Maïga", "email": "aicha@example.org", "countries": ["Mali"]},
    {"name": "Bram", "email": "bram@example.org", "countries": ["MLI"], "receive": ["pdf", "md"]},
    {"name": "Chloé", "email": "chloe@example.org"},
    {"name": "Dara", "email": "dara@example.org", "min_severity": "major", "receive": ["html"]},
    {"name": "Ezra", "email": "ezra@example.org", "active": False},
]


class Sleeps:
    """A fake sleep that records what it was asked to wait."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def setup(tmp_path: Path, subscribers: list[dict[str, Any]] | None = None,
          **smtp: object) -> Config:  # fmt: skip
    return load_config(write_project(tmp_path, subscribers or SUBSCRIBERS, smtp=smtp))


def run(config: Config, mailer: MemoryMailer, gen: FakeGenerator | None = None,
        sleep: Sleeps | None = None, **kwargs: Any) -> DeliveryReport:  # fmt: skip
    with Ledger.for_config(config) as ledger:
        return deliver(
            config, load_subscribers(config), start=DAY, mailer=mailer, ledger=ledger,
            build=(gen or FakeGenerator()).for_run(config, DAY), sleep=sleep or Sleeps(),
            **kwargs,
        )  # fmt: skip


def parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_one_report_per_edition_and_a_message_per_active_subscriber(tmp_path: Path) -> None:
    config = setup(tmp_path)
    mailer, gen = MemoryMailer(), FakeGenerator()
    result = run(config, mailer, gen)
    assert result.ok and result.count(Outcome.SENT) == 4
    assert result.editions_generated == 3
    assert [(c[2].key, c[3]) for c in gen.calls] == [
        ("MLI", ("md", "pdf")), ("all", ("pdf",)), ("major", ()),
    ]  # fmt: skip
    assert [s.recipient for s in mailer.sent] == [
        "aicha@example.org", "bram@example.org", "chloe@example.org", "dara@example.org",
    ]  # fmt: skip
    assert mailer.closed == 0  # the caller owns the connection
    assert "4 sent; 3 edition(s) generated for 4 subscriber(s)" in result.summary()


def test_message_structure_and_headers(tmp_path: Path) -> None:
    config = setup(tmp_path)
    mailer = MemoryMailer()
    run(config, mailer)
    aicha, bram, chloe, dara = (parse(s.message) for s in mailer.sent)
    assert aicha["Subject"] == (
        "Sahel sitrep (Mali) - 2 June 2025 - 4 incidents, at least 30 killed"
    )
    assert chloe["Subject"] == "Sahel sitrep - 2 June 2025 - 4 incidents, at least 30 killed"
    assert aicha["To"].addresses[0].display_name == "Aïcha Maïga"
    assert aicha["To"].addresses[0].addr_spec == "aicha@example.org"
    assert aicha["From"] == "Sahel desk <desk@sitrep.example.org>"
    assert aicha["Reply-To"] == "analysts@sitrep.example.org"
    # Long headers are folded (CRLF + space before the value); unfolded, the value is exact.
    assert aicha["List-Unsubscribe"].strip() == (
        "<mailto:unsubscribe@sitrep.example.org?subject=aicha@example.org>"
    )
    assert aicha["Date"].datetime.tzinfo is not None
    assert aicha["Message-ID"].startswith("<sitrep.2025-06-02.MLI.")
    assert aicha["Message-ID"].endswith("@sitrep.example.org>")
    assert len({m["Message-ID"] for m in (aicha, bram, chloe, dara)}) == 4
    # multipart/mixed: alternative (text + html) and the PDF
    assert aicha.get_content_type() == "multipart/mixed"
    text = aicha.get_body(("plain",))
    html = aicha.get_body(("html",))
    assert text is not None and html is not None
    assert "armed men attacked a convoy in Ménaka" in text.get_content()
    assert "Killed: at least 30 killed" in text.get_content()
    assert "<li" in html.get_content() and "Ménaka" in html.get_content()
    assert "<img" not in html.get_content()  # readable with images blocked
    [pdf] = list(aicha.iter_attachments())
    assert pdf.get_filename() == "sitrep-2025-06-02-MLI.pdf"
    assert pdf.get_content().startswith(b"%PDF-")
    assert pdf.get_content() == (tmp_path / "output" / "sitrep-2025-06-02-MLI.pdf").read_bytes()
    # Bram: PDF and Markdown attached, no HTML body
    assert bram.get_body(("html",)) is None
    names = [a.get_filename() for a in bram.iter_attachments()]
    assert names == ["sitrep-2025-06-02-MLI.md", "sitrep-2025-06-02-MLI.pdf"]
    # Dara: HTML and text, nothing attached
    assert dara.get_content_type() == "multipart/alternative"
    assert list(dara.iter_attachments()) == []
    # The raw message is ASCII with CRLF line ends; no line is too long for SMTP.
    raw = mailer.sent[0].message
    assert raw.isascii() and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_header_values_from_data_cannot_inject_headers(tmp_path: Path) -> None:
    config = setup(tmp_path)
    config = config.model_copy(
        update={
            "report": config.report.model_copy(
                update={"title": "Ménaka sitrep\r\nBcc: victim@example.org"}
            )
        }
    )
    evil = Subscriber(
        email="eve@example.org", name="Eve\r\nBcc: spy@example.org\nX-Evil: 1",
    )  # fmt: skip
    mailer = MemoryMailer()
    with Ledger.for_config(config) as ledger:
        deliver(config, [evil], start=DAY, mailer=mailer, ledger=ledger,
                build=FakeGenerator().for_run(config, DAY))
    raw = mailer.sent[0].message
    msg = parse(raw)
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert msg["Subject"].startswith("Ménaka sitrep Bcc: victim@example.org - 2 June 2025")
    assert msg["To"].addresses[0].display_name == "Eve Bcc: spy@example.org X-Evil: 1"
    headers = raw.split(b"\r\n\r\n", 1)[0].decode()
    assert not any(line.lower().startswith(("bcc:", "x-evil:")) for line in headers.split("\r\n"))
    assert header_safe("a\r\nb\x00c\u2028d") == "a b c d"


def test_rerun_sends_only_what_is_missing_and_resend_forces(tmp_path: Path) -> None:
    config = setup(tmp_path)
    first = MemoryMailer()
    run(config, first)
    again, gen = MemoryMailer(), FakeGenerator()
    result = run(config, again, gen)
    assert again.sent == [] and gen.calls == []  # nothing missing: nothing generated
    assert result.ok and result.count(Outcome.ALREADY) == 4
    forced = MemoryMailer()
    result = run(config, forced, resend=True, only=["chloe@example.org"])
    assert [s.recipient for s in forced.sent] == ["chloe@example.org"]
    old_id = parse(first.sent[2].message)["Message-ID"]
    assert parse(forced.sent[0].message)["Message-ID"] != old_id  # not hidden as a duplicate
    with Ledger.for_config(config) as ledger:
        entry = ledger.get("2025-06-02", "chloe@example.org")
        assert entry is not None and entry.generation == 1 and entry.attempts == 2


def test_temporary_failures_are_retried_with_exponential_backoff(tmp_path: Path) -> None:
    config = setup(tmp_path, retries=3, backoff_seconds=2)
    mailer = MemoryMailer(failures={
        "chloe@example.org": [TemporaryFailure("RCPT TO: 451 try later", 451)] * 2,
    })  # fmt: skip
    sleeps = Sleeps()
    result = run(config, mailer, sleep=sleeps)
    assert result.ok
    assert sleeps.calls == [2, 4]
    assert mailer.attempts.count("chloe@example.org") == 3
    assert [s.recipient for s in mailer.sent].count("chloe@example.org") == 1
    with Ledger.for_config(config) as ledger:
        history = [a.status for a in ledger.history("2025-06-02", "chloe@example.org")]
        assert history == ["deferred", "deferred", "sent"]


def test_deferred_after_the_last_retry_is_sent_by_the_next_run(tmp_path: Path) -> None:
    config = setup(tmp_path, retries=1, backoff_seconds=0)
    down = MemoryMailer(default=TemporaryFailure("cannot connect", unreachable=True))
    result = run(config, down)
    assert not result.ok and result.count(Outcome.DEFERRED) == 4
    assert down.attempts == ["aicha@example.org", "aicha@example.org"]  # one try per round
    with Ledger.for_config(config) as ledger:
        assert {e.status for e in ledger.entries()} == {Status.DEFERRED}
    up = MemoryMailer()
    result = run(config, up)
    assert result.ok and len(up.sent) == 4


def test_permanent_failure_is_recorded_and_does_not_stop_the_others(tmp_path: Path) -> None:
    config = setup(tmp_path)
    mailer = MemoryMailer(failures={
        "bram@example.org": [PermanentFailure("RCPT TO: 550 mailbox unavailable", 550)],
    })  # fmt: skip
    result = run(config, mailer)
    assert not result.ok
    assert result.count(Outcome.SENT) == 3 and result.count(Outcome.FAILED) == 1
    assert mailer.attempts.count("bram@example.org") == 1  # not retried
    [problem] = result.problems()
    assert problem.recipient == "bram@example.org" and "550" in problem.detail
    rerun = MemoryMailer()
    result = run(config, rerun)
    assert rerun.sent == [] and not result.ok  # still reported, not retried
    assert "failed in an earlier run" in result.problems()[0].detail
    with Ledger.for_config(config) as ledger:
        entry = ledger.get("2025-06-02", "bram@example.org")
        assert entry is not None and entry.status is Status.FAILED and entry.smtp_code == 550


def test_a_run_that_cannot_log_in_stops_and_leaves_the_rest_for_later(tmp_path: Path) -> None:
    config = setup(tmp_path)
    mailer = MemoryMailer(failures={"aicha@example.org": [DeliveryError("login refused")]})
    result = run(config, mailer)
    assert result.error == "login refused" and not result.ok
    assert result.count(Outcome.DEFERRED) == 4 and mailer.attempts == ["aicha@example.org"]
    assert run(config, MemoryMailer()).ok


def test_an_edition_that_cannot_be_generated_does_not_stop_the_others(tmp_path: Path) -> None:
    config = setup(tmp_path, subscribers=SUBSCRIBERS[2:3])
    gen = FakeGenerator(fail=DataError([], "the data has problems"))
    result = run(config, MemoryMailer(), gen)
    assert not result.ok and result.count(Outcome.DEFERRED) == 1
    assert "report not generated" in result.problems()[0].detail


def test_interrupted_deliveries_found_by_the_next_run(tmp_path: Path) -> None:
    config = setup(tmp_path)
    composer_domain = Composer(config).domain
    with Ledger.for_config(config) as ledger:
        for who, status in (("aicha@example.org", "sending"), ("chloe@example.org", "unc")):
            ledger.begin("2025-06-02", who, name="", edition="x", message_id=f"<{who}>",
                         generation=0, attachment_sha256=None)  # fmt: skip
            if status == "unc":
                ledger.mark_unconfirmed("2025-06-02", who)
    mailer = MemoryMailer()
    result = run(config, mailer)
    sent = [s.recipient for s in mailer.sent]
    assert "aicha@example.org" in sent  # died before the end of DATA: cannot be delivered
    assert "chloe@example.org" not in sent  # the server had the whole message
    assert result.ok and result.count(Outcome.UNCONFIRMED) == 1
    unconfirmed = [r for r in result.problems() if r.outcome is Outcome.UNCONFIRMED]
    assert "--resend-unconfirmed" in unconfirmed[0].detail
    forced = MemoryMailer()
    run(config, forced, resend_unconfirmed=True)
    assert [s.recipient for s in forced.sent] == ["chloe@example.org"]
    # Same Message-ID as the interrupted attempt would have had: clients collapse duplicates.
    assert parse(forced.sent[0].message)["Message-ID"].endswith(f"@{composer_domain}>")


def test_dry_run_writes_eml_files_and_leaves_the_ledger_alone(tmp_path: Path) -> None:
    config = setup(tmp_path)
    outbox = tmp_path / "outbox"
    result = run_daily(config, day=DAY, dry_run=True, outbox=outbox, build=FakeGenerator().for_plan)
    assert result.ok and result.count(Outcome.WRITTEN) == 4
    files = sorted(p.name for p in outbox.iterdir())
    assert files == ["aicha@example.org.eml", "bram@example.org.eml", "chloe@example.org.eml",
                     "dara@example.org.eml"]  # fmt: skip
    msg = parse((outbox / "chloe@example.org.eml").read_bytes())
    assert msg["To"].addresses[0].addr_spec == "chloe@example.org"
    with Ledger.for_config(config) as ledger:
        assert ledger.entries() == []
    assert isinstance(EmlMailer(outbox).send(b"x", sender="a", recipient="b@c"), str)


def test_rate_limit_spaces_the_sends() -> None:
    now = [0.0]
    sleeps: list[float] = []

    def sleep(s: float) -> None:
        sleeps.append(s)
        now[0] += s

    limiter = RateLimiter(30, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(3):
        limiter.wait()
        now[0] += 0.5  # sending takes half a second
    assert sleeps == [1.5, 1.5]


def test_the_run_lock_keeps_a_second_run_out(tmp_path: Path) -> None:
    config = setup(tmp_path)
    with RunLock.for_config(config), pytest.raises(LockError, match=r"another sitrep run .*pid"):
        run_daily(config, day=DAY, mailer=MemoryMailer(), build=FakeGenerator().for_plan)
    assert run_daily(config, day=DAY, mailer=MemoryMailer(), build=FakeGenerator().for_plan).ok


def test_dates_and_names() -> None:
    assert long_date(dt.date(2025, 6, 2)) == "2 June 2025"
    assert long_date(dt.date(2025, 8, 15), "fr") == "15 août 2025"
    from delivery_fakes import make_report

    from sitrep.model.report import ReportFilter

    report = make_report(DAY, filters=ReportFilter(admin1=frozenset({"Ménaka"})))
    assert attachment_name(report, "pdf") == "sitrep-2025-06-02-menaka.pdf"


def test_user_templates_and_language_variants(tmp_path: Path) -> None:
    templates = tmp_path / "my-templates" / "email"
    templates.mkdir(parents=True)
    (templates / "subject.fr.txt").write_text("{{ title }} du {{ date }}\n", encoding="utf-8")
    (templates / "body.fr.txt").write_text("Bonjour {{ name }} : {{ date }}\n", encoding="utf-8")
    people: list[dict[str, Any]] = [
        {"name": "Aïcha", "email": "aicha@example.org", "language": "fr"},
        {"name": "Bram", "email": "bram@example.org", "language": "pt-BR"},
    ]
    root = write_project(tmp_path / "p", people, report={"templates": str(templates.parent)})
    mailer = MemoryMailer()
    run(load_config(root), mailer)
    aicha, bram = (parse(s.message) for s in mailer.sent)
    assert aicha["Subject"] == "Sahel sitrep du 2 juin 2025"
    assert aicha["Content-Language"] == "fr"
    body = aicha.get_body(("plain",))
    assert body is not None and body.get_content().strip() == "Bonjour Aïcha : 2 juin 2025"
    html = aicha.get_body(("html",))  # no French HTML of theirs: the shipped one, in French
    assert html is not None and "Chiffres clés" in html.get_content()
    assert "<p style=\"margin:0 0 16px 0;color:#555555;\">2 juin 2025" in html.get_content()
    # No Portuguese templates or catalog at all: English throughout, dates included.
    assert bram["Subject"] == "Sahel sitrep - 2 June 2025 - 4 incidents, at least 30 killed"
    assert bram["Content-Language"] == "en"
    html = bram.get_body(("html",))
    assert html is not None and "Headline figures" in html.get_content()


def test_a_users_catalog_adds_an_email_language(tmp_path: Path) -> None:
    # a Spanish catalog in the user's templates folder: the one shipped template speaks
    # Spanish, dates included; the strings it does not translate stay English
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from delivery_fakes import make_report

    templates = tmp_path / "my-templates"
    folder = templates / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = Catalog(locale="es")
    catalog.add("Hello %(name)s,", "Hola %(name)s,")
    catalog.add("Headline figures", "Cifras principales")
    with (folder / "sitrep.mo").open("wb") as f:
        write_mo(f, catalog)
    root = write_project(tmp_path / "p", [], report={"templates": str(templates)})
    who = Subscriber(email="ana@example.org", name="Ana", language="es")
    subject, text, html, language = Composer(load_config(root)).render(make_report(DAY), who, [])
    assert language == "es"
    assert text.startswith("Hola Ana,") and "CIFRAS PRINCIPALES" in text
    assert "Cifras principales" in html and " - 2 junio 2025 - " in subject
    assert "Key developments" in html  # not in their catalog: English


def test_an_invalid_subscriber_entry_fails_the_run_but_not_the_others(tmp_path: Path) -> None:
    people: list[dict[str, Any]] = [{"email": "ok@example.org"}, {"email": "not-an-address"}]
    config = load_config(write_project(tmp_path, people))
    mailer = MemoryMailer()
    result = run_daily(config, day=DAY, mailer=mailer, build=FakeGenerator().for_plan)
    assert [s.recipient for s in mailer.sent] == ["ok@example.org"]
    assert not result.ok and len(result.invalid) == 1
    assert "1 invalid subscriber entry skipped (see sitrep validate)" in result.summary()


def test_the_deliveries_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitrep.cli import main

    config = setup(tmp_path)
    mailer = MemoryMailer(failures={
        "bram@example.org": [PermanentFailure("RCPT TO: 550 mailbox unavailable", 550)],
    })  # fmt: skip
    run(config, mailer)
    assert main(["deliveries", "--config", str(tmp_path), "--date", "2025-06-02"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "report 2025-06-02: 1 failed, 3 sent"
    assert "bram@example.org" in out and "RCPT TO: 550 mailbox unavailable" in out
    assert main(["deliveries", "--config", str(tmp_path), "--json", "--history"]) == 1
    data = json.loads(capsys.readouterr().out)
    rows = {d["recipient"]: d for d in data["deliveries"]}
    assert rows["aicha@example.org"]["status"] == "sent"
    assert rows["bram@example.org"]["smtp_code"] == 550
    assert [a["status"] for a in data["attempts"]].count("sent") == 3
    assert main(["deliveries", "--config", str(tmp_path), "--date", "2025-06-01"]) == 0
    assert "no deliveries recorded for 2025-06-01" in capsys.readouterr().out
    assert main(["deliveries", "--config", str(tmp_path), "--date", "yesterday"]) == 2


def test_editions_are_split_by_language_and_fall_back_to_english(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "sahel-2025-06"
    people: list[dict[str, Any]] = [
        {"name": "Amadou", "email": "amadou@example.org", "receive": ["md"]},
        {"name": "Aïcha", "email": "aicha@example.org", "language": "de", "receive": ["md"]},
        {"name": "Fanta", "email": "fanta@example.org", "language": "de", "countries": ["Mali"],
         "receive": ["md"]},
    ]  # fmt: skip
    config = load_config(write_project(tmp_path, people, report={"data": str(examples)}))
    mailer = MemoryMailer()
    with caplog.at_level(logging.INFO):
        result = run_daily(config, day=DAY, mailer=mailer)  # the real pipeline
    assert result.ok and result.editions_generated == 3
    assert [(r.recipient, r.edition) for r in result.results] == [
        ("amadou@example.org", "all"), ("aicha@example.org", "all.de"),
        ("fanta@example.org", "MLI.de"),
    ]  # fmt: skip
    out = tmp_path / "output"
    english = (out / "sitrep-2025-06-02.md").read_text(encoding="utf-8")
    german = (out / "sitrep-2025-06-02.de.md").read_text(encoding="utf-8")
    # No French wording yet: the English report under the edition's own name (chart links too).
    assert german.replace("sitrep-2025-06-02.de-", "sitrep-2025-06-02-") == english
    assert (out / "sitrep-2025-06-02-MLI.de.md").is_file()
    amadou, aicha, fanta = (parse(s.message) for s in mailer.sent)
    assert [a.get_filename() for a in amadou.iter_attachments()] == ["sitrep-2025-06-02.md"]
    assert [a.get_filename() for a in aicha.iter_attachments()] == ["sitrep-2025-06-02.de.md"]
    assert [a.get_filename() for a in fanta.iter_attachments()] == ["sitrep-2025-06-02-MLI.de.md"]
    assert amadou["Message-ID"].startswith("<sitrep.2025-06-02.all.")
    assert aicha["Message-ID"].startswith("<sitrep.2025-06-02.all.de.")
    with Ledger.for_config(config) as ledger:
        assert {e.recipient: e.edition for e in ledger.entries()} == {
            "amadou@example.org": "all", "aicha@example.org": "all.de",
            "fanta@example.org": "MLI.de",
        }  # fmt: skip
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if m.startswith("no de wording yet")]) == 1  # logged once
    loads = [m for m in messages if m.startswith("loaded ") and "valid record(s)" in m]
    assert len(loads) == 1  # three editions, one load


def test_delivery_does_not_import_the_pipeline() -> None:
    code = (
        "import sys\n"
        "import sitrep.deliver.delivery, sitrep.deliver.scheduling, sitrep.deliver.planning\n"
        "print([m for m in ('sitrep.pipeline', 'sitrep.daily') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout  # fmt: skip
    assert out.strip() == "[]"


def test_outcome_and_ledger_status_are_one_enum(tmp_path: Path) -> None:
    assert Outcome is Status
    config = setup(tmp_path, subscribers=SUBSCRIBERS[2:3])
    run(config, MemoryMailer())
    with Ledger.for_config(config) as ledger:
        [entry] = ledger.entries()
        assert entry.status is Outcome.SENT
        with pytest.raises(ValueError, match="not the outcome of an attempt"):
            ledger.finish("2025-06-02", entry.recipient, Outcome.ALREADY)
