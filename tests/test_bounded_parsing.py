"""Bounded, typed parsing: deep nesting, huge numbers, out-of-range dates, loose types and
hostile text give a problem naming file, line, record and field; never a traceback or a
hang (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DataDir

from sitrep.config import load_config
from sitrep.errors import ConfigError
from sitrep.store import load_records

RECORD = """\
id: rec-1
date: 2025-06-01
country: MLI
location: Place
event_type: battles
latitude: 16.77
longitude: -3.01
sources:
  - id: s1
    name: Source One
    url: https://example.org/news?id=1
    published: 2025-06-01
claims:
  - source: s1
    by: FAMa
    stance: official
    group: state_forces
    outcome: killed
    count: 5
"""


@pytest.fixture
def data(tmp_data: DataDir, monkeypatch: pytest.MonkeyPatch) -> DataDir:
    """A data folder that is also the working directory, so that file names are short."""
    monkeypatch.chdir(tmp_data.root)
    return tmp_data


def _with(old: str, new: str) -> str:
    assert old in RECORD, old
    return RECORD.replace(old, new)


def _problems(data: DataDir, name: str, text: str | bytes) -> list[str]:
    path = data.root / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    result = load_records(data.root)
    return [str(p) for p in result.problems]


def test_the_record_used_below_is_valid(data: DataDir) -> None:
    assert _problems(data, "a.yaml", RECORD) == []


# --- nesting ------------------------------------------------------------------------------

DEEP_CASES = {
    "flow-200.yaml": "id: x\ntags: " + "[" * 200 + "]" * 200 + "\n",
    "flow-999.yaml": "id: x\ntags: " + "[" * 999 + "]" * 999 + "\n",
    "flow-5000.yaml": "id: x\ntags: " + "[" * 5000 + "]" * 5000 + "\n",
    "block-900.yaml": "".join(" " * i + "a:\n" for i in range(900)) + " " * 900 + "b: 1\n",
    "dashes-3000.yaml": "- " * 3000 + "x\n",
    "deep-1000.json": "[" * 1000 + "]" * 1000,
    "deep-100000.json": "[" * 100_000 + "]" * 100_000,
    "deep.jsonl": '{"id": "ok"}\n' + '{"a": ' * 2000 + "1" + "}" * 2000 + "\n",
}


@pytest.mark.parametrize("name", sorted(DEEP_CASES))
def test_deep_nesting_is_a_clear_problem(data: DataDir, name: str) -> None:
    problems = _problems(data, name, DEEP_CASES[name])
    deep = [p for p in problems if "nested more than 64 levels deep" in p]
    assert len(deep) == 1, problems
    assert deep[0].startswith(name)
    if name.endswith(".jsonl"):
        assert deep[0].startswith("deep.jsonl:2: not valid JSON")


def test_sixty_four_levels_are_read(data: DataDir) -> None:
    tags = "[" * 62 + "]" * 62  # a record (1) holding tags (2) nested 62 more: 64
    text = _with("event_type: battles", f"tags: {tags}\nevent_type: battles")
    problems = _problems(data, "a.yaml", text)
    assert [p for p in problems if "nested" in p] == []


# --- numbers ----------------------------------------------------------------------------------


def test_a_json_integer_of_5000_digits_is_a_problem_of_its_line(
    data: DataDir, make_record: Any
) -> None:
    record = json.dumps(make_record(id="big"), indent=1).replace('"location"', '"n": 1, "location"')
    text = record.replace('"n": 1', '"n": ' + "9" * 5000)
    line = text[: text.index("9" * 10)].count("\n") + 1
    [problem] = _problems(data, "big.json", text)
    assert problem.startswith(f"big.json:{line}: not valid JSON: a number has more than 4,300")


@pytest.mark.parametrize("value", ["NaN", "-Infinity"])
def test_json_constants_that_are_not_numbers_are_refused(data: DataDir, value: str) -> None:
    [problem] = _problems(data, "a.jsonl", '{"id": "x", "latitude": ' + value + "}\n")
    assert problem.startswith(f"a.jsonl:1: not valid JSON: {value} is not a number in JSON")


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("10000001", "10000001 is too large (expected a count of at most 10,000,000)"),
        ("10000000000000000000", "is too large (expected a count of at most 10,000,000)"),
        ("9" * 400, "a number of 400 digits is too large"),
        ("9" * 5000, "... (5,000 characters) is not a count"),
        ('"more than 99999999999999"', "is too large"),
        ('"1,000,000,000,000,000"', "is too large"),
        ("1.0e+300", "is too large"),
        (".inf", "inf is not a count"),
    ],
)
def test_counts_above_ten_million_are_refused(data: DataDir, count: str, message: str) -> None:
    [problem] = _problems(data, "a.yaml", _with("count: 5", f"count: {count}"))
    assert problem.startswith("a.yaml:19: record rec-1: field claims[0].count: "), problem
    assert message in problem
    assert len(problem) < 400


def test_ten_million_is_a_count(data: DataDir) -> None:
    assert _problems(data, "a.yaml", _with("count: 5", "count: 10000000")) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yes", "True is not valid (input should be a valid number)"),
        ('"16.77"', "'16.77' is not valid (input should be a valid number)"),
        (".nan", "nan is not valid (input should be a finite number)"),
        ("-.inf", "-inf is not valid (input should be a finite number)"),
        ("[16]", "a list is not valid (input should be a valid number)"),
        ("1" * 5000, "is not valid (input should be a valid number)"),
    ],
)
def test_coordinates_are_strict_numbers(data: DataDir, value: str, message: str) -> None:
    [problem] = _problems(data, "a.yaml", _with("latitude: 16.77", f"latitude: {value}"))
    assert problem.startswith("a.yaml:6: record rec-1: field latitude: "), problem
    assert message in problem


def test_integer_coordinates_and_json_exponents_are_numbers(
    data: DataDir, make_record: Any
) -> None:
    assert _problems(data, "a.yaml", _with("latitude: 16.77", "latitude: 16")) == []
    coordinates = '"latitude": 1.5e1, "longitude": -3, "id"'  # YAML 1.1 reads 1.5e1 as text
    text = json.dumps(make_record(id="j")).replace('"id"', coordinates, 1)
    assert _problems(data, "b.json", text) == []


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "replacement", "field", "message"),
    [
        (2, "date: 0001-01-01", "date", "0001-01-01 is out of range (expected a date from "
         "1900-01-01 to 2100-12-31)"),
        (2, "date: 1899-12-31", "date", "1899-12-31 is out of range"),
        (2, "end_date: 9999-12-31", "end_date", "9999-12-31 is out of range"),
        (2, "date: 2025-W23-1", "date", "'2025-W23-1' is not an ISO date (expected a date such "
         "as 2025-06-01"),
        (2, "date: '20250602'", "date", "'20250602' is not an ISO date"),
        (2, "date: 2025-06-02T05:30:00", "date", "datetime 2025-06-02T05:30:00 has no UTC offset"),
        (2, "date: '2025-06-02 05:30'", "date", "'2025-06-02 05:30' is not an ISO date"),
        (2, "date: 2025-06-31", "date", "'2025-06-31' is not an ISO date: day is out of range"),
        (2, "date: 0000-01-01", "date", "'0000-01-01' is not an ISO date: year 0 is out of range"),
        (12, "published: '20250602'", "sources[0].published", "'20250602' is not an ISO date "
         "(expected a date such as 2025-06-01)"),
        (12, "published: 2025-06-02T05:30:00Z", "sources[0].published", "2025-06-02T05:30:00+00:00"
         " is not a date"),
        (12, "published: 2101-01-01", "sources[0].published", "2101-01-01 is out of range"),
    ],
)
def test_dates_are_strict_iso_and_within_1900_to_2100(
    data: DataDir, line: int, replacement: str, field: str, message: str
) -> None:
    old = "published: 2025-06-01" if line == 12 else "date: 2025-06-01"
    text = _with(old, replacement if "end_date" not in replacement else old + "\n" + replacement)
    line = line + 1 if "end_date" in replacement else line
    [problem] = _problems(data, "a.yaml", text)
    assert problem.startswith(f"a.yaml:{line}: record rec-1: field {field}: {message}"), problem


def test_edge_dates_and_datetimes_with_offsets_are_fine(data: DataDir, make_record: Any) -> None:
    data.write("a.yaml", _with("date: 2025-06-01", "date: 1900-01-01\nend_date: 2100-12-31"))
    records = [make_record(id="j1", date="2025-06-02T05:30:00+01:00"),
               make_record(id="j2", date="2025-06-02T05:30Z")]
    data.write("b.jsonl", records)
    result = load_records(data.root)
    assert result.problems == []
    assert len(result.records) == 3


def test_an_impossible_date_is_a_problem_of_its_record_only(data: DataDir) -> None:
    second = _with("id: rec-1", "id: rec-2").replace("date: 2025-06-01", "date: 2025-06-31")
    both = "- " + RECORD.replace("\n", "\n  ") + "\n- " + second.replace("\n", "\n  ")
    data.write("both.yaml", both)
    result = load_records(data.root)
    assert [r.id for r in result.records] == ["rec-1"]
    assert [(p.line, p.record, p.field) for p in result.problems] == [(22, "rec-2", "date")]
    assert result.invalid == ["rec-2"]


# --- web addresses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://a b", "http://[::1", "ftp://example.org", "https://", "example.org",
     "https://example.org:99999/", "https://exa\tmple.org", "javascript:alert(1)",
     "https://example.org/\u202e"],
)
def test_urls_are_parsed(data: DataDir, url: str) -> None:
    [problem] = _problems(data, "a.yaml", _with("https://example.org/news?id=1", json.dumps(url)))
    assert problem.startswith("a.yaml:11: record rec-1: field sources[0].url: "), problem
    assert problem.endswith("is not a web address (expected http:// or https://...)")


@pytest.mark.parametrize(
    "url", ["http://[::1]:8080/x", "https://user@example.org:8443/a?b=c#d", "https://bamako.ml"]
)
def test_real_urls_are_accepted(data: DataDir, url: str) -> None:
    assert _problems(data, "a.yaml", _with("https://example.org/news?id=1", url)) == []


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.json", "a.jsonl", "a.yaml"])
def test_a_byte_order_mark_is_accepted_everywhere(
    data: DataDir, make_record: Any, name: str
) -> None:
    data.write(name, make_record(id="bom"))
    path = data.root / name
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_records(data.root).problems == []


def test_undecodable_bytes_are_reported_with_their_line(data: DataDir) -> None:
    text = _with("location: Place", "location: Caf\xe9").encode("latin-1")
    [problem] = _problems(data, "latin1.yaml", text)
    assert problem == (
        "latin1.yaml:4: not UTF-8 text: the byte 0xe9 cannot be read (save the file as UTF-8)"
    )


# --- values quoted in messages ------------------------------------------------------------------


def test_a_newline_in_an_id_does_not_forge_a_problem_line(data: DataDir) -> None:
    forged = 'id: "x\\nfake.yaml:1: record y: field z: forged"\n'
    problems = _problems(data, "a.yaml", _with("id: rec-1\n", forged))
    assert problems  # the id is invalid
    assert all("\n" not in p and p.startswith("a.yaml:") for p in problems)
    assert "record x\\nfake.yaml:1: record y: field z: forged: field id:" in problems[0]


@pytest.mark.parametrize("char", ["\x1b[2J", "\x07", "\x00", "\u202e", "\x9b", "\r"])
def test_control_characters_in_values_are_escaped(data: DataDir, char: str) -> None:
    text = _with("stance: official", f"stance: {json.dumps('off' + char + 'icial')}")
    text = text.replace("id: rec-1", f"id: {json.dumps('rec' + char)}")
    problems = _problems(data, "a.json" if char == "\x00" else "a.yaml", text)
    assert problems
    for problem in problems:
        assert problem.isprintable(), problem
        assert char not in problem


def test_long_values_are_cut(data: DataDir) -> None:
    long = "x" * 100_000
    text = _with("stance: official", f"stance: {long}").replace("count: 5", f"count: {long}")
    problems = _problems(data, "a.yaml", text.replace("id: rec-1", f"id: {long}"))
    assert len(problems) == 3
    assert all(len(p) < 500 for p in problems), [len(p) for p in problems]
    assert "'xxxxxxxxxx" in problems[1] and "(100,000 characters)" in problems[1]


def test_an_empty_key_names_the_field(data: DataDir) -> None:
    [problem] = _problems(data, "a.yaml", RECORD + '"": 1\n')
    assert problem == (
        "a.yaml:20: record rec-1: field '': unknown field "
        "(check the spelling; docs/records.md lists the fields)"
    )


def _alias_bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "field",
    ["country", "event_type", "date_precision", "location", "date", "latitude", "count",
     "stance", "sources", "claims", "tags", "same_as", "id"],
)
@pytest.mark.timeout(30)  # expanded, the bomb never ends: the timeout catches it
def test_an_alias_bomb_used_as_a_value_is_not_expanded(data: DataDir, field: str) -> None:
    bomb = _alias_bomb(9, 50)  # 50**9 leaves if expanded
    assert 2000 < len(bomb) < 2600
    target = f"  - source: s1\n    {field}: *a8\n" if field in ("count", "stance") else ""
    text = bomb + f"{field}: *a8\n" if not target else bomb + "claims:\n" + target
    problems = _problems(data, "bomb.yaml", text)
    assert problems and all(len(p) < 400 for p in problems)


@pytest.mark.timeout(30)  # one check per reference is quick; a blow-up hits the timeout
def test_many_references_through_aliases_are_listed_at_most_fifty(data: DataDir) -> None:
    ids = "r: &r [" + ", ".join(["ghost"] * 300) + "]\n"
    claim = "c: &c {source: s, covers: *r}\n"
    claims = "claims: [" + ", ".join(["*c"] * 300) + "]\n"  # 90,000 references to no record
    problems = _problems(data, "wide.yaml", ids + claim + claims)
    assert len(problems) == 51
    assert any("more problem(s) in this record (fix those listed first)" in p for p in problems)


# --- the configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
     ("x = {" + "a = {" * 3000 + "}" * 3001 + "\n", "nested too deeply"),
     ("[report]\nlookback_days = " + "9" * 5000 + "\n", "a number has too many digits")],
)
def test_a_hostile_config_file_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "sitrep.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)
