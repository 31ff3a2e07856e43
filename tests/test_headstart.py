"""The chart and PDF workers of a run (sitrep.headstart): what they make is what this
process would make, a dead worker means the work is done here, and a run starts only the
workers its formats need."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

import pytest
from factories import sahel_report

import sitrep.headstart
from sitrep.errors import RenderError
from sitrep.headstart import EarlyCharts, EarlyPdf, HeadStart, begin, forking
from sitrep.render.charts import draw_charts
from sitrep.render.pdf import PdfAttachment, WeasyPrintRenderer, pdf_folders

pytestmark = pytest.mark.skipif(not forking(), reason="needs fork and two cores")

HTML = """<!doctype html><html lang="en"><head><title>Head start</title>
<meta name="dcterms.created" content="2025-06-02T10:00:00Z"></head>
<body><h1>Killed: at least 31</h1><p>Reported by FAMa, 2 June 2025.</p></body></html>"""
ATTACHED = [PdfAttachment("data.json", b'{"killed": 31}', "the data",
                          dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC))]  # fmt: skip


def _kill(pids: list[int]) -> None:
    assert pids
    for pid in pids:
        os.kill(pid, signal.SIGKILL)


def test_the_chart_worker_draws_the_charts_this_process_would() -> None:
    report = sahel_report()
    with HeadStart() as early:
        early.fit(["md"])
        assert early.charts is not None and early.pdf is None
        charts = list(early.charts.draw(report))
    assert charts == draw_charts(report)
    assert {"casualties", "map"} <= {c.name for c in charts}


def test_a_dead_chart_worker_means_the_charts_are_drawn_here() -> None:
    report = sahel_report()
    with HeadStart() as early:
        early.fit(["html"])
        assert early.charts is not None
        early.charts.ready.result(timeout=60)  # the worker is up
        _kill(early.charts.pids())
        charts = list(early.charts.draw(report))
    assert charts == draw_charts(report)


def _map_drawer(kill: bool) -> int | None:
    """In the chart worker: the pid of its map drawer (killed first if ``kill``)."""
    drawer = sitrep.headstart._MAP
    if drawer is None:
        return None
    if kill:
        os.kill(drawer.pid, signal.SIGKILL)
    return drawer.pid


@pytest.mark.parametrize("kill", [False, True])
def test_the_map_is_drawn_beside_the_other_charts_or_by_the_worker(kill: bool) -> None:
    """The prepared chart worker forks a process that draws the map while it draws the
    other two charts; if that process is gone, the worker draws the map: the same charts
    either way."""
    report = sahel_report()
    with HeadStart() as early:
        early.fit(["md"])
        assert early.charts is not None
        early.charts.ready.result(timeout=60)
        pid = early.charts.submit(_map_drawer, kill).result(timeout=60)
        assert pid is not None and pid not in early.charts.pids() and pid != os.getpid()
        charts = list(early.charts.draw(report))
        assert early.charts.submit(_map_drawer, False).result(timeout=60) is None  # used
    assert charts == draw_charts(report)
    assert [c.name for c in charts] == [c.name for c in draw_charts(report)]


def test_a_stopped_chart_worker_takes_its_map_drawer_along() -> None:
    with HeadStart() as early:
        early.fit(["md"])
        assert early.charts is not None
        early.charts.ready.result(timeout=60)
        pid = early.charts.submit(_map_drawer, False).result(timeout=60)
        assert pid is not None
        early.charts.stop()  # terminated, as a failed run stops it
        early.charts = None
    with pytest.raises(ProcessLookupError):  # reaped by the worker: not even a zombie
        os.kill(pid, 0)


def test_the_pdf_worker_makes_the_pdf_this_process_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748930400")  # before the fork
    folders = pdf_folders(None)
    with HeadStart(pdf=True) as early:
        assert early.pdf is not None and early.charts is None
        pdf = early.pdf.renderer(folders).render(HTML, ATTACHED)
    assert pdf.startswith(b"%PDF-")
    assert pdf == WeasyPrintRenderer(folders).render(HTML, ATTACHED)


def test_a_dead_pdf_worker_means_the_pdf_is_rendered_here(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748930400")
    folders = pdf_folders(None)
    with HeadStart(pdf=True) as early:
        assert early.pdf is not None
        early.pdf.ready.result(timeout=60)
        _kill(early.pdf.pids())
        pdf = early.pdf.renderer(folders).render(HTML, ATTACHED)
    assert pdf == WeasyPrintRenderer(folders).render(HTML, ATTACHED)
    assert "the PDF process stopped; rendering the PDF in this process" in caplog.text


def test_a_pdf_the_worker_cannot_make_is_a_render_error() -> None:
    with HeadStart(pdf=True) as early:
        assert early.pdf is not None
        renderer = early.pdf.renderer(pdf_folders(None))
        with pytest.raises(RenderError, match="the PDF could not be made: TypeError"):
            renderer.render(None, ATTACHED)  # type: ignore[arg-type]


def _gone(pids: list[int]) -> bool:
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        return False
    return True


def test_a_run_keeps_only_the_workers_its_formats_need() -> None:
    with begin(None) as early:  # the formats are not known yet: all may be needed
        assert early.pdf is not None and early.charts is not None
        pids = early.pdf.pids()
        assert pids
        early.fit(["md", "json"])
        assert early.pdf is None and early.charts is not None
        assert _gone(pids)  # ended at once, not left importing WeasyPrint
    with begin(["md"]) as early:
        assert early.pdf is None and early.charts is not None
        pids = early.charts.pids()
        early.fit(["json"])  # e.g. the configured formats
        assert early.charts is None and _gone(pids)
    with begin(["json"]) as early:
        assert early.pdf is None and early.charts is None
    with begin(["pdf"]) as early:
        early.fit(["pdf"], pdf=False)  # a renderer was given (a test double): no worker
        assert early.pdf is None and early.charts is not None
    with HeadStart() as early:  # a library call: the chart worker once the formats are known
        early.fit(["html", "json"])
        assert early.pdf is None and early.charts is not None


def test_generate_with_the_workers_writes_what_it_writes_without(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748930400")  # the same bytes, PDF included
    project = tmp_path / "project"  # a table of 2: the chart shows the 2 that matter most
    project.mkdir()
    (project / "sitrep.toml").write_text("[report]\nfigures_table_limit = 2\n", encoding="utf-8")

    def run(out: Path) -> dict[str, bytes]:
        argv = ["-q", "generate", "--config", str(project), "--data", str(examples_dir),
                "--date", "2025-05-27", "--period", "7d", "--format", "md,pdf,json",
                "--out", str(out)]  # fmt: skip
        assert main(argv) == 0
        return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}

    started: list[str] = []
    for kind in (EarlyCharts, EarlyPdf):
        init = kind.__init__

        def counted(self: EarlyCharts | EarlyPdf, init=init, **options: bool) -> None:  # type: ignore[no-untyped-def]
            started.append(type(self).__name__)
            init(self, **options)

        monkeypatch.setattr(kind, "__init__", counted)
    early = run(tmp_path / "early")
    assert sorted(started) == ["EarlyCharts", "EarlyPdf"]
    monkeypatch.setattr(sitrep.headstart, "forking", lambda: False)
    here = run(tmp_path / "here")
    assert len(started) == 2
    assert early.keys() == here.keys()
    assert {n.rsplit(".", 1)[-1] for n in early} >= {"md", "pdf", "json", "svg", "csv"}
    for name in early:
        assert early[name] == here[name], name


def test_a_failed_run_ends_its_workers_without_waiting_for_them(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sitrep.cli import main

    ended: list[tuple[str, str]] = []
    pids: list[int] = []
    begin_ = sitrep.headstart.begin

    def recorded(formats: list[str] | None) -> HeadStart:
        early = begin_(formats)
        pids.extend(pid for w in (early.pdf, early.charts) if w for pid in w.pids())
        return early

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sitrep.headstart, "begin", recorded)
        for how in ("stop", "close"):
            method = getattr(sitrep.headstart._Worker, how)

            def record(self: sitrep.headstart._Worker, how=how, method=method) -> None:  # type: ignore[no-untyped-def]
                ended.append((type(self).__name__, how))
                method(self)

            patch.setattr(sitrep.headstart._Worker, how, record)
        code = main(["-q", "generate", "--data", str(tmp_path / "no-such-folder"),
                     "--date", "2025-06-02", "--out", str(tmp_path / "out")])  # fmt: skip
    assert code == 1 and "no such folder" in capsys.readouterr().err
    assert sorted(ended) == [("EarlyCharts", "stop"), ("EarlyPdf", "stop")]  # not waited for
    assert len(pids) == 2 and _gone(pids)


def test_a_waiting_pdf_worker_imports_only_when_told() -> None:
    import weasyprint  # noqa: F401  (already imported here: the worker's import is instant)

    pdf = EarlyPdf(wait=True)
    try:
        with pytest.raises(TimeoutError):
            pdf.ready.result(timeout=2)
        pdf.start()
        pdf.ready.result(timeout=30)
    finally:
        pdf.close()


@pytest.mark.parametrize("busy", [False, True])
def test_on_a_busy_machine_the_pdf_worker_waits_for_the_chart_workers_fork(
    busy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    init = EarlyPdf.__init__

    def recorded(self: EarlyPdf, *, wait: bool = False) -> None:
        asked.append(wait)
        init(self, wait=wait)

    monkeypatch.setattr(sitrep.headstart, "_busy", lambda: busy)
    monkeypatch.setattr(EarlyPdf, "__init__", recorded)
    with begin(None) as early:
        assert asked == [busy]
        assert early.pdf is not None and early.charts is not None  # forked: told to begin
        early.pdf.ready.result(timeout=60)
