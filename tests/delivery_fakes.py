"""Test doubles for the delivery tests: a generator that writes a real small PDF.

:class:`FakeGenerator` builds editions as :class:`sitrep.pipeline.EditionBuilder` does
(``for_run`` and ``for_plan`` give the ``build(edition, formats)`` function that delivery
calls) and writes a valid one-page PDF (built by hand, readable by pypdf) and a Markdown
file per edition, atomically, into the configured output folder; it counts its calls so
tests can check that each edition is generated once, not once per subscriber.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reading import EN

from sitrep.config import Config
from sitrep.model.edition import Edition
from sitrep.model.records import EventType, Group, Outcome, SubEventType
from sitrep.model.report import (
    DataQuality,
    Development,
    Incident,
    KeyFigures,
    Period,
    Report,
    ReportFilter,
    Total,
)
from sitrep.pipeline import Plan
from sitrep.writers import write_atomic


def minimal_pdf(text: str, padding: int = 0) -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII); ``padding`` adds bytes of content."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    content = b"BT /F1 14 Tf 72 770 Td (" + safe + b") Tj ET\n" + b"% pad\n" * (padding // 6)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


def _total(low: int, country: str | None = None, group: Group | None = None) -> Total:
    return Total(
        country=country, group=group, outcome=Outcome.KILLED, low=low, best=low, high=low,
        high_open=False, incidents=1, rows=1, high_credible=low, credible_rows=1,
    )  # fmt: skip


MENAKA = Incident(
    id="mli-menaka-2025-06-02", records=["mli-menaka-2025-06-02"], status="new",
    date=dt.date(2025, 6, 2), country="MLI", location="Ménaka", event_type=EventType.BATTLES,
    sub_event_type=SubEventType.ATTACK, perpetrator="armed men", target="a convoy",
)  # fmt: skip


def make_report(
    start: dt.date,
    end: dt.date | None = None,
    filters: ReportFilter | None = None,
    *,
    title: str = "Sahel situation report",
    incidents: int = 3,
    killed: int = 30,
) -> Report:
    """A small report as the pipeline would build it (built by hand): one incident told in
    the key developments."""
    end = end or start
    return Report(
        title=title,
        filter=filters or ReportFilter(),
        period=Period(start=start, end=end, timezone="UTC",
                      context_start=start - dt.timedelta(days=30)),
        generated_at=dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC),
        data_as_of=dt.datetime(2025, 6, 2, 18, 0, tzinfo=dt.UTC),
        key_figures=KeyFigures(
            incidents=incidents, updates=1, countries=["MLI", "BFA"],
            killed=[_total(killed, group=Group.CIVILIANS)], killed_all=_total(killed),
        ),
        key_developments=[Development(kind="incident", incident=MENAKA.id)],
        table=[], incidents=[MENAKA], totals=[_total(killed)], sources=[],
        data_quality=DataQuality(),
    )  # fmt: skip


@dataclass(frozen=True)
class FakeGenerated:
    """What :class:`FakeGenerator` returns (like ``sitrep.pipeline.Generated``)."""

    report: Report
    files: dict[str, Path]


@dataclass
class FakeGenerator:
    """Writes a real PDF and Markdown per edition; records every call."""

    padding: int = 0
    calls: list[tuple[dt.date, dt.date, Edition, tuple[str, ...]]] = field(
        default_factory=list
    )
    fail: Exception | None = None

    def for_run(
        self, config: Config, start: dt.date, end: dt.date | None = None
    ) -> Callable[[Edition, Sequence[str]], FakeGenerated]:
        """The ``build(edition, formats)`` function of one report."""
        return lambda edition, formats: self(config, start=start, end=end, edition=edition,
                                             formats=formats)  # fmt: skip

    def for_plan(self, plan: Plan) -> Callable[[Edition, Sequence[str]], FakeGenerated]:
        """In place of ``EditionBuilder(plan)`` (``run_daily(build=...)``)."""
        return self.for_run(plan.config, plan.period.start, plan.period.end)

    def __call__(
        self,
        config: Config,
        *,
        start: dt.date,
        end: dt.date | None = None,
        edition: Edition | None = None,
        formats: Sequence[str] | None = None,
    ) -> FakeGenerated:
        """Generate the report of one edition."""
        end = end or start
        edition = edition or Edition()
        filters = edition.filter
        self.calls.append((start, end, edition, tuple(formats or ())))
        if self.fail is not None:
            raise self.fail
        report = make_report(start, end, filters, title=config.report.title)
        out = config.path(config.report.output)
        stem = edition.stem(start, end)
        files: dict[str, Path] = {}
        for kind in formats or ("pdf", "md"):
            if kind == "pdf":
                data: bytes = minimal_pdf(f"{report.title} {end} {filters.key}", self.padding)
            elif kind == "md":
                data = f"# {report.title}\n\n{EN.period(report.period)} ({filters.key})\n".encode()
            else:
                continue
            files[kind] = write_atomic(out / f"{stem}.{kind}", data)
        return FakeGenerated(report, files)


SENDER = "Sahel desk <desk@sitrep.example.org>"


def write_project(
    root: Path,
    subscribers: Sequence[Mapping[str, Any]],
    *,
    port: int = 25,
    smtp: dict[str, object] | None = None,
    report: dict[str, object] | None = None,
) -> Path:
    """A project folder whose sitrep.toml lists ``subscribers`` and points at ``port``."""
    settings: dict[str, object] = {
        "host": "127.0.0.1", "port": port, "security": "none", "sender": SENDER,
        "reply_to": "analysts@sitrep.example.org",
        "unsubscribe": "mailto:unsubscribe@sitrep.example.org?subject={email}",
        "rate_per_minute": 60000, "retries": 2, "backoff_seconds": 0.01, "timeout": 5,
        **(smtp or {}),
    }  # fmt: skip
    report_settings: dict[str, object] = {"title": "Sahel sitrep", **(report or {})}
    lines = ['state = "state"', "", "[report]"]
    lines += [f"{k} = {_toml(v)}" for k, v in report_settings.items()]
    lines += ["", "[smtp]"]
    lines += [f"{k} = {_toml(v)}" for k, v in settings.items()]
    for sub in subscribers:
        lines += ["", "[[subscribers]]"] + [f"{k} = {_toml(v)}" for k, v in sub.items()]
    root.mkdir(parents=True, exist_ok=True)
    (root / "sitrep.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _toml(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Path):
        value = str(value)
    return json.dumps(value, ensure_ascii=False)
