"""``sitrep export``: each side's own low/best/high beside the row's, in CSV, HXL (read back
with libhxl) and JSONL; and one event coded by ACLED and UCDP, merged, as a partner and a
reader see it ("ACLED: 12; UCDP: best 10, 8-14")."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import hxl
import pytest
import yaml
from importing import FIXTURES

from sitrep.cli import main

PERIOD = ["--date", "2025-05-30", "--period", "7d"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "desk"), "--no-example"]) == 0
    return tmp_path / "desk"


def _export(project: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["export", "--format", fmt, *PERIOD, "--config", str(project)]) == 0
    return capsys.readouterr().out


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _write_records(project: Path) -> None:
    """Officials 5, JNIM claiming 20-40 (best 30), a security source 'more than 30'."""
    claims: list[dict[str, Any]] = [
        {"by": "FAMa", "stance": "official", "count": 5},
        {"by": "JNIM", "stance": "claimed", "count": "20-40 (best 30)"},
        {"by": "security source", "stance": "independent", "count": "more than 30"},
    ]
    record = {
        "id": "mli-niono-2025-05-28", "date": "2025-05-28", "country": "MLI",
        "location": "Niono", "event_type": "battles", "perpetrator": "JNIM", "target": "FAMa",
        "sources": [{"id": "rfi", "name": "RFI", "published": "2025-05-29"}],
        "claims": [{"source": "rfi", "group": "state_forces", "outcome": "killed",
                    "reported": "2025-05-28", **c} for c in claims],
    }  # fmt: skip
    (project / "data" / "niono.yaml").write_text(yaml.safe_dump(record), encoding="utf-8")


def test_each_side_has_its_own_low_best_high_and_a_claims_best_stays_in_its_column(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_records(project)
    [row] = _csv(_export(project, "csv", capsys))
    sides = {k: row[k] for k in row if k.split("_")[0] in ("official", "claimed", "independent")}
    assert sides == {
        "official": "FAMa: 5", "official_low": "5", "official_best": "5", "official_high": "5",
        "claimed": "JNIM: best 30, 20-40", "claimed_low": "20", "claimed_best": "30",
        "claimed_high": "40",
        "independent": "security source: more than 30", "independent_low": "31",
        "independent_best": "31", "independent_high": "",  # no upper figure stated
    }  # fmt: skip
    # the row: officials and the security source contradict, so the floor is the lower, 5;
    # best, a point figure before a bound, 5; the claim's own best (30) is neither; high: the
    # claim's 40 tops 'more than 30' (31 and up)
    assert (row["low"], row["best"], row["high"], row["high_open"]) == ("5", "5", "40", "False")


def test_hxl_tags_every_figure_column_and_libhxl_reads_them(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_records(project)
    path = tmp_path / "export-hxl.csv"
    path.write_text(_export(project, "hxl", capsys), encoding="utf-8")
    data = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    tags = [c.display_tag for c in data.columns]
    assert len(tags) == len(set(tags))  # no two columns share a tag
    [row] = list(data)
    assert row.get("#affected+claimed+best") == "30"
    assert row.get("#affected+official+low") == "5"
    assert row.get("#affected+best") == "5"
    assert row.get("#description+claimed") == "JNIM: best 30, 20-40"
    assert (row.get("#group+affected"), row.get("#impact+type")) == ("state_forces", "killed")
    assert all(t.startswith(("#affected", "#description", "#meta", "#group", "#impact",
                             "#event", "#status", "#date", "#country", "#adm", "#loc",
                             "#geo")) for t in tags)  # fmt: skip


def test_jsonl_gives_each_statement_with_its_best(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_records(project)
    [line] = _export(project, "jsonl", capsys).splitlines()
    row = json.loads(line)
    assert row["claimed"] == [{"by": "JNIM", "figure": "20-40 (best 30)", "low": 20,
                               "best": 30, "high": 40, "reported": "2025-05-28"}]  # fmt: skip
    assert (row["claimed_low"], row["claimed_best"], row["claimed_high"]) == (20, 30, 40)
    assert (row["independent_low"], row["independent_high"]) == (31, None)
    assert (row["low"], row["best"]) == (5, 5)


def _one_event(tmp_path: Path) -> tuple[Path, Path]:
    """The Dioura battle of 24 May 2025 as ACLED codes it (12 dead) and as UCDP does (best
    10, low 8, high 14, the dead of no known side)."""
    header, row = (FIXTURES / "acled_dyadic.csv").read_text(encoding="utf-8").splitlines()[:2]
    acled = tmp_path / "acled.csv"
    acled.write_text(f"{header}\n{row.replace(',41,,1748563200', ',12,,1748563200')}\n",
                     encoding="utf-8")  # fmt: skip
    header, row = (FIXTURES / "ucdp_bulk.csv").read_text(encoding="utf-8").splitlines()[:2]
    ucdp = tmp_path / "ucdp.csv"
    ucdp.write_text(f"{header}\n{row.replace(',8,2,0,0,10,14,8,', ',0,0,0,10,10,14,8,')}\n",
                    encoding="utf-8")  # fmt: skip
    return acled, ucdp


def test_acled_and_ucdp_of_one_event_read_acled_12_ucdp_best_10_8_14(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    acled, ucdp = _one_event(tmp_path)
    assert main(["import", "acled", str(acled), "--config", str(project)]) == 0
    assert main(["import", "ucdp", str(ucdp), "--config", str(project)]) == 0
    [row] = _csv(_export(project, "csv", capsys))
    assert row["records"] == "acled-MLI9001;ucdp-500001"  # one incident
    assert row["independent"] == "ACLED: 12; UCDP: best 10, 8-14"
    assert (row["low"], row["best"], row["high"]) == ("8", "12", "14")
    out = tmp_path / "out"
    for language in ("en", "fr"):
        assert main(["generate", *PERIOD, "--format", "md", "--language", language,
                     "--config", str(project), "--out", str(out)]) == 0  # fmt: skip
    english = next(out.glob("*-30.md")).read_text(encoding="utf-8")
    french = next(out.glob("*.fr.md")).read_text(encoding="utf-8")
    assert "| 12 (ACLED) \\[3\\]; best 10, 8-14 (UCDP) \\[4\\] | 8 | 12 | 14 |" in english
    assert "ACLED said 12 people were killed; UCDP said 8-14 people (best 10) were killed" \
        in english
    assert "12 (ACLED) \\[3\\]; meilleure estimation 10, 8 à 14 (UCDP) \\[4\\] | 8 | 12 | 14 |" \
        in french
    assert "selon UCDP, 8 à 14 personnes (meilleure estimation 10) ont été tuées" in french


def test_the_pdfs_csv_log_reads_figures_by_the_runs_rules(
    tmp_path: Path, make_record: Any, make_claim: Any
) -> None:
    # "about 20", 24 and 30 from one side: at the default tolerance (10%) no two agree and
    # the best is the largest point, 30; at 30% "about 20" and 24 agree and the best is 24.
    # The CSV attached to the PDF reads them by the run's [report] rules.
    import datetime as dt

    from sitrep.config import load_config
    from sitrep.model.edition import Edition
    from sitrep.pipeline import build_report
    from sitrep.pipeline.plan import make_plan
    from sitrep.pipeline.stages import render_edition
    from sitrep.render.export import export_text
    from sitrep.render.pdf import RecordingPdfRenderer
    from sitrep.store import MemoryStore

    (tmp_path / "sitrep.toml").write_text("[report]\nabout_tolerance = 0.3\n", encoding="utf-8")
    config = load_config(tmp_path).with_overrides(output=tmp_path / "out")
    record = make_record(id="gao", date="2025-06-02", location="Gao", claims=[
        make_claim(count="about 20", by="a", stance="independent", source="src"),
        make_claim(count=24, by="b", stance="independent", source="src"),
        make_claim(count=30, by="c", stance="independent", source="src"),
    ])  # fmt: skip
    day = dt.date(2025, 6, 2)
    report = build_report(config, start=day, end=day, loaded=MemoryStore([record]).load())
    plan = make_plan(config, start=day, end=day, formats=["pdf"], editions=[Edition()])
    recorder = RecordingPdfRenderer()
    render_edition(plan, report, Edition(), ["pdf"], recorder)
    (attached,) = [a for a in recorder.attachments if a.name.endswith(".csv")]
    mine = export_text(report, "csv", plan.rules.figures, context=True)
    assert attached.data.decode("utf-8") == mine
    assert mine != export_text(report, "csv", None, context=True)  # the rules matter here
