"""Reports of 1, 7, 30 and 90 days out of a large store: SQLite, PostgreSQL, a JSONL folder.

Builds once, into ``--dir`` (reused by later runs): ``n`` generated records
(``gen_records.py``) as ``records.jsonl``, the same file in a folder store, and the records
imported into SQLite (``incidents.sqlite``) and, with ``--pg``, into a PostgreSQL 15
cluster kept in ``--dir/pg`` (``initdb``/``pg_ctl``, as ``tests/pg.py``). Each import is
timed (the streaming ``import records`` path: batches of 10,000 in one revision).

Then each report (``--format json`` of the period ending on the data's last day) runs in
a fresh process, twice: with the trend cache empty (the first report of its kind: the
earlier periods' months are read, merged and summarised once) and again with it filled
(every later report). Each prints the window read (``load``), reconcile and summarise
(merge, trend baselines, the report and its JSON), the total and the process's peak RSS,
with CPU times.

    .venv/bin/python bench/bench_store_report.py --n 1000000 --dir /tmp/sitrep-1m [--pg]
    .venv/bin/python bench/bench_store_report.py --n 100000 --dir /tmp/sitrep-100k

``--keep-cache --runs 3`` leaves the trend caches as earlier runs filled them and runs each
report three times (the figures of every later report, without the minutes an empty
90-day cache takes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Section, machine
from _pg import Postgres
from gen_records import LAST_DAY, generate, write_jsonl

from sitrep.config import Config

STORES = ("sqlite", "postgresql", "folder")


def _dataset(folder: Path, n: int) -> Path:
    """``records.jsonl`` of ``n`` generated records (written once)."""
    path = folder / "records.jsonl"
    done = folder / f"records-{n}.done"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        write_jsonl(generate(n), path)
        done.write_text("")
        print(f"generated {n:,} records in {time.perf_counter() - t0:.0f} s")
    store = folder / "folder"
    store.mkdir(exist_ok=True)
    if not (store / "records.jsonl").exists():
        os.link(path, store / "records.jsonl")
    return path


def _import(url: str, path: Path, marker: Path, password: str | None = None) -> None:
    """Import the records once, as ``sitrep import records`` does, and say what it cost."""
    from sitrep.commands.import_ import BATCH
    from sitrep.errors import Problem
    from sitrep.ingest.raw import RawRecord
    from sitrep.ingest.readers import RecordReader, record_ids
    from sitrep.store.sql import SqlStore

    def chunked() -> Iterator[list[RawRecord]]:
        batch: list[RawRecord] = []
        for item in RecordReader([path]):
            if not isinstance(item, Problem):
                batch.append(item)
            if len(batch) == BATCH:
                yield batch
                batch = []
        yield batch

    if marker.exists():
        from sitrep.store.database import make_engine, upgrade

        engine = make_engine(url, password)
        before, after = upgrade(engine)  # a store imported by an earlier sitrep
        engine.dispose()
        moved = f" (schema {before} -> {after})" if before != after else ""
        print(f"{url}: imported before{moved}: {marker.read_text().strip()}")
        return
    store = SqlStore.open(url, password)
    with Section("import") as s:
        known = set(record_ids(path))
        batches = chunked()
        problems: Counter[str] = Counter()
        result = store.write_batches(batches, author="bench", reason="import", known=known,
                                     on_problem=lambda p: problems.update([p.level]))  # fmt: skip
    line = (f"{len(result.added):,} records in {s.seconds:.0f} s (cpu {s.cpu:.0f} s, "
            f"{len(result.added) / s.cpu:,.0f} records/s of cpu), peak RSS {s.peak:.0f} MB "
            f"(+{s.peak - s.before:.0f} MB), {len(result.invalid)} invalid, "
            f"problems {dict(problems)}")  # fmt: skip
    marker.write_text(line + "\n")
    print(f"{url}: imported {line}")
    store.engine.dispose()


def one(kind: str, days: int, target: str, state: Path, password: str | None) -> dict[str, Any]:
    """One report in this process: its sections' times and the peak RSS."""
    import logging

    from sitrep.pipeline import baseline, load, make_plan, stages
    from sitrep.store import DirectoryStore
    from sitrep.store.base import IncidentStore
    from sitrep.store.sql import SqlStore

    logging.getLogger("sitrep").setLevel(logging.ERROR)  # not thousands of record warnings
    trends = [0.0, 0.0]

    def timed(fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                trends[0] += time.perf_counter() - wall
                trends[1] += time.process_time() - cpu

        return wrapper

    stages.summarise_incidents = timed(stages.summarise_incidents)  # type: ignore[attr-defined]
    baseline.trend_summaries = timed(baseline.trend_summaries)  # type: ignore[method-assign]
    config = Config(state=state)
    store: IncidentStore = (
        DirectoryStore(Path(target)) if kind == "folder" else SqlStore.open(target, password)
    )
    start = LAST_DAY - dt.timedelta(days=days - 1)
    plan = make_plan(config, start=start, end=LAST_DAY, formats=["json"],
                     now=dt.datetime(2025, 7, 1, 6, tzinfo=dt.UTC))  # fmt: skip
    with Section("load") as s_load:
        loaded = load(config, store, window=plan.window)
    with Section("reconcile") as s_rec:
        merged = stages.merge(plan, loaded, store)
    with Section("summarise") as s_sum:
        report = stages.report_for(plan, merged)
    with Section("json") as s_json:
        files = stages.render_edition(plan, report, plan.editions[0], ["json"])
    return {
        "records": len(loaded.records), "incidents": len(merged.incidents),
        "earlier": len(merged.earlier), "shown": len(report.incidents),
        "json_mb": sum(len(v) for v in files.values()) / 1e6,
        "load": [s_load.seconds, s_load.cpu], "trends": trends,
        "reconcile": [s_rec.seconds - trends[0], s_rec.cpu - trends[1]],
        "summarise": [s_sum.seconds, s_sum.cpu], "json": [s_json.seconds, s_json.cpu],
        # each section resets the kernel's mark: the run's peak is the highest of theirs
        "peak": max(s.peak for s in (s_load, s_rec, s_sum, s_json)),
    }  # fmt: skip


def _child(kind: str, days: int, target: str, state: Path, password: str | None) -> dict[str, Any]:
    argv = [sys.executable, __file__, "--child", kind, str(days), target, str(state)]
    env = {**os.environ, "BENCH_PASSWORD": password or ""}
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _row(kind: str, days: int, cache: str, r: dict[str, Any]) -> str:
    parts = ("reconcile", "trends", "summarise", "json")
    work = [sum(r[p][i] for p in parts) for i in (0, 1)]

    def f(pair: list[float]) -> str:
        return f"{pair[0]:.2f} ({pair[1]:.2f})"

    return (f"| {kind} | {days} | {cache} | {r['records']:,} | {f(r['load'])} | "
            + " | ".join(f(r[p]) for p in parts)
            + f" | **{f(work)}** | {r['shown']:,} ({r['json_mb']:.1f} MB) | {r['peak']:.0f} MB |")


def main(argv: list[str] | None = None) -> int:
    """Build the dataset and stores once, then time each report in a fresh process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records to generate")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/sitrep-bench"))
    parser.add_argument("--pg", action="store_true", help="also PostgreSQL (initdb/pg_ctl)")
    parser.add_argument("--days", default="1,7,30,90")
    parser.add_argument("--stores", default="sqlite,postgresql,folder")
    parser.add_argument("--keep-cache", action="store_true",
                        help="keep each trend cache as an earlier run left it (no empty-cache "
                        "run: 90 days takes minutes) and run --runs reports of each")  # fmt: skip
    parser.add_argument("--runs", type=int, default=1, help="with --keep-cache: runs of each")
    parser.add_argument("--child", nargs=4, metavar=("STORE", "DAYS", "TARGET", "STATE"))
    args = parser.parse_args(argv)
    if args.child:
        kind, days, target, state = args.child
        password = os.environ.get("BENCH_PASSWORD") or None
        print(json.dumps(one(kind, int(days), target, Path(state), password)))
        return 0
    print(f"machine: {machine()}")
    folder: Path = args.dir
    path = _dataset(folder, args.n)
    stores = [s for s in args.stores.split(",") if s != "postgresql" or args.pg]
    targets: dict[str, tuple[str, str | None]] = {"folder": (str(folder / "folder"), None)}
    pg = Postgres(folder / "pg") if "postgresql" in stores else None
    try:
        if "sqlite" in stores:
            targets["sqlite"] = (f"sqlite:///{folder / 'incidents.sqlite'}", None)
            _import(targets["sqlite"][0], path, folder / "sqlite.done")
        if pg is not None:
            url = pg.start()
            targets["postgresql"] = (url, pg.password)
            _import(url, path, folder / "pg.done", pg.password)
        print("\nseconds, wall (cpu)\n\n| store | days | trend cache | records read | load | "
              "merge | trends | summarise | JSON | work after the load | incidents shown (JSON) "
              "| peak RSS |\n|---|---|---|---|---|---|---|---|---|---|---|---|")  # fmt: skip
        for kind in stores:
            target, password = targets[kind]
            for days in map(int, args.days.split(",")):
                state = folder / f"state-{kind}-{days}"
                if args.keep_cache:
                    for _ in range(args.runs):
                        print(_row(kind, days, "kept", _child(kind, days, target, state,
                                                              password)), flush=True)  # fmt: skip
                    continue
                cache = state / "cache" / "trend-summaries.sqlite"
                cache.unlink(missing_ok=True)
                print(_row(kind, days, "empty", _child(kind, days, target, state, password)),
                      flush=True)  # fmt: skip
                print(_row(kind, days, "filled", _child(kind, days, target, state, password)),
                      flush=True)  # fmt: skip
    finally:
        if pg is not None:
            pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
