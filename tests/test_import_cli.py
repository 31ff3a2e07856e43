"""``sitrep import`` into the folder store, ``sitrep export``, and what today's merge rules
do with records of two datasets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from importing import FIXTURES, run_import

from sitrep.cli import main
from sitrep.reconcile.matching import MergeRules
from sitrep.reconcile.merge import merge_records
from sitrep.store.directory import load_records


@pytest.fixture
def project(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "desk"), "--no-example"]) == 0
    return tmp_path / "desk"


def test_import_writes_jsonl_into_the_data_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = main(["import", "acled", str(FIXTURES / "acled_dyadic.csv"),
                 str(FIXTURES / "acled_monadic.csv"), "--config", str(project)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1  # one row could not be read; the rest is imported
    assert out.splitlines() == [f"{FIXTURES / 'acled_dyadic.csv'}:4: record acled-MLI9003: field "
                                "event_date: '2025-02-30' is not a valid date (day is out of "
                                "range for month)"]  # fmt: skip
    written = sorted(p.name for p in (project / "data" / "imports").iterdir())
    assert written == ["acled-acled_dyadic.jsonl", "acled-acled_monadic.jsonl"]
    assert "3 record(s) into" in err and "2 record(s) into" in err
    assert main(["validate", "--config", str(project)]) == 0
    assert "ok: 5 record(s) in 2 file(s)" in capsys.readouterr().err


def test_unknown_source_is_a_usage_error(project: Path) -> None:
    assert main(["import", "gdelt", str(FIXTURES / "acled_dyadic.csv"),
                 "--config", str(project)]) == 2  # fmt: skip


def test_export_has_the_three_voices_and_low_best_high(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", "ucdp", str(FIXTURES / "ucdp_bulk.csv"), "--config", str(project)])
    main(["import", "sheet", str(FIXTURES / "tracker.csv"), "--config", str(project)])
    capsys.readouterr()
    period = ["--date", "2025-05-27", "--period", "7d", "--config", str(project)]
    assert main(["export", "--format", "hxl", *period]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("#event+code,#event+code+records,#status,#date+occurred")
    rows = list(csv.DictReader(io.StringIO("\n".join([lines[0], *lines[2:]]))))
    dioura = [r for r in rows if r["incident"] == "ucdp-500001"]
    assert [(r["group"], r["independent"], r["low"], r["best"], r["high"]) for r in dioura] == [
        ("state_forces", "UCDP: 8", "8", "8", "8"), ("armed_group", "UCDP: 2", "2", "2", "2")]
    assert main(["export", "--format", "jsonl", *period]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["independent"][0]["by"] == "UCDP" and first["official"] == []


def _acled_rows(tmp_path: Path, *ids: str) -> Path:
    header, row = (FIXTURES / "acled_dyadic.csv").read_text(encoding="utf-8").splitlines()[:2]
    path = tmp_path / "two.csv"
    path.write_text("\n".join([header, *(row.replace("MLI9001", i) for i in ids)]) + "\n")
    return path


def test_acled_and_ucdp_of_one_event_merge(tmp_path: Path) -> None:
    # UCDP names the government as side A, ACLED the attacker as actor 1; 'Government of
    # Mali' and 'Military Forces of Mali (2021-)' are the same state's forces
    run_import("acled", "acled_dyadic.csv", tmp_path)
    run_import("ucdp", "ucdp_bulk.csv", tmp_path)
    incidents = merge_records(load_records(tmp_path).records, MergeRules())
    groups = {tuple(sorted(r.id for r in i.records)) for i in incidents}
    assert ("acled-MLI9001", "ucdp-500001") in groups


def test_two_events_of_one_dataset_are_never_merged(tmp_path: Path) -> None:
    run_import("acled", str(_acled_rows(tmp_path, "MLI9001", "MLI9101")), tmp_path / "data")
    incidents = merge_records(load_records(tmp_path / "data").records, MergeRules())
    assert len(incidents) == 2
