"""HXL files through libhxl, and trackers (CSV, XLSX) with one claim per row."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from importing import FIXTURES, problems_text, run_import
from openpyxl import Workbook

from sitrep.ingest.sheets import COLUMNS, template_text


def test_hxl_columns_found_by_hashtag_in_any_order(tmp_path: Path) -> None:
    summary, records = run_import("hxl", "hxl_reordered.csv", tmp_path, dataset="acled")
    assert sorted(records) == ["acled-HX1", "acled-HX2"]
    r = records["acled-HX1"]
    assert (r["date"], r["country"], r["admin1"], r["location"]) == (
        "2025-05-25", "MLI", "Gao", "Gao")  # fmt: skip
    assert (r["latitude"], r["longitude"]) == (16.27, 0.04)
    assert r["perpetrator"] == "JNIM"  # not the allies' column, though it comes first
    assert r["target"] == "Military Forces of Mali (2021-)"
    assert [s["name"] for s in r["sources"]] == ["ACLED", "Reuters", "AFP"]
    assert [(c["by"], c["count"]) for c in r["claims"]] == [("ACLED", "3")]
    assert "claims" not in records["acled-HX2"] or records["acled-HX2"]["claims"] == []
    assert records["acled-HX2"]["sub_event_type"] == "looting_property_destruction"
    assert problems_text(summary) == [
        f"{FIXTURES / 'hxl_reordered.csv'}:5: record acled-HX3: field #geo+lon: "
        "'east' is not a number (expected e.g. 14.4936)"
    ]


def test_tracker_csv_rows_grouped_into_records(tmp_path: Path) -> None:
    summary, records = run_import("sheet", "tracker.csv", tmp_path)
    assert records == {}  # both records have a problem
    name = FIXTURES / "tracker.csv"
    assert sorted(problems_text(summary)) == sorted([
        f"{name}:4: record mli-gao-2025-05-25: field claims[2].count (column count): 'lots' "
        "is not a count (expected a whole number, or text such as '30', 'more than 30', "
        "'>30', 'at least 30', 'fewer than 10', 'about 30', '30-40', 'dozens', 'many', 'none')",
        f"{name}:6: record mli-kidal-2025-05-26: field date: '2025-05-27' differs from "
        "'2025-05-26' on row 5 (expected the same value on every row of a record, or an "
        "empty cell)",
        f"{name}:5: record mli-kidal-2025-05-26: field event_type (column event_type): "
        "'battle' is not allowed (expected one of: 'battles', 'explosions_remote_violence', "
        "'violence_against_civilians', 'protests', 'riots', 'strategic_developments')",
    ])  # fmt: skip


def test_tracker_xlsx_names_sheet_row_and_column(tmp_path: Path) -> None:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["nothing to import here"])
    sheet = book.create_sheet("Claims")
    rows = list(csv.reader((FIXTURES / "tracker.csv").read_text(encoding="utf-8").splitlines()))
    header = rows[0]
    sheet.append(header)
    for row in rows[1:4]:
        cells: list[object] = list(row)
        cells[header.index("date")] = dt.datetime(2025, 5, 25) if row[1] else None  # Excel dates
        cells[header.index("latitude")] = float(row[5]) if row[5] else None
        sheet.append(cells)
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    summary, records = run_import("sheet", str(path), tmp_path / "out")
    assert records == {}
    (problem,) = summary.problems
    assert str(problem).startswith(
        f"{path} sheet Claims:4: record mli-gao-2025-05-25: field claims[2].count (column R): "
        "'lots' is not a count"
    )
    sheet.delete_rows(4)
    book.save(path)
    summary, records = run_import("sheet", str(path), tmp_path / "out")
    assert not summary.errors  # the claims' statement dates are unknown: warnings only
    r = records["mli-gao-2025-05-25"]
    assert (r["date"], r["latitude"], r["location"]) == ("2025-05-25", 16.27, "Gao")
    assert [s["id"] for s in r["sources"]] == ["afp", "jnim-statement"]
    assert [(c["by"], c["stance"], c["count"]) for c in r["claims"]] == [
        ("FAMa", "official", "4"), ("JNIM", "claimed", "more than 30")]  # fmt: skip
    assert r["claims"][1]["quote"] == "We killed more than thirty"


def test_the_template_imports_and_lists_every_column(tmp_path: Path) -> None:
    text = template_text()
    assert sorted(text.splitlines()[0].split(",")) == sorted(COLUMNS)
    path = tmp_path / "template.csv"
    path.write_text(text, encoding="utf-8")
    summary, records = run_import("sheet", str(path), tmp_path / "out")
    assert not summary.problems
    (r,) = records.values()
    assert [c["by"] for c in r["claims"]] == ["JNIM", "FAMa"]
