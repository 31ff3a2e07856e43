"""YAML (and JSON read as YAML, for line numbers): plain data only, bounded."""

from __future__ import annotations

import json
import logging
from typing import Any, NoReturn

import yaml

from ..errors import Problem
from ..model.values import cut, shown
from .raw import EMPTY, MAX_DEPTH, TOO_DEEP, RawRecord, join_path

logger = logging.getLogger(__name__)

# libyaml's parser when available (several times faster); both only build plain data.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap")


class _Builder:
    """Plain data from a YAML node tree, with the line of every field path.

    Aliases are shared, not expanded again (a few bytes of nested aliases must not cost
    minutes), a recursive alias is refused, and so is anything but plain data or lists
    and mappings nested more than :data:`MAX_DEPTH` levels. A scalar that YAML cannot
    convert (``2025-06-31``, a number of 5,000 digits) stays text, for the field's own
    check to report on its record and field. In a JSON file, unquoted scalars are JSON's
    numbers, ``true``, ``false`` and ``null`` (YAML would read ``1e5`` as text)."""

    def __init__(self, loader: yaml.SafeLoader, *, json_scalars: bool = False) -> None:
        self.loader = loader
        self.json_scalars = json_scalars
        self.done: dict[int, Any] = {}
        self.open: set[int] = set()
        self.dupes: list[tuple[int, str]] = []

    def fail(self, node: yaml.Node, message: str) -> NoReturn:
        raise yaml.constructor.ConstructorError(None, None, message, node.start_mark)

    def build(self, node: yaml.Node, path: str, lines: dict[str, int], depth: int = 1) -> Any:
        lines[path] = node.start_mark.line + 1
        if id(node) in self.done:
            return self.done[id(node)]
        if id(node) in self.open:
            self.fail(node, "an alias refers to itself (records are plain data)")
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
        elif node.tag not in _PLAIN_TAGS:
            self.fail(node, f"the tag {shown(node.tag)} is not allowed (records are plain data)")
        elif depth > MAX_DEPTH:
            self.fail(node, TOO_DEEP)
        else:
            self.open.add(id(node))
            value = (
                self._mapping(node, path, lines, depth)
                if isinstance(node, yaml.MappingNode)
                else [
                    self.build(item, f"{path}[{i}]", lines, depth + 1)
                    for i, item in enumerate(node.value)
                ]
            )
            self.open.discard(id(node))
        self.done[id(node)] = value
        return value

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            if self.json_scalars and not node.style:  # plain (style '' or None): a JSON literal
                return json.loads(node.value)
            return node.value if self.json_scalars else self.loader.construct_object(node)
        except (ValueError, OverflowError):  # 2025-06-31: the field's check says what is wrong
            return node.value

    def _mapping(
        self, node: yaml.MappingNode, path: str, lines: dict[str, int], depth: int
    ) -> dict[str, Any]:
        self.loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a key must be a plain name, not a list or mapping")
            key = str(self.build(key_node, f"{path}.<key>", {}))
            sub = join_path(path, key)
            if key in out:
                self.dupes.append((key_node.start_mark.line + 1, sub))
            out[key] = self.build(value_node, sub, lines, depth + 1)
        return out


def _yaml_problem(exc: Exception, text: str, name: str, what: str) -> Problem:
    """A YAML error (syntax, reader, our own refusals) as a problem of the file."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    syntax = isinstance(exc, yaml.MarkedYAMLError) and not isinstance(
        exc, yaml.constructor.ConstructorError
    )
    detail = cut(getattr(exc, "problem", None) or str(exc), 200)  # a tag may be long
    if isinstance(exc, RecursionError) or "maximum nesting depth" in detail:
        detail, syntax = TOO_DEEP, False  # libyaml's limit is 1,000 levels, the pure one's less
    hint = " (quote counts that start with '>' such as \">30\")" if syntax else ""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        detail = f"the character {chr(exc.character)!r} is not allowed ({exc.reason})"
    return Problem(name, line, None, None, f"not valid {what}: {detail}{hint}")


def parse_yaml(
    text: str, name: str, *, is_json: bool = False
) -> tuple[list[RawRecord], list[Problem]]:
    """The records of YAML text (or of JSON text already checked as JSON): one record, a
    list of them, or several documents. A record that cannot be built is reported at its
    line, and the others are kept."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    what = "JSON" if is_json else "YAML"
    loader = _Loader(text)
    try:
        if not loader.check_node():
            problems.append(Problem(name, None, None, None, EMPTY))
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            items: list[yaml.Node] = node.value if isinstance(node, yaml.SequenceNode) else [node]
            builder = _Builder(loader, json_scalars=is_json)
            for item in items:
                lines: dict[str, int] = {}
                try:
                    value = builder.build(item, "", lines, 2 if items is node.value else 1)
                except yaml.constructor.ConstructorError as exc:
                    problems.append(_yaml_problem(exc, text, name, what))
                    builder.open.clear()
                    builder.dupes.clear()
                    continue
                raw = RawRecord(value, name, item.start_mark.line + 1, lines)
                problems += [
                    Problem(name, at, raw.id, key, "appears twice in one mapping")
                    for at, key in builder.dupes
                ]
                builder.dupes.clear()
                records.append(raw)
    except (yaml.YAMLError, RecursionError) as exc:  # syntax, reader, nesting
        problems.append(_yaml_problem(exc, text, name, what))
    finally:
        loader.dispose()
    return records, problems
