"""The report as readers see it: model objects with their worded fields (wording/fields.py).

Templates get :class:`Worded` views, so ``report.period.label`` or ``row.basis`` read as
they always have, in the edition's language; the JSON output gets the same fields,
inserted where the JSON has always had them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from ..model.report import Report
from ..wording import WORDED, WordedField, Words, worded


class Worded:
    """A model object as a template sees it: its fields, wrapped in turn, and its worded
    fields, written by ``words``."""

    __slots__ = ("_obj", "_words")

    def __init__(self, obj: BaseModel, words: Words) -> None:
        self._obj = obj
        self._words = words

    def __getattr__(self, name: str) -> Any:
        field = worded(self._obj, name)
        if field is not None:
            return field.write(self._obj, self._words)
        return wrap(getattr(self._obj, name), self._words)

    def __eq__(self, other: object) -> bool:
        return bool(self._obj == unwrap(other))

    def __hash__(self) -> int:
        return hash(self._obj)

    def __repr__(self) -> str:
        return f"Worded({self._obj!r})"


def wrap(value: Any, words: Words) -> Any:
    """Model objects (alone or in a list) as :class:`Worded` views; anything else as is."""
    if isinstance(value, BaseModel):
        return Worded(value, words)
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return [Worded(v, words) for v in value]
    return value


def unwrap(value: Any) -> Any:
    """The model object behind a :class:`Worded` view (anything else as is)."""
    return value._obj if isinstance(value, Worded) else value


def unwrapping(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` taking model objects where a template passes :class:`Worded` views."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return function(*(unwrap(a) for a in args), **{k: unwrap(v) for k, v in kwargs.items()})

    call.__name__ = getattr(function, "__name__", "filter")
    call.__doc__ = function.__doc__
    return call


@cache
def _inserted(cls: type[BaseModel]) -> dict[str, tuple[WordedField, ...]]:
    """The worded fields of ``cls`` by the field they follow in the JSON."""
    after: dict[str, tuple[WordedField, ...]] = {}
    for field in WORDED.get(cls, ()):
        after[field.after] = (*after.get(field.after, ()), field)
    return after


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The model classes named in a field's type (``list[Cell] | None`` names Cell)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models(arg)


@cache
def _worded_within(cls: type[BaseModel]) -> bool:
    """True when ``cls`` or a model in its fields, at any depth, has worded fields."""
    return bool(WORDED.get(cls)) or bool(_walked(cls))


@cache
def _walked(cls: type[BaseModel]) -> frozenset[str]:
    """The fields of ``cls`` that may hold a model with worded fields: the only ones that
    :func:`_with_words` needs to walk into (a report's long lists of figures need none)."""
    return frozenset(
        name
        for name, info in cls.model_fields.items()
        if any(m is not cls and _worded_within(m) for m in _models(info.annotation))
    )


def _with_words(obj: Any, data: Any, words: Words, given: dict[str, Any] | None = None) -> Any:
    """``data`` (``obj`` dumped to JSON) with the worded fields of every model inserted
    (those of ``obj`` itself named in ``given`` as given there)."""
    if isinstance(obj, BaseModel) and isinstance(data, dict):
        cls = type(obj)
        after, walked = _inserted(cls), _walked(cls)
        if not after:  # nothing to insert: the dumped dict is changed in place, not copied
            for key in walked:
                value = data.get(key)
                if value:  # most lists of a report's cells are empty
                    data[key] = _with_words(getattr(obj, key), value, words)
            return data
        out: dict[str, Any] = {}
        for key, value in data.items():
            out[key] = _with_words(getattr(obj, key), value, words) if key in walked else value
            for field in after.get(key, ()):
                out[field.name] = (
                    given[field.name] if given and field.name in given
                    else field.write(obj, words)
                )  # fmt: skip
        return out
    if isinstance(obj, list) and isinstance(data, list):
        for i, (o, d) in enumerate(zip(obj, data, strict=True)):
            data[i] = _with_words(o, d, words)
    return data


def json_data(
    report: Report, words: Words, charts: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The report as JSON data, with its words in the language of ``words`` (``charts``:
    the texts of the charts as drawn, when they are not those of the whole report)."""
    # The table's rows are rows of the log's incidents too: dumped and worded once, there,
    # and the same data put in the table (a third of a long period's JSON).
    data: dict[str, Any] = _with_words(
        report, report.model_dump(mode="json", exclude={"table"}), words,
        None if charts is None else {"charts": charts},
    )
    done = {
        id(row): row_data
        for inc, inc_data in zip(report.incidents, data["incidents"], strict=True)
        for row, row_data in zip(inc.figures, inc_data["figures"], strict=True)
    }
    table = [
        done[id(row)] if id(row) in done else _with_words(row, row.model_dump(mode="json"), words)
        for row in report.table
    ]
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == _AFTER_TABLE:  # where the model has the table
            out["table"] = table
        out[key] = value
    return out


_AFTER_TABLE = list(Report.model_fields)[list(Report.model_fields).index("table") + 1]


def json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A report JSON Schema with the worded fields added to each model's properties."""
    by_name = {cls.__name__: fields for cls, fields in WORDED.items()}
    targets = [(schema, by_name.get(Report.__name__, ()))] + [
        (defn, by_name.get(name, ())) for name, defn in schema.get("$defs", {}).items()
    ]
    for target, fields in targets:
        properties = target.get("properties", {})
        out: dict[str, Any] = {}
        for key, value in properties.items():
            out[key] = value
            for field in fields:
                if field.after == key:
                    out[field.name] = {**field.schema, "description": field.description}
                    target.setdefault("required", []).append(field.name)
        target["properties"] = out
    return schema
