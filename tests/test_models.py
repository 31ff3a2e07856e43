"""The record model: countries, ids, dates, coordinates, strictness and the JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sitrep.model.fields import country_name, normalise_country
from sitrep.model.records import (
    Record,
    record_json_schema,
    record_problems,
)

MakeRecord = Callable[..., dict[str, Any]]


def _errors(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(ValidationError) as info:
        Record.model_validate(data)
    return [
        (".".join(str(p) for p in e["loc"]), e["type"], str(e["msg"])) for e in info.value.errors()
    ]


def test_minimal_record_is_valid(make_record: MakeRecord) -> None:
    record = Record.model_validate(make_record())
    assert record.country == "MLI"
    assert record.claims == []
    assert record_problems(record) == []


# --- countries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_", "alpha3"),
    [
        ("ML", "MLI"),
        ("MLI", "MLI"),
        ("mali", "MLI"),
        ("Mali", "MLI"),
        ("  Mali ", "MLI"),
        ("ml", "MLI"),
        ("Côte d'Ivoire", "CIV"),
        ("côte d'ivoire", "CIV"),
        ("CI", "CIV"),
        ("BF", "BFA"),
        ("Burkina Faso", "BFA"),
        ("NE", "NER"),
        ("Niger", "NER"),
        ("Republic of the Niger", "NER"),
    ],
)
def test_country_normalised_to_alpha3(given_: str, alpha3: str) -> None:
    assert normalise_country(given_) == alpha3


def test_record_country_is_stored_as_alpha3(make_record: MakeRecord) -> None:
    assert Record.model_validate(make_record(country="Burkina Faso")).country == "BFA"
    assert country_name("BFA") == "Burkina Faso"
    assert country_name("CIV") == "Côte d'Ivoire"


def test_unknown_country_suggests_the_closest_name() -> None:
    with pytest.raises(ValueError, match=r"unknown country 'Nigerr'.*did you mean 'Niger'\?"):
        normalise_country("Nigerr")


def test_unknown_country_without_any_close_name_says_what_is_expected() -> None:
    with pytest.raises(ValueError) as info:
        normalise_country("Zzyzx-land")
    assert "expected an ISO 3166-1 alpha-2 or alpha-3 code" in str(info.value)
    assert "did you mean" not in str(info.value)


@pytest.mark.parametrize("value", [None, 466, ["MLI"]])
def test_non_string_country_is_rejected(value: object) -> None:
    with pytest.raises(ValueError, match="not a country"):
        normalise_country(value)


def test_record_with_unknown_country_is_invalid(make_record: MakeRecord) -> None:
    errors = _errors(make_record(country="Atlantis"))
    assert [loc for loc, *_ in errors] == ["country"]


# --- ids -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ident", ["a", "0", "mli-boulkessi-2025-06-01", "A_b.c-1", "_x", "-x", "x." + "y" * 126]
)
def test_valid_ids(make_record: MakeRecord, ident: str) -> None:
    assert len(ident) <= 128
    assert Record.model_validate(make_record(id=ident)).id == ident


@pytest.mark.parametrize(
    "ident",
    [
        "",
        ".hidden",
        "has space",
        "slash/x",
        "back\\slash",
        "colon:x",
        "é",
        "x" * 129,
        "a\n",
        "tab\tx",
    ],
)
def test_invalid_ids(make_record: MakeRecord, ident: str) -> None:
    errors = _errors(make_record(id=ident))
    assert [loc for loc, *_ in errors] == ["id"]


def test_id_of_exactly_128_characters_is_the_limit(make_record: MakeRecord) -> None:
    Record.model_validate(make_record(id="x" * 128))
    assert [loc for loc, *_ in _errors(make_record(id="x" * 129))] == ["id"]


def test_ids_elsewhere_follow_the_same_pattern(make_record: MakeRecord) -> None:
    bad_source = make_record(sources=[{"id": ".s", "name": "S"}])
    assert [loc for loc, *_ in _errors(bad_source)] == ["sources.0.id"]
    bad_ref = make_record(same_as="has space")
    assert [loc for loc, *_ in _errors(bad_ref)] == ["same_as"]


@settings(max_examples=80, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}", fullmatch=True))
def test_property_every_id_of_the_documented_form_is_accepted(
    make_record: MakeRecord, ident: str
) -> None:
    assert Record.model_validate(make_record(id=ident)).id == ident


# --- dates ---------------------------------------------------------------------------


def test_date_accepts_iso_date_string_and_date(make_record: MakeRecord) -> None:
    assert Record.model_validate(make_record(date="2025-06-01")).day == dt.date(2025, 6, 1)
    assert Record.model_validate(make_record(date=dt.date(2025, 6, 1))).day == dt.date(2025, 6, 1)


def test_datetime_with_offset_is_accepted_and_keeps_its_local_day(make_record: MakeRecord) -> None:
    record = Record.model_validate(make_record(date="2025-06-01T23:30:00-05:00"))
    assert isinstance(record.date, dt.datetime)
    assert record.day == dt.date(2025, 6, 1)  # its own local date, not UTC's 2 June


@pytest.mark.parametrize(
    "value",
    ["2025-06-02T05:30:00", dt.datetime(2025, 6, 2, 5, 30)],
)
def test_datetime_without_offset_is_rejected(make_record: MakeRecord, value: object) -> None:
    errors = _errors(make_record(date=value))
    assert len(errors) == 1
    loc, _, msg = errors[0]
    assert loc == "date"
    assert "has no UTC offset" in msg and "expected" in msg


@pytest.mark.parametrize("value", ["2025-13-01", "1 June 2025", "yesterday", 20250601])
def test_unparseable_dates_are_rejected(make_record: MakeRecord, value: object) -> None:
    errors = _errors(make_record(date=value))
    assert errors[0][0] == "date"
    assert "is not an ISO date" in errors[0][2]


def test_end_date_before_date_is_a_problem(make_record: MakeRecord) -> None:
    record = Record.model_validate(make_record(date="2025-06-02", end_date="2025-06-01"))
    assert [field for field, _ in record_problems(record)] == ["end_date"]
    ok = Record.model_validate(make_record(date="2025-06-01", end_date="2025-06-03"))
    assert record_problems(ok) == []
    assert ok.last_day == dt.date(2025, 6, 3)


# --- coordinates ---------------------------------------------------------------------


@pytest.mark.parametrize(("lat", "lon"), [(90, 180), (-90, -180), (0, 0), (14.79, -1.30)])
def test_coordinates_in_range(make_record: MakeRecord, lat: float, lon: float) -> None:
    record = Record.model_validate(make_record(latitude=lat, longitude=lon))
    assert (record.latitude, record.longitude) == (lat, lon)
    assert record_problems(record) == []


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [
        (123, 0, "latitude"),
        (-90.5, 0, "latitude"),
        (0, 180.01, "longitude"),
        (0, -200, "longitude"),
    ],
)
def test_coordinates_out_of_range(
    make_record: MakeRecord, lat: float, lon: float, field: str
) -> None:
    errors = _errors(make_record(latitude=lat, longitude=lon))
    assert [loc for loc, *_ in errors] == [field]


@pytest.mark.parametrize(
    ("given_", "missing"), [("latitude", "longitude"), ("longitude", "latitude")]
)
def test_coordinates_both_or_neither(make_record: MakeRecord, given_: str, missing: str) -> None:
    record = Record.model_validate(make_record(**{given_: 14.0}))
    problems = record_problems(record)
    assert len(problems) == 1
    field, message = problems[0]
    assert field == missing
    assert "give both latitude and longitude, or neither" in message


# --- strictness ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "loc"),
    [("record", "locaton"), ("source", "sources.0.publisher"), ("claim", "claims.0.toll")],
)
def test_unknown_fields_are_rejected(
    make_record: MakeRecord, make_claim: Callable[..., dict[str, Any]], where: str, loc: str
) -> None:
    if where == "record":
        data = make_record(locaton="typo")
    elif where == "source":
        data = make_record(sources=[{"id": "src", "name": "S", "publisher": "x"}])
    else:
        data = make_record(claims=[make_claim(toll=3)])
    errors = _errors(data)
    assert [(e_loc, kind) for e_loc, kind, _ in errors] == [(loc, "extra_forbidden")]


@pytest.mark.parametrize("field", ["id", "date", "country", "location", "event_type", "sources"])
def test_required_fields(make_record: MakeRecord, field: str) -> None:
    data = make_record()
    del data[field]
    assert [(loc, kind) for loc, kind, _ in _errors(data)] == [(field, "missing")]


def test_at_least_one_source(make_record: MakeRecord) -> None:
    assert [loc for loc, *_ in _errors(make_record(sources=[]))] == ["sources"]


def test_claim_count_is_parsed_and_null_means_no_figure(
    make_record: MakeRecord, make_claim: Callable[..., dict[str, Any]]
) -> None:
    record = Record.model_validate(
        make_record(claims=[make_claim(count="more than 30"), make_claim(count=None)])
    )
    first, second = record.claims
    assert first.count is not None and (first.count.low, first.count.high) == (31, None)
    assert second.count is None
    # serialised back as worded
    assert record.model_dump(mode="json")["claims"][0]["count"] == "more than 30"


def test_claim_with_bad_count_names_the_field(
    make_record: MakeRecord, make_claim: Callable[..., dict[str, Any]]
) -> None:
    errors = _errors(make_record(claims=[make_claim(), make_claim(count="thirtyish")]))
    assert [loc for loc, *_ in errors] == ["claims.1.count"]
    assert "'thirtyish' is not a count" in errors[0][2]


def test_reported_falls_back_to_the_source_publication_date(
    make_record: MakeRecord, make_claim: Callable[..., dict[str, Any]]
) -> None:
    record = Record.model_validate(
        make_record(claims=[make_claim(), make_claim(reported="2025-06-03")])
    )
    assert record.reported(record.claims[0]) == dt.date(2025, 6, 1)  # source published
    assert record.reported(record.claims[1]) == dt.date(2025, 6, 3)
    undated = Record.model_validate(
        make_record(sources=[{"id": "src", "name": "S"}], claims=[make_claim()])
    )
    assert undated.reported(undated.claims[0]) is None


def test_cross_field_problems(
    make_record: MakeRecord, make_claim: Callable[..., dict[str, Any]]
) -> None:
    record = Record.model_validate(
        make_record(
            id="r1",
            sources=[{"id": "src", "name": "A"}, {"id": "src", "name": "B"}],
            claims=[make_claim(covers=["other", "r1"])],
            same_as="other",
            not_same_as=["other"],
        )
    )
    fields = [field for field, _ in record_problems(record)]
    assert fields == ["sources[1].id", "claims[0].covers[1]", "not_same_as"]
    itself = Record.model_validate(make_record(id="r1", same_as="r1"))
    assert [f for f, _ in record_problems(itself)] == ["same_as"]


def test_records_are_immutable(make_record: MakeRecord) -> None:
    record = Record.model_validate(make_record())
    with pytest.raises(ValidationError):
        record.location = "Elsewhere"  # type: ignore[misc]


# --- JSON Schema ---------------------------------------------------------------------


def _json_ready(data: Any) -> Any:
    """YAML data as JSON would carry it (dates as ISO strings)."""
    return json.loads(json.dumps(data, default=lambda o: o.isoformat()))


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = record_json_schema()
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_schema_is_json_and_describes_one_record_or_a_list() -> None:
    schema = record_json_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert {"$ref": "#/$defs/Record"} in schema["anyOf"]
    assert "Record" in schema["$defs"]


def test_schema_validates_every_example_file(examples_dir: Path, validator: Any) -> None:
    files = sorted(examples_dir.rglob("*.yaml"))
    assert len(files) == 8
    for path in files:
        data = _json_ready(yaml.safe_load(path.read_text(encoding="utf-8")))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path
        records = data if isinstance(data, list) else [data]
        for record in records:  # and the schema agrees with the model
            Record.model_validate(record)


@pytest.mark.parametrize(
    "change",
    [
        {"id": ".hidden"},
        {"id": "x" * 129},
        {"locaton": "typo"},
        {"event_type": "massacre"},
        {"latitude": 123},
        {"sources": []},
        {
            "claims": [
                {
                    "source": "src",
                    "by": "X",
                    "stance": "official",
                    "group": "state_forces",
                    "outcome": "killed",
                    "count": "thirtyish",
                }
            ]
        },
        {
            "claims": [
                {
                    "source": "src",
                    "by": "X",
                    "stance": "officcial",
                    "group": "state_forces",
                    "outcome": "killed",
                    "count": 3,
                }
            ]
        },
        {
            "claims": [
                {
                    "source": "src",
                    "by": "X",
                    "stance": "official",
                    "group": "state_forces",
                    "outcome": "killed",
                    "count": -1,
                }
            ]
        },
    ],
)
def test_schema_rejects_bad_records(
    make_record: MakeRecord, validator: Any, change: dict[str, Any]
) -> None:
    good = _json_ready(make_record())
    assert validator.is_valid(good)
    assert validator.is_valid([good, good])
    bad = _json_ready(make_record(**change))
    assert not validator.is_valid(bad)
    assert not validator.is_valid([good, bad])
    with pytest.raises(ValidationError):  # the model rejects it too
        Record.model_validate(bad)


def test_schema_rejects_a_record_missing_a_required_field(
    make_record: MakeRecord, validator: Any
) -> None:
    data = _json_ready(make_record())
    del data["location"]
    assert not validator.is_valid(data)


def test_deferred_models_build_once_under_threads() -> None:
    """The models build their validators on first use (``defer_build``): sixteen threads
    making their first records at once, in a fresh interpreter, all get valid ones (a
    pydantic before 2.14 could hand a thread the base class's validator meanwhile)."""
    import subprocess
    import sys

    code = (
        "import threading\n"
        "from sitrep.model.records import Source\n"
        "barrier = threading.Barrier(16)\n"
        "made = []\n"
        "def make(i):\n"
        "    barrier.wait()\n"
        "    made.append(Source(id=f's{i}', name='S'))\n"
        "threads = [threading.Thread(target=make, args=(i,)) for i in range(16)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print(Source.__pydantic_complete__, sorted(s.id for s in made) == "
        "sorted(f's{i}' for i in range(16)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    assert done.stdout.split() == ["True", "True"]
