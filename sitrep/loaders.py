"""Loading incident records from a data folder, reporting every problem at once.

Files are found recursively: ``*.yaml``/``*.yml``/``*.json`` hold one record or a list,
``*.jsonl`` one record per line. YAML is read with the safe loader (no object
construction). Each problem names the file, the line, the record id and the field.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

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


class IncidentStore(Protocol):
    """Where incident records come from."""

    def load(self) -> LoadResult:
        """Every record, validated, with the problems of those that are not valid."""
        ...


class DirectoryStore:
    """Records in YAML/JSON/JSONL files under a folder (the real store)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self) -> LoadResult:
        """Read and validate every data file under the folder."""
        return load_records(self.root)


class MemoryStore:
    """Records held in memory (the test double): plain dicts, validated like file records."""

    def __init__(self, records: Iterable[dict[str, Any]], name: str = "<memory>") -> None:
        self.raw = [RawRecord(data, name, i + 1) for i, data in enumerate(records)]
        self.name = name

    def load(self) -> LoadResult:
        """Validate the records as if they came from one file, a record a line."""
        return validate_records(self.raw, files=[])


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


def _yaml_to_python(
    node: yaml.Node, loader: yaml.SafeLoader, path: str, lines: dict[str, int], problems: list[str]
) -> Any:
    lines[path] = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(
            None, None, f"the tag {node.tag} is not allowed (records are plain data)",
            node.start_mark,
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            sub = f"{path}.{key}" if path else str(key)
            if key in out:
                problems.append(f"{key_node.start_mark.line + 1}\t{sub}\tappears twice")
            out[key] = _yaml_to_python(value_node, loader, sub, lines, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _yaml_to_python(item, loader, f"{path}[{i}]", lines, problems)
            for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node)


def parse_file(path: Path, display: str | None = None) -> tuple[list[RawRecord], list[Problem]]:
    """Parse one data file into raw records; syntax errors become problems."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(name, None, None, None, f"cannot read the file: {exc}")]
    if path.suffix.lower() == ".jsonl":
        return _parse_jsonl(text, name)
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
            for item in items:
                lines: dict[str, int] = {}
                dupes: list[str] = []
                value = _yaml_to_python(item, loader, "", lines, dupes)
                raw = RawRecord(value, name, item.start_mark.line + 1, lines)
                for dupe in dupes:
                    at, key, what = dupe.split("\t")
                    problems.append(Problem(name, int(at), raw.id, key, f"{what} in one mapping"))
                if value is not None:
                    records.append(raw)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = "JSON" if path.suffix.lower() == ".json" else "YAML"
        syntax = not isinstance(exc, yaml.constructor.ConstructorError)
        hint = " (quote counts that start with '>' such as \">30\")" if syntax else ""
        problems.append(Problem(name, line, None, None, f"not valid {what}: {exc.problem}{hint}"))
    finally:
        loader.dispose()
    return records, problems


def _parse_jsonl(text: str, name: str) -> tuple[list[RawRecord], list[Problem]]:
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
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


def validate_records(raws: Sequence[RawRecord], *, files: list[Path]) -> LoadResult:
    """Validate raw records one by one, then the references between them."""
    records: list[Record] = []
    problems: list[Problem] = []
    invalid: set[str] = set()
    by_id: dict[str, list[RawRecord]] = defaultdict(list)
    for raw in raws:
        if raw.id:
            by_id[raw.id].append(raw)
    for rid, same in by_id.items():
        if len(same) > 1:
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
    for raw in raws:
        record, found = validate_raw(raw)
        problems.extend(found)
        if record is None:
            invalid.add(raw.id or f"{raw.file}:{raw.line}")
        elif record.id not in invalid:
            records.append(record)
    # References are checked on the raw data of every record, valid or not, so that one
    # run reports a dangling reference together with the record's other problems.
    known = set(by_id)
    dangling_ids: set[str] = set()
    for raw in raws:
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


def load_records(root: Path) -> LoadResult:
    """Read and validate every data file under ``root``."""
    files = discover(root)
    raws: list[RawRecord] = []
    problems: list[Problem] = []
    base = root if root.is_dir() else root.parent
    for path in files:
        try:
            display = str(path.relative_to(Path.cwd()))
        except ValueError:
            display = str(path)
        found, trouble = parse_file(path, display)
        raws.extend(found)
        problems.extend(trouble)
    result = validate_records(raws, files=files)
    result.problems = sorted([*problems, *result.problems], key=lambda p: (p.file, p.line or 0))
    logger.info(
        "loaded %d valid record(s) from %d file(s) under %s; %d problem(s)",
        len(result.records),
        len(files),
        base,
        len(result.problems),
    )
    return result
