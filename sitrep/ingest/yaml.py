"""YAML (and JSON read as YAML, for line numbers): plain data only."""

from __future__ import annotations

import logging
from typing import Any, NoReturn

import yaml

logger = logging.getLogger(__name__)

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

