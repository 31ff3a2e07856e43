"""Reconcile and summarise a report window out of a large store (default 1,000,000 records).

Issue target: under 2 s and under 1 GB peak on the 2-core machine. The script measures:

1. generation (not part of the measured path): records in the windows that reports need
   are generated in full (``gen_records.generate``); the rest of the archive are cheap
   copies of those with new ids and dates that share their nested sources and claims, so
   that a million records fit in memory without taking minutes to make. Validation costs
   the same for a copy as for an original.
2. the **windowed** path, which ``sitrep generate`` takes: ``store.load(window)`` with
   ``pipeline.data_window`` pre-filters the raw records by date and validates only those,
   then the report stages of ``build_report``, timed one by one;
3. for comparison, loading **without a window** (as ``sitrep validate`` does): every record
   validated into a ``Record``, then ``build_report``. By default only the newest 200,000
   records are validated and the figures scaled up (``--current-sample 0``: all;
   ``--skip-current``: leave it out).

Two reports: the daily report of 2025-06-02 (30-day look-back) and a 30-day period
(2025-05-04 to 2025-06-02, whose trends look back 30 periods of 30 days).

    .venv/bin/python bench/bench_reconcile.py            # 1,000,000 records (about 3 min)
    .venv/bin/python bench/bench_reconcile.py --quick    # 100,000 records
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Section, machine, rss_mb
from gen_records import LAST_DAY, PER_DAY, generate

from sitrep.config import Config
from sitrep.model.report import Report, ReportFilter
from sitrep.pipeline import build_report, data_window, load
from sitrep.reconcile import FigureRules, MergeRules, merge_records
from sitrep.store import LoadResult, MemoryStore
from sitrep.summarise import SummaryInputs, history, make_period, summarise

REPORT_DAY = dt.date(2025, 6, 2)
NOW = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)


def make_archive(
    n: int, full_from: dt.date, per_day: float, seed: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """``n`` records ending on LAST_DAY: generated in full from ``full_from`` on, cheap
    copies before that. Returns the records (oldest first) and how many are full."""
    full_days = (LAST_DAY - full_from).days + 1
    n_full = min(n, round(full_days * per_day))
    full = list(generate(n_full, seed=seed, per_day=per_day))
    n_copies = n - n_full
    if n_copies <= 0:
        return full, n_full
    first = dt.date.fromisoformat(full[0]["date"][:10])
    copy_days = max(1, round(n_copies / per_day))
    start = first - dt.timedelta(days=copy_days)
    copies: list[dict[str, Any]] = []
    dates = [(start + dt.timedelta(days=d)).isoformat() for d in range(copy_days)]
    templates = [r for r in full if "same_as" not in r]
    for k in range(n_copies):
        tmpl = templates[k % len(templates)]
        rec = dict(tmpl)  # nested sources/claims are shared, not copied
        rec["id"] = f"a{k:07d}-{tmpl['id']}"
        day = dates[k * copy_days // n_copies]
        rec["date"] = day
        if "end_date" in rec:
            rec["end_date"] = day
        copies.append(rec)
    return copies + full, n_full


def staged_report(
    config: Config, loaded: LoadResult, start: dt.date, end: dt.date
) -> tuple[list[Section], list[str], Report]:
    """build_report's stages timed one by one (the same calls, in the same order)."""
    rc = config.report
    sections: list[Section] = []
    notes: list[str] = []
    period = make_period(start, end, rc.timezone, rc.lookback_days)
    lo, _ = data_window(config, start, end)
    with Section("  window (filter Records by date)") as s:
        records = [r for r in loaded.records if r.day <= end and r.last_day >= lo]
    sections.append(s)
    notes.append(f"{len(records):,} records")
    with Section("  merge_records") as s:
        incidents = merge_records(records, MergeRules(rc.merge_name_score, rc.merge_radius_km))
    sections.append(s)
    biggest = max((len(i.records) for i in incidents), default=0)
    notes.append(f"{len(incidents):,} incidents (largest: {biggest} records)")
    rules = FigureRules(rc.claim_spread_factor)
    with Section("  history (30 earlier periods, for trends)") as s:
        past = history(incidents, period, rules)
    sections.append(s)
    notes.append("")
    inputs = SummaryInputs(
        title=rc.title, period=period, generated_at=NOW, filter=ReportFilter(),
        problems=loaded.problems, skipped=loaded.invalid, records_loaded=len(loaded.records),
        rules=rules,
    )
    with Section("  summarise") as s:
        report = summarise(incidents, inputs, past)
    sections.append(s)
    notes.append(f"{len(report.incidents):,} incidents shown, {len(report.table):,} rows")
    return sections, notes, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records in the store")
    parser.add_argument("--quick", action="store_true", help="100,000 records")
    parser.add_argument("--per-day", type=float, default=PER_DAY, help="records a day")
    parser.add_argument(
        "--period-30", action="store_true",
        help="also the 30-day period (about 1 min more; always on with --quick)",
    )
    parser.add_argument("--skip-current", action="store_true", help="only the windowed path")
    parser.add_argument(
        "--current-sample", type=int, default=200_000,
        help="validate only the newest N records on the current path and scale the figures "
        "up (default 200,000, which keeps the run near 3 minutes; 0: all records, about "
        "3 more minutes and 7 GB for 1,000,000)",
    )
    args = parser.parse_args(argv)
    n = 100_000 if args.quick else args.n
    config = Config()
    scenarios = {"daily report 2025-06-02": (REPORT_DAY, REPORT_DAY)}
    if args.quick or args.period_30:
        scenarios["30-day period 2025-05-04..06-02"] = (
            REPORT_DAY - dt.timedelta(days=29), REPORT_DAY)
    spans = {name: data_window(config, *period) for name, period in scenarios.items()}
    full_from = min(lo for lo, _ in spans.values())

    print(f"bench_reconcile: {n:,} records, {args.per_day:g} a day; {machine()}")
    print(f"baseline rss {rss_mb():.0f} MB (interpreter + sitrep imported)\n")
    print("generation (not part of any measured path)")
    with Section(f"generate {n:,} records") as s:
        raws, n_full = make_archive(n, full_from, args.per_day)
    print(s.line(f"  ({n_full:,} full from {full_from}, the rest copies; "
                 f"oldest {raws[0]['date']})"))
    gc.collect()

    store = MemoryStore(raws)  # the records as a store holds them, before validation
    print("\nwindowed: store.load(window) validates only the records the report reads "
          "(pipeline.data_window), then the report stages")
    for name, (start, end) in scenarios.items():
        print(f"{name}")
        with Section(" total") as total:
            with Section("  load(window): pre-filter by date, validate") as s1:
                loaded = load(config, store, window=data_window(config, start, end))
            stages, notes, report = staged_report(config, loaded, start, end)
        print(total.line())
        print(s1.line(f"  -> {len(loaded.records):,} valid of {len(raws):,}, "
                      f"{len(loaded.problems)} problems"))
        for stage, note in zip(stages, notes, strict=True):
            print(stage.line(f"  -> {note}" if note else ""))
        del loaded, report
        gc.collect()

    if args.skip_current:
        return 0
    print("\ncurrent: pipeline.load(MemoryStore(all records)) validates every record, "
          "then build_report")
    sample = raws if not args.current_sample else raws[-min(n, args.current_sample):]
    scale = n / len(sample)
    with Section(f"load + validate {len(sample):,} records") as s:
        loaded = load(config, MemoryStore(sample))
    rate = len(sample) / s.seconds if s.seconds else 0
    per = (s.after - s.before) * 1024 / len(sample)
    print(s.line(f"  -> {rate:,.0f} records/s, {per:.1f} KB of RSS growth a record"))
    print(f"  {len(loaded.records):,} valid, {len(loaded.problems)} problems")
    if scale > 1:
        print(f"  scaled to {n:,} records (linear: one pydantic validation and one Record "
              f"per record): {s.seconds * scale:.0f} s (cpu {s.cpu * scale:.0f}), "
              f"+{(s.after - s.before) * scale / 1024:.1f} GB kept, "
              f"peak about {(s.before + s.grew * scale) / 1024:.1f} GB; "
              "--current-sample 0 measures it")
    for name, (start, end) in scenarios.items():
        if name.startswith("30-day"):
            continue  # same stages on the same window as above, plus the window filter
        with Section(f"{name}: build_report") as s:
            report = build_report(config, start=start, end=end, loaded=loaded, now=NOW)
        print(s.line(f"  -> {len(report.incidents)} incidents, {len(report.table)} rows"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
