"""Data files and their readers."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import yaml

from ..errors import DataError, Problem
from .jsonl import _parse_jsonl
from .raw import RawRecord, Window
from .yaml import _Builder, _Loader

logger = logging.getLogger(__name__)

SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


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

