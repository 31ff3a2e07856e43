"""What makes a message cheap once its edition is rendered: attachment parts encoded once
per edition, shared header values parsed once, a ``sent`` outcome committed with the next
ledger write. Each must give the same message and the same ledger as the plain way."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import random
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from delivery_fakes import make_report, minimal_pdf

from sitrep.config import Config
from sitrep.deliver import messages, mime
from sitrep.deliver.ledger import Ledger, Status
from sitrep.deliver.mailers import dot_stuff
from sitrep.deliver.messages import Composer
from sitrep.deliver.mime import POLICY, Attachment, as_bytes
from sitrep.deliver.subscribers import Subscriber

DAY = dt.date(2025, 6, 2)
NOW = dt.datetime(2025, 6, 3, 6, tzinfo=dt.UTC)
PDF = Attachment("sitrep-2025-06-02.pdf", minimal_pdf("Ménaka", 20_000), "application", "pdf")
MD = Attachment("sitrep-2025-06-02.md", "# Ménaka\n.a leading dot\n".encode() * 40, "text",
                "markdown")  # fmt: skip


def test_messages_are_what_the_email_package_writes(tmp_path: Path) -> None:
    composer = Composer(Config(root=tmp_path))
    report = make_report(DAY)
    people = [
        Subscriber("aicha@example.org", "Aïcha Maïga", receive=frozenset({"pdf", "md", "html"})),
        Subscriber("bram@example.org", "Bram", language="fr", receive=frozenset({"pdf"})),
        Subscriber("chloe@example.org", "Chloé", receive=frozenset({"md"})),
    ]
    sent = []
    for n, who in enumerate(people * 2):
        attachments = [a for a in (MD, PDF) if a.filename.rsplit(".")[-1] in who.receive]
        msg = composer.compose(report, who, attachments=attachments,
                               message_id=f"<m{n}@sitrep.example.org>", date=NOW)  # fmt: skip
        random.seed(n)  # the same multipart boundary both ways
        fast = as_bytes(msg)
        random.seed(n)
        assert fast == msg.as_bytes(policy=POLICY)
        sent.append(email.message_from_bytes(fast, policy=email.policy.default))
    aicha, bram, chloe, again = sent[0], sent[1], sent[2], sent[3]
    assert [a.get_content() for a in aicha.iter_attachments()] == [MD.data.decode(), PDF.data]
    assert [a.get_content() for a in bram.iter_attachments()] == [PDF.data]
    assert [a.get_filename() for a in chloe.iter_attachments()] == [MD.filename]
    assert aicha["To"].addresses[0].display_name == "Aïcha Maïga"
    assert bram["Content-Language"] == "fr" and aicha["Content-Language"] == "en"
    assert again["Message-ID"] != aicha["Message-ID"] and again["To"] == aicha["To"]


def test_the_shortcuts_write_what_the_stock_email_package_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Header classes made once, repeated header values parsed and folded once, parts
    encoded once: the same bytes as the stock policy and generator give."""
    people = [
        Subscriber("aicha@example.org", "Aïcha Maïga", receive=frozenset({"pdf", "md", "html"})),
        Subscriber("bram@example.org", "Bram", language="fr", receive=frozenset({"pdf"})),
    ]

    def composed(n: int, who: Subscriber) -> EmailMessage:
        attachments = [a for a in (MD, PDF) if a.filename.rsplit(".")[-1] in who.receive]
        return Composer(Config(root=tmp_path)).compose(
            make_report(DAY), who, attachments=attachments, message_id=f"<m{n}@x>", date=NOW
        )

    ours = []
    for n, who in enumerate(people * 2):
        msg = composed(n, who)
        random.seed(n)
        ours.append(as_bytes(msg))
    stock = email.policy.SMTP.clone(cte_type="7bit", max_line_length=78)
    monkeypatch.setattr(messages, "POLICY", stock)
    monkeypatch.setattr(mime, "POLICY", stock)
    for n, who in enumerate(people * 2):
        msg = composed(n, who)
        random.seed(n)
        assert msg.as_bytes(policy=stock) == ours[n]


def begin(ledger: Ledger, who: str, *, sync: bool = True) -> None:
    ledger.begin("2025-06-02", who, name="", edition="all", message_id=f"<{who}>",
                 generation=0, attachment_sha256=None, sync=sync)  # fmt: skip


def status(path: Path, who: str) -> Status | None:
    """As another process sees the ledger (a run that died would leave exactly this)."""
    with Ledger(path) as other:
        entry = other.get("2025-06-02", who)
        return None if entry is None else entry.status


def test_a_sent_outcome_is_written_with_the_next_commit(tmp_path: Path) -> None:
    path = tmp_path / "deliveries.sqlite"
    with Ledger(path) as ledger:
        begin(ledger, "a@example.org")
        ledger.mark_unconfirmed("2025-06-02", "a@example.org")
        ledger.finish("2025-06-02", "a@example.org", Status.SENT, smtp_code=250, detail="ok",
                      commit=False)  # fmt: skip
        # Killed here, the run leaves it "unconfirmed": not sent again, reported.
        assert status(path, "a@example.org") is Status.UNCONFIRMED
        begin(ledger, "b@example.org", sync=False)
        assert status(path, "a@example.org") is Status.SENT
        assert status(path, "b@example.org") is Status.SENDING
        ledger.mark_unconfirmed("2025-06-02", "b@example.org")
        ledger.finish("2025-06-02", "b@example.org", Status.SENT, smtp_code=250, detail="ok",
                      commit=False)  # fmt: skip
        # the same connection reads what it wrote
        assert [e.status for e in ledger.entries()] == [Status.SENT, Status.SENT]
        begin(ledger, "c@example.org")
        ledger.mark_unconfirmed("2025-06-02", "c@example.org")
        ledger.finish("2025-06-02", "c@example.org", Status.SENT, smtp_code=250, detail="ok",
                      commit=False)  # fmt: skip
    assert status(path, "c@example.org") is Status.SENT  # closing writes what is pending
    with Ledger(path) as ledger:
        history = ledger.history("2025-06-02")
    assert [(h.recipient, h.status) for h in history] == [
        ("a@example.org", "sent"), ("b@example.org", "sent"), ("c@example.org", "sent")
    ]


def test_dot_stuffing_skips_no_work_it_needs() -> None:
    """The shortcut for composed messages (CRLF already, no line starting with a dot)
    gives what normalising every line end and doubling every leading dot gives."""

    def plain(message: bytes) -> bytes:
        data = re.sub(rb"\r\n|\r|\n", b"\r\n", message)
        data = re.sub(rb"(?m)^\.", b"..", data)
        return data if data.endswith(b"\r\n") else data + b"\r\n"

    pieces = [b"a", b".", b"\r", b"\n", b"\r\n", b"..", b"QUJD"]
    rng = random.Random(12)
    for _ in range(5000):
        message = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert dot_stuff(message) == plain(message), message
    composed = as_bytes(Composer(Config(root=Path("."))).compose(
        make_report(DAY), Subscriber("a@example.org", receive=frozenset({"pdf"})),
        attachments=[PDF], message_id="<m@x>", date=NOW))  # fmt: skip
    assert dot_stuff(composed) == plain(composed)
