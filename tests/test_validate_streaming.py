"""``sitrep validate`` streams: memory that does not grow with the data, every problem still
reported (across files and lines, in order), and a progress bar on a terminal only.

The memory test measures the peak of Python's own allocations (tracemalloc) in a fresh
process for 2,000 and 20,000 records: a bound on the growth per record, never a time.
The bar is looked for on a pseudo-terminal (``pty``) and never in piped output.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, DataDir
from rich.filesize import decimal

from sitrep.cli import main
from sitrep.store import MemoryStore

MakeRecord = Callable[..., dict[str, Any]]

# The child process: check a folder once to warm up (imports, pydantic's schema), then
# check the measured folder with tracemalloc on; print the peak and what was found.
_MEASURE = """
import sys, tracemalloc
from pathlib import Path
from sitrep.store import DirectoryStore
DirectoryStore(Path(sys.argv[2])).check()
tracemalloc.start()
done = DirectoryStore(Path(sys.argv[1])).check()
print(tracemalloc.get_traced_memory()[1], done.records, done.valid, len(done.problems))
"""


def _records(make_record: MakeRecord, n: int) -> list[dict[str, Any]]:
    """``n`` valid records, one a day from 1990, each of the later ones naming the one
    before (``not_same_as``): ids and references for the checks across records."""
    out = []
    for i in range(n):
        day = f"{1990 + i // 336}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}"
        extra = {"not_same_as": [f"r{i - 1:06d}"]} if i else {}
        source = {"id": "src", "name": "Test Source", "published": day}
        out.append(make_record(id=f"r{i:06d}", date=day, sources=[source], **extra))
    return out


def _jsonl(folder: Path, records: list[dict[str, Any]], name: str = "records.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _peak(folder: Path, warm: Path) -> tuple[int, int, int, int]:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(folder), str(warm)],
        capture_output=True, text=True, check=True, env=_env(), timeout=300,
    ).stdout.split()  # fmt: skip
    peak, records, valid, problems = map(int, out)
    return peak, records, valid, problems


def test_validate_memory_does_not_grow_with_the_records(
    tmp_path: Path, make_record: MakeRecord
) -> None:
    records = _records(make_record, 20_000)
    warm = tmp_path / "warm"
    _jsonl(warm, records[:50])
    _jsonl(tmp_path / "small", records[:2_000])
    _jsonl(tmp_path / "large", records)
    small = _peak(tmp_path / "small", warm)
    large = _peak(tmp_path / "large", warm)
    assert small[1:] == (2_000, 2_000, 0) and large[1:] == (20_000, 20_000, 0)
    per_record = (large[0] - small[0]) / 18_000
    # Each record's id and where it is (~150 bytes); a validated record costs ~6 KB and
    # its parsed JSON ~3 KB, so holding either would break both bounds.
    assert per_record < 400, f"{per_record:.0f} bytes a record ({small[0]:,} -> {large[0]:,})"
    assert large[0] < 3 * small[0], (small[0], large[0])


def test_every_problem_across_the_stream_in_order(
    tmp_data: DataDir, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    first = [
        make_record(id="a", same_as="later"),  # refers forward, to the second file
        make_record(id="b", same_as="nowhere"),
        make_record(id="dup"),
        make_record(id="c", country="XXX", not_same_as=["gone"]),
    ]
    second = [make_record(id="later"), make_record(id="dup"), make_record(id="e")]
    a = _jsonl(tmp_data.root, first, "a.jsonl")
    b = _jsonl(tmp_data.root, second, "b.jsonl")
    tmp_data.write("z.yaml", make_record(id="dup", latitude=1))
    assert main(["validate", str(tmp_data.root)]) == 1
    out, err = capsys.readouterr()
    dup = f"duplicate id, used at {a}:3, {b}:2, {tmp_data.root / 'z.yaml'}:1"
    assert out.splitlines() == [
        f"{a}:2: record b: field same_as: no record with id 'nowhere' in the dataset "
        "(expected an existing record id)",
        f"{a}:3: record dup: field id: {dup} (expected ids unique across the dataset)",
        f"{a}:4: record c: field country: unknown country 'XXX' (expected an ISO 3166-1 "
        "alpha-2 or alpha-3 code or English short name, such as ML, MLI or Mali)",
        f"{a}:4: record c: field not_same_as[0]: no record with id 'gone' in the dataset "
        "(expected an existing record id)",
        f"{b}:2: record dup: field id: {dup} (expected ids unique across the dataset)",
        f"{tmp_data.root / 'z.yaml'}:1: record dup: field id: {dup} (expected ids unique "
        "across the dataset)",
        f"{tmp_data.root / 'z.yaml'}:1: record dup: field longitude: missing (give both "
        "latitude and longitude, or neither)",
    ]
    # a, later and e are valid; the forward reference of a was settled at the end
    assert "7 problem(s); 3 valid record(s)" in err


def test_the_stream_finds_what_a_whole_load_finds(make_record: MakeRecord) -> None:
    records = _records(make_record, 300)
    records[10]["id"] = "r000200"  # a duplicate of a later record (and r000011 names r000010)
    records[20]["same_as"] = "r000299"  # forward
    records[30]["not_same_as"] = ["nobody", "r000001"]
    records[40]["country"] = "XXX"
    records[5]["admin1"], records[200]["admin1"] = "Mopti", "Gao"  # Gao: only a duplicate's
    store = MemoryStore(records)
    checked, loaded = store.check(name=lambda r: r.admin1), store.load()
    assert list(checked.problems) == loaded.problems and len(checked.problems) == 5
    assert checked.valid == len(loaded.records) == 295
    assert checked.records == 300 and checked.names == {"Mopti"}
    assert {r.admin1 for r in loaded.records} == {"Mopti", None}


def test_many_problems_are_sorted_through_temporary_files(
    make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitrep.store.spill

    records = _records(make_record, 200)
    for i, record in enumerate(records):  # a warning each, and a few errors out of order
        record["claims"] = [{"source": "src", "by": "FAMa", "count": 3}]
        record["sources"][0]["published"] = "2030-01-01"
        if i % 7 == 0:
            record["id"] = f"r{(i * 13) % 200:06d}"
    whole = MemoryStore(records).check()
    monkeypatch.setattr(sitrep.store.spill, "RUN", 7)
    spilled = MemoryStore(records).check()
    assert len(spilled.problems._runs) > 10  # type: ignore[attr-defined]
    assert list(spilled.problems) == list(whole.problems) and len(whole.problems) > 200
    assert list(spilled.problems) == list(spilled.problems)  # read again, same


# --- the progress bar ------------------------------------------------------------------------

# The bar shows after DELAY seconds of work; the child sets it to 0 so that a small run shows it.
_RUN = """
import sys
import sitrep.commands._progress as progress
progress.DELAY = 0
from sitrep.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _on_terminal(*argv: str, cwd: Path, script: str = _RUN) -> tuple[int, str]:
    """Run ``sitrep ARGV`` with stderr (and stdout) on a pseudo-terminal; its exit code and
    everything it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *argv], stdin=subprocess.DEVNULL, stdout=follower,
        stderr=follower, env={**_env(), "COLUMNS": "160"}, cwd=cwd,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def _plain(text: str) -> str:
    """Terminal output without its colour and cursor codes."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def _piped(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _RUN, *argv], capture_output=True, text=True, env=_env(),
        cwd=cwd, timeout=120,
    )  # fmt: skip


def test_validate_shows_a_progress_bar_on_a_terminal_only(
    tmp_path: Path, make_record: MakeRecord
) -> None:
    path = _jsonl(tmp_path / "data", _records(make_record, 3_000))
    size = decimal(path.stat().st_size)  # as the bar writes it: 642.0 kB
    code, shown = _on_terminal("validate", str(tmp_path / "data"), cwd=tmp_path)
    assert code == 0 and "ok: 3000 record(s) in 1 file(s)" in shown
    assert "records/s" in shown and "3,000 records" in shown and f"/{size}" in shown
    assert "\x1b[" in shown  # drawn with terminal codes
    quiet = _on_terminal("--quiet", "validate", str(tmp_path / "data"), cwd=tmp_path)[1]
    assert "records/s" not in quiet and "\x1b[" not in quiet
    piped = _piped("validate", str(tmp_path / "data"), cwd=tmp_path)
    assert piped.returncode == 0 and "ok: 3000 record(s)" in piped.stderr
    assert "records/s" not in piped.stderr + piped.stdout
    assert "\x1b" not in piped.stderr + piped.stdout


def test_import_shows_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    from importing import FIXTURES

    assert main(["init", str(tmp_path / "desk"), "--no-example"]) == 0
    argv = ["import", "acled", str(FIXTURES / "acled_dyadic.csv"), "--config", "desk"]
    code, shown = _on_terminal(*argv, cwd=tmp_path)
    assert code == 1 and "3 record(s) into" in shown  # one row of the fixture is bad
    assert "import acled_dyadic.csv" in shown and "records/s" in shown and "\x1b[" in shown
    lines = len((FIXTURES / "acled_dyadic.csv").read_bytes().splitlines())
    assert f"{lines}/{lines} lines" in _plain(shown)  # the CSV file's lines, all read
    piped = _piped(*argv, cwd=tmp_path)
    assert piped.returncode == 1 and "3 record(s) into" in piped.stderr
    assert "records/s" not in piped.stderr + piped.stdout and "\x1b" not in piped.stderr


def test_a_quick_check_imports_no_progress_library(tmp_path: Path, make_record: MakeRecord) -> None:
    _jsonl(tmp_path / "data", _records(make_record, 5))
    script = (
        "import sys; from sitrep.cli import main; code = main(sys.argv[1:]); "
        "print('rich imported:', 'rich' in sys.modules, file=sys.stderr); sys.exit(code)"
    )
    code, shown = _on_terminal("validate", str(tmp_path / "data"), cwd=tmp_path, script=script)
    assert code == 0 and "ok: 5 record(s)" in shown and "rich imported: False" in shown


def test_validate_checks_a_database_store_again(
    tmp_path: Path, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitrep.config import load_config
    from sitrep.store.open import open_database

    (tmp_path / "sitrep.toml").write_text('[store]\nkind = "sqlite"\n', encoding="utf-8")
    _jsonl(tmp_path / "in", [make_record(id="a"), make_record(id="b", same_as="a")])
    config = ["--config", str(tmp_path)]
    assert main(["import", "records", str(tmp_path / "in"), *config]) == 0
    assert main(["validate", *config]) == 0
    assert "ok: 2 valid record(s); checked all 2 record(s) of" in capsys.readouterr().err
    # A write could not have caught this: the record b names is deleted since.
    open_database(load_config(tmp_path)).delete(["a"], author="ana", reason="duplicate")
    assert main(["validate", *config]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{tmp_path / 'state' / 'incidents.sqlite'}: record b: field same_as: no record with "
        "id 'a' in the dataset (expected an existing record id)"
    ]
    assert "1 problem(s); 0 valid record(s)" in err
