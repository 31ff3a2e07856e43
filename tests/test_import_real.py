"""The real files in ../shared/data (never copied into the project): counts and a few rows
checked by hand against the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from importing import run_import

from sitrep.cli import main
from sitrep.model.counts import parse_count

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NIGER = SHARED / "hdx_acled_conflict_data_ner_1997-2020_hxl.csv"
ALGERIA = SHARED / "acled_hxl_fixture_algeria_2001.csv"
MYANMAR = SHARED / "ucdp_ged191_sample_myanmar_bangladesh.csv"

pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason=f"{SHARED} is absent: the real ACLED/UCDP files are not redistributed with sitrep",
)


@pytest.mark.parametrize("source", ["acled", "hxl"])
def test_acled_niger_from_hdx(tmp_path: Path, source: str) -> None:
    summary, records = run_import(source, str(NIGER), tmp_path, dataset="acled")
    assert not summary.problems and len(records) == 1349
    r = records["acled-NIR1401"]  # line 3
    assert (r["date"], r["country"], r["admin1"], r["location"]) == (
        "2020-08-01", "NER", "Tillaberi", "Tangouchmane")  # fmt: skip
    assert r["perpetrator"] == "Islamic State (Greater Sahara)"
    assert r["target"] == "Civilians (Niger)"
    assert [c["count"] for c in r["claims"]] == ["0"]
    big = records["acled-NIR379"]  # line 992: Karamga, Lake Chad, 2015
    assert (big["date"], big["event_type"]) == ("2015-04-25", "battles")
    assert big["location"] == "N Guigmi"
    assert [s["name"] for s in big["sources"]][1:] == ["AFP", "AP"]
    assert big["claims"][0]["count"] == "230"


def test_acled_algeria_old_schema_fixture(tmp_path: Path) -> None:
    summary, records = run_import("acled", str(ALGERIA), tmp_path)
    assert not summary.problems
    assert sorted(records) == ["acled-1416RTA", "acled-2229RTA", "acled-2230RTA", "acled-2231RTA"]
    r = records["acled-1416RTA"]
    assert (r["date"], r["country"], r["event_type"]) == (
        "2001-04-18", "DZA", "violence_against_civilians")  # fmt: skip
    assert records["acled-2229RTA"]["event_type"] == "riots"  # Riots/Protests, rioters
    assert records["acled-2230RTA"]["event_type"] == "protests"  # ... protesters


def test_ucdp_myanmar_bangladesh(tmp_path: Path) -> None:
    summary, records = run_import("ucdp", str(MYANMAR), tmp_path)
    assert not summary.problems and len(records) == 3194
    assert sum(r["country"] == "MMR" for r in records.values()) == 2593
    r = records["ucdp-209406"]  # line 3: four articles, best 2 of 0-24
    assert (r["date"], r["end_date"]) == ("2015-05-14", "2015-05-15")
    assert r["location"] == "Laukkaing Town"
    assert [(s["name"], s["published"]) for s in r["sources"][1:]] == [
        ("Associated Press Newswires", "2015-05-15"), ("MRTV English Channel", "2015-05-16"),
        ("Democratic Voice of Burma", "2015-05-18"), ("Myanmar Peace Monitor", "2015-05-14")]
    (claim,) = r["claims"]  # all deaths on side A: the count keeps low, best and high
    assert (claim["group"], claim["count"]) == ("state_forces", "0-24 (best 2)")
    count = parse_count(claim["count"])
    assert (count.low, count.best, count.high) == (0, 2, 24) and "quote" not in claim
    (claim,) = records["ucdp-48916"]["claims"]  # line 89: MTA-UWSA, 1000 (1000-1500)
    assert (claim["group"], claim["count"]) == ("unknown", "1000-1500 (best 1000)")
    (claim,) = records["ucdp-71686"]["claims"]  # line 142: best 3 outside low 0 - high 0
    assert claim["count"] == "0-3 (best 3)"
    assert "best 3, low 0, high 0 (best is outside low-high in GED" in claim["quote"]
    split = records["ucdp-51362"]["claims"]  # line 14: 12 + 2 of best 14, low 14, high 44
    assert [(c["group"], c["count"]) for c in split] == [
        ("state_forces", "12"), ("armed_group", "2")]  # fmt: skip
    assert all("best 14, low 14, high 44" in c["quote"] for c in split)
    carried = [parse_count(c["count"]) for r in records.values() for c in r["claims"]]
    # 404 rows with one side's deaths and low/best/high apart, 6 with best outside low-high,
    # and line 2602 (ucdp-66221): Buddhists and Muslims, both sides armed groups
    assert sum(c.best is not None for c in carried) == 404 + 6 + 1
    (both_sides,) = records["ucdp-66221"]["claims"]
    assert (both_sides["group"], both_sides["count"]) == ("armed_group", "54-73 (best 64)")


def test_a_report_renders_after_importing_niger(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "desk"), "--no-example"]) == 0
    config = str(tmp_path / "desk")
    assert main(["import", "acled", str(NIGER), "--config", config]) == 0
    assert main(["generate", "--date", "2020-08-01", "--period", "7d", "--format", "md,json",
                 "--config", config]) == 0  # fmt: skip
    report = next((tmp_path / "desk" / "output").rglob("*.md")).read_text(encoding="utf-8")
    assert "Tangouchmane" in report
