"""Loading data folders: every problem at once, each as
``file:line: record <id>: field <path>: what is wrong (what was expected)``."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import DataDir

from sitrep.errors import DataError, Problem
from sitrep.ingest.readers import parse_file
from sitrep.store import DirectoryStore, MemoryStore, load_records

MakeRecord = Callable[..., dict[str, Any]]

# A valid record; line numbers below refer to this layout.
GOOD = """\
id: rec-1
date: 2025-06-01
country: MLI
location: Place
event_type: battles
sources:
  - id: s1
    name: Source One
claims:
  - source: s1
    by: FAMa
    stance: official
    group: state_forces
    outcome: killed
    count: 5
"""


def _variant(**replace: str) -> str:
    """GOOD with whole lines replaced: _variant(**{"count: 5": "count: thirtyish"})."""
    text = GOOD
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def data(tmp_data: DataDir, monkeypatch: pytest.MonkeyPatch) -> DataDir:
    """A data folder that is also the working directory, so that file names are short."""
    monkeypatch.chdir(tmp_data.root)
    return tmp_data


def _lines(result: Any) -> list[str]:
    return [str(p) for p in result.problems]


# --- the message format, case by case ---------------------------------------------------

FORMAT = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): record (?P<record>[^:]+): field (?P<field>[^:]+): "
    r"(?P<what>.+) \((?P<expected>.+)\)$"
)


def _one(data: DataDir, text: str, name: str = "bad.yaml") -> str:
    data.write(name, text)
    result = load_records(data.root)
    assert result.records == []
    assert len(result.problems) == 1, _lines(result)
    line = str(result.problems[0])
    assert FORMAT.match(line), line
    return line


def test_claim_source_not_among_sources(data: DataDir) -> None:
    line = _one(data, _variant(**{"  - source: s1": "  - source: afp"}))
    assert line == (
        "bad.yaml:10: record rec-1: field claims[0].source: 'afp' is not one of this "
        "record's sources (expected one of: s1)"
    )


def test_unknown_stance(data: DataDir) -> None:
    line = _one(data, _variant(**{"stance: official": "stance: officcial"}))
    assert line.startswith("bad.yaml:12: record rec-1: field claims[0].stance: 'officcial' ")
    assert "expected one of: 'official', 'claimed', 'independent'" in line


def test_latitude_out_of_range(data: DataDir) -> None:
    text = _variant(**{"event_type: battles": "event_type: battles\nlatitude: 123\nlongitude: 1"})
    line = _one(data, text)
    assert line.startswith("bad.yaml:6: record rec-1: field latitude: 123 is out of range ")
    assert "(expected at most 90" in line


def test_latitude_without_longitude(data: DataDir) -> None:
    line = _one(data, _variant(**{"event_type: battles": "event_type: battles\nlatitude: 14"}))
    assert line == (
        "bad.yaml:1: record rec-1: field longitude: missing "
        "(give both latitude and longitude, or neither)"
    )


def test_unparseable_count(data: DataDir) -> None:
    line = _one(data, _variant(**{"count: 5": "count: thirtyish"}))
    assert line.startswith("bad.yaml:15: record rec-1: field claims[0].count: 'thirtyish' is not a")
    assert "(expected a whole number, or text such as '30', 'more than 30'" in line


def test_best_outside_its_range_names_file_record_and_field(data: DataDir) -> None:
    line = _one(data, _variant(**{"count: 5": "count: 8-14 (best 20)"}))
    assert line.startswith("bad.yaml:15: record rec-1: field claims[0].count: '8-14 (best 20)': "
                           "best 20 is outside its range 8-14 (expected a best estimate")


def test_a_count_with_its_best_is_kept_as_coded(data: DataDir) -> None:
    data.write("good.yaml", _variant(**{"count: 5": "count: 8-14 (best 10)"}))
    (record,) = load_records(data.root).records
    count = record.claims[0].count
    assert count is not None and (count.low, count.best, count.high) == (8, 10, 14)
    assert record.model_dump(mode="json")["claims"][0]["count"] == "8-14 (best 10)"


def test_unknown_country_with_suggestion(data: DataDir) -> None:
    line = _one(data, _variant(**{"country: MLI": "country: Nigerr"}))
    assert line.startswith("bad.yaml:3: record rec-1: field country: unknown country 'Nigerr' ")
    assert line.endswith("such as ML, MLI or Mali; did you mean 'Niger'?)")


def test_unknown_field(data: DataDir) -> None:
    line = _one(data, _variant(**{"location: Place": "location: Place\nlocaton: Typo"}))
    assert line.startswith("bad.yaml:5: record rec-1: field locaton: unknown field (")


def test_datetime_without_offset(data: DataDir) -> None:
    line = _one(data, _variant(**{"date: 2025-06-01": "date: 2025-06-01T05:30:00"}))
    assert line.startswith(
        "bad.yaml:2: record rec-1: field date: datetime 2025-06-01T05:30:00 has no UTC offset"
    )


def test_missing_required_field_points_at_the_record(data: DataDir) -> None:
    line = _one(data, "# leading comment\n" + _variant(**{"location: Place\n": ""}))
    assert line == "bad.yaml:2: record rec-1: field location: missing (this field is required)"


def test_key_twice_in_one_mapping(data: DataDir) -> None:
    data.write("bad.yaml", _variant(**{"country: MLI": "country: MLI\ncountry: NER"}))
    result = load_records(data.root)
    assert "bad.yaml:4: record rec-1: field country: appears twice in one mapping" in _lines(result)


def test_duplicate_id_across_two_files_names_both(data: DataDir) -> None:
    data.write("a/first.yaml", GOOD)
    data.write("b/second.yaml", "# the same id again\n" + GOOD)
    result = load_records(data.root)
    assert result.records == []
    assert result.invalid == ["rec-1"]
    where = "a/first.yaml:1, b/second.yaml:2"
    assert _lines(result) == [
        f"a/first.yaml:1: record rec-1: field id: duplicate id, used at {where} "
        "(expected ids unique across the dataset)",
        f"b/second.yaml:2: record rec-1: field id: duplicate id, used at {where} "
        "(expected ids unique across the dataset)",
    ]


def test_dangling_covers_reference(data: DataDir) -> None:
    line = _one(data, _variant(**{"count: 5": "count: 5\n    covers: [ghost-1]"}))
    assert line == (
        "bad.yaml:16: record rec-1: field claims[0].covers[0]: no record with id 'ghost-1' "
        "in the dataset (expected an existing record id)"
    )


def test_dangling_same_as_and_not_same_as(data: DataDir) -> None:
    data.write("x.yaml", GOOD + "same_as: ghost-a\nnot_same_as: [ghost-b]\n")
    result = load_records(data.root)
    assert [(p.line, p.field) for p in result.problems] == [(16, "same_as"), (17, "not_same_as[0]")]


def test_covers_an_existing_record_is_fine(data: DataDir) -> None:
    data.write("a.yaml", _variant(**{"count: 5": "count: 5\n    covers: [rec-2]"}))
    data.write("b.yaml", _variant(**{"id: rec-1": "id: rec-2"}))
    result = load_records(data.root)
    assert result.problems == []
    assert sorted(r.id for r in result.records) == ["rec-1", "rec-2"]


def test_yaml_syntax_error_unquoted_greater_than(data: DataDir) -> None:
    data.write("bad.yaml", _variant(**{"count: 5": "count: >30"}))
    result = load_records(data.root)
    assert result.records == []
    [problem] = result.problems
    assert (problem.file, problem.line, problem.record, problem.field) == (
        "bad.yaml",
        15,
        None,
        None,
    )
    assert str(problem).startswith("bad.yaml:15: not valid YAML: ")
    assert "quote counts that start with '>'" in str(problem)


def test_jsonl_bad_line_is_reported_and_good_lines_load(
    data: DataDir, make_record: MakeRecord
) -> None:
    good1, good2 = make_record(id="j1"), make_record(id="j2")
    data.write("lines.jsonl", json.dumps(good1) + "\n\n{not json\n" + json.dumps(good2) + "\n")
    result = load_records(data.root)
    assert sorted(r.id for r in result.records) == ["j1", "j2"]
    [problem] = result.problems
    assert str(problem).startswith("lines.jsonl:3: not valid JSON: ")


def test_jsonl_invalid_record_has_its_line(data: DataDir, make_record: MakeRecord) -> None:
    lines = [make_record(id="j1"), make_record(id="j2", latitude=99, longitude=0)]
    data.write("lines.jsonl", lines)
    result = load_records(data.root)
    assert [r.id for r in result.records] == ["j1"]
    assert _lines(result)[0].startswith("lines.jsonl:2: record j2: field latitude: 99 ")


def test_list_of_records_file(data: DataDir) -> None:
    two = "- " + GOOD.replace("\n", "\n  ").rstrip() + "\n"
    two += (
        "- "
        + _variant(**{"id: rec-1": "id: rec-2", "count: 5": "count: lots"})
        .replace("\n", "\n  ")
        .rstrip()
        + "\n"
    )
    data.write("list.yaml", two)
    result = load_records(data.root)
    assert [r.id for r in result.records] == ["rec-1"]
    assert result.invalid == ["rec-2"]
    # The second record starts on line 16; its count is on line 30.
    assert _lines(result) == [
        "list.yaml:30: record rec-2: field claims[0].count: 'lots' is not a count "
        "(expected a whole number, or text such as '30', 'more than 30', '>30', 'at least 30', "
        "'fewer than 10', 'about 30', '30-40', 'dozens', 'many', 'none')"
    ]


def test_json_single_record_and_json_list(data: DataDir, make_record: MakeRecord) -> None:
    data.write("one.json", make_record(id="js-1", country="ML"))
    data.write(
        "many.json", [make_record(id="jl-1", country="mali"), make_record(id="jl-2", bogus=1)]
    )
    result = load_records(data.root)
    assert sorted(r.id for r in result.records) == ["jl-1", "js-1"]
    assert {r.country for r in result.records} == {"MLI"}
    [problem] = result.problems
    assert (problem.file, problem.record, problem.field) == ("many.json", "jl-2", "bogus")
    assert problem.line is not None and problem.line > 1


def test_json_syntax_error_says_json(data: DataDir) -> None:
    data.write("broken.json", '{"id": "x",\n  "date": "2025-06-01"\n')  # no closing brace
    [problem] = load_records(data.root).problems
    assert (problem.file, problem.record, problem.field) == ("broken.json", None, None)
    assert problem.line in (2, 3)
    assert "not valid JSON: " in str(problem)


def test_non_mapping_record(data: DataDir) -> None:
    data.write("odd.yaml", "- just a string\n- 42\n")
    result = load_records(data.root)
    assert _lines(result) == [
        "odd.yaml:1: a str is not a record (expected a mapping)",
        "odd.yaml:2: a int is not a record (expected a mapping)",
    ]


def test_other_files_and_hidden_folders_are_ignored(data: DataDir) -> None:
    data.write("README.md", "# notes: not: yaml: [")
    data.write(".git/x.yaml", "not: [valid")
    data.write(".hidden.yaml", "not: [valid")
    data.write("ok.yml", GOOD)
    result = load_records(data.root)
    assert result.problems == []
    assert [r.id for r in result.records] == ["rec-1"]
    assert [p.name for p in result.files] == ["ok.yml"]


def test_missing_folder_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such folder"):
        load_records(tmp_path / "nope")


# --- every problem at once -------------------------------------------------------------


def test_every_problem_of_every_file_is_reported_in_one_run(data: DataDir) -> None:
    data.write(
        "mali/a.yaml",
        _variant(
            **{
                "country: MLI": "country: Nigerr",
                "  - source: s1": "  - source: afp",
                "count: 5": "count: thirtyish",
            }
        ),
    )
    data.write("mali/b.yaml", _variant(**{"id: rec-1": "id: rec-2", "count: 5": "count: >30"}))
    data.write(
        "niger/c.yaml", _variant(**{"id: rec-1": "id: rec-3", "stance: official": "stance: rebel"})
    )
    data.write("niger/d.jsonl", "{broken\n")
    data.write("ok.yaml", _variant(**{"id: rec-1": "id: rec-ok"}))
    result = load_records(data.root)
    assert [r.id for r in result.records] == ["rec-ok"]
    where = [(p.file, p.line, p.field) for p in result.problems]
    assert where == [
        ("mali/a.yaml", 3, "country"),
        ("mali/a.yaml", 10, "claims[0].source"),
        ("mali/a.yaml", 15, "claims[0].count"),
        ("mali/b.yaml", 15, None),
        ("niger/c.yaml", 12, "claims[0].stance"),
        ("niger/d.jsonl", 1, None),
    ]
    with pytest.raises(DataError) as info:
        raise DataError(result.problems)  # how `--strict` reports them
    assert str(info.value).startswith("6 problem(s) in the incident data")
    assert len(info.value.problems) == 6


def test_dangling_reference_is_reported_with_the_other_problems_of_a_record(
    data: DataDir,
) -> None:
    # One run lists every problem: an invalid record's dangling reference is not held back
    # until its other problems are fixed.
    data.write(
        "a.yaml",
        _variant(**{"count: 5": "count: thirtyish\n    covers: [ghost-1]"}),
    )
    result = load_records(data.root)
    assert [(p.line, p.field) for p in result.problems] == [
        (15, "claims[0].count"),
        (16, "claims[0].covers[0]"),
    ]


def test_valid_example_data_loads_with_zero_problems(examples_dir: Path) -> None:
    result = load_records(examples_dir)
    assert [p for p in result.problems if p.level == "error"] == []
    assert result.invalid == []
    assert sorted(r.id for r in result.records) == [
        "bfa-djibo-2025-05-15",
        "mli-bamako-2024-09-17",
        "mli-boulikessi-2025-06-01",
        "mli-boulkessi-2025-06-01",
        "mli-dioura-2025-05-24",
        "mli-kidal-2023-11",
        "mli-sirakorola-2025-05-30",
        "mli-timbuktu-2025-06-02",
        "ner-dosso-2025-05-26",
        "ner-tahoua-2025-05-24",
    ]
    assert len(result.files) == 8


def test_single_file_can_be_loaded(examples_dir: Path) -> None:
    result = load_records(examples_dir / "niger" / "tahoua-dosso.yaml")
    # Both ends of `covers` and `not_same_as` are in this one file.
    assert [p for p in result.problems if p.level == "error"] == []
    assert [r.id for r in result.records] == ["ner-tahoua-2025-05-24", "ner-dosso-2025-05-26"]
    alone = load_records(examples_dir / "mali" / "timbuktu.yaml")
    assert [r.id for r in alone.records] == ["mli-timbuktu-2025-06-02"]


# --- YAML is loaded safely -------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "id: !!python/object/apply:os.system ['touch {marker}']\n",
        "!!python/object/apply:os.system\nargs: ['touch {marker}']\n",
        "id: !!python/name:os.system\n",
        "- !!python/object/new:os.system ['touch {marker}']\n",
        "id: !!python/object/apply:subprocess.check_call [['touch', '{marker}']]\n",
    ],
)
def test_yaml_tags_never_execute_code(data: DataDir, tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    data.write("evil.yaml", payload.format(marker=marker))
    result = load_records(data.root)
    assert not marker.exists()
    assert result.records == []
    assert result.problems  # a problem (or plain data that fails validation), never code
    for problem in result.problems:
        assert problem.file == "evil.yaml"


def test_parse_file_returns_only_plain_data(data: DataDir, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = data.write("evil.yaml", f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    raws, problems = parse_file(path)
    assert not marker.exists()
    plain = (dict, list, str, int, float, bool, type(None))

    def walk(value: Any) -> None:
        assert isinstance(value, plain) or hasattr(value, "isoformat"), type(value)
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for raw in raws:
        walk(raw.data)
    assert raws or problems


# --- stores ------------------------------------------------------------------------------


def _records_for_stores(make_record: MakeRecord, make_claim: Callable[..., Any]) -> list[Any]:
    return [
        make_record(id="m1", claims=[make_claim(count="more than 30")]),
        make_record(id="m2", country="Mali", claims=[make_claim(count="thirtyish")]),
        make_record(id="m3", latitude=14.0),
        make_record(id="m4", claims=[make_claim(covers=["m1"])]),
        make_record(id="m5", claims=[make_claim(covers=["ghost"])]),
        make_record(id="m1", location="Duplicate"),
        make_record(id="m6", country="Atlantis", claims=[make_claim(source="nope")]),
    ]


def test_memory_and_directory_stores_behave_alike(
    tmp_data: DataDir, make_record: MakeRecord, make_claim: Callable[..., Any]
) -> None:
    records = _records_for_stores(make_record, make_claim)
    tmp_data.write("all.jsonl", records)
    from_disk = DirectoryStore(tmp_data.root).load()
    in_memory = MemoryStore(records).load()
    assert from_disk.records == in_memory.records
    assert [r.id for r in in_memory.records] == ["m4"]
    assert from_disk.invalid == in_memory.invalid == ["m1", "m2", "m3", "m5", "m6"]

    def key(p: Problem) -> tuple[Any, ...]:
        return (p.line, p.record, p.field, p.message.replace(p.file, "<file>"))

    assert sorted(map(key, from_disk.problems)) == sorted(map(key, in_memory.problems))
    assert {p.file for p in in_memory.problems} == {"<memory>"}


def test_memory_store_of_valid_records(make_record: MakeRecord) -> None:
    result = MemoryStore([make_record(id="a"), make_record(id="b")]).load()
    assert result.problems == []
    assert [r.id for r in result.records] == ["a", "b"]


def test_tags_on_mappings_and_lists_are_refused(data: DataDir) -> None:
    data.write("tagged.yaml", "!!set\n? a\n")
    data.write("tagged-list.yaml", "sources: !custom [1]\n")
    problems = [str(p) for p in load_records(data.root).problems]
    assert any(p.startswith("tagged.yaml:1: not valid YAML: the tag") for p in problems)
    assert any(p.startswith("tagged-list.yaml:1: not valid YAML:") for p in problems)


def test_json_files_get_json_error_messages(data: DataDir) -> None:
    data.write("broken.json", '{\n  "id": "x",\n  "date": }\n')
    [problem] = load_records(data.root).problems
    assert str(problem) == "broken.json:3: not valid JSON: Expecting value"


# --- loading a window of dates ----------------------------------------------------------------

JUNE = (dt.date(2025, 5, 1), dt.date(2025, 6, 30))


def test_window_validates_only_records_that_overlap_it(
    data: DataDir, make_record: MakeRecord
) -> None:
    old = make_record(id="old", date="2024-01-01", country="Atlantis")  # invalid, outside
    long = make_record(id="long", date="2025-04-01", end_date="2025-05-02")  # overlaps
    june = make_record(
        id="june",
        date="2025-06-01",
        claims=[
            {
                "source": "src",
                "by": "x",
                "stance": "official",
                "group": "civilians",
                "outcome": "killed",
                "count": 1,
                "covers": ["old"],
            }
        ],
    )
    for name in ("a.jsonl", "b.yaml"):
        data.write(name, [old, long, june] if name == "a.jsonl" else [])
    windowed = load_records(data.root, JUNE)
    assert sorted(r.id for r in windowed.records) == ["june", "long"]
    assert windowed.problems == []  # "old" is outside: not validated, but its id is known
    everything = load_records(data.root)
    assert [p.record for p in everything.problems] == ["old"]
    assert MemoryStore([old, long, june]).load(JUNE).records == windowed.records


def test_window_still_finds_duplicate_ids_outside_it(
    data: DataDir, make_record: MakeRecord
) -> None:
    data.write("a.jsonl", [make_record(id="x", date="2024-01-01")])
    data.write("b.yaml", make_record(id="x", date="2025-06-01"))
    result = load_records(data.root, JUNE)
    assert result.records == []
    assert {p.file for p in result.problems} == {"a.jsonl", "b.yaml"}


def test_window_parses_jsonl_lines_it_cannot_read_cheaply(
    data: DataDir, make_record: MakeRecord
) -> None:
    # the id is not written first: the line is parsed and filtered after parsing
    record = make_record(id="late", date="2024-01-01")
    line = json.dumps({k: record[k] for k in reversed(list(record))})
    data.write("a.jsonl", line + "\n{broken\n")
    result = load_records(data.root, JUNE)
    assert result.records == []
    assert [str(p) for p in result.problems] == [
        "a.jsonl:2: not valid JSON: Expecting property name enclosed in double quotes"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # an impossible date is a problem of its record and field, not of the whole file
        ("id: x1\ndate: 2025-02-30\n", "a.yaml:2: record x1: field date: '2025-02-30' is not an"),
        ('id: x2\nnote: "\x07"\n', "a.yaml:2: not valid YAML: the character '\\x07'"),
        ("? [a, b]\n: 1\n", "a.yaml:1: not valid YAML: a key must be a plain name"),
        ("a: &a [*a]\n", "a.yaml:1: not valid YAML: an alias refers to itself"),
    ],
)
def test_broken_yaml_is_a_problem_not_a_crash(data: DataDir, content: str, expected: str) -> None:
    data.write("a.yaml", content)
    data.write("b.yaml", "id: ok\n")  # the other files are still read
    problems = [str(p) for p in load_records(data.root).problems]
    assert any(p.startswith(expected) for p in problems), problems
    assert any(p.startswith("b.yaml") for p in problems)


def test_nested_aliases_are_shared_not_expanded(data: DataDir) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh", strict=False):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    data.write("bomb.yaml", "\n".join(levels) + "\n")  # 10**8 leaves if expanded
    problems = load_records(data.root).problems  # returns at once, with plain problems
    assert any(p.field == "id" and "missing" in p.message for p in problems)


def test_a_windowed_jsonl_file_is_read_a_line_at_a_time(tmp_path: Path) -> None:
    # a report's window out of a big JSONL file: the file is never held whole in memory
    # (a million records is 850 MB of text); lines outside the window are only ids
    import tracemalloc

    path = tmp_path / "big.jsonl"
    line = {"id": "", "date": "2020-01-01", "country": "MLI", "location": "Gao",
            "summary": "x" * 2000, "sources": [{"id": "s", "name": "S"}]}  # fmt: skip
    with path.open("w", encoding="utf-8") as out:
        for n in range(5000):
            out.write(json.dumps({**line, "id": f"r{n}"}) + "\n")
    size = path.stat().st_size
    tracemalloc.start()
    records, problems = parse_file(path, window=(dt.date(2025, 6, 1), dt.date(2025, 6, 2)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(records) == 5000 and all(r.outside for r in records) and not problems
    assert peak < size / 2, f"{peak:,} bytes traced for a {size:,}-byte file"


def test_window_duplicates_outside_it_are_listed_in_reading_order(data: DataDir) -> None:
    # ids read outside the window are kept as ids (store.checking.Elsewhere), not records:
    # a duplicate of a window's record still names every place, in the order read
    base = {"country": "MLI", "location": "Gao", "summary": "s",
            "sources": [{"id": "s", "name": "S"}]}  # fmt: skip
    lines = [{"id": "x", "date": "2020-01-01"}, {"id": "y", "date": "2020-01-01"},
             {"id": "x", "date": "2021-01-01"}]  # fmt: skip
    data.write("a.jsonl", "".join(json.dumps({**d, **base}) + "\n" for d in lines))
    data.write("b.jsonl", json.dumps({"id": "x", "date": "2025-06-01", **base}) + "\n")
    data.write("c.yaml", "id: x\ndate: 2019-01-01\ncountry: MLI\nlocation: Gao\n")
    where = "a.jsonl:1, a.jsonl:3, b.jsonl:1, c.yaml:1"
    dups = [str(p) for p in load_records(data.root, JUNE).problems if p.field == "id"]
    assert dups == [
        f"{at}: record x: field id: duplicate id, used at {where} (expected ids unique across "
        "the dataset)"
        for at in where.split(", ")
    ]


def test_a_windowed_jsonl_load_keeps_an_id_not_a_record_per_line_outside(
    data: DataDir,
) -> None:
    # a million-record folder: 400 bytes a line outside the window was 400 MB
    import tracemalloc

    base = {"date": "2020-01-01", "country": "MLI", "location": "Gao", "summary": "s",
            "sources": [{"id": "s", "name": "S"}]}  # fmt: skip
    lines = 20_000
    data.write("a.jsonl", "".join(json.dumps({"id": f"old-{n:06d}", **base}) + "\n"
                                  for n in range(lines)))  # fmt: skip
    tracemalloc.start()
    result = load_records(data.root, JUNE)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.records == [] and result.problems == []
    assert peak / lines < 300, f"{peak / lines:.0f} bytes a line outside the window"
