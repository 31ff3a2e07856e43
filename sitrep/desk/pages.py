"""The desk's pages: records (list, form, history), possible duplicates, today's edition
and the editions archive. Each change is a store revision or an archive issue naming its
author, and a line in the change log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ..deliver.ledger import Ledger
from ..deliver.messages import report_id
from ..deliver.subscribers import editions, read_subscribers
from ..errors import Problem
from ..ingest.raw import RawRecord
from ..model.records import DatePrecision, EventType, Group, Outcome, Says, Stance, SubEventType
from ..model.report import EditionNotes
from ..pipeline import Rules
from ..store.diff import diff
from .editions import TLP, Archive, Draft
from .forms import (
    ROWS,
    decide,
    form_values,
    in_filter,
    possible_duplicates,
    record_from_form,
    row_count,
)
from .security import checked_form
from .site import desk, need
from .users import Role

_KINDS: dict[str, type[StrEnum]] = {
    "event_type": EventType, "sub_event_type": SubEventType, "stance": Stance, "group": Group,
    "outcome": Outcome, "says": Says, "reported_precision": DatePrecision,
    "date_precision": DatePrecision,
}  # fmt: skip
CHOICES = {name: [c.value for c in kind] for name, kind in _KINDS.items()}
CHOICES["party"] = CHOICES["subset"] = ["true", "false"]


def _day(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        raise HTTPException(400, f"date {text!r}: expected YYYY-MM-DD") from None


def _documents(request: Request) -> dict[str, dict[str, Any]]:
    return {str(doc["id"]): doc for doc in desk(request).store.documents()}


async def records(request: Request) -> Response:
    """The records, filtered by date, country and status."""
    d = desk(request)
    q = request.query_params
    day = _day(q.get("date"), d.day) if q.get("date", "x") else None
    country, status = q.get("country", ""), q.get("status", "all")
    loaded = d.store.load()
    pairs = possible_duplicates(loaded.records, Rules.from_config(d.config).merge)
    doubtful = {r for p in pairs for r in (p.a.id, p.b.id)}
    shown = [r for r in loaded.records if in_filter(r, day, country)
             and (status == "all" or (status == "duplicate") == (r.id in doubtful))]  # fmt: skip
    return d.page(request, "records.html.j2", records=shown, doubtful=doubtful,
                  shown_day=day, country=country, status=status)  # fmt: skip


def _form(request: Request, values: dict[str, str], problems: list[Problem],
          record_id: str | None, status: int = 200,
          saved: int | None = None) -> Response:  # fmt: skip
    """The record form; each problem beside its field (those of fields the form does not
    show, and of the whole record, at its top)."""
    errors: dict[str, list[str]] = {}
    for p in problems:
        name = re.sub(r"\[\d+\]$", "", p.field or "")  # a list item: beside the list
        errors.setdefault(name if name in values else "", []).append(p.message)
    return desk(request).page(
        request, "record.html.j2", status, values=values, errors=errors, record_id=record_id,
        choices=CHOICES, rows={key: row_count(values, key) for key in ROWS}, saved=saved,
    )  # fmt: skip


async def record_form(request: Request) -> Response:
    """A new record, or a stored one to edit."""
    need(request, Role.ANALYST)
    rid = request.path_params.get("rid")
    doc = {"date": str(desk(request).day)}
    if rid is not None:
        found = _documents(request).get(rid)
        if found is None:
            raise HTTPException(404, f"no record {rid!r}")
        doc = found
    return _form(request, form_values(doc), [], rid)


async def save_record(request: Request) -> Response:
    """Validate and write a record as a new store revision by the signed-in analyst; on
    problems, the form again with each message beside its field."""
    user = need(request, Role.ANALYST)
    d = desk(request)
    form = {k: str(v) for k, v in (await checked_form(request)).items()}
    original = form.get("original") or None
    kept = _documents(request).get(original, {}) if original else {}
    doc = record_from_form(form, kept)
    reason = form.get("reason", "").strip() or ("edited" if original else "entered")
    result = d.store.write([RawRecord(doc, "desk", 0)], author=user.name, reason=reason)
    if result.invalid:
        values = form_values(doc)
        values.update({k: v for k, v in form.items() if k in values})
        return _form(request, values, result.problems, original, 422)
    d.accounts.log(user.name, "record", f"{doc['id']}: {reason} (revision {result.revision})")
    if result.problems:  # saved, with warnings: the stored record's form, and the warnings
        return _form(request, form_values(doc), result.problems, str(doc["id"]),
                     saved=result.revision)  # fmt: skip
    return RedirectResponse(f"/records/{doc['id']}/history", status_code=303)


async def history(request: Request) -> Response:
    """Every version of a record: who, when, why, and what changed."""
    d = desk(request)
    rid = request.path_params["rid"]
    versions = d.store.history(rid)
    if not versions:
        raise HTTPException(404, f"no record {rid!r}")
    rows: list[tuple[Any, list[str]]] = []
    before: dict[str, Any] = {}
    for v in versions:
        after = v.document or {}
        rows.append((v, [str(c) for c in diff(before, after)] if before else ["created"]))
        before = after
    return d.page(request, "history.html.j2", rid=rid, rows=rows[::-1])


async def duplicates(request: Request) -> Response:
    """The merger's possible duplicates, side by side, with why they only partly match."""
    d = desk(request)
    pairs = possible_duplicates(d.store.load().records, Rules.from_config(d.config).merge)
    return d.page(request, "duplicates.html.j2", pairs=pairs)


async def decide_pair(request: Request) -> Response:
    """Write the analyst's decision on a pair as a revision of the second record."""
    user = need(request, Role.ANALYST)
    d = desk(request)
    form = await checked_form(request)
    a, b, same = str(form.get("a")), str(form.get("b")), form.get("decision") == "same"
    doc = _documents(request).get(b)
    if doc is None:
        raise HTTPException(404, f"no record {b!r}")
    reason = f"{'same as' if same else 'not the same as'} {a} (possible duplicate)"
    result = d.store.write([RawRecord(decide(doc, a, same), "desk", 0)],
                           author=user.name, reason=reason)  # fmt: skip
    if result.invalid:
        raise HTTPException(422, "; ".join(str(p) for p in result.problems))
    d.accounts.log(user.name, "duplicate", f"{b}: {reason} (revision {result.revision})")
    return RedirectResponse("/duplicates", status_code=303)


def _draft(request: Request, day: dt.date) -> Draft:
    d = desk(request)
    subscribers, _ = read_subscribers(d.config)
    return Draft(d.config, day, [a.edition for a in editions(subscribers)], store=d.store)


async def today(request: Request) -> Response:
    """The day's draft (as the PDF will hold it) with the desk's notes, and Publish."""
    d = desk(request)
    day = _day(request.query_params.get("date"), d.day)
    archive = Archive(d.config)
    return d.page(request, "today.html.j2", shown_day=day, notes=archive.notes(day),
                  published=archive.latest(day), tlp=TLP)  # fmt: skip


async def preview(request: Request) -> Response:
    """The draft report's HTML (shown in a frame on Today's edition)."""
    d = desk(request)
    day = _day(request.query_params.get("date"), d.day)
    html = _draft(request, day).html(Archive(d.config).notes(day))
    return HTMLResponse(html, headers={"Content-Security-Policy": "script-src 'none'"})


def _notes(form: Any) -> EditionNotes:
    marking = str(form.get("marking", "")).strip()
    other = str(form.get("marking_other", "")).strip()
    return EditionNotes(key_messages=str(form.get("key_messages", "")),
                        comment=str(form.get("comment", "")),
                        marking=other or marking or None)  # fmt: skip


async def save_notes(request: Request) -> Response:
    """Keep the key messages, comment and marking; publish if asked (editors only)."""
    user = need(request, Role.ANALYST)
    d = desk(request)
    form = await checked_form(request)
    day = _day(str(form.get("date", "")), d.day)
    notes = _notes(form)
    action = str(form.get("action", "save"))
    if action in ("publish", "correct"):
        need(request, Role.EDITOR)
    Archive(d.config).save_notes(day, notes)
    d.accounts.log(user.name, "notes", f"{day}: key messages, comment, marking saved")
    if action in ("publish", "correct"):
        issue = _draft(request, day).publish(user=user.name, notes=notes,
                                             correction=action == "correct")  # fmt: skip
        d.accounts.log(user.name, "publish", f"{day}: issue {issue.number} "
                       f"(store revision {issue.revision})")  # fmt: skip
        return RedirectResponse("/editions", status_code=303)
    return RedirectResponse(f"/today?date={day}", status_code=303)


async def archive(request: Request) -> Response:
    """Every published issue with its files and its delivery status per subscriber."""
    d = desk(request)
    issues = Archive(d.config).issues()[::-1]
    with Ledger.for_config(d.config) as ledger:
        status = {i.day: ledger.entries(report_id(i.day, i.day)) for i in issues}
    return d.page(request, "editions.html.j2", issues=issues, status=status,
                  changes=d.accounts.changes(30))  # fmt: skip


async def edition_file(request: Request) -> Response:
    """One file of a published issue."""
    p = request.path_params
    day = _day(p["day"], desk(request).day)
    issue = next((i for i in Archive(desk(request).config).issues(day)
                  if i.number == int(p["number"])), None)  # fmt: skip
    files = issue.files.get(p["key"], {}) if issue else {}
    if issue is None or p["name"] not in files.values():
        raise HTTPException(404, "no such file")
    return FileResponse(issue.folder / p["key"] / p["name"])


Handler = Callable[[Request], Awaitable[Response]]
ROUTES: list[tuple[str, Handler, list[str]]] = [
    ("/records", records, ["GET"]),
    ("/records/new", record_form, ["GET"]),
    ("/records/save", save_record, ["POST"]),
    ("/records/{rid}/edit", record_form, ["GET"]),
    ("/records/{rid}/history", history, ["GET"]),
    ("/duplicates", duplicates, ["GET"]),
    ("/duplicates", decide_pair, ["POST"]),
    ("/today", today, ["GET"]),
    ("/today", save_notes, ["POST"]),
    ("/today/preview", preview, ["GET"]),
    ("/editions", archive, ["GET"]),
    ("/editions/{day}/{number:int}/{key}/{name}", edition_file, ["GET"]),
]
