"""Loading incident records from a data folder, reporting every problem at once.

Files are found recursively: ``*.yaml``/``*.yml``/``*.json`` hold one record or a list,
``*.jsonl`` one record per line. YAML is read with the safe loader (no object
construction). Each problem names the file, the line, the record id and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn, Protocol

import yaml
from pydantic import ValidationError

from .errors import DataError, Problem
from .models import ID_PATTERN, Record, record_problems

logger = logging.getLogger(__name__)

SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


@dataclass
class RawRecord:
    """A record as parsed from a file, before validation, with the lines of its fields."""

    data: Any
    file: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    outside: bool = False
    """Outside the dates asked for: its id counts (duplicates, references), it is not
    validated or returned."""

    def line_of(self, path: str) -> int:
        """The line of a field path such as ``claims[1].count`` (or of its nearest parent)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.line

    @property
    def id(self) -> str | None:
        """The record's id, if it has a usable one."""
        rid = self.data.get("id") if isinstance(self.data, dict) else None
        return str(rid) if isinstance(rid, (str, int)) else None


@dataclass
class LoadResult:
    """Valid records, and the problems found in the rest."""

    records: list[Record]
    problems: list[Problem]
    files: list[Path]
    invalid: list[str] = field(default_factory=list)
    """Ids (or file:line) of the records skipped because of problems."""

    def raise_if_problems(self) -> None:
        """Raise :class:`DataError` listing every problem, if there is any."""
        if self.problems:
            raise DataError(self.problems)


Window = tuple[dt.date, dt.date]
"""First and last day of the records wanted (an event is wanted if it overlaps them)."""


class IncidentStore(Protocol):
    """Where incident records come from."""

    def load(self, window: Window | None = None) -> LoadResult:
        """The records (those overlapping ``window``, if given), validated, with the problems
        of those that are not valid. Ids outside the window still count for duplicates and
        references; ``sitrep validate`` loads without a window and checks everything."""
        ...


class DirectoryStore:
    """Records in YAML/JSON/JSONL files under a folder (the real store)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self, window: Window | None = None) -> LoadResult:
        """Read the data files under the folder; validate the records in the window."""
        return load_records(self.root, window)


class MemoryStore:
    """Records held in memory (the test double): plain dicts, validated like file records."""

    def __init__(self, records: Iterable[dict[str, Any]], name: str = "<memory>") -> None:
        self.raw = [RawRecord(data, name, i + 1) for i, data in enumerate(records)]
        self.name = name

    def load(self, window: Window | None = None) -> LoadResult:
        """Validate the records as if they came from one file, a record a line."""
        return validate_records(self.raw, files=[], window=window)


def _iso_day(value: object) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]  # ISO dates compare as strings; cheaper than parsing a million
    return None


def in_window(data: Any, window: Window) -> bool:
    """Whether raw record data may overlap the window (unreadable dates: yes, so that
    validation reports them)."""
    if not isinstance(data, dict):
        return True
    first = _iso_day(data.get("date"))
    if first is None:
        return True
    last = _iso_day(data.get("end_date")) or first
    lo, hi = _iso_window(window)
    return first <= hi and last >= lo


@lru_cache(maxsize=16)
def _iso_window(window: Window) -> tuple[str, str]:
    return window[0].isoformat(), window[1].isoformat()


def _within(raws: Sequence[RawRecord], window: Window) -> list[RawRecord]:
    """The raw records that may overlap the window. The common case (ISO date strings) is
    written out here, since a store may hold a million records and one report wants few."""
    lo, hi = _iso_window(window)
    out = []
    for raw in raws:
        data = raw.data
        if type(data) is dict:
            first = data.get("date")
            last = data.get("end_date") or first
            if type(first) is str and type(last) is str and len(first) >= 10 and len(last) >= 10:
                if first[:10] <= hi and last[:10] >= lo:
                    out.append(raw)
                continue
        if in_window(data, window):
            out.append(raw)
    return out


# --- parsing -------------------------------------------------------------------------


def discover(root: Path) -> list[Path]:
    """Data files under ``root`` in a stable order, skipping hidden files and folders."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise DataError(
            [Problem(str(root), None, None, None, "no such folder (expected the data folder)")]
        )
    return sorted(
        p
        for p in root.rglob("*")
        if p.suffix.lower() in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


# libyaml's parser when available (several times faster); both only build plain data.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap")


class _Builder:
    """Plain data from a YAML node tree, with the line of every field path.

    Aliases are shared, not expanded again (a few bytes of nested aliases must not cost
    minutes), a recursive alias is refused, and so is anything but plain data."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.done: dict[int, Any] = {}
        self.open: set[int] = set()
        self.dupes: list[tuple[int, str]] = []

    def fail(self, node: yaml.Node, message: str) -> NoReturn:
        raise yaml.constructor.ConstructorError(None, None, message, node.start_mark)

    def build(self, node: yaml.Node, path: str, lines: dict[str, int]) -> Any:
        lines[path] = node.start_mark.line + 1
        if id(node) in self.done:
            return self.done[id(node)]
        if id(node) in self.open:
            self.fail(node, "an alias refers to itself (records are plain data)")
        if isinstance(node, yaml.ScalarNode):
            try:
                value = self.loader.construct_object(node)
            except ValueError as exc:  # e.g. 2025-02-30: YAML's own date check
                self.fail(node, f"{node.value!r} is not valid: {exc}")
        elif node.tag not in _PLAIN_TAGS:
            self.fail(node, f"the tag {node.tag} is not allowed (records are plain data)")
        else:
            self.open.add(id(node))
            value = (
                self._mapping(node, path, lines)
                if isinstance(node, yaml.MappingNode)
                else [self.build(item, f"{path}[{i}]", lines) for i, item in enumerate(node.value)]
            )
            self.open.discard(id(node))
        self.done[id(node)] = value
        return value

    def _mapping(self, node: yaml.MappingNode, path: str, lines: dict[str, int]) -> dict[str, Any]:
        self.loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a key must be a plain name, not a list or mapping")
            key = str(self.build(key_node, f"{path}.<key>", {}))
            sub = f"{path}.{key}" if path else key
            if key in out:
                self.dupes.append((key_node.start_mark.line + 1, sub))
            out[key] = self.build(value_node, sub, lines)
        return out


def parse_file(
    path: Path, display: str | None = None, window: Window | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """Parse one data file into raw records; syntax errors become problems. With a window,
    JSONL lines clearly outside it are not parsed, only their ids kept."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(name, None, None, None, f"cannot read the file: {exc}")]
    if path.suffix.lower() == ".jsonl":
        return _parse_jsonl(text, name, window)
    if path.suffix.lower() == ".json":
        try:  # strict JSON first, for JSON's own error messages; then YAML for line numbers
            json.loads(text)
        except json.JSONDecodeError as exc:
            return [], [Problem(name, exc.lineno, None, None, f"not valid JSON: {exc.msg}")]
    records: list[RawRecord] = []
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            items: list[yaml.Node] = node.value if isinstance(node, yaml.SequenceNode) else [node]
            builder = _Builder(loader)
            for item in items:
                lines: dict[str, int] = {}
                value = builder.build(item, "", lines)
                raw = RawRecord(value, name, item.start_mark.line + 1, lines)
                problems += [
                    Problem(name, at, raw.id, key, "appears twice in one mapping")
                    for at, key in builder.dupes
                ]
                builder.dupes.clear()
                if value is not None:
                    records.append(raw)
    except yaml.YAMLError as exc:  # syntax, reader (control characters) and our own refusals
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        what = "JSON" if path.suffix.lower() == ".json" else "YAML"
        syntax = isinstance(exc, yaml.MarkedYAMLError) and not isinstance(
            exc, yaml.constructor.ConstructorError
        )
        hint = " (quote counts that start with '>' such as \">30\")" if syntax else ""
        detail = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, yaml.reader.ReaderError):
            line = text.count("\n", 0, exc.position) + 1
            detail = f"the character {chr(exc.character)!r} is not allowed ({exc.reason})"
        problems.append(Problem(name, line, None, None, f"not valid {what}: {detail}{hint}"))
    finally:
        loader.dispose()
    return records, problems


_JSON_ID = re.compile(r'\s*\{\s*"id"\s*:\s*"([^"\\]*)"')  # the record's id, written first
_JSON_DATE = re.compile(r'"date"\s*:\s*"(\d{4}-\d{2}-\d{2})')
_JSON_END = re.compile(r'"end_date"\s*:\s*"(\d{4}-\d{2}-\d{2})')


def _outside(line: str, window: Window) -> RawRecord | None:
    """A stand-in for a JSONL line that a cheap look shows to be outside the window
    (parsing JSON costs ten times more than this)."""
    date, rid = _JSON_DATE.search(line), _JSON_ID.match(line)
    if not date or not rid:
        return None  # another layout: parse it
    end = _JSON_END.search(line)
    data = {"id": rid.group(1), "date": date.group(1), "end_date": end and end.group(1)}
    return None if in_window(data, window) else RawRecord(data, "", 0, outside=True)


def _parse_jsonl(
    text: str, name: str, window: Window | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if window and (stand_in := _outside(line, window)):
            stand_in.file, stand_in.line = name, n
            records.append(stand_in)
            continue
        try:
            records.append(RawRecord(json.loads(line), name, n))
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, n, None, None, f"not valid JSON: {exc.msg}"))
    return records, problems


# --- validation ----------------------------------------------------------------------


def _loc(parts: Sequence[int | str]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _explain(err: dict[str, Any]) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return "missing (this field is required)"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; docs/records.md lists the fields)"
    if kind == "enum":
        return f"{value!r} is not allowed (expected one of: {err['ctx']['expected']})".replace(
            " or ", ", "
        )
    if kind == "string_pattern_mismatch" and err["ctx"]["pattern"] == ID_PATTERN:
        return (
            f"{value!r} is not a valid id (expected letters, digits, '.', '_' and '-', "
            "not starting with '.', at most 128 characters)"
        )
    if kind in ("less_than_equal", "greater_than_equal"):
        side = "at most" if kind == "less_than_equal" else "at least"
        bound = err["ctx"]["le" if kind == "less_than_equal" else "ge"]
        return f"{value!r} is out of range (expected {side} {bound})"
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind in ("value_error", "assertion_error"):
        return msg
    shown = repr(value) if not isinstance(value, (dict, list)) else f"a {type(value).__name__}"
    return f"{shown} is not valid ({msg[0].lower()}{msg[1:]})"


def _source_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Claims whose ``source`` is not among the record's sources (checked on the raw data,
    so that it is reported together with the record's other problems)."""
    sources = data.get("sources")
    claims = data.get("claims")
    if not isinstance(sources, list) or not isinstance(claims, list):
        return []
    ids = [s.get("id") for s in sources if isinstance(s, dict)]
    known = ", ".join(str(i) for i in ids)
    return [
        (
            f"claims[{i}].source",
            f"{c['source']!r} is not one of this record's sources (expected one of: {known})",
        )
        for i, c in enumerate(claims)
        if isinstance(c, dict) and "source" in c and c["source"] not in ids
    ]


def validate_raw(raw: RawRecord) -> tuple[Record | None, list[Problem]]:
    """Validate one raw record; return it, or the problems that prevent it."""
    rid = raw.id
    if not isinstance(raw.data, dict):
        kind = type(raw.data).__name__
        return None, [
            Problem(raw.file, raw.line, rid, None, f"a {kind} is not a record (expected a mapping)")
        ]
    found = _source_problems(raw.data)
    record: Record | None = None
    try:
        record = Record.model_validate(raw.data)
    except ValidationError as exc:
        found = [(_loc(err["loc"]), _explain(dict(err))) for err in exc.errors()] + found
    else:
        found += record_problems(record)
    problems = [
        Problem(raw.file, raw.line_of(path), rid, path or None, message) for path, message in found
    ]
    return (None, problems) if problems else (record, [])


def validate_records(
    raws: Sequence[RawRecord], *, files: list[Path], window: Window | None = None
) -> LoadResult:
    """Validate raw records one by one (those in ``window``, if given), then the references
    between them. Every id counts for duplicates and references; with a window only the
    ids the window's records use or name are looked up, not a million."""
    wanted = [raw for raw in raws if not raw.outside]
    needed: set[str] | None = None
    if window:
        wanted = _within(wanted, window)
        needed = {rid for raw in wanted if (rid := raw.id)}
        needed.update(ref for raw in wanted for _, ref in _references(raw.data))
    records: list[Record] = []
    problems: list[Problem] = []
    invalid: set[str] = set()
    seen: dict[str, list[RawRecord]] = {}
    for raw in raws:
        data = raw.data
        rid = data.get("id") if type(data) is dict else None
        if type(rid) is not str:
            rid = raw.id
        if rid is not None and (needed is None or rid in needed):
            seen.setdefault(rid, []).append(raw)
    wanted_raws = {id(raw) for raw in wanted}
    for rid, same in seen.items():
        if len(same) > 1 and any(id(r) in wanted_raws for r in same):
            where = ", ".join(f"{r.file}:{r.line}" for r in same)
            for r in same:
                problems.append(
                    Problem(
                        r.file,
                        r.line_of("id"),
                        rid,
                        "id",
                        f"duplicate id, used at {where} (expected ids unique across the dataset)",
                    )
                )
            invalid.add(rid)
    for raw in wanted:
        record, found = validate_raw(raw)
        problems.extend(found)
        if record is None:
            invalid.add(raw.id or f"{raw.file}:{raw.line}")
        elif record.id not in invalid:
            records.append(record)
    # References are checked on the raw data of every record, valid or not, so that one
    # run reports a dangling reference together with the record's other problems.
    known = seen.keys()
    dangling_ids: set[str] = set()
    for raw in wanted:
        for path, ref in _references(raw.data):
            if ref in known:
                continue
            problems.append(
                Problem(
                    raw.file,
                    raw.line_of(path),
                    raw.id,
                    path,
                    f"no record with id {ref!r} in the dataset (expected an existing record id)",
                )
            )
            invalid.add(raw.id or f"{raw.file}:{raw.line}")
            if raw.id:
                dangling_ids.add(raw.id)
    kept = [record for record in records if record.id not in dangling_ids]
    problems.sort(key=lambda p: (p.file, p.line or 0))
    return LoadResult(kept, problems, files, sorted(invalid))


def _references(data: Any) -> Iterator[tuple[str, str]]:
    """The record ids a raw record refers to (``covers``, ``same_as``, ``not_same_as``)."""
    if not isinstance(data, dict):
        return
    claims = data.get("claims")
    for i, claim in enumerate(claims if isinstance(claims, list) else []):
        covers = claim.get("covers") if isinstance(claim, dict) else None
        for j, ref in enumerate(covers if isinstance(covers, list) else []):
            if isinstance(ref, str):
                yield f"claims[{i}].covers[{j}]", ref
    same_as = data.get("same_as")
    if isinstance(same_as, str):
        yield "same_as", same_as
    not_same_as = data.get("not_same_as")
    for j, ref in enumerate(not_same_as if isinstance(not_same_as, list) else []):
        if isinstance(ref, str):
            yield f"not_same_as[{j}]", ref


def load_records(root: Path, window: Window | None = None) -> LoadResult:
    """Read every data file under ``root``; validate its records (those in ``window``)."""
    files = discover(root)
    raws: list[RawRecord] = []
    problems: list[Problem] = []
    base = root if root.is_dir() else root.parent
    for path in files:
        try:
            display = str(path.relative_to(Path.cwd()))
        except ValueError:
            display = str(path)
        found, trouble = parse_file(path, display, window)
        raws.extend(found)
        problems.extend(trouble)
    result = validate_records(raws, files=files, window=window)
    result.problems = sorted([*problems, *result.problems], key=lambda p: (p.file, p.line or 0))
    logger.info(
        "loaded %d valid record(s) from %d file(s) under %s; %d problem(s)",
        len(result.records),
        len(files),
        base,
        len(result.problems),
    )
    return result
