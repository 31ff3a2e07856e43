"""Publishing: the day's edition frozen on the desk, and the archive ``sitrep run`` sends from.

Each publication of a report day is an **issue** in ``state/editions/<day>/<NN>/``: the
rendered files of every edition (one folder per edition key), each report's model
(``<key>/report.json``, read back to compose the e-mail) and ``issue.json`` (as-of time,
store revision, who published it, the desk's notes). Issue 1 is the edition; 2, 3, ... are
corrected re-issues ("Correction to the 2 June edition"), sent as new messages. Later
edits to the records change nothing in a published issue: they go into the next day's
edition or a correction. The desk's notes being written for a day (key messages, comment,
marking) are kept in ``state/editions/<day>/draft.json`` until published.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..deliver.delivery import BuildFn, Built
from ..errors import DeliveryError
from ..ingest.readers import discover
from ..model.edition import Edition
from ..model.report import EditionNotes, Report
from ..pipeline import (
    EditionBuilder,
    Plan,
    make_plan,
    now_in,
    render_edition,
    render_job,
    report_for,
)
from ..render.formats import FORMATS, print_html
from ..store.base import IncidentStore, LoadResult, VersionedStore
from ..store.open import open_store
from ..writers import write_all, write_atomic
from .users import DeskError

logger = logging.getLogger(__name__)

EDITIONS = "editions"
TLP = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")


@dataclass(frozen=True)
class Issue:
    """One published issue of a report day (1: the edition; 2...: corrections)."""

    day: dt.date
    number: int
    folder: Path
    as_of: dt.datetime
    revision: int | None
    fingerprint: str
    published_by: str
    published_at: dt.datetime
    notes: EditionNotes
    files: dict[str, dict[str, str]]
    """Edition key -> format -> file name (in the edition's folder)."""

    def path(self, key: str, fmt: str) -> Path:
        """The file of one edition and format."""
        return self.folder / key / self.files[key][fmt]

    @classmethod
    def read(cls, folder: Path) -> Issue:
        """An issue from its ``issue.json``."""
        meta = json.loads((folder / "issue.json").read_text(encoding="utf-8"))
        return cls(
            day=dt.date.fromisoformat(meta["day"]), number=meta["number"], folder=folder,
            as_of=dt.datetime.fromisoformat(meta["as_of"]), revision=meta["revision"],
            fingerprint=meta["fingerprint"], published_by=meta["published_by"],
            published_at=dt.datetime.fromisoformat(meta["published_at"]),
            notes=EditionNotes.model_validate(meta["notes"]), files=meta["files"],
        )  # fmt: skip

    def write(self) -> None:
        """Write ``issue.json`` (last: an issue without it is not published)."""
        meta = {
            "day": self.day.isoformat(), "number": self.number,
            "as_of": self.as_of.isoformat(), "revision": self.revision,
            "fingerprint": self.fingerprint, "published_by": self.published_by,
            "published_at": self.published_at.isoformat(),
            "notes": self.notes.model_dump(mode="json"), "files": self.files,
        }  # fmt: skip
        write_atomic(self.folder / "issue.json", json.dumps(meta, indent=2) + "\n")


@dataclass(frozen=True)
class Frozen:
    """A published edition as ``deliver`` wants it: the report model and its files."""

    report: Report
    files: Mapping[str, Path]


class Archive:
    """The published issues of one project, and the desk's draft notes."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.path(config.state) / EDITIONS

    def issues(self, day: dt.date | None = None) -> list[Issue]:
        """Published issues (of ``day``, or all), oldest day and number first."""
        days = [self.root / str(day)] if day else sorted(self.root.glob("????-??-??"))
        return [Issue.read(f.parent) for d in days for f in sorted(d.glob("*/issue.json"))]

    def latest(self, day: dt.date) -> Issue | None:
        """The day's newest issue (a correction if any), or None if nothing is published."""
        found = self.issues(day)
        return found[-1] if found else None

    def last_fingerprint(self, day: dt.date) -> tuple[dt.date, str] | None:
        """The day and data fingerprint of the newest edition of an earlier day, published
        on the desk or sent by ``sitrep run`` in auto mode."""
        found = [(i.day, i.fingerprint) for i in self.issues() if i.day < day]
        for path in self.root.glob("????-??-??/sent.json"):
            sent = dt.date.fromisoformat(path.parent.name)
            if sent < day:
                found.append((sent, json.loads(path.read_text(encoding="utf-8"))["fingerprint"]))
        return max(found) if found else None

    def record_sent(self, day: dt.date, print_: str) -> None:
        """Note the data an auto-mode run sent for ``day`` (for the next day's check)."""
        path = self.root / str(day) / "sent.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"fingerprint": print_}) + "\n")

    def notes(self, day: dt.date) -> EditionNotes:
        """The day's draft notes (key messages, comment, marking)."""
        path = self.root / str(day) / "draft.json"
        if path.exists():
            return EditionNotes.model_validate_json(path.read_text(encoding="utf-8"))
        return EditionNotes(marking=self.config.publish.marking)

    def save_notes(self, day: dt.date, notes: EditionNotes) -> None:
        """Keep the day's draft notes."""
        path = self.root / str(day) / "draft.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, notes.model_dump_json(indent=2) + "\n")


def fingerprint(config: Config, store: IncidentStore, revision: int | None = None) -> str:
    """What the records are: the store revision (``revision``, else the store's latest),
    or for a folder of record files a hash of the files."""
    if revision is None and isinstance(store, VersionedStore):
        revision = store.revision_at()
    if revision is not None:
        return f"revision {revision}"
    digest = hashlib.sha256()
    root = config.path(config.report.data)
    for path in discover(root, config.report.follow_links).files if root.exists() else []:
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return "sha256 " + digest.hexdigest()[:16]


class Draft:
    """The day's report as the store holds it now (or ``as_of``), with the desk's notes."""

    def __init__(
        self,
        config: Config,
        day: dt.date,
        editions: Sequence[Edition] = (),
        *,
        store: IncidentStore | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        self.config = config
        self.day = day
        self.store = store = store or open_store(config)
        self.as_of = (now or now_in(config.report.zone)).replace(microsecond=0)
        keys = {e.key for e in editions}
        wanted = [*([Edition(language=config.report.language)] if "all" not in keys else []),
                  *editions]  # fmt: skip
        self.plan: Plan = make_plan(
            config, start=day, editions=wanted, now=self.as_of,
            as_of=self.as_of if isinstance(store, VersionedStore) else None,
        )  # fmt: skip
        self.builder = EditionBuilder(self.plan, store=store)

    @property
    def loaded(self) -> LoadResult:
        """The records read (once)."""
        return self.builder.merged().loaded

    def report(self, edition: Edition | None = None, notes: EditionNotes | None = None) -> Report:
        """One edition's report (default: the first), with the desk's notes."""
        report = report_for(self.plan, self.builder.merged(), edition or self.plan.editions[0])
        return report.model_copy(update={"desk": notes}) if notes else report

    def html(self, notes: EditionNotes | None) -> str:
        """The first edition as the PDF will hold it (HTML for print, charts inlined)."""
        edition = self.plan.editions[0]
        report = self.report(edition, notes)
        return print_html(render_job(self.plan, report, edition, [FORMATS["pdf"]]))

    def publish(
        self,
        *,
        user: str,
        notes: EditionNotes,
        correction: bool = False,
        reviewed: bool = True,
        at: dt.datetime | None = None,
    ) -> Issue:
        """Freeze every edition into a new issue, published ``at`` (default: now, to the
        microsecond: whether a subscriber had a correction is told by comparing it with the
        time the first issue was sent); refuses a second issue unless it is a
        ``correction`` (and a correction of nothing)."""
        archive = Archive(self.config)
        previous = archive.latest(self.day)
        if previous and not correction:
            raise DeskError(
                f"the {self.day} edition is already published (issue {previous.number} by "
                f"{previous.published_by}): publish a correction to re-issue it"
            )
        if correction and not previous:
            raise DeskError(f"nothing of {self.day} is published yet: publish the edition first")
        number = previous.number + 1 if previous else 1
        notes = notes.model_copy(update={
            "issue": number, "reviewed": reviewed,
            "correction_of": self.day if correction else None,
        })  # fmt: skip
        folder = archive.root / str(self.day) / f"{number:02d}"
        files: dict[str, dict[str, str]] = {}
        for edition in self.plan.editions:
            report = self.report(edition, notes)
            plan = self.plan
            out = self.config.model_copy(update={"report": self.config.report.model_copy(
                update={"output": folder / edition.key})})  # fmt: skip
            rendered = render_edition(dataclasses.replace(plan, config=out), report, edition)
            write_all({**rendered, folder / edition.key / "report.json":
                       report.model_dump_json()})  # fmt: skip
            stem = edition.stem(plan.period.start, plan.period.end)
            files[edition.key] = {f: FORMATS[f].file_name(stem) for f in plan.formats}
        issue = Issue(
            day=self.day, number=number, folder=folder, as_of=self.as_of,
            revision=self.loaded.revision,
            fingerprint=fingerprint(self.config, self.store, self.loaded.revision),
            published_by=user, published_at=at or dt.datetime.now(dt.UTC),
            notes=notes, files=files,
        )  # fmt: skip
        issue.write()
        logger.info("%s published the %s edition, issue %d (store revision %s)",
                    user, self.day, number, issue.revision)  # fmt: skip
        return issue


def frozen_build(issue: Issue) -> BuildFn:
    """The build function ``deliver`` calls: a published issue's files, never rebuilt."""

    def build(edition: Edition, formats: Sequence[str]) -> Built:
        if edition.key not in issue.files:
            raise DeliveryError(
                f"the {edition.key} edition is not in issue {issue.number} of {issue.day} "
                "(a subscriber was added after publishing: publish a correction)"
            )
        report = Report.model_validate_json(
            (issue.folder / edition.key / "report.json").read_text(encoding="utf-8")
        )
        return Frozen(report, {f: issue.path(edition.key, f) for f in issue.files[edition.key]})

    return build
