"""The package's shape: imports run one way, no import cycles, no module over 450 lines.

Every module under ``sitrep/`` is parsed with :mod:`ast` (nothing is imported). An import is
any ``import``/``from ... import`` statement, at module level or inside a function, under
``if TYPE_CHECKING:`` too, and any ``importlib.import_module("sitrep....")`` or
``__import__("sitrep....")`` call whose name is a string (an f-string counts by its constant
prefix: ``f"sitrep.commands.{name}"`` imports from ``sitrep.commands``).

Layers, lowest first (:data:`LAYERS`): {errors, config, writers, executors, progress,
collector} < model < ingest < store < reconcile < summarise < wording < render < deliver <
{pipeline, headstart, explaining, daily, importing, project, desk} < {commands, cli,
__main__}. A module may import from its own package, from a module of its own layer or from
a lower layer, never from a higher one; and no modules may import each other, even through
others.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sitrep"
MAX_LINES = 450

LAYERS: list[set[str]] = [
    # "": sitrep/__init__.py
    {"", "errors", "config", "writers", "executors", "progress", "collector"},
    {"model"},
    {"ingest"},
    {"store"},
    {"reconcile"},
    {"summarise"},
    {"wording"},
    {"render"},
    {"deliver"},
    {"pipeline", "headstart", "explaining", "daily", "importing", "project", "desk"},
    {"commands", "cli", "__main__"},
]

# Known violations, to be emptied as they are fixed; an entry that no longer occurs fails the
# test, so that the lists only shrink. Each is (importing module, imported module).
ALLOWED_UPWARD: set[tuple[str, str]] = set()
# Known cycles (the modules of each), same rule.
ALLOWED_CYCLES: set[frozenset[str]] = set()
# Modules over MAX_LINES today, with their length now: they may shrink, not grow.
ALLOWED_LONG: dict[str, int] = {}


def module_name(path: Path) -> str:
    """``sitrep/render/charts.py`` -> ``sitrep.render.charts``; a package's ``__init__`` is
    the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def top(module: str) -> str:
    """The first component under ``sitrep`` ('render' for sitrep.render.charts)."""
    return module.split(".")[1] if "." in module else ""


def layer(module: str) -> int:
    """The layer of a ``sitrep`` module (0 lowest)."""
    return LAYER_OF[top(module)]


def package_of(module: str) -> str:
    """The package a module belongs to (``sitrep.render`` for ``sitrep.render.charts``)."""
    is_package = modules()[module].name == "__init__.py"
    return module if is_package else module.rpartition(".")[0]


def resolve(name: str) -> str | None:
    """The ``sitrep`` module that importing ``name`` loads, or None outside the package.

    ``sitrep.render.charts.draw_charts`` (an attribute) resolves to ``sitrep.render.charts``.
    """
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def _string_import(node: ast.Call) -> str | None:
    """The module named by ``importlib.import_module(...)`` or ``__import__(...)``."""
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if called not in {"import_module", "__import__"} or not node.args:
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values:
        head = arg.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return head.value.rpartition(".")[0]  # the package the f-string imports from
    return None


def imports(module: str, source: str | None = None) -> Iterator[tuple[int, str]]:
    """(line, imported ``sitrep`` module) for every import anywhere in ``module`` (or in
    ``source``, read as if it were that module's text)."""
    path = modules()[module]
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    here = package_of(module)
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from . import charts` imports the module sitrep.render.charts
            names = [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call):
            target = _string_import(node)
            names = [target] if target else []
        for name in names:
            target = resolve(name)
            if target is not None and target != module:
                yield node.lineno, target


@cache
def graph() -> dict[str, dict[str, int]]:
    """module -> {imported module: first line importing it}."""
    edges: dict[str, dict[str, int]] = {}
    for module in modules():
        edges[module] = {}
        for line, target in imports(module):
            edges[module].setdefault(target, line)
    return edges


def upward_imports() -> dict[tuple[str, str], str]:
    """(importer, imported) -> 'file:line' for every import of a higher layer."""
    found = {}
    for module, targets in graph().items():
        for target, line in targets.items():
            if layer(target) > layer(module):
                found[(module, target)] = f"{modules()[module].relative_to(PACKAGE.parent)}:{line}"
    return found


def cycles(edges: dict[str, dict[str, int]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


# --- the checker itself -----------------------------------------------------------------


CHECKER_SAMPLE = """
from __future__ import annotations
import importlib
import logging
from typing import TYPE_CHECKING
from ..errors import SitrepError
from . import ledger
if TYPE_CHECKING:
    from sitrep.render.charts import Chart

def run(name: str) -> None:
    from ..pipeline import generate
    importlib.import_module("sitrep.daily")
    __import__("sitrep.project")
    importlib.import_module(f"sitrep.commands.{name}")
"""


def test_the_checker_sees_every_kind_of_import() -> None:
    found = dict(imports("sitrep.deliver.delivery", CHECKER_SAMPLE))
    assert found == {
        6: "sitrep.errors",  # relative, up one package
        7: "sitrep.deliver.ledger",  # `from . import module`
        9: "sitrep.render.charts",  # type-only, absolute, down to the module
        12: "sitrep.pipeline",  # inside a function
        13: "sitrep.daily",  # a string
        14: "sitrep.project",
        15: "sitrep.commands",  # an f-string, by its constant prefix
    }
    assert layer("sitrep") == 0 and layer("sitrep.cli") == len(LAYERS) - 1


def test_the_checker_finds_cycles() -> None:
    edges = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1, "d": 1}, "d": {}, "e": {"d": 1}}
    assert cycles(edges) == [frozenset("abc")]


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if top(m) not in LAYER_OF] == [], "add it to LAYERS"


# --- the rules --------------------------------------------------------------------------


def test_imports_run_from_higher_layers_to_lower_ones() -> None:
    found = upward_imports()
    new = {edge: where for edge, where in found.items() if edge not in ALLOWED_UPWARD}
    assert not new, "a module imports from a higher layer:\n" + "\n".join(
        f"  {where}: {a} imports {b}" for (a, b), where in sorted(new.items())
    )
    fixed = sorted(set(ALLOWED_UPWARD) - set(found))
    assert not fixed, f"fixed, remove from ALLOWED_UPWARD: {fixed}"


def test_no_import_cycles() -> None:
    found = cycles(graph())
    new = [sorted(c) for c in found if c not in ALLOWED_CYCLES]
    assert not new, f"modules that import each other (directly or through others): {new}"
    fixed = [sorted(c) for c in ALLOWED_CYCLES if c not in found]
    assert not fixed, f"fixed, remove from ALLOWED_CYCLES: {fixed}"


def test_modules_are_at_most_450_lines() -> None:
    lengths = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules().values()
    }
    too_long = {
        name: n for name, n in lengths.items() if n > max(MAX_LINES, ALLOWED_LONG.get(name, 0))
    }
    assert not too_long, f"modules over {MAX_LINES} lines (split them): {too_long}"
    fitting = {name: lengths.get(name, 0) for name in ALLOWED_LONG}
    fitting = {name: n for name, n in fitting.items() if n <= MAX_LINES}
    assert not fitting, f"now {MAX_LINES} lines or fewer, remove from ALLOWED_LONG: {fitting}"
