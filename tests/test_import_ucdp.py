"""UCDP GED: the bulk CSV, the download tool's CSV and the API's JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from importing import FIXTURES, problems_text, run_import

from sitrep.model.counts import parse_count


def test_bulk_csv_deaths_by_side_become_claims_by_group(tmp_path: Path) -> None:
    summary, records = run_import("ucdp", "ucdp_bulk.csv", tmp_path)
    r = records["ucdp-500001"]
    assert (r["date"], r["country"], r["location"]) == ("2025-05-24", "MLI", "Dioura village")
    assert (r["perpetrator"], r["target"], r["event_type"]) == (
        "Government of Mali", "JNIM", "battles")  # fmt: skip
    assert [(s["name"], s.get("published")) for s in r["sources"]] == [
        ("UCDP GED", None), ("Reuters", "2025-05-25"), ("AFP", "2025-05-26")]  # fmt: skip
    estimate = "UCDP GED estimate of the event's deaths: best 10, low 8, high 14"
    assert [(c["by"], c["stance"], c["group"], c["count"], c["quote"]) for c in r["claims"]] == [
        ("UCDP", "independent", "state_forces", "8", f"{estimate}; this group: 8"),
        ("UCDP", "independent", "armed_group", "2", f"{estimate}; this group: 2"),
    ]
    one_sided = records["ucdp-500002"]
    assert one_sided["event_type"] == "violence_against_civilians"
    assert [(c["group"], c["count"]) for c in one_sided["claims"]] == [("civilians", "6")]
    assert "quote" not in one_sided["claims"][0]  # low == best == high: nothing to keep
    (ranged,) = records["ucdp-500004"]["claims"]  # one group: the count keeps all three
    assert (ranged["group"], ranged["count"]) == ("unknown", "8-14 (best 10)")
    assert "quote" not in ranged
    assert _low_best_high(ranged) == (8, 10, 14)
    assert problems_text(summary) == [
        f"{FIXTURES / 'ucdp_bulk.csv'}:4: record ucdp-500003: field deaths_b: "
        "'x' is not a number (expected a whole number)"
    ]


def test_download_tool_csv(tmp_path: Path) -> None:
    summary, records = run_import("ucdp", "ucdp_download_tool.csv", tmp_path)
    assert not summary.problems
    r = records["ucdp-600001"]
    assert r["date"] == "2025-05-24" and "end_date" not in r
    assert r["summary"] == "Dioura camp,\nnorth of the town"  # a newline inside quotes
    (claim,) = r["claims"]  # all deaths on one side: best_est, low_est, high_est in the count
    assert (claim["group"], claim["count"]) == ("state_forces", "12-20 (best 12)")
    assert "quote" not in claim and _low_best_high(claim) == (12, 12, 20)
    month = records["ucdp-600002"]
    assert (month["date"], month["end_date"], month["date_precision"]) == (
        "2025-05-01", "2025-05-31", "month")  # fmt: skip
    assert [(c["group"], c["count"]) for c in month["claims"]] == [("unknown", "9")]
    assert "latitude" in month and "admin1" not in month


def test_api_json(tmp_path: Path) -> None:
    summary, records = run_import("ucdp", "ucdp_api.json", tmp_path)
    assert not summary.problems
    r = records["ucdp-700001"]
    assert (r["date"], r["country"]) == ("2025-05-25", "BFA")
    assert [(c["group"], c["count"]) for c in r["claims"]] == [
        ("state_forces", "10"), ("armed_group", "30"), ("civilians", "5")]  # fmt: skip
    assert all("best 45, low 40, high 60" in c["quote"] for c in r["claims"])
    (one_group,) = records["ucdp-700002"]["claims"]
    assert (one_group["group"], one_group["count"]) == ("civilians", "5-11 (best 7)")
    assert _low_best_high(one_group) == (5, 7, 11)


def _low_best_high(claim: dict[str, Any]) -> tuple[int, int | None, int | None]:
    count = parse_count(claim["count"])
    return count.low, count.best, count.high


def test_best_outside_low_high_widens_the_range_and_says_so(tmp_path: Path) -> None:
    rows = (FIXTURES / "ucdp_bulk.csv").read_text(encoding="utf-8").splitlines()
    odd = rows[-1].replace(",0,0,0,10,10,14,8,", ",0,0,0,3,3,0,0,")  # best 3, high 0, low 0
    path = tmp_path / "odd.csv"
    path.write_text(f"{rows[0]}\n{odd}\n", encoding="utf-8")
    _, records = run_import("ucdp", str(path), tmp_path)
    (claim,) = records["ucdp-500004"]["claims"]
    assert claim["count"] == "0-3 (best 3)" and _low_best_high(claim) == (0, 3, 3)
    assert claim["quote"] == ("UCDP GED estimate of the event's deaths: best 3, low 0, high 0 "
                              "(best is outside low-high in GED; the range spans all three)")
