"""A bounded, derandomized fuzz of the loader through ``sitrep validate`` (issue 13): a few
hundred hostile data files, each must give exit code 0, 1 or 2, no traceback, and only
problem lines that name the file. The same seed gives the same files on every run."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from sitrep.cli import main

CASES = 320
SEED = 13

RECORD = {
    "id": "mli-fuzz-2025-06-01",
    "date": "2025-06-01",
    "end_date": "2025-06-02",
    "country": "MLI",
    "location": "Boulkessi",
    "latitude": 14.79,
    "longitude": -1.3,
    "event_type": "battles",
    "tags": ["base"],
    "sources": [{"id": "s1", "name": "Reuters", "url": "https://example.org/a",
                 "published": "2025-06-02"}],
    "claims": [{"source": "s1", "by": "FAMa", "stance": "official", "group": "state_forces",
                "outcome": "killed", "count": "more than 30", "covers": []}],
}
YAML_RECORD = """\
id: mli-fuzz-2025-06-01
date: 2025-06-01
country: MLI
location: Boulkessi
latitude: 14.79
longitude: -1.30
event_type: battles
sources:
  - id: s1
    name: Reuters
    url: https://example.org/a
claims:
  - source: s1
    by: FAMa
    stance: official
    group: state_forces
    outcome: killed
    count: more than 30
"""
HOSTILE = [
    "", " ", "\x00", "\x07", "\x1b[2J\x1b[31m", "\u202e", "a\nb", "a\r\nb", "\t", "é" * 60,
    "x" * 20_000, "9" * 5000, "9" * 400, "10000000000000000000", "-1", "1e999", ".nan",
    "2025-02-30", "2025-06-31", "0001-01-01", "9999-12-31", "2025-W23-1", "20250602",
    "yes", "null", "~", "[]", "{}", "*a", "&a [1, *a]", "!!python/object/apply:os.system [id]",
    ">30", "|", "'", '"', "{{", "[[[[[", "- - -", "? [a]", ": ", "#", "%YAML 1.1", "---",
    "...", "\ufeff", "\u2028", "https://a b", "http://[::1", "$\\foo$", "<script>", "&amp;",
    '"\\ud800"', "1_000", "0x1F", "0o17", "1:2:3", "!!binary AAAA", "<<: *a",
]
SUFFIXES = [".yaml", ".yml", ".json", ".jsonl", ".yaml.bak", ".YAML"]


def _base(rng: random.Random, suffix: str) -> str:
    if suffix == ".json":
        value = RECORD if rng.random() < 0.5 else [RECORD, RECORD]
        return json.dumps(value, indent=rng.choice([None, 1]))
    if suffix == ".jsonl":
        return "".join(json.dumps({**RECORD, "id": f"r{i}"}) + "\n" for i in range(3))
    return YAML_RECORD


def _mutate(rng: random.Random, text: str) -> bytes:
    """One to three random mutations of a valid file."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(8)
        lines = text.split("\n")
        at = rng.randrange(len(lines))
        value = rng.choice(HOSTILE)
        if kind == 0 and ": " in lines[at]:  # a value replaced
            key = lines[at].split(": ", 1)[0]
            lines[at] = f"{key}: {value}"
        elif kind == 1:  # a hostile line inserted
            lines.insert(at, rng.choice(["", "  ", "- "]) + value)
        elif kind == 2:  # a key replaced
            lines[at] = value + lines[at][lines[at].find(":"):]
        elif kind == 3:  # deep nesting
            depth = rng.choice([50, 63, 65, 200, 999, 1001, 3000])
            opener, closer = rng.choice([("[", "]"), ('{"a": ', "}")])
            lines.insert(at, "tags: " + opener * depth + "1" + closer * depth)
        elif kind == 4:  # truncated
            text = text[: rng.randrange(len(text) + 1)]
            continue
        elif kind == 5:  # an alias bomb used as a value
            bomb = ["b0: &b0 [" + ", ".join(["x"] * 30) + "]"] + [
                f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 30) + "]" for i in range(1, 8)
            ]
            lines = [*bomb, rng.choice(["country", "event_type", "id", "date", "count"]) + ": *b7"]
        elif kind == 6:  # a JSON string value replaced, escaped as JSON
            lines[at] = lines[at].replace('"Boulkessi"', json.dumps(value))
        text = "\n".join(lines)
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.15:  # raw bytes: a flipped byte, or a byte order mark
        pos = rng.randrange(len(data) + 1)
        data = data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1 :]
    if rng.random() < 0.05:
        data = b"\xef\xbb\xbf" + data
    return data


def test_hostile_files_give_problems_never_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(SEED)
    codes: dict[int, int] = {}
    for case in range(CASES):
        folder = tmp_path / f"case-{case:03d}"
        folder.mkdir()
        suffix = rng.choice(SUFFIXES)
        path = folder / f"data{suffix}"
        path.write_bytes(_mutate(rng, _base(rng, suffix)))
        code = main(["validate", str(folder)])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), (case, code, err)
        codes[code] = codes.get(code, 0) + 1
        assert "Traceback" not in out + err, (case, err)
        for line in out.splitlines():
            assert line.startswith(f"{path}:") or line.startswith(f"{path}: "), (case, line)
            assert line.isprintable(), (case, line)
        if suffix == ".yaml.bak":  # left out, with a note, and nothing to fail
            assert code == 0
    assert codes.get(1, 0) > CASES // 2  # most mutations do break the file
