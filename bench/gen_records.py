"""Deterministic synthetic incident records for the benchmarks.

The records look like an analysts' dataset for Mali, Burkina Faso and Niger: real place
names with jittered coordinates, 1-4 sources, 0-6 claims with mixed stances and count
wordings ("more than 30", "dozens", null), revisions, same-day contradictions, joint
figures (``covers``) and duplicates of the same event coded by a "second analyst" under
another spelling, so that merging has work to do. They are invented: no figure in them
is a fact.

    python bench/gen_records.py 100000 --out /tmp/recs --format jsonl
    python bench/gen_records.py 20000 --out /tmp/recs-yaml --format yaml --per-file 200

As a library: ``generate(n, seed=0)`` yields plain dicts in the record format
(docs/records.md), in date order; the same ``n`` and ``seed`` always give the same
records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

# country -> (places, official speakers, targets)
# place: (location, admin1, admin2, latitude, longitude, other spellings)
PLACES: dict[str, list[tuple[str, str, str, float, float, tuple[str, ...]]]] = {
    "MLI": [
        ("Boulkessi", "Mopti", "Douentza", 14.79, -1.30, ("Boulikessi",)),
        ("Timbuktu", "Timbuktu", "Timbuktu", 16.77, -3.01, ("Tombouctou",)),
        ("Gao", "Gao", "Gao", 16.27, -0.04, ()),
        ("Ménaka", "Ménaka", "Ménaka", 15.92, 2.40, ("Menaka",)),
        ("Mopti", "Mopti", "Mopti", 14.49, -4.20, ()),
        ("Sévaré", "Mopti", "Mopti", 14.53, -4.10, ("Sevare",)),
        ("Djenné", "Mopti", "Djenné", 13.91, -4.55, ("Djenne",)),
        ("Ségou", "Ségou", "Ségou", 13.44, -6.26, ("Segou",)),
        ("Niono", "Ségou", "Niono", 14.25, -5.99, ()),
        ("Diafarabé", "Mopti", "Ténenkou", 14.15, -4.98, ("Diafarabe",)),
        ("Dioura", "Mopti", "Ténenkou", 14.83, -5.33, ()),
        ("Léré", "Timbuktu", "Niafunké", 15.72, -4.91, ("Lere",)),
        ("Nampala", "Ségou", "Niono", 15.28, -5.56, ()),
        ("Kidal", "Kidal", "Kidal", 18.44, 1.41, ()),
        ("Tessalit", "Kidal", "Tessalit", 20.20, 1.01, ()),
        ("Koro", "Mopti", "Koro", 14.07, -3.08, ()),
        ("Bandiagara", "Mopti", "Bandiagara", 14.35, -3.61, ()),
        ("Bankass", "Mopti", "Bankass", 14.08, -3.52, ()),
        ("Douentza", "Mopti", "Douentza", 15.00, -2.95, ()),
        ("Hombori", "Mopti", "Douentza", 15.28, -1.70, ()),
        ("Sirakorola", "Koulikoro", "Koulikoro", 13.61, -7.19, ()),
        ("Kati", "Koulikoro", "Kati", 12.74, -8.07, ()),
        ("Ansongo", "Gao", "Ansongo", 15.66, 0.50, ()),
        ("Tessit", "Gao", "Ansongo", 15.20, 0.30, ()),
    ],
    "BFA": [
        ("Djibo", "Sahel", "Soum", 14.10, -1.63, ()),
        ("Arbinda", "Sahel", "Soum", 14.23, -0.87, ()),
        ("Dori", "Sahel", "Séno", 14.03, -0.03, ()),
        ("Gorom-Gorom", "Sahel", "Oudalan", 14.44, -0.23, ("Gorom Gorom",)),
        ("Sebba", "Sahel", "Yagha", 13.44, 0.53, ()),
        ("Seytenga", "Sahel", "Séno", 14.38, 0.39, ()),
        ("Fada N'Gourma", "Est", "Gourma", 12.06, 0.36, ("Fada Ngourma", "Fada")),
        ("Diapaga", "Est", "Tapoa", 12.07, 1.79, ()),
        ("Pama", "Est", "Kompienga", 11.25, 0.70, ()),
        ("Kaya", "Centre-Nord", "Sanmatenga", 13.09, -1.08, ()),
        ("Barsalogho", "Centre-Nord", "Sanmatenga", 13.42, -1.06, ()),
        ("Bourzanga", "Centre-Nord", "Bam", 13.68, -1.55, ()),
        ("Ouahigouya", "Nord", "Yatenga", 13.58, -2.42, ()),
        ("Titao", "Nord", "Loroum", 13.77, -2.07, ()),
        ("Tougan", "Boucle du Mouhoun", "Sourou", 13.07, -3.07, ()),
        ("Solenzo", "Boucle du Mouhoun", "Banwa", 12.18, -4.08, ()),
    ],
    "NER": [
        ("Tillabéri", "Tillabéri", "Tillabéri", 14.21, 1.45, ("Tillaberi", "Tilaberi")),
        ("Ouallam", "Tillabéri", "Ouallam", 14.32, 2.09, ()),
        ("Ayorou", "Tillabéri", "Tillabéri", 14.73, 0.92, ()),
        ("Banibangou", "Tillabéri", "Banibangou", 15.04, 2.70, ()),
        ("Téra", "Tillabéri", "Téra", 14.01, 0.75, ("Tera",)),
        ("Torodi", "Tillabéri", "Torodi", 13.11, 1.80, ()),
        ("Makalondi", "Tillabéri", "Torodi", 12.83, 1.68, ()),
        ("Abala", "Tillabéri", "Abala", 14.93, 3.43, ()),
        ("Filingué", "Tillabéri", "Filingué", 14.35, 3.32, ("Filingue",)),
        ("Tahoua", "Tahoua", "Tahoua", 14.89, 5.27, ()),
        ("Tassara", "Tahoua", "Tassara", 16.82, 5.60, ()),
        ("Dosso", "Dosso", "Dosso", 13.05, 3.19, ()),
        ("Diffa", "Diffa", "Diffa", 13.32, 12.61, ()),
        ("Bosso", "Diffa", "Bosso", 13.70, 13.31, ()),
    ],
}

OFFICIAL = {
    "MLI": ("FAMa", "Malian government", "Malian army spokesman"),
    "BFA": ("Burkina Faso army", "Burkina Faso government", "Burkinabe defence ministry"),
    "NER": ("Niger defence ministry", "Niger armed forces", "Niger interior ministry"),
}
FORCES = {"MLI": "FAMa", "BFA": "Burkina Faso armed forces", "NER": "Niger armed forces"}
GROUPS = ("JNIM", "ISSP", "ISWAP")
INDEPENDENT = (
    "two security sources", "a security source", "local officials", "residents",
    "a hospital source", "a humanitarian source", "municipal source", "a local elected official",
    "ClashReport", "the article's own reporting",
)
OUTLETS = (
    ("reuters", "Reuters"), ("afp", "AFP"), ("ap", "AP"), ("al-jazeera", "Al Jazeera"),
    ("trt-world", "TRT World"), ("clashreport", "ClashReport"), ("rfi", "RFI"),
    ("jeune-afrique", "Jeune Afrique"), ("bbc", "BBC"), ("studio-tamani", "Studio Tamani"),
)
SUB_EVENTS = (
    ("battles", "armed_clash"), ("battles", "armed_clash"), ("battles", "armed_clash"),
    ("battles", "non_state_actor_overtakes_territory"),
    ("explosions_remote_violence", "remote_explosive_landmine_ied"),
    ("explosions_remote_violence", "air_drone_strike"),
    ("violence_against_civilians", "attack"), ("violence_against_civilians", "attack"),
    ("violence_against_civilians", "abduction_forced_disappearance"),
    ("strategic_developments", "looting_property_destruction"),
)
# Count wordings, weighted toward exact numbers as in real reporting.
WORDINGS = (
    "{n}", "{n}", "{n}", "{n}", "more than {n}", "at least {n}", "about {n}", "nearly {n}",
    "{n}-{m}", "fewer than {n}", "dozens", "several", "many", "scores", "none", None, None,
)
GROUP_OF_STANCE = {
    "official": ("armed_group", "armed_group", "state_forces", "civilians", "unknown"),
    "claimed": ("state_forces", "state_forces", "civilians", "armed_group"),
    "independent": ("state_forces", "civilians", "armed_group", "unknown"),
}
OUTCOMES = ("killed", "killed", "killed", "killed", "wounded", "wounded", "abducted", "missing")

LAST_DAY = dt.date(2025, 6, 30)
PER_DAY = 30.0


def _count(rng: random.Random) -> str | int | None:
    wording = rng.choice(WORDINGS)
    if wording is None:
        return None
    n = rng.choice((1, 2, 3, 4, 5, 6, 8, 10, 12, 13, 14, 15, 20, 25, 30, 40, 50, 100))
    if wording == "{n}":
        return n
    if wording == "fewer than {n}":
        n = max(n, 2)
    return wording.format(n=n, m=n + rng.choice((2, 5, 10)))


def _claims(
    rng: random.Random, country: str, sources: list[dict[str, Any]], day: dt.date, k: int
) -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = []
    perp = rng.choice(GROUPS)
    for _ in range(k):
        stance = rng.choice(("official", "official", "claimed", "independent", "independent"))
        by = {
            "official": rng.choice(OFFICIAL[country]),
            "claimed": perp,
            "independent": rng.choice(INDEPENDENT),
        }[stance]
        src = rng.choice(sources)
        claim: dict[str, Any] = {
            "source": src["id"],
            "by": by,
            "stance": stance,
            "group": rng.choice(GROUP_OF_STANCE[stance]),
            "outcome": rng.choice(OUTCOMES),
            "count": _count(rng),
        }
        r = rng.random()
        if r < 0.5:
            claim["reported"] = (day + dt.timedelta(days=rng.randrange(4))).isoformat()
        claims.append(claim)
        if r < 0.08 and isinstance(claim["count"], int):  # a revision, days later
            claims.append(
                {**claim, "count": claim["count"] + rng.choice((1, 3, 10)),
                 "reported": (day + dt.timedelta(days=4 + rng.randrange(5))).isoformat()}
            )
        elif r < 0.12 and isinstance(claim["count"], int):  # same day, another outlet
            other = rng.choice(sources)
            claims.append({**claim, "source": other["id"], "count": claim["count"] + 1})
    return claims


def _sources(rng: random.Random, day: dt.date, k: int) -> list[dict[str, Any]]:
    picked = rng.sample(OUTLETS, k)
    out = []
    for sid, name in picked:
        src: dict[str, Any] = {"id": sid, "name": name}
        if rng.random() < 0.7:
            src["published"] = (day + dt.timedelta(days=rng.randrange(3))).isoformat()
        out.append(src)
    return out


def _event(rng: random.Random, seq: int, day: dt.date) -> dict[str, Any]:
    country = rng.choice(("MLI", "MLI", "BFA", "BFA", "NER"))
    place, admin1, admin2, lat, lon, aliases = rng.choice(PLACES[country])
    event_type, sub = rng.choice(SUB_EVENTS)
    precision = rng.choices(("day", "week", "month"), (90, 8, 2))[0]
    sources = _sources(rng, day, rng.choice((1, 1, 2, 2, 3, 4)))
    rec: dict[str, Any] = {
        "id": f"{country.lower()}-{seq:07d}-{day.isoformat()}",
        "date": day.isoformat(),
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
        "location": place,
        "event_type": event_type,
        "sub_event_type": sub,
        "perpetrator": rng.choice(GROUPS),
        "target": FORCES[country],
        "sources": sources,
        "claims": _claims(rng, country, sources, day, rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 6))),
    }
    if precision != "day":
        rec["date_precision"] = precision
    if aliases and rng.random() < 0.5:
        rec["aliases"] = list(aliases)
    if rng.random() < 0.85:
        rec["latitude"] = round(lat + rng.uniform(-0.05, 0.05), 2)
        rec["longitude"] = round(lon + rng.uniform(-0.05, 0.05), 2)
    if rng.random() < 0.3:
        rec["title"] = f"Attack near {place}"
    if rng.random() < 0.1:
        rec["end_date"] = (day + dt.timedelta(days=1)).isoformat()
    return rec


def _duplicate(rng: random.Random, seq: int, of: dict[str, Any]) -> dict[str, Any]:
    """The same event as a second analyst codes it: another id, spelling and sources."""
    country = of["country"]
    place = next(p for p in PLACES[country] if p[0] == of["location"])
    spellings = place[5] or (place[0].upper(), f"{place[0]} town")
    day = dt.date.fromisoformat(of["date"]) + dt.timedelta(days=rng.choice((0, 0, 0, 1)))
    sources = _sources(rng, day, rng.choice((1, 2)))
    dup: dict[str, Any] = {
        "id": f"{country.lower()}-{seq:07d}-{day.isoformat()}-b",
        "date": day.isoformat(),
        "country": {"MLI": "Mali", "BFA": "BF", "NER": "NER"}[country],
        "location": rng.choice(spellings),
        "event_type": of["event_type"],
        "perpetrator": of["perpetrator"],
        "sources": sources,
        "claims": _claims(rng, country, sources, day, rng.choice((1, 2, 3))),
    }
    if "latitude" in of and rng.random() < 0.6:
        dup["latitude"] = round(of["latitude"] + rng.uniform(-0.03, 0.03), 2)
        dup["longitude"] = round(of["longitude"] + rng.uniform(-0.03, 0.03), 2)
    return dup


def generate(
    n: int,
    seed: int = 0,
    end: dt.date = LAST_DAY,
    per_day: float = PER_DAY,
    duplicate_rate: float = 0.1,
    covers_rate: float = 0.02,
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` records in date order, ``per_day`` a day on average, the last on ``end``.

    The density, not ``n``, decides how many records a report window holds: at the default
    30 a day (a busy, multi-analyst Sahel desk, duplicates included), a 30-day window holds
    about 900 records and 1,000,000 records reach back about 91 years.
    """
    rng = random.Random(seed)
    days = max(1, round(n / per_day))
    start = end - dt.timedelta(days=days - 1)
    recent: dict[str, deque[dict[str, Any]]] = {c: deque(maxlen=20) for c in PLACES}
    seq = 0
    while seq < n:
        day = start + dt.timedelta(days=seq * days // n)
        rec = _event(rng, seq, day)
        seq += 1
        pool = recent[rec["country"]]
        if pool and rng.random() < covers_rate:
            claim = next((c for c in rec["claims"] if c["count"] is not None), None)
            if claim is not None:  # one figure for this event and an earlier one
                claim["covers"] = [pool[-1]["id"]]
        pool.append(rec)
        yield rec
        if seq < n and rng.random() < duplicate_rate:
            yield _duplicate(rng, seq, rec)
            seq += 1


def first_day(n: int, end: dt.date = LAST_DAY, per_day: float = PER_DAY) -> dt.date:
    """The date of the first of ``n`` generated records."""
    return end - dt.timedelta(days=max(1, round(n / per_day)) - 1)


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write records one per line; return how many."""
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False))
            f.write("\n")
            n += 1
    return n


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def write_yaml(records: Iterable[dict[str, Any]], folder: Path, per_file: int = 200) -> int:
    """Write records as YAML lists of ``per_file`` records, one file each; return how many."""
    folder.mkdir(parents=True, exist_ok=True)
    n = files = 0
    batch: list[dict[str, Any]] = []
    for rec in [*records, None]:
        if rec is not None:
            batch.append(rec)
            n += 1
        if batch and (rec is None or len(batch) == per_file):
            text = yaml.dump(batch, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
            (folder / f"records-{files:05d}.yaml").write_text(text, encoding="utf-8")
            files += 1
            batch.clear()
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--format", choices=("jsonl", "yaml"), default="jsonl")
    parser.add_argument("--per-file", type=int, default=200, help="records per YAML file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-day", type=float, default=PER_DAY, help="records a day")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    records = generate(args.n, seed=args.seed, per_day=args.per_day)
    if args.format == "jsonl":
        n = write_jsonl(records, args.out / "records.jsonl")
    else:
        n = write_yaml(records, args.out, args.per_file)
    print(f"wrote {n} records to {args.out} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
