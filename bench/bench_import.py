"""Importing a large ACLED export: rows a second and peak memory.

Writes N generated rows in ACLED's current dyadic CSV layout to a temporary file (not
timed), then imports it as ``sitrep import acled`` does (read, map, validate, write JSONL)
and prints rows/s, the JSONL size and the peak RSS of the import.

    .venv/bin/python bench/bench_import.py              # 1,000,000 rows
    .venv/bin/python bench/bench_import.py --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Section, machine

from sitrep.importing import import_file

_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
    "source,source_scale,notes,fatalities,tags,timestamp"
)
HEADER = _HEADER.split(",")
TYPES = [("Battles", "Armed clash"), ("Violence against civilians", "Attack"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
         ("Protests", "Peaceful protest"), ("Riots", "Mob violence"),
         ("Strategic developments", "Looting/property destruction")]
PLACES = [("Mali", "Mopti", "Douentza", "Boulkessi", 14.79, -1.3),
          ("Niger", "Tillaberi", "Ayorou", "Tangouchmane", 15.07, 1.17),
          ("Burkina Faso", "Sahel", "Soum", "Djibo", 14.1, -1.63)]  # fmt: skip


def write_rows(path: Path, rows: int) -> None:
    """``rows`` ACLED rows, reproducibly random."""
    rng = random.Random(11)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for n in range(rows):
            kind, sub = rng.choice(TYPES)
            country, adm1, adm2, loc, lat, lon = rng.choice(PLACES)
            day = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.writerow([
                f"X{n}", day, day[:4], rng.choice("1112"), "Political violence", kind, sub,
                "JNIM: Group for Support of Islam and Muslims", "", 2,
                "Military Forces of Mali (2021-)", "", 1, 12, "", 466, "Western Africa",
                country, adm1, adm2, "", loc, lat + rng.random() / 10, lon, 1,
                "Reuters; AFP; Studio Tamani", "International",
                f"On {day}, militants attacked a position near {loc}; several people died.",
                rng.randint(0, 40), "", 1748563200,
            ])  # fmt: skip


def main() -> None:
    """Generate, import, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "acled.csv"
        write_rows(source, args.rows)
        size = source.stat().st_size / 1e6
        with Section("import") as s:
            summary = import_file("acled", str(source), Path(tmp) / "imports")
        assert summary.records == args.rows and not summary.problems
        out = summary.written.stat().st_size / 1e6
    print(f"ACLED CSV: {args.rows:,} rows, {size:.0f} MB -> JSONL {out:.0f} MB")
    print(f"import: {s.seconds:.1f} s wall, {s.cpu:.1f} s CPU, {args.rows / s.seconds:,.0f} rows/s")
    print(f"memory: {s.before:.0f} MB before, peak {s.peak:.0f} MB "
          f"({s.peak - s.before:.0f} MB for the import{'' if s.reset else ', peak since start'})")


if __name__ == "__main__":
    main()
