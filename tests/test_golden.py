"""Golden files: the example report for 2 June 2025 in Markdown, HTML and JSON.

After an intended change in the output, regenerate them with ``make golden``
(``SITREP_UPDATE_GOLDEN=1 pytest tests/test_golden.py``) and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
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
