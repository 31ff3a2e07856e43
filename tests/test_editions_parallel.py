"""Editions built at once (issue 12): on a process pool or a Dask cluster, each edition once,
the same bytes as built one after another in this process, one edition's error its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitrep.config import Config, RenderConfig
from sitrep.deliver.delivery import Outcome, deliver
from sitrep.deliver.mailers import EmlMailer
from sitrep.deliver.subscribers import Subscriber
from sitrep.errors import RenderError
from sitrep.executors import render_executor
from sitrep.model.edition import Edition
from sitrep.model.report import ReportFilter
from sitrep.pipeline import EditionBuilder, Generated, make_plan
from sitrep.render.environment import shipped_templates

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)
NOW = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)
MALI = Edition(ReportFilter(countries=frozenset({"MLI"})))
EDITIONS = (Edition(), MALI, Edition(language="fr"), Edition(MALI.filter, "fr"))

pytestmark = pytest.mark.slow  # worker processes


def config_for(out: Path, **render: object) -> Config:
    config = Config().with_overrides(data=EXAMPLES, output=out)
    return config.model_copy(update={"render": RenderConfig.model_validate(render)})


def build_all(
    config: Config, formats: list[str], editions: tuple[Edition, ...] = EDITIONS
) -> list[Generated]:
    plan = make_plan(config, start=DAY, formats=formats, editions=editions, now=NOW)
    return EditionBuilder(plan).all()


def published(built: list[Generated]) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for g in built for path in g.public.values()}


def test_the_executor_is_chosen_from_the_render_section() -> None:
    with render_executor(RenderConfig(workers=2), 1) as one:
        assert one is None  # one edition: in this process
    with render_executor(RenderConfig(workers=1), 5) as single:
        assert single is None
    with render_executor(RenderConfig(workers=2), 5) as pool:
        assert pool is not None and pool.submit(sum, [1, 2]).result() == 3


def test_the_process_pool_writes_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    formats = ["md", "html", "json"]
    serial = build_all(config_for(tmp_path / "serial", workers=1), formats)
    pooled = build_all(config_for(tmp_path / "pool", workers=2), formats)
    assert [g.edition for g in pooled] == list(EDITIONS)
    assert [g.report for g in pooled] == [g.report for g in serial]
    files = published(pooled)
    assert len(files) == len(EDITIONS) * len(formats) and files == published(serial)
    # the French editions keep their own files (English words until French exists)
    assert "sitrep-2025-06-02-MLI.fr.json" in files


def test_one_edition_failing_in_a_worker_defers_only_its_subscribers(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    shipped = (shipped_templates() / "report.md.j2").read_text(encoding="utf-8")
    broken = "{% if report.filter.countries %}{{ no_such_value }}{% endif %}"
    (templates / "report.md.j2").write_text(broken + shipped, encoding="utf-8")
    config = config_for(tmp_path / "out", workers=2).with_overrides(templates=templates)
    plan = make_plan(config, start=DAY, now=NOW)
    builder = EditionBuilder(plan)
    subscribers = [
        Subscriber("all@example.org", receive=frozenset({"md"})),
        Subscriber("mali@example.org", receive=frozenset({"md"}), filter=MALI.filter),
        Subscriber("fr@example.org", receive=frozenset({"md"}), language="fr"),
    ]
    mailer = EmlMailer(tmp_path / "outbox")
    result = deliver(config, subscribers, start=DAY, mailer=mailer, ledger=None,
                     build=builder, dry_run=True)  # fmt: skip
    outcomes = {r.recipient: r.outcome for r in result.results}
    assert outcomes["mali@example.org"] is Outcome.DEFERRED
    assert outcomes["all@example.org"] is not Outcome.DEFERRED
    assert outcomes["fr@example.org"] is not Outcome.DEFERRED
    assert result.editions_generated == 2 and len(mailer.written) == 2
    with pytest.raises(RenderError, match="no_such_value"):  # the error stays that edition's
        EditionBuilder(plan, pdf_renderer=None)(MALI, ["md"])


@pytest.mark.pdf
@pytest.mark.timeout(300)
def test_a_dask_local_cluster_writes_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    formats = ["md", "pdf", "html", "json"]
    editions = EDITIONS[:2]
    serial = build_all(config_for(tmp_path / "serial", workers=1), formats, editions)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:  # fmt: skip
        config = config_for(tmp_path / "dask", scheduler=cluster.scheduler_address)
        on_cluster = build_all(config, formats, editions)
    assert [g.report for g in on_cluster] == [g.report for g in serial]
    files = published(on_cluster)
    assert len(files) == len(editions) * len(formats) and files == published(serial)
