"""Golden files: the example report for 2 June 2025 in Markdown, HTML and JSON.

After an intended change in the output, regenerate them with ``make golden``
(``SITREP_UPDATE_GOLDEN=1 pytest tests/test_golden.py``) and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from sitrep import render
from sitrep.config import load_config
from sitrep.pipeline import build_report, data_window, load

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = ROOT / "examples" / "sahel-2025-06"
GENERATED_AT = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)
UPDATE = os.environ.get("SITREP_UPDATE_GOLDEN") == "1"


def _outputs(tmp_path: Path) -> dict[str, str]:
    config = load_config(tmp_path).with_overrides(data=EXAMPLE)
    day = dt.date(2025, 6, 2)
    loaded = load(config, window=data_window(config, day, day))  # as `sitrep generate` does
    report = build_report(config, start=day, end=day, loaded=loaded, now=GENERATED_AT)
    from sitrep.render.charts import draw_charts

    charts = draw_charts(report)
    return {
        "sitrep-2025-06-02.md": render.render_markdown(report, charts, stem="sitrep-2025-06-02"),
        "sitrep-2025-06-02.html": render.render_html(report, charts),
        "sitrep-2025-06-02.json": render.render_json(report),
    }


@pytest.mark.parametrize("name", ["sitrep-2025-06-02.md", "sitrep-2025-06-02.html",
                                  "sitrep-2025-06-02.json"])
def test_golden(name: str, tmp_path: Path) -> None:
    actual = _outputs(tmp_path)[name]
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run `make golden`"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from the golden file: review, then `make golden`"


def test_the_many_dead_of_unknown_group_print_no_number(tmp_path: Path) -> None:
    """Boulkessi's "many dead" of unknown group is the only figure of its row: no floor, so
    no 1 anywhere (nobody said 1), and the municipal source's words are what is shown."""
    outputs = _outputs(tmp_path)
    md = outputs["sitrep-2025-06-02.md"]
    [table_row] = [line for line in md.splitlines()
                   if line.startswith("| Boulkessi, 1 Jun | Group unknown killed |")]  # fmt: skip
    cells = [c.strip() for c in table_row.strip("|").split("|")]
    assert cells[4] == r"many (municipal source in Mondoro) \[6\]"
    assert cells[5:8] == ["—", "—", "open"]  # low, best, high: no number
    [log_line] = [line for line in md.splitlines() if line.startswith("- **Group unknown killed**")]
    assert not re.search(r"\b1\+?(?![\d\]])", log_line.replace(r"\[6\]", "")), log_line
    assert "no low or best (vague figures only) · high open" in log_line
    assert "group unknown killed" not in md.split("### New information on earlier incidents")[1]
    assert "group unknown: 1" not in md and not re.search(r"(?<!\d)1\+ now", md)
    assert "municipal source in Mondoro said many people were killed" in md

    data = json.loads(outputs["sitrep-2025-06-02.json"])
    [row] = [r for i in data["incidents"] if i["location"] == "Boulkessi"
             for r in i["figures"] if r["group"] == "unknown"]  # fmt: skip
    assert (row["low"], row["best"], row["high"], row["high_open"]) == (None, None, None, True)
    assert row["derivation"]["rule"] == "no_floor"
    changes = data["key_figures"]["new_information"]
    assert [c["group"] for c in changes] == ["state_forces"]


def test_the_french_edition_prints_no_number_for_many_dead(tmp_path: Path) -> None:
    config = load_config(tmp_path).with_overrides(data=EXAMPLE)
    day = dt.date(2025, 6, 2)
    loaded = load(config, window=data_window(config, day, day))
    report = build_report(config, start=day, end=day, loaded=loaded, now=GENERATED_AT)
    md = render.render_markdown(report.model_copy(update={"language": "fr"}), [], stem="x")
    [table_row] = [line for line in md.splitlines()
                   if line.startswith("| Boulkessi, 1er juin | Inconnus tués |")]  # fmt: skip
    cells = [c.strip() for c in table_row.strip("|").split("|")]
    assert cells[5:8] == ["—", "—", "ouvert"]
    assert "ni bas ni meilleur (chiffres vagues seulement) · haut ouvert" in md
    assert not re.search(r"(?<!\d)1\+ maintenant", md)
    assert "selon municipal source in Mondoro, de nombreuses personnes ont été tuées" in md
