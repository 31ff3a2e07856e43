"""Loading and validating generated records from files: JSONL and YAML.

Generates the files first (not timed), then measures each load in a fresh process so that
peak memory is the load's own: ``sitrep.store.load_records`` (parse every file, then
validate every record), split into parse and validate, with records/s and peak RSS.
It also times the proposed date pre-filter on raw JSONL lines (a regular expression on
the line, no JSON parsing) to show what a windowed load would pay per record.

    .venv/bin/python bench/bench_load.py            # 100,000 JSONL, 10,000 YAML
    .venv/bin/python bench/bench_load.py --quick    # 20,000 JSONL, 2,000 YAML
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Section, machine, rss_mb
from gen_records import generate, write_jsonl, write_yaml

from sitrep.ingest.readers import discover, parse_file
from sitrep.store import MemoryStore, load_records
from sitrep.store.checking import validate_records

DATE_IN_LINE = re.compile(r'"date": "(\d{4}-\d{2}-\d{2})')


def measure(path: Path) -> None:
    """In this (fresh) process: load ``path`` the way sitrep does, and print the figures."""
    MemoryStore(generate(1)).load()  # one-time costs (imports, schema build) before measuring
    base = rss_mb()
    files = discover(path).files
    size = sum(f.stat().st_size for f in files) / 1e6
    with Section("load_records (parse + validate)") as whole:
        result = load_records(path)
    n = len(result.records) + len(result.invalid)
    print(f"  {n:,} records in {len(files)} file(s), {size:.0f} MB on disk; "
          f"rss before {base:.0f} MB")
    print(f"  {whole.line()}")
    print(f"    -> {n / whole.seconds:,.0f} records/s, "
          f"{(whole.after - whole.before) * 1024 / max(n, 1):.1f} KB of RSS growth a record, "
          f"{len(result.problems)} problems")
    del result
    # The two halves separately (a second pass: the files are in the page cache now).
    with Section("  parse only (parse_file)") as parse:
        raws = []
        for f in files:
            found, _ = parse_file(f)
            raws.extend(found)
    with Section("  validate only (validate_records)") as val:
        validate_records(raws, files=files)
    print(f"  {parse.line(f'  -> {len(raws) / parse.seconds:,.0f} records/s')}")
    print(f"  {val.line(f'  -> {len(raws) / val.seconds:,.0f} records/s')}")
    if path.suffix == ".jsonl" or any(f.suffix == ".jsonl" for f in files):
        lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]
        t0 = time.perf_counter()
        dates = [m.group(1) if (m := DATE_IN_LINE.search(line)) else None for line in lines]
        regex_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for line in lines:
            json.loads(line)
        loads_s = time.perf_counter() - t0
        print(f"  date pre-filter on raw lines (regex, no JSON parsing): {regex_s:.3f} s, "
              f"{regex_s / len(lines) * 1e6:.2f} us a line "
              f"(json.loads of every line: {loads_s:.2f} s, {loads_s / len(lines) * 1e6:.1f} us); "
              f"{sum(d is not None for d in dates):,} dates found")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 JSONL and 2,000 YAML")
    parser.add_argument("--jsonl", type=int, default=100_000, help="records in the JSONL file")
    parser.add_argument("--yaml", type=int, default=10_000, help="records in the YAML files")
    parser.add_argument("--per-file", type=int, default=200, help="records per YAML file")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.measure:
        measure(args.measure)
        return 0
    n_jsonl, n_yaml = (20_000, 2_000) if args.quick else (args.jsonl, args.yaml)
    print(f"bench_load: {machine()}")
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-load-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        jsonl = root / "jsonl"
        jsonl.mkdir()
        write_jsonl(generate(n_jsonl), jsonl / "records.jsonl")
        yml = root / "yaml"
        write_yaml(generate(n_yaml), yml, args.per_file)
        print(f"generated {n_jsonl:,} JSONL and {n_yaml:,} YAML records in "
              f"{time.perf_counter() - t0:.1f} s (not measured)\n")
        for label, path in (
            (f"JSONL, {n_jsonl:,} records, one file", jsonl),
            (f"YAML, {n_yaml:,} records, {args.per_file} a file", yml),
        ):
            print(label)
            sys.stdout.flush()
            subprocess.run(
                [sys.executable, __file__, "--measure", str(path)], check=True,
            )
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
