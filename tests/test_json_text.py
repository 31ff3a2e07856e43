"""The JSON report is written by orjson, byte for byte as ``json.dumps(indent=2,
ensure_ascii=False)`` wrote it (with the invisible characters escaped), and its worded
fields are inserted by a walk that skips the parts of the report that hold no words."""

from __future__ import annotations

import json
import re
from typing import Any

from factories import sahel_report
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model.report import Report
from sitrep.render.jsonreport import render_json
from sitrep.render.safe import BIDI_CONTROLS, json_document
from sitrep.render.worded import _walked, json_data
from sitrep.wording import WORDED, words_for

_RAW = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029]")


def _stdlib(data: Any) -> bytes:
    """The JSON sitrep wrote before orjson: the standard library's, invisible characters
    escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return (_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n").encode()


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)


TREES = st.recursive(SCALARS, _nested, max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(TREES)
def test_same_text_as_the_standard_library(data: Any) -> None:
    assert json_document(data) == _stdlib(data)


def test_small_floats_and_lookalike_strings() -> None:
    """orjson writes 1e-05 as 0.00001: such a number falls back to json; a string that
    only looks like one does not matter either way."""
    for data in ([1e-05, 2.5e-07, 1.5e300], {"a": -3e-05}, {"a": "0.00001"}, ["1e-7\n"],
                 ["\x7f\x85\u2028\u2029\u202a\u202e\u2066\u2069 \u00e9\u2014"]):
        assert json_document(data) == _stdlib(data)


def test_report_json_unchanged() -> None:
    """The example's JSON and the words in it, as the standard library wrote them."""
    report = sahel_report()
    for language in ("en", "fr"):
        edition = report.model_copy(update={"language": language})
        text = render_json(edition)
        data = json_data(edition, words_for(language))
        for key in ("countries", "admin1"):
            data["filter"][key] = sorted(data["filter"][key])
        assert text.encode() == _stdlib(data)


def _every_worded_field(data: Any, out: set[str]) -> set[str]:
    if isinstance(data, dict):
        out.update(data)
        for value in data.values():
            _every_worded_field(value, out)
    elif isinstance(data, list):
        for value in data:
            _every_worded_field(value, out)
    return out


def test_the_walk_reaches_every_worded_field() -> None:
    """Every worded field of the example's models is in its JSON: skipping the parts
    without words skipped none that has them."""
    report = sahel_report()
    keys = _every_worded_field(json_data(report, words_for("en")), set())
    present = {type(m) for m in _models_in(report)}
    expected = {f.name for cls in present for f in WORDED.get(cls, ())}
    assert expected and expected <= keys
    assert "incidents" in _walked(Report)


def _models_in(obj: Any) -> list[Any]:
    from pydantic import BaseModel

    found: list[Any] = []
    if isinstance(obj, BaseModel):
        found.append(obj)
        for name in type(obj).model_fields:
            found.extend(_models_in(getattr(obj, name)))
    elif isinstance(obj, list | tuple):
        for item in obj:
            found.extend(_models_in(item))
    elif isinstance(obj, dict):
        for item in obj.values():
            found.extend(_models_in(item))
    return found


def test_the_table_is_worded_once_with_the_log_and_placed_as_the_model_has_it() -> None:
    """The table's rows are the log incidents' rows, dumped and worded there and reused:
    the JSON is the one a walk of the whole dump gives, keys in the same order; a table row
    that is not an incident's (a report put together by hand) is dumped on its own."""
    from sitrep.render.worded import _with_words

    report = sahel_report()
    words = words_for("en")
    copied = report.model_copy(update={"table": [r.model_copy() for r in report.table]})
    for edition in (report, copied):
        assert edition.table
        whole = _with_words(edition, edition.model_dump(mode="json"), words)
        data = json_data(edition, words)
        assert data == whole
        assert list(data) == list(whole)
        assert json_document(data) == json_document(whole)
