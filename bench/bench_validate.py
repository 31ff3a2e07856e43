"""``sitrep validate`` on N generated JSONL records, as a user runs it, and the import time
of the commands that should start fast.

Each run is a fresh ``python -m sitrep validate FOLDER`` process (problems to /dev/null);
the figures are the child's own CPU time (user + system, from ``wait4``), records per
second of CPU, and its peak RSS. ``--repo`` runs another checkout's code on the same data
(``--repo /work/main`` for the figures before a change). Then ``-X importtime`` of
``sitrep --help``, ``sitrep validate --help`` and ``sitrep schema``: the cumulative import
time of the ``sitrep`` package, median of 5.

    .venv/bin/python bench/bench_validate.py                     # 100,000 and 1,000,000
    .venv/bin/python bench/bench_validate.py --records 100000 --repo /work/main

``--store N`` measures ``sitrep validate`` on a SQLite store of N generated records
instead (imported with ``sitrep import records``, not measured): the first check (every
record), a check with nothing changed, a check after ``--new`` (100) new records were
imported, and ``validate --all``; each a fresh process, its CPU time and peak RSS.

    .venv/bin/python bench/bench_validate.py --store 100000 --no-import-times
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import machine
from gen_records import generate, write_jsonl

REPO = Path(__file__).resolve().parent.parent
COMMANDS = (["--help"], ["validate", "--help"], ["schema"])


# ``sitrep validate`` as ``python -m sitrep`` runs it, telling on its last line of stderr the
# CPU time of the check itself (``check_store``: without start-up, imports and printing).
_TIMED = """
import sys, time
import sitrep.store.open as opening
from sitrep.cli import main
check, spent = opening.check_store, []
def timed(*args, **kwargs):
    t0 = time.process_time()
    result = check(*args, **kwargs)
    spent.append(time.process_time() - t0)
    return result
opening.check_store = timed
code = main(sys.argv[1:])
print(f"check_store {spent[0]:.3f} s CPU", file=sys.stderr)
sys.exit(code)
"""


def run_validate(
    folder: Path | None, repo: Path, *options: str, cwd: Path | None = None
) -> tuple[float, float, float, str]:
    """One ``sitrep validate`` process (of ``folder``; else of the store of the project in
    ``cwd``, its check timed too): wall seconds, CPU seconds, peak RSS in MB, and its last
    line on stderr (the store's: the summary and the check's CPU time)."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    how = ["-m", "sitrep", "validate", str(folder)] if folder else ["-c", _TIMED, "validate"]
    t0 = time.perf_counter()
    with open(os.devnull, "w") as null, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, *how, *options],
            stdout=null, stderr=err, env=env, cwd=cwd or repo,
        )  # fmt: skip
        _, _, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        err.seek(0)
        lines = err.read().strip().splitlines() or [""]
        last = lines[-1] if folder else " | ".join(lines[-2:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, last


def import_time(argv: list[str], repo: Path) -> tuple[float, int]:
    """The time of every import of one command's process (the cumulative times of the
    top-level imports, interpreter start-up's included), in seconds, and the modules
    imported (``-X importtime``)."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sitrep", *argv],
        capture_output=True, text=True, env=env, cwd=repo,
    )  # fmt: skip
    total, modules = 0.0, 0
    for line in proc.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not found:
            continue
        modules += 1
        if len(found.group(3)) == 1:  # a top-level import: its cumulative time
            total += int(found.group(2)) / 1e6
    return total, modules


def process_cpu(argv: list[str], repo: Path) -> float:
    """CPU seconds (user + system) of one whole process (``[]``: ``python -c pass``)."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    command = [sys.executable, "-m", "sitrep", *argv] if argv else [sys.executable, "-c", "pass"]
    with open(os.devnull, "w") as null:
        proc = subprocess.Popen(command, stdout=null, stderr=null, env=env, cwd=repo)
        _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def bench_store(n: int, new: int, base: Path, repo: Path) -> None:
    """``sitrep validate`` on a SQLite store of ``n`` records: every record, nothing
    changed, ``new`` records written since, ``--all``."""
    project = base / f"store-{n}"
    done = project / "imported"
    env = {**os.environ, "PYTHONPATH": str(repo)}
    if not done.exists():
        project.mkdir(parents=True, exist_ok=True)
        (project / "sitrep.toml").write_text('[store]\nkind = "sqlite"\n', encoding="utf-8")
        write_jsonl(generate(n), project / "records.jsonl")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sitrep", "--quiet", "import", "records",
                        "records.jsonl"], cwd=project, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        print(f"imported {n:,} records in {time.perf_counter() - t0:.0f} s (not measured)")
        done.write_text("")
    state = project / "state"
    for stale in state.glob("incidents.sqlite-*"):
        stale.unlink()
    size = (state / "incidents.sqlite").stat().st_size / 1e6
    print(f"SQLite store of {n:,} records ({size:,.0f} MB), code from {repo}")

    def measure(what: str, *options: str) -> None:
        wall, cpu, peak, last = run_validate(None, repo, *options, cwd=project)
        print(f"  {what:<34} {wall:7.1f} s wall, {cpu:7.2f} s CPU, peak RSS {peak:5,.0f} MB"
              f"\n      {last}")  # fmt: skip

    measure("validate --all (every record)", "--all")
    measure("validate (nothing changed)")
    later = project / f"new-{new}.jsonl"
    if not later.exists():
        fresh = list(generate(new, seed=7))
        for rec in fresh:  # other ids than the store's
            rec["id"] = f"new-{rec['id']}"
            for claim in rec["claims"]:
                if "covers" in claim:
                    claim["covers"] = [f"new-{ref}" for ref in claim["covers"]]
        write_jsonl(fresh, later)
    subprocess.run([sys.executable, "-m", "sitrep", "--quiet", "import", "records", later.name,
                    "--reason", f"{new} new"], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    measure(f"validate ({new} new records)")
    measure("validate --all (every record)", "--all")
    help_cpu = statistics.median(process_cpu(["validate", "--help"], repo) for _ in range(3))
    print(f"  `sitrep validate --help` (start-up): {help_cpu:.2f} s CPU (median of 3)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to run")
    parser.add_argument("--data", type=Path, help="keep the generated files here (reused)")
    parser.add_argument("--no-import-times", action="store_true")
    parser.add_argument("--store", type=int, metavar="N", help="a SQLite store of N records")
    parser.add_argument("--new", type=int, default=100, help="records written before the check")
    args = parser.parse_args(argv)
    print(f"bench_validate: {machine()}; code from {args.repo}")
    if args.store:
        with tempfile.TemporaryDirectory(prefix="sitrep-bench-validate-") as tmp:
            bench_store(args.store, args.new, args.data or Path(tmp), args.repo)
        return 0
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-validate-") as tmp:
        base = args.data or Path(tmp)
        for n in args.records:
            folder = base / f"jsonl-{n}"
            path = folder / "records.jsonl"
            if not path.exists():
                folder.mkdir(parents=True, exist_ok=True)
                t0 = time.perf_counter()
                write_jsonl(generate(n), path)
                print(f"generated {n:,} records in {time.perf_counter() - t0:.0f} s (not measured)")
            size = path.stat().st_size / 1e6
            wall, cpu, peak, last = run_validate(folder, args.repo)
            print(f"validate {n:>9,} JSONL records ({size:,.0f} MB): {wall:7.1f} s wall, "
                  f"{cpu:7.1f} s CPU, {n / cpu:8,.0f} records/s of CPU, peak RSS {peak:6,.0f} MB"
                  f"\n    {last[:150]}")  # fmt: skip
    if not args.no_import_times:
        bare = statistics.median(process_cpu([], args.repo) for _ in range(5))
        print(f"`python -c pass`: {bare:.3f} s CPU (median of 5)")
        for command in COMMANDS:
            runs = [import_time(command, args.repo) for _ in range(5)]
            seconds = statistics.median(t for t, _ in runs)
            cpu = statistics.median(process_cpu(command, args.repo) for _ in range(5))
            print(f"`sitrep {' '.join(command)}`: imports {seconds:.3f} s (-X importtime, "
                  f"median of 5), {runs[0][1]} modules; whole process {cpu:.3f} s CPU")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
