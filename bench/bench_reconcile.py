"""Reconcile and summarise a report window out of a large store (default 1,000,000 records).

Issue target: under 2 s and under 1 GB peak on the 2-core machine. The script measures:

1. generation (not part of the measured path): records in the windows that reports need
   are generated in full (``gen_records.generate``); the rest of the archive are cheap
   copies of those with new ids and dates that share their nested sources and claims, so
   that a million records fit in memory without taking minutes to make. Validation costs
   the same for a copy as for an original.
2. the **proposed** path: pre-filter the raw records by date (the same margin as
   ``pipeline._window``) before pydantic validation, then ``build_report``;
3. the **current** path: ``pipeline.load`` over a ``MemoryStore`` of every record (every
   record validated into a ``Record``), then ``build_report``. By default only the newest
   200,000 records are validated and the figures scaled up (``--current-sample 0``: all).

Two reports: the daily report of 2025-06-02 (30-day look-back) and a 30-day period
(2025-05-04 to 2025-06-02, whose trends look back 30 periods of 30 days).

    .venv/bin/python bench/bench_reconcile.py            # 1,000,000 records (about 3 min)
    .venv/bin/python bench/bench_reconcile.py --quick    # 100,000 records
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Section, machine, rss_mb
from gen_records import LAST_DAY, PER_DAY, generate

from sitrep.config import Config
from sitrep.loaders import LoadResult, MemoryStore, RawRecord, validate_records
from sitrep.pipeline import _window, build_report, load
from sitrep.reconcile import FigureRules, MergeRules, merge_records
from sitrep.report import Report, ReportFilter
from sitrep.summarise import SummaryInputs, history, make_period, summarise

REPORT_DAY = dt.date(2025, 6, 2)
NOW = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)


def needed_span(config: Config, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The dates of the records ``build_report`` looks at for a period (pipeline._window)."""
    period = make_period(start, end, config.report.timezone, config.report.lookback_days)
    earliest = min(period.context_start, start - dt.timedelta(days=30 * period.days))
    return earliest - dt.timedelta(days=31), end + dt.timedelta(days=31)


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


def prefilter(raws: Sequence[dict[str, Any]], lo: dt.date, hi: dt.date) -> list[dict[str, Any]]:
    """Raw records whose dates can reach [lo, hi]: ISO strings compare as dates."""
    lo_s, hi_s = lo.isoformat(), hi.isoformat()
    out = []
    for r in raws:
        d = r.get("date")
        if not isinstance(d, str):
            out.append(r)  # let validation report it
            continue
        d = d[:10]
        e = r.get("end_date") or d
        if d <= hi_s and (e if isinstance(e, str) else d)[:10] >= lo_s:
            out.append(r)
    return out


@contextmanager
def merge_keys_cached() -> Iterator[None]:
    """Prototype of the proposed merge change, without touching sitrep/: each record's
    date window, normalised names and actor comparisons computed once, not once a pair.
    (Monkeypatched for the duration of the block; results are identical.)"""
    import sitrep.reconcile as rc

    saved = rc.normalise_name, rc._window, rc._names, rc._actors_compatible
    # Keyed by the Record object (kept alive in the value, so its id() is not reused):
    # a merged incident's record has the primary's id but other names and dates.
    windows: dict[int, tuple[Any, tuple[dt.date, dt.date]]] = {}
    names: dict[int, tuple[Any, set[str]]] = {}

    def window(record: Any) -> tuple[dt.date, dt.date]:
        hit = windows.get(id(record))
        if hit is None:
            hit = windows[id(record)] = (record, saved[1](record))
        return hit[1]

    def names_of(record: Any) -> set[str]:
        hit = names.get(id(record))
        if hit is None:
            hit = names[id(record)] = (record, saved[2](record))
        return hit[1]

    rc.normalise_name = functools.lru_cache(maxsize=None)(saved[0])  # type: ignore[assignment]
    rc._window = window  # type: ignore[assignment]
    rc._names = names_of  # type: ignore[assignment]
    rc._actors_compatible = functools.lru_cache(maxsize=None)(saved[3])  # type: ignore[assignment]
    try:
        yield
    finally:
        rc.normalise_name, rc._window, rc._names, rc._actors_compatible = saved


def staged_report(
    config: Config, loaded: LoadResult, start: dt.date, end: dt.date
) -> tuple[list[Section], list[str], Report]:
    """build_report's stages timed one by one (the same calls, in the same order)."""
    rc = config.report
    sections: list[Section] = []
    notes: list[str] = []
    period = make_period(start, end, rc.timezone, rc.lookback_days)
    earliest = min(period.context_start, start - dt.timedelta(days=30 * period.days))
    with Section("  window (filter Records by date)") as s:
        records = [r for r in _window(loaded.records, earliest, end) if r.day <= end]
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
    spans = {name: needed_span(config, *period) for name, period in scenarios.items()}
    full_from = min(lo for lo, _ in spans.values())

    print(f"bench_reconcile: {n:,} records, {args.per_day:g} a day; {machine()}")
    print(f"baseline rss {rss_mb():.0f} MB (interpreter + sitrep imported)\n")
    print("generation (not part of any measured path)")
    with Section(f"generate {n:,} records") as s:
        raws, n_full = make_archive(n, full_from, args.per_day)
    print(s.line(f"  ({n_full:,} full from {full_from}, the rest copies; "
                 f"oldest {raws[0]['date']})"))
    gc.collect()

    print("\nproposed: pre-filter raw records by date, validate only those, then the "
          "report stages")
    for name, (start, end) in scenarios.items():
        lo, hi = spans[name]
        print(f"{name}")
        for variant in ("as the code is", "merge keys computed once (prototype)"):
            cached = variant.startswith("merge")
            with Section(f" {variant}: total") as total:
                with Section("  pre-filter raw dicts by date") as s1:
                    window = prefilter(raws, lo, hi)
                with Section("  validate the window") as s2:
                    raw_window = [RawRecord(r, "<memory>", i + 1) for i, r in enumerate(window)]
                    loaded = validate_records(raw_window, files=[])
                with merge_keys_cached() if cached else nullcontext():
                    stages, notes, report = staged_report(config, loaded, start, end)
            print(total.line())
            print(s1.line(f"  -> {len(window):,} of {len(raws):,} ({lo} .. {hi})"))
            print(s2.line(f"  -> {len(loaded.records):,} valid, {len(loaded.problems)} problems"))
            for stage, note in zip(stages, notes, strict=True):
                print(stage.line(f"  -> {note}" if note else ""))
            dangling = sum("no record with id" in p.message for p in loaded.problems)
            if dangling:
                print(f"  ({dangling} references point outside the window: a windowed load "
                      "must check references against every id, not only the window's)")
            del window, raw_window, loaded, report
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
