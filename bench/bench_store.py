"""The SQLite store: importing generated records, and a daily report's load from it.

Generates ``n`` records (bench/gen_records.py, not timed), then measures, in one process:

1. the first import into a new SQLite file (validation, one revision, versions, current
   records, per-day counts), in records/s and peak memory;
2. the same import again (every record unchanged: no revision);
3. the load of the last day's daily report (its data window: look-back, 30 earlier periods
   and slack), now and ``as_of`` the import time, against the same records in a JSONL
   folder (``DirectoryStore``) for reference;
4. a 30-day report's load.

    .venv/bin/python bench/bench_store.py            # 100,000 records
    .venv/bin/python bench/bench_store.py --n 20000
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Section, machine
from gen_records import LAST_DAY, generate, write_jsonl

from sitrep.config import Config
from sitrep.ingest.raw import RawRecord
from sitrep.pipeline import data_window
from sitrep.store import DirectoryStore
from sitrep.store.sql import SqlStore


def _median_load(load: object, repeat: int = 3) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = load()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
        n = len(result.records)
    return statistics.median(times), n


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="records to import")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        records = list(generate(args.n))
        write_jsonl(records, folder / "records.jsonl")
        raws = [RawRecord(r, "records.jsonl", i + 1) for i, r in enumerate(records)]
        del records
        store = SqlStore.open(f"sqlite:///{folder / 'incidents.sqlite'}")
        with Section("import") as first:
            result = store.write(raws, author="bench", reason="import records")
        size = (folder / "incidents.sqlite").stat().st_size / 1e6
        print(f"import {len(raws):,} records into SQLite: {first.seconds:.1f} s "
              f"({len(raws) / first.seconds:,.0f} records/s; cpu {first.cpu:.1f} s), "
              f"peak RSS {first.peak:.0f} MB (+{first.peak - first.before:.0f} MB), "
              f"file {size:.0f} MB; {len(result.added):,} added, "
              f"{len(result.invalid)} invalid")  # fmt: skip
        with Section("again") as again:
            same = store.write(raws, author="bench", reason="import records")
        print(f"import again (unchanged, revision {same.revision}): {again.seconds:.1f} s")
        at = dt.datetime.now(dt.UTC)
        config = Config()
        directory = DirectoryStore(folder / "records.jsonl")
        for days in (1, 30):
            start = LAST_DAY - dt.timedelta(days=days - 1)
            window = data_window(config, start, LAST_DAY)
            now, n = _median_load(lambda w=window: store.load(w))
            past, _ = _median_load(lambda w=window: store.load(w, as_of=at))
            files, m = _median_load(lambda w=window: directory.load(w), repeat=1)
            print(f"{days}-day report load ({window[0]}..{window[1]}, {n:,} records): "
                  f"SQLite {now * 1000:.0f} ms, as of a time {past * 1000:.0f} ms; "
                  f"JSONL folder {files * 1000:.0f} ms ({m:,} records)")  # fmt: skip
        store.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
