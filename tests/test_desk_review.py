"""``sitrep run`` in review mode against the real SMTP test server: nothing before the
edition is published, the edition exactly once after, a correction as a new message."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from desk_project import PEOPLE, desk_project
from pypdf import PdfReader
from smtp_server import SmtpTestServer

from sitrep.daily import run_daily
from sitrep.desk.editions import Archive, Draft
from sitrep.desk.release import NotReleased
from sitrep.model.report import EditionNotes

pytestmark = [pytest.mark.smtp, pytest.mark.pdf, pytest.mark.slow]

DAY = dt.date(2025, 6, 2)
BEFORE_DEADLINE = dt.datetime(2025, 6, 3, 7, 0, tzinfo=ZoneInfo("UTC"))
AFTER_DEADLINE = dt.datetime(2025, 6, 3, 10, 0, tzinfo=ZoneInfo("UTC"))


def _pdf_text(message: EmailMessage) -> str:
    [pdf] = [a for a in message.iter_attachments() if a.get_filename().endswith(".pdf")]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    return " ".join(text.split())


def _by_recipient(srv: SmtpTestServer) -> Counter[str]:
    return Counter(str(m["X-Test-Envelope-To"]) for m in srv.messages())


def test_review_mode_sends_only_the_published_edition_then_a_correction(tmp_path: Path) -> None:
    with SmtpTestServer(tmp_path / "smtp") as srv:
        config = desk_project(tmp_path / "project", port=srv.port)
        with pytest.raises(NotReleased, match="the 2025-06-02 edition is not published yet"):
            run_daily(config, day=DAY, now=BEFORE_DEADLINE)
        assert srv.messages() == []

        notes = EditionNotes(key_messages="Attack on **Timbuktu** camp", marking="TLP:AMBER")
        Draft(config, DAY).publish(user="editor", notes=notes)
        first = run_daily(config, day=DAY, now=BEFORE_DEADLINE)
        again = run_daily(config, day=DAY, now=AFTER_DEADLINE)
        assert first.ok and again.ok
        assert _by_recipient(srv) == Counter({p["email"]: 1 for p in PEOPLE})
        edition = srv.messages()

        [issue] = Archive(config).issues(DAY)
        [pdf] = [a for a in edition[0].iter_attachments() if a.get_filename().endswith(".pdf")]
        assert pdf.get_content() == issue.path("all", "pdf").read_bytes()  # the frozen file

        Draft(config, DAY).publish(user="editor", notes=notes, correction=True)
        run_daily(config, day=DAY, now=AFTER_DEADLINE)
        run_daily(config, day=DAY, now=AFTER_DEADLINE)  # sent once, not at every run
        assert _by_recipient(srv) == Counter({p["email"]: 2 for p in PEOPLE})
        first_ids = {m["Message-ID"] for m in edition}
        correction = [m for m in srv.messages() if m["Message-ID"] not in first_ids]
        assert len(correction) == len(PEOPLE)  # new messages, new Message-IDs
        assert "Correction to the 2 June 2025 edition" in _pdf_text(correction[0])


def test_a_correction_published_in_the_second_of_the_first_sending_still_goes_out(
    tmp_path: Path,
) -> None:
    """Whether a subscriber had a correction compares the time it was sent with the time the
    correction was published, to the microsecond: a publication time cut to the second put
    a correction published 0.4 s after the first sending before it, and nobody got it."""
    from sitrep.desk.release import _had

    config = desk_project(tmp_path / "project", port=2525)
    first = Draft(config, DAY).publish(user="editor", notes=EditionNotes())
    assert first.published_at.microsecond != 0  # not cut to the second (a 1e-6 chance of 0)
    sent = dt.datetime(2025, 6, 3, 9, 0, 0, 400_000, tzinfo=dt.UTC)
    later = sent + dt.timedelta(milliseconds=400)
    issue = Draft(config, DAY).publish(user="editor", notes=EditionNotes(), correction=True,
                                       at=later)  # fmt: skip
    assert Archive(config).latest(DAY) == issue and issue.published_at == later
    assert not _had(sent, issue)
    assert _had(later + dt.timedelta(microseconds=1), issue)


def test_nothing_published_by_the_deadline(tmp_path: Path) -> None:
    with SmtpTestServer(tmp_path / "smtp") as srv:
        config = desk_project(tmp_path / "strict", port=srv.port)
        with pytest.raises(NotReleased, match="2025-06-02 edition was not published by the"):
            run_daily(config, day=DAY, now=AFTER_DEADLINE)
        assert srv.messages() == []

        config = desk_project(tmp_path / "lenient", port=srv.port,
                              publish="send_unreviewed = true\n")  # fmt: skip
        assert run_daily(config, day=DAY, now=AFTER_DEADLINE).ok
        assert _by_recipient(srv) == Counter({p["email"]: 1 for p in PEOPLE})
        assert "Not reviewed: this draft was sent without review" in _pdf_text(srv.messages()[0])


def test_auto_mode_does_not_send_a_day_without_news(tmp_path: Path) -> None:
    with SmtpTestServer(tmp_path / "smtp") as srv:
        config = desk_project(tmp_path / "project", port=srv.port, mode="auto")
        assert run_daily(config, day=DAY, now=AFTER_DEADLINE).ok
        assert len(srv.messages()) == len(PEOPLE)
        nxt = DAY + dt.timedelta(days=1)
        with pytest.raises(NotReleased, match="no record was created or changed since the "
                           "2025-06-02 edition: the 2025-06-03 report is not sent"):  # fmt: skip
            run_daily(config, day=nxt, now=AFTER_DEADLINE)
        assert len(srv.messages()) == len(PEOPLE)
        assert run_daily(config, day=nxt, now=AFTER_DEADLINE, allow_empty=True).ok
        assert len(srv.messages()) == 2 * len(PEOPLE)


def test_the_desks_preview_is_the_print_html_the_pdf_is_made_from(tmp_path: Path) -> None:
    # the preview says "as the PDF will hold it": the same charts, furniture and digest rule
    from sitrep.pipeline.stages import render_edition
    from sitrep.render.pdf import RecordingPdfRenderer

    config = desk_project(tmp_path / "project")
    config = config.model_copy(update={
        "report": config.report.model_copy(update={"figures_table_limit": 2}),
        "furniture": config.furniture.model_copy(update={"marking": "TLP:AMBER"}),
    })  # fmt: skip
    now = dt.datetime(2025, 6, 3, 6, tzinfo=dt.UTC)
    draft = Draft(config, DAY, now=now)
    recorder = RecordingPdfRenderer()
    edition = draft.plan.editions[0]
    render_edition(draft.plan, draft.report(edition), edition, ["pdf"], recorder)
    assert draft.html(None) == recorder.html[0]
    assert "TLP:AMBER" in recorder.html[0]
