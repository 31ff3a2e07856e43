"""ACLED: the dyadic, actor-based and pre-2019 CSV exports, and the API's JSON."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from importing import FIXTURES, problems_text, run_import

from sitrep.ingest.tabular import parse_day


def test_dyadic_export_maps_every_field(tmp_path: Path) -> None:
    summary, records = run_import("acled", "acled_dyadic.csv", tmp_path)
    assert summary.written.name == "acled-acled_dyadic.jsonl"
    assert sorted(records) == ["acled-MLI9001", "acled-MLI9002", "acled-MLI9004"]
    r = records["acled-MLI9001"]
    assert r["date"] == "2025-05-24" and r["country"] == "MLI"
    assert (r["admin1"], r["admin2"], r["location"]) == ("Segou", "Segou", "Dioura")
    assert (r["latitude"], r["longitude"]) == (14.8, -5.5)
    assert (r["event_type"], r["sub_event_type"]) == ("battles", "armed_clash")
    assert r["perpetrator"] == "JNIM: Group for Support of Islam and Muslims"
    assert r["target"] == "Military Forces of Mali (2021-)"
    assert r["summary"].endswith('"killing" soldiers.')
    assert r["sources"] == [
        {"id": "acled", "name": "ACLED", "published": "2025-05-30"},
        {"id": "reuters", "name": "Reuters"},
        {"id": "afp", "name": "AFP"},
    ]
    assert r["claims"] == [{"source": "acled", "by": "ACLED", "stance": "independent",
                            "group": "unknown", "outcome": "killed", "count": "41",
                            "reported": "2025-05-30", "quote": "as coded by ACLED"}]  # fmt: skip
    old = records["acled-MLI9002"]  # '31 December 2020', time_precision 2
    assert (old["date"], old["date_precision"]) == ("2020-12-31", "week")
    assert old["sub_event_type"] == "remote_explosive_landmine_ied"
    assert records["acled-MLI9004"]["tags"] == ["crowd size=around 200"]
    assert "target" not in records["acled-MLI9004"]


def test_a_bad_row_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    summary, records = run_import("acled", "acled_dyadic.csv", tmp_path)
    assert problems_text(summary) == [
        f"{FIXTURES / 'acled_dyadic.csv'}:4: record acled-MLI9003: field event_date: "
        "'2025-02-30' is not a valid date (day is out of range for month)"
    ]
    assert summary.records == len(records) == 3


def test_reimport_gives_identical_bytes(tmp_path: Path) -> None:
    first, _ = run_import("acled", "acled_dyadic.csv", tmp_path)
    before = first.written.read_bytes()
    second, _ = run_import("acled", "acled_dyadic.csv", tmp_path)
    assert second.written == first.written and second.written.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [first.written.name]  # no temp files left


def test_actor_based_export_folds_into_one_event(tmp_path: Path) -> None:
    summary, records = run_import("acled", "acled_monadic.csv", tmp_path)
    assert not summary.problems
    assert sorted(records) == ["acled-NER5001", "acled-NER5002"]
    r = records["acled-NER5001"]
    assert (r["perpetrator"], r["target"]) == (
        "Islamic State (Sahel)", "Military Forces of Niger (2023-)")  # fmt: skip
    assert [c["count"] for c in r["claims"]] == ["12"]  # once, not once per actor
    assert records["acled-NER5002"]["target"] == "Civilians (Niger)"


def test_pre_2019_export_in_windows_1252(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        summary, records = run_import("acled", "acled_pre2019_cp1252.csv", tmp_path)
    assert not summary.problems
    assert "acled_pre2019_cp1252.csv is not UTF-8: read as cp1252 (detected)" in caplog.text
    r = records["acled-123MLI"]
    assert r["summary"] == "Combats à Tonka près de Ségou ’soldats’"
    assert (r["date"], r["event_type"], r["sub_event_type"]) == (
        "2012-04-18", "battles", "armed_clash")  # fmt: skip
    remote = records["acled-124MLI"]
    assert (remote["date"], remote["date_precision"]) == ("2012-05-03", "week")
    assert remote["event_type"] == "explosions_remote_violence"
    assert [s["name"] for s in remote["sources"]] == ["ACLED", "Jeune Afrique", "RFI"]
    assert records["acled-125MLI"]["event_type"] == "riots"  # Riots/Protests by rioters
    assert records["acled-126MLI"]["event_type"] == "protests"  # ... by protesters


def test_text_that_is_no_known_encoding_fails_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"event_id_cnty,event_date\n" + bytes(range(128, 256)) * 50)
    summary, records = run_import("acled", str(bad), tmp_path / "out")
    assert records == {}
    assert problems_text(summary) == [
        f"{bad}: cannot read the file: the text is neither UTF-8 nor an encoding "
        "charset-normalizer recognises (save the file as UTF-8 and import it again)"
    ]


def test_a_late_byte_that_is_not_utf8_stops_with_a_clear_problem(tmp_path: Path) -> None:
    header, row = (FIXTURES / "acled_dyadic.csv").read_bytes().splitlines()[:2]
    path = tmp_path / "late.csv"
    path.write_bytes(b"\n".join([header, *[row] * 5000, row.replace(b"Dioura", b"S\xe9gou")]))
    summary, records = run_import("acled", str(path), tmp_path / "out")
    assert len(records) == 1  # the rows before it (one id, 5,000 times: folded)
    assert problems_text(summary) == [
        f"{path}: not utf-8 text after the first megabyte (invalid continuation byte); save "
        "the file as UTF-8 and import it again"
    ]


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [("2020-12-31", "dmy", "2020-12-31"), ("31 December 2020", "dmy", "2020-12-31"),
     ("18/04/2001", "dmy", "2001-04-18"), ("04/18/2001 00:00:00", "mdy", "2001-04-18"),
     ("2025-05-25T00:00:00", "dmy", "2025-05-25")],
)  # fmt: skip
def test_dates_as_datasets_write_them(text: str, order: str, expected: str) -> None:
    assert parse_day(text, order).isoformat() == expected  # type: ignore[arg-type]


def test_a_date_that_is_no_date_says_what_is_expected() -> None:
    with pytest.raises(ValueError, match="expected 2020-12-31, '31 December 2020' or DD/MM/YYYY"):
        parse_day("yesterday")


@pytest.fixture
def acled_api() -> Iterator[str]:
    """A local HTTP server answering like ACLED's API, two pages then an empty one."""
    pages = json.loads((FIXTURES / "acled_api_pages.json").read_text(encoding="utf-8"))
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            page = parse_qs(urlparse(self.path).query).get("page", ["1"])[0]
            doc = pages.get(f"page{page}", {"status": 200, "success": True, "count": 0,
                                            "data": []})  # fmt: skip
            body = json.dumps(doc).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/acled/read?country=Burkina+Faso"
    finally:
        server.shutdown()
        server.server_close()
    assert len(seen) == 3


def test_api_json_pages_map_like_the_csv(tmp_path: Path, acled_api: str) -> None:
    summary, records = run_import("acled", acled_api, tmp_path)
    assert summary.written.name == "acled-read.jsonl"
    assert sorted(records) == ["acled-BFA7001", "acled-BFA7003"]
    r = records["acled-BFA7001"]
    assert (r["country"], r["location"], r["perpetrator"]) == (
        "BFA", "Djibo", "JNIM: Group for Support of Islam and Muslims")  # fmt: skip
    assert [s["name"] for s in r["sources"]] == ["ACLED", "AIB", "Reuters"]
    assert records["acled-BFA7003"]["claims"][0]["count"] == "7"  # numbers as JSON numbers
    (problem,) = summary.problems
    assert str(problem).startswith(f"{acled_api} row:2: record acled-BFA7002: field event_type: "
                                   "'Unknown type' is not an ACLED event type")  # fmt: skip
