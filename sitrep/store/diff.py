"""What changed between two versions of a record, field by field."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

_ABSENT = object()


@dataclass(frozen=True)
class Change:
    """One field that changed: its path (``claims[1].count``), the value before and after
    (``None`` in :attr:`before`/:attr:`after` with ``added``/``removed`` set: absent)."""

    path: str
    before: Any
    after: Any
    added: bool = False
    removed: bool = False

    def __str__(self) -> str:
        if self.added:
            return f"{self.path}: added {_show(self.after)}"
        if self.removed:
            return f"{self.path}: removed (was {_show(self.before)})"
        return f"{self.path}: {_show(self.before)} -> {_show(self.after)}"


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    """Every scalar of a document by its path (an empty list or mapping is a leaf)."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_leaves(item, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, item in enumerate(value):
            out.update(_leaves(item, f"{path}[{i}]"))
        return out
    return {path: value}


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """The fields that differ between two documents, in document order."""
    old, new = _leaves(before), _leaves(after)
    changes = []
    for path in [*old, *(p for p in new if p not in old)]:
        a, b = old.get(path, _ABSENT), new.get(path, _ABSENT)
        if a is _ABSENT:
            changes.append(Change(path, None, b, added=True))
        elif b is _ABSENT:
            changes.append(Change(path, a, None, removed=True))
        elif a != b or type(a) is not type(b):
            changes.append(Change(path, a, b))
    return changes
