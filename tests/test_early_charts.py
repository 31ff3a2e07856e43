"""Charts drawn in a process of their own while the run goes on (sitrep.pipeline.early)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from factories import sahel_report

from sitrep.pipeline.early import EarlyCharts
from sitrep.render.charts import draw_charts

pytestmark = pytest.mark.skipif(not EarlyCharts.wanted(), reason="needs fork and two cores")


def test_the_worker_draws_the_charts_this_process_would() -> None:
    report = sahel_report()
    with EarlyCharts() as early:
        charts = early.result(early.submit(report), report)
    assert charts == draw_charts(report)
    assert {"casualties", "map"} <= {c.name for c in charts}


def test_a_dead_worker_means_the_charts_are_drawn_here() -> None:
    report = sahel_report()
    with EarlyCharts() as early:
        early._ready.result(timeout=60)  # the worker is up
        for pid in list(early._pool._processes):  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
        charts = early.result(early.submit(report), report)
    assert charts == draw_charts(report)


def test_generate_with_the_chart_process_writes_what_it_writes_without(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.cli import main

    project = tmp_path / "project"  # a table of 2: the chart shows the 2 that matter most
    project.mkdir()
    (project / "sitrep.toml").write_text("[report]\nfigures_table_limit = 2\n", encoding="utf-8")

    def run(out: Path) -> dict[str, bytes]:
        argv = ["-q", "generate", "--config", str(project), "--data", str(examples_dir),
                "--date", "2025-05-27", "--period", "7d", "--format", "md,json",
                "--out", str(out)]  # fmt: skip
        assert main(argv) == 0
        return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}

    started: list[EarlyCharts] = []
    init = EarlyCharts.__init__

    def counted(self: EarlyCharts) -> None:
        started.append(self)
        init(self)

    monkeypatch.setattr(EarlyCharts, "__init__", counted)
    early = run(tmp_path / "early")
    assert len(started) == 1
    monkeypatch.setattr(EarlyCharts, "wanted", staticmethod(lambda: False))
    here = run(tmp_path / "here")
    assert len(started) == 1
    assert early.keys() == here.keys() and any(n.endswith(".svg") for n in early)
    for name in early:
        if not name.endswith(".json"):  # the JSON says when it was generated
            assert early[name] == here[name], name
