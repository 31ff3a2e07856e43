"""The pipeline as a whole: nothing is written until every output is ready, and each file
is written atomically, so a failed run leaves the previous report as it was."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sitrep.config import Config, load_config
from sitrep.errors import ConfigError, OutputError, RenderError, UsageError
from sitrep.ingest.raw import Window
from sitrep.model.edition import Edition
from sitrep.model.report import ReportFilter
from sitrep.pipeline import EditionBuilder, generate, make_plan
from sitrep.project import init_project
from sitrep.render.formats import FORMATS
from sitrep.store import LoadResult, open_store
from sitrep.writers import write_atomic

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)


class BrokenPdf:
    """A PDF renderer that fails, as WeasyPrint would on a broken template."""

    def render(self, html: str, attachments: Sequence[object] = ()) -> bytes:
        raise RenderError("the PDF engine failed (test)")


def config_for(out: Path) -> Config:
    return Config().with_overrides(data=EXAMPLES, output=out)


def visible(out: Path) -> dict[str, bytes]:
    """The files of the output folder (its published links) and everything under .sets."""
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_a_failed_render_writes_nothing_and_keeps_the_previous_report(tmp_path: Path) -> None:
    out = tmp_path / "output"
    first = generate(config_for(out), start=DAY, formats=["json", "md"])
    before = visible(out)
    assert set(first.files) == {"json", "md"}
    with pytest.raises(RenderError):
        generate(config_for(out), start=DAY, formats=["json", "md", "pdf"],
                 pdf_renderer=BrokenPdf())
    after = visible(out)
    assert after == before  # no PDF, no temporary file, the Markdown and JSON untouched


def test_write_atomic_leaves_no_partial_file_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sitrep-2025-06-02.pdf"
    target.write_bytes(b"%PDF-1.7 the previous report")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"%PDF-1.7 half of the new one")
    assert target.read_bytes() == b"%PDF-1.7 the previous report"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_reports_are_readable_by_others(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "r.md", "# report\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


class CountingStore:
    """The example folder, counting its loads."""

    def __init__(self) -> None:
        self.store = open_store(Config(), EXAMPLES)
        self.loads = 0

    def load(self, window: Window | None = None) -> LoadResult:
        self.loads += 1
        return self.store.load(window)


def test_every_edition_is_built_from_one_load_and_one_merge(tmp_path: Path) -> None:
    config = config_for(tmp_path / "output")
    mali = Edition(ReportFilter(countries=frozenset({"MLI"})))
    plan = make_plan(config, start=DAY, formats=["json"], editions=[Edition(), mali])
    store = CountingStore()
    builder = EditionBuilder(plan, store=store)
    everything, mali_only = builder.all()
    assert store.loads == 1 and builder.merged() is builder.merged()
    assert [p.name for p in everything.files.values()] == ["sitrep-2025-06-02.json"]
    assert [p.name for p in mali_only.files.values()] == ["sitrep-2025-06-02-MLI.json"]
    assert everything.report.generated_at == mali_only.report.generated_at  # planned once
    assert mali_only.report.key_figures.countries == ["MLI"]
    # Issue 8 point 1: key figures name only the countries of the period's incidents and
    # new information (Mali on 2 June); Niger and Burkina Faso's restated figures stay in
    # the unfiltered edition's log.
    assert {i.country for i in everything.report.incidents} >= {"MLI", "NER", "BFA"}
    assert {i.country for i in mali_only.report.incidents} == {"MLI"}
    # the same report as one edition built on its own
    alone = generate(config, start=DAY, filters=mali.filter, formats=["json"],
                     now=plan.generated_at)  # fmt: skip
    assert alone.report == mali_only.report


def test_the_format_registry_checks_the_configured_formats(tmp_path: Path) -> None:
    config = config_for(tmp_path / "output").with_overrides(formats=["md", "docx"])
    with pytest.raises(ConfigError, match=r"report\.formats: unknown format\(s\) docx"):
        make_plan(config, start=DAY)
    with pytest.raises(UsageError, match=r"--format: unknown format\(s\) odt \(expected: md,"):
        generate(config, start=DAY, formats=["odt"])
    assert make_plan(config, start=DAY, formats=["json"]).formats == ("json",)
    assert not (tmp_path / "output").exists()


def test_the_report_language_must_have_wording() -> None:
    config = Config().with_overrides(language="de")  # fr has wording now
    with pytest.raises(ConfigError, match=r"report\.language = 'de': the report has no wording"):
        make_plan(config, start=DAY)


def test_the_config_template_lists_the_registry(tmp_path: Path) -> None:
    config = load_config(init_project(tmp_path / "p", example=False)[0])
    assert config.report.formats == list(FORMATS)
    assert config.report.language == "en"


def test_stages_pause_the_garbage_collector(tmp_path: Path) -> None:
    """Merge and summarise run with the cyclic collector paused (collector.py), which is
    on again afterwards, and left off when the caller had paused it."""
    import gc

    from sitrep.collector import collector_paused
    from sitrep.pipeline import stages

    seen: list[bool] = []
    real = stages.summarise

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    stages.summarise = spy  # type: ignore[assignment]
    try:
        assert gc.isenabled()
        generate(config_for(tmp_path / "output"), start=DAY, formats=["json"])
        assert seen == [False] and gc.isenabled()
        gc.disable()
        try:
            collector_paused(lambda: None)()
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        stages.summarise = real  # type: ignore[assignment]


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_what_a_paused_stage_leaves_alive_is_old_and_its_cycles_are_still_freed() -> None:
    """The objects a paused stage returns are in the collector's oldest generation (the
    next young collection does not walk them), and the cycles it left behind are freed
    at the next full collection: nothing leaks."""
    import gc

    from sitrep.collector import collector_paused

    def stage() -> list[_Node]:
        for _ in range(500):  # garbage cycles, found only by the collector
            a, b = _Node(), _Node()
            a.other, b.other = b, a
        return [_Node() for _ in range(5000)]

    gc.collect()
    kept = collector_paused(stage)()
    assert gc.isenabled() and gc.get_count()[0] < 700
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert not any(id(node) in young for node in kept)
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(node) in oldest for node in kept)
    assert gc.collect() >= 1000  # the 500 pairs
    assert gc.get_freeze_count() == 0
