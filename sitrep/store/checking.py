"""Checking every record of a store one at a time, in memory that does not grow with it.

:class:`Checker` validates each record as it comes (pydantic, then dropped) and keeps,
per record, only what the checks across records need: its id and where it is (one
integer). Duplicate ids and references to ids not seen yet are settled at the end;
the problems are then put in the order ``validate`` has always printed them: by file
and line, a duplicate id before a record's own problems (past a few thousand, in sorted
runs in temporary files: :mod:`.spill`). Memory grows with the ids (about 130 bytes a
record), never with the validated records or the problems.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..ingest.raw import RawRecord, Window, _within
from ..model.records import Record
from ..model.values import clean, cut
from ..progress import EVERY, SILENT, Progress
from .base import LoadResult
from .spill import ProblemSorter
from .validate import _listed, references, validate_raw, with_dangling

logger = logging.getLogger(__name__)

_LINE = 1 << 32  # lines and record numbers are packed into one int per id (see _pack)
_STATE = 1 << 21
_INVALID, _CLEAN, _PENDING, _OUTSIDE = 0, 1, _STATE - 1, _STATE - 2
"""States of a record (_CLEAN + 1 + k: valid, named k); outside: an id that only counts."""
_DUPLICATE = "duplicate id, used at {} (expected ids unique across the dataset)"

Key = tuple[str, int, int, int, int]
"""How problems are ordered: file, line, phase (-1 reading, 0 duplicate ids, 1 a
record's own problems), then the order they came in."""


@dataclass
class Coverage:
    """What a check of a database store covered: every record, or those changed since the
    last check (``since``)."""

    revision: int
    """The store revision checked up to (the next check starts from it)."""
    stored: int
    """Records in the store."""
    since: int | None = None
    """The revision the last check went up to (None: every record was checked)."""
    since_at: dt.datetime | None = None
    """When that check ran (UTC)."""
    why: str = ""
    """Why every record was checked: "first", "all" (asked for) or "rules" (changed)."""
    written: int = 0
    """Records checked because they were written (added or changed) since."""
    referring: int = 0
    """Records checked because they name a record deleted (or written again) since."""
    deleted: int = 0
    """Records deleted since."""
    older: int = 0
    """Errors found by earlier checks on records not changed since, reported again."""


@dataclass
class Checked:
    """What checking every record found."""

    problems: Collection[Problem]
    """In order; read them one at a time (they may be in temporary files)."""
    records: int
    """Records read (valid or not)."""
    valid: int
    """Records valid, with no duplicate id and every reference to an existing record."""
    files: list[Path] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    """The names (``Checker``'s ``name``, e.g. admin1) of the valid records."""
    invalid: list[str] = field(default_factory=list)
    """Ids (or file:line) of the records skipped (kept when asked for)."""
    kept: list[Record] = field(default_factory=list)
    """The valid records themselves (kept when asked for), in the order read."""
    coverage: Coverage | None = None
    """A database store's: what was checked (None: a folder, always checked whole)."""


@dataclass
class _Pending:
    """A record that refers to ids not seen yet: what is needed to settle it at the end."""

    file: str
    line: int
    rid: str | None
    found: list[Problem]
    refs: list[tuple[str, str]]  # field path, id
    lines: dict[str, int]  # the record's field lines, for the first few dangling ones
    valid: bool
    record: Record | None  # only when the records are kept
    name: int
    state: int = _PENDING


@dataclass
class _Seen:
    """One record of an id that is used more than once."""

    index: int
    file: str
    line: int
    id_line: int
    state: int


class Checker:
    """Validates records one at a time (:meth:`add`) and the references between them;
    :meth:`finish` settles duplicate ids and forward references and returns the problems,
    in order. ``keep`` keeps the valid records (a load), ``keep_invalid`` the ids of the
    invalid ones; ``name`` names each valid record (its admin1) for :attr:`Checked.names`;
    ``on_record`` is told each record's own problems (id, problems not yet escaped), once
    its references are settled."""

    def __init__(
        self,
        *,
        keep: bool = False,
        keep_invalid: bool = False,
        name: Callable[[Record], str | None] | None = None,
        on_record: Callable[[str | None, list[Problem]], None] | None = None,
    ) -> None:
        self.count = 0
        """Records checked so far (not counting those outside)."""
        self._index = 0
        self._keep, self._name, self._on_record = keep, name, on_record
        self._ids: dict[str, int] = {}  # id -> its first record, packed
        self._files: dict[str, int] = {}
        self._file_names: list[str] = []
        self._names: dict[str, int] = {}
        self._named: Counter[int] = Counter()  # valid records by name
        self._clean = 0
        self._dups: dict[str, list[_Seen]] = {}
        self._pending: dict[int, _Pending] = {}
        self._problems = ProblemSorter()
        self._seq = 0
        self._invalid: set[str] | None = set() if keep_invalid else None
        self._kept: list[tuple[int, Record]] = []

    def problem(self, problem: Problem) -> None:
        """A problem found while reading (a file that cannot be read, a line not JSON)."""
        self._seq += 1
        self._add_problem(problem, -1, self._seq, 0)

    def add(self, raw: RawRecord) -> None:
        """Validate one record and check its id and references against those seen (a
        record marked ``outside`` is not validated: its id only counts, as an existing one)."""
        index = self._index
        self._index += 1
        rid = raw.id
        if raw.outside:
            state = _OUTSIDE
        else:
            self.count += 1
            state = self._check(index, raw)
        if rid is None:
            return
        where = _Seen(index, raw.file, raw.line, raw.line_of("id"), state)
        first = self._ids.get(rid)
        if first is None:
            self._ids[rid] = self._pack(where)
        elif rid in self._dups:
            self._dups[rid].append(where)
        else:
            self._dups[rid] = [self._unpack(first), where]

    def _check(self, index: int, raw: RawRecord) -> int:
        """Validate a record: its state (_PENDING if it names ids not seen yet)."""
        rid = raw.id
        record, found = validate_raw(raw)
        name = self._name_of(record)
        unresolved = [
            (path, ref) for path, ref in references(raw.data) if ref != rid and ref not in self._ids
        ]
        if unresolved:
            kept = record if self._keep else None  # not a validated record per reference
            self._pending[index] = _Pending(
                raw.file, raw.line, rid, found, unresolved, raw.lines, record is not None, kept,
                name,
            )  # fmt: skip
            return _PENDING
        return self._settle(
            index, raw.file, raw.line, rid, found, [], record is not None, record, name
        )

    def finish(self, progress: Progress = SILENT) -> Checked:
        """Settle forward references and duplicate ids; every problem, in order."""
        for index, p in self._pending.items():
            dangling = [ref for ref in p.refs if ref[1] not in self._ids]
            at = RawRecord(None, p.file, p.line, p.lines).line_of
            p.state = self._settle(
                index, p.file, p.line, p.rid, p.found, dangling, p.valid, p.record, p.name, at
            )
        dups = {rid: seen for rid, seen in self._dups.items() if _counts(seen)}
        for rid, seen in sorted(dups.items(), key=lambda item: item[1][0].index):
            where = _listed([f"{s.file}:{s.line}" for s in seen])
            for k, s in enumerate(seen):
                problem = Problem(s.file, s.id_line, rid, "id", _DUPLICATE.format(where))
                self._add_problem(problem, 0, seen[0].index, k)
                state = self._pending[s.index].state if s.state == _PENDING else s.state
                if state not in (_INVALID, _OUTSIDE):  # counted as valid: take it back
                    self._clean -= 1
                    self._named[state] -= 1
            if self._invalid is not None:
                self._invalid.add(rid)
        progress.finish()
        names = {n for n, code in self._names.items() if self._named[code + _CLEAN + 1] > 0}
        kept = [r for _, r in sorted(self._kept, key=lambda ir: ir[0]) if r.id not in dups]
        return Checked(
            self._problems.done(),
            self.count,
            self._clean,
            names=names,
            invalid=sorted({cut(i, 80) for i in self._invalid or ()}),
            kept=kept,
        )

    def _settle(
        self,
        index: int,
        file: str,
        line: int,
        rid: str | None,
        found: list[Problem],
        dangling: list[tuple[str, str]],
        valid: bool,
        record: Record | None,
        name: int,
        line_of: Callable[[str], int] | None = None,
    ) -> int:
        """Record the problems of a record whose references are known; its state."""
        found = with_dangling(found, dangling, file, rid, line_of or (lambda _: line))
        if self._on_record is not None:
            self._on_record(rid, found)
        for k, problem in enumerate(found):
            self._add_problem(problem, 1, index, k)
        if not valid or dangling:
            if self._invalid is not None:
                self._invalid.add(rid or f"{file}:{line}")
            return _INVALID
        self._clean += 1
        self._named[name] += 1
        if record is not None and self._keep:
            self._kept.append((index, record))
        return name

    def _name_of(self, record: Record | None) -> int:
        """The state of a valid record: _CLEAN, or _CLEAN + 1 + the number of its name."""
        label = self._name(record) if self._name and record is not None else None
        if label is None:
            return _CLEAN
        return _CLEAN + 1 + self._names.setdefault(label, len(self._names))

    def _add_problem(self, problem: Problem, phase: int, order: int, k: int) -> None:
        problem = clean(problem)
        self._problems.add((problem.file, problem.line or 0, phase, order, k), problem)

    def _pack(self, s: _Seen) -> int:
        """Where an id was first seen, as one int (a tuple would cost three times more)."""
        file = self._files.get(s.file)
        if file is None:
            file = self._files[s.file] = len(self._file_names)
            self._file_names.append(s.file)
        return (((s.index * _LINE + file) * _LINE + s.line) * _LINE + s.id_line) * _STATE + s.state

    def _unpack(self, packed: int) -> _Seen:
        rest, state = divmod(packed, _STATE)
        rest, id_line = divmod(rest, _LINE)
        rest, line = divmod(rest, _LINE)
        index, file = divmod(rest, _LINE)
        return _Seen(index, self._file_names[file], line, id_line, state)


def _counts(seen: list[_Seen]) -> bool:
    """Whether a duplicate id is a problem: one of its records is checked, not outside."""
    return any(s.state != _OUTSIDE for s in seen)


class Elsewhere:
    """The ids of records outside a window and where each was read (file and line), for
    the window's duplicate and reference checks: an int apiece, where a stand-in record
    (:class:`RawRecord` ``outside``) costs 400 bytes, 400 MB of a million-record folder's
    window read."""

    def __init__(self) -> None:
        self._files: dict[str, int] = {}
        self._names: list[str] = []
        self._at: dict[str, int] = {}
        self._more: dict[str, list[int]] = {}  # an id read outside more than once

    def file(self, name: str) -> int:
        """The rank of file ``name`` in reading order (registered on first call)."""
        rank = self._files.get(name)
        if rank is None:
            rank = self._files[name] = len(self._names)
            self._names.append(name)
        return rank

    def add(self, raw: RawRecord) -> None:
        """Note where the record ``raw`` (outside the window) was read, by its id."""
        rid = raw.id
        if rid is None:
            return
        at = raw.line << 32 | self.file(raw.file)
        if rid not in self._at:
            self._at[rid] = at
        else:
            self._more.setdefault(rid, []).append(at)

    def records(self, rid: str) -> list[RawRecord]:
        """Stand-ins for the records outside the window with id ``rid``."""
        first = self._at.get(rid)
        if first is None:
            return []
        return [RawRecord({"id": rid}, self._names[at & 0xFFFFFFFF], at >> 32, outside=True)
                for at in (first, *self._more.get(rid, ()))]  # fmt: skip

    def order(self, raw: RawRecord) -> tuple[int, int]:
        """Where ``raw`` was read, in reading order."""
        return self.file(raw.file), raw.line


def validate_records(
    raws: Sequence[RawRecord],
    *,
    files: list[Path],
    window: Window | None = None,
    elsewhere: Elsewhere | None = None,
) -> LoadResult:
    """Validate raw records one by one (those in ``window``, if given), then the references
    between them. Every id counts for duplicates and references, those of ``elsewhere``
    too; with a window only the ids the window's records use or name are looked up, not a
    million."""
    if window is None:
        checker = Checker(keep=True, keep_invalid=True)
        for raw in raws:
            checker.add(raw)
        done = checker.finish()
        return LoadResult(done.kept, list(done.problems), files, done.invalid)
    wanted = _within([raw for raw in raws if not raw.outside], window)
    needed = {rid for raw in wanted if (rid := raw.id)}
    needed.update(ref for raw in wanted for _, ref in references(raw.data))
    records: list[Record] = []
    problems: list[Problem] = []
    invalid: set[str] = set()
    seen: dict[str, list[RawRecord]] = {}
    for raw in raws:
        data = raw.data
        rid = data.get("id") if type(data) is dict else None
        if type(rid) is not str:
            rid = raw.id
        if rid is not None and rid in needed:
            seen.setdefault(rid, []).append(raw)
    if elsewhere is not None:
        for rid in needed:
            if outside := elsewhere.records(rid):
                seen[rid] = sorted([*seen.get(rid, ()), *outside], key=elsewhere.order)
    wanted_raws = {id(raw) for raw in wanted}
    for rid, same in seen.items():
        if len(same) > 1 and any(id(r) in wanted_raws for r in same):
            where = _listed([f"{r.file}:{r.line}" for r in same])
            for r in same:
                problems.append(
                    Problem(r.file, r.line_of("id"), rid, "id", _DUPLICATE.format(where))
                )
            invalid.add(rid)
    # References are checked on the raw data of every record, valid or not, so that one
    # run reports a dangling reference together with the record's other problems.
    known = seen.keys()
    for raw in wanted:
        record, found = validate_raw(raw)
        dangling = [(path, ref) for path, ref in references(raw.data) if ref not in known]
        if record is None or dangling:
            invalid.add(raw.id or f"{raw.file}:{raw.line}")
        elif record.id not in invalid:
            records.append(record)
        problems.extend(with_dangling(found, dangling, raw.file, raw.id, raw.line_of))
    problems = sorted(map(clean, problems), key=lambda p: (p.file, p.line or 0))
    return LoadResult(records, problems, files, sorted({cut(i, 80) for i in invalid}))


def check_all(
    raws: Iterable[RawRecord],
    checker: Checker,
    progress: Progress = SILENT,
    total: int | None = None,
) -> Checked:
    """Check records from any source (a store's documents, a test's list), telling
    ``progress`` every few hundred records (``total``: how many there are, if known)."""
    progress.start(total, "records")
    for raw in raws:
        checker.add(raw)
        if checker.count % EVERY == 0:
            progress.update(checker.count, checker.count)
    progress.update(checker.count, checker.count)
    return checker.finish(progress)
