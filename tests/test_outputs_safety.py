"""The outputs of a run as one set, and record text that cannot harm an output.

A run killed (SIGKILL) or out of disk space in the middle of writing leaves the previous
set published, whole and consistent; the next run removes what the dead one left.
Control characters, bidi overrides, mathtext and huge counts in records reach no output
raw and crash nothing. Out-of-range dates are usage errors.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from smtp_server import wait_until

from sitrep.cli import main
from sitrep.config import Config
from sitrep.errors import OutputError
from sitrep.pipeline import generate
from sitrep.render.charts import draw_charts
from sitrep.store.memory import MemoryStore
from sitrep.writers import SETS

TESTS = Path(__file__).resolve().parent
EXAMPLES = TESTS.parent / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)
FIRST, SECOND = "1748930400", "1749016800"  # generated at 3 June and 4 June 2025, 06:00 UTC


def generate_argv(out: Path) -> list[str]:
    return ["generate", "--data", str(EXAMPLES), "--date", "2025-06-02", "--out", str(out),
            "--format", "md,html,json"]  # fmt: skip


def published(out: Path) -> dict[str, bytes]:
    """The report files a reader sees in the output folder."""
    return {p.name: p.read_bytes() for p in out.iterdir() if p.name != SETS}


def left_over(out: Path) -> list[str]:
    """Anything in the output folder and .sets besides the published set."""
    current = os.readlink(out / SETS / "sitrep-2025-06-02")
    extra = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != SETS]
    return extra + [p.name for p in (out / SETS).iterdir()
                    if p.name not in {"sitrep-2025-06-02", current}]  # fmt: skip


def one_run(files: dict[str, bytes], day: int) -> bool:
    """Every file of the set comes from the run generated on ``day`` June 2025 at 06:00
    (the JSON, the Markdown and the HTML all state when)."""
    words, iso = f"{day} June 2025, 06:00", f"2025-06-{day:02d}T06:00"
    return (iso in files["sitrep-2025-06-02.json"].decode()
            and all(words in files[f"sitrep-2025-06-02.{s}"].decode() for s in ("md", "html")))


def run_generate(out: Path, epoch: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    return main(generate_argv(out))


def processes_naming(path: Path) -> list[int]:
    """Processes whose command line names ``path`` (Linux /proc; [] elsewhere)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(path).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_run_killed_while_writing_leaves_the_previous_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run_generate(out, FIRST, monkeypatch) == 0
    before = published(out)
    assert one_run(before, 3) and len(before) >= 4  # md, svg chart(s), html, json
    marker = tmp_path / "stalled"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SECOND, "STALL_AFTER_FILE": f"2:{marker}"}
    proc = subprocess.Popen([sys.executable, str(TESTS / "output_driver.py"), *generate_argv(out)],
                            cwd=TESTS, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until(lambda: marker.exists() or proc.poll() is not None, timeout=60)
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.kill()  # SIGKILL in the write phase: two files of the new set are on disk
    finally:
        proc.wait(timeout=10)
    # nor is anything of it left running (the chart worker it forked follows it)
    wait_until(lambda: not processes_naming(out), timeout=10)
    assert published(out) == before  # nothing of the dead run is visible
    assert len(left_over(out)) == 1  # its half-written set folder, under .sets only
    assert run_generate(out, SECOND, monkeypatch) == 0
    after = published(out)
    assert one_run(after, 4) and set(after) == set(before)
    assert left_over(out) == []  # the dead run's folder and the previous set are gone


def test_a_full_disk_while_writing_leaves_the_previous_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run_generate(out, FIRST, monkeypatch) == 0
    before = published(out)
    real_write, calls = os.write, []

    def write(fd: int, data: Any) -> int:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", SECOND)
    monkeypatch.setattr(os, "write", write)
    config = Config().with_overrides(data=EXAMPLES, output=out)
    with pytest.raises(OutputError, match="No space left on device"):
        generate(config, start=DAY, formats=["md", "html", "json"])
    monkeypatch.setattr(os, "write", real_write)
    assert len(calls) == 3
    assert published(out) == before and one_run(before, 3)
    assert left_over(out) == []  # the failed run removed its own folder


def test_a_format_left_out_of_a_run_is_no_longer_published(tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = Config().with_overrides(data=EXAMPLES, output=out)
    generate(config, start=DAY, formats=["md", "json"])
    assert (out / "sitrep-2025-06-02.json").is_file()
    result = generate(config, start=DAY, formats=["md"])
    assert not (out / "sitrep-2025-06-02.json").exists()  # not a JSON of the older run
    assert result.files["md"].read_bytes() == (out / "sitrep-2025-06-02.md").read_bytes()
    assert result.public["md"] == out / "sitrep-2025-06-02.md"


# --- record text ------------------------------------------------------------------------

HOSTILE = "Gao \x00\x1b[31mred\x07 \u202eevil\u202c \u2066iso\u2069 $\\foo$ $5 and $6 <b>x</b>"


def record(i: int, text: str, count: str = "12") -> dict[str, Any]:
    """A valid record with ``text`` in every free-text field."""
    return {
        "id": f"r{i}", "date": "2025-06-02", "country": "Mali", "location": text,
        "latitude": 16.27, "longitude": -0.04, "event_type": "battles",
        "perpetrator": text, "target": text, "title": text, "summary": text,
        "sources": [{"id": "s", "name": text, "url": "https://example.org/a"}],
        "claims": [{"source": "s", "by": text, "stance": "independent", "group": "civilians",
                    "outcome": "killed", "count": count, "quote": text}],
    }  # fmt: skip


UNSAFE = [chr(c) for c in (*range(0, 9), *range(11, 32), 0x7F, *range(0x80, 0xA0))] + list(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def raw_unsafe(text: str) -> list[str]:
    return sorted({repr(c) for c in text if c in UNSAFE})


def test_control_and_bidi_characters_reach_no_output_and_mathtext_is_plain(
    tmp_path: Path,
) -> None:
    config = Config().with_overrides(output=tmp_path / "out")
    result = generate(config, start=DAY, formats=["md", "html", "json"],
                      store=MemoryStore([record(1, HOSTILE)]))  # fmt: skip
    folder = result.files["md"].parent
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        assert raw_unsafe(text) == [], path.name
    md = result.files["md"].read_text(encoding="utf-8")
    html = result.files["html"].read_text(encoding="utf-8")
    assert "Gao \\[31mred" in md and "<b>" not in md
    assert "Gao [31mred" in html and "<b>x" not in html and "&lt;b&gt;x" in html
    assert '"Gao \\u0000' in result.files["json"].read_text(encoding="utf-8")  # data kept
    svg = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.svg"))
    assert "$5 and $6" in svg and "$\\foo$" in svg  # drawn as written, not as math


def test_counts_beyond_64_bits_are_refused_and_charts_survive_them(tmp_path: Path) -> None:
    config = Config().with_overrides(output=tmp_path / "out")
    result = generate(config, start=DAY, formats=["md"],
                      store=MemoryStore([record(1, "Gao", "10000000000000000000")]))  # fmt: skip
    [problem] = result.report.data_quality.problems  # a problem of the record, not a crash
    assert problem.field == "claims[0].count" and "too large" in problem.message
    # a report that holds such a figure anyway (built by hand) is still charted
    from factories import sahel_report

    report = sahel_report()
    huge = report.table[0].model_copy(update={"low": 10**19, "best": 10**19, "high": 10**19})
    charts = draw_charts(report.model_copy(update={"table": [huge, *report.table[1:]]}))
    assert [c.name for c in charts] == ["casualties", "map"]


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["generate", "--date", "9999-12-31"],
    ["generate", "--date", "0001-01-01"],
    ["generate", "--from", "2025-06-01", "--to", "9999-12-31"],
    ["run", "--date", "9999-12-31", "--dry-run"],
])  # fmt: skip
def test_dates_out_of_range_are_usage_errors(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--config", str(tmp_path)]) == 2
    assert "is out of range (expected a day from 1900-01-01 to 2100-12-31)" in (
        capsys.readouterr().err
    )


def test_a_huge_source_date_epoch_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 30)
    assert main(["generate", "--config", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert "SOURCE_DATE_EPOCH=999" in capsys.readouterr().err
