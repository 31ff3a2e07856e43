"""The database store from the command line: ``import records``, the example report built
from the store (byte for byte the golden files), ``export --records``, ``history``,
``store upgrade``, ``generate --as-of``, and the ``[store]`` configuration."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from pg import PASSWORD, Cluster, pg_cluster

from sitrep import render
from sitrep.cli import main
from sitrep.config import load_config
from sitrep.errors import ConfigError
from sitrep.pipeline import build_report, data_window, load
from sitrep.store.database import head_revision, make_engine, upgrade
from sitrep.store.open import open_database, open_store

__all__ = ["pg_cluster"]  # the session fixture, imported for pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sahel-2025-06"
GOLDEN = Path(__file__).parent / "golden"
GENERATED_AT = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)
DAY = dt.date(2025, 6, 2)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.db)])
def project(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A project folder whose sitrep.toml names a new database store of each kind."""
    if request.param == "sqlite":
        store = 'kind = "sqlite"\n'
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        store = f'kind = "postgresql"\nurl = "{cluster.new_database()}"\n'
        monkeypatch.setenv("SITREP_STORE_PASSWORD", PASSWORD)
    (tmp_path / "sitrep.toml").write_text(f"[store]\n{store}", encoding="utf-8")
    return tmp_path


def sitrep(project: Path, *argv: str) -> int:
    """Run a command on the project."""
    return main([*argv, "--config", str(project)])


def test_the_example_report_from_the_store_is_the_golden_one(project: Path) -> None:
    assert sitrep(project, "import", "records", str(EXAMPLE), "--author", "desk") == 0
    config = load_config(project)
    loaded = load(config, window=data_window(config, DAY, DAY))
    report = build_report(config, start=DAY, end=DAY, loaded=loaded, now=GENERATED_AT)
    from sitrep.render.charts import draw_charts

    charts = draw_charts(report)
    name = "sitrep-2025-06-02"
    assert render.render_markdown(report, charts, stem=name) == (GOLDEN / f"{name}.md").read_text()
    assert render.render_html(report, charts) == (GOLDEN / f"{name}.html").read_text()
    assert json.loads(render.render_json(report))["store_revision"] == 1
    folder_json = render.render_json(report.model_copy(update={"store_revision": None}))
    assert folder_json == (GOLDEN / f"{name}.json").read_text()


def test_generate_from_sqlite_and_from_the_folder_write_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(GENERATED_AT.timestamp())))
    (tmp_path / "sitrep.toml").write_text('[store]\nkind = "sqlite"\n', encoding="utf-8")
    assert sitrep(tmp_path, "import", "records", str(EXAMPLE)) == 0
    common = ["generate", "--date", "2025-06-02", "--format", "md,html,json"]
    assert sitrep(tmp_path, *common, "--out", str(tmp_path / "db")) == 0
    assert sitrep(tmp_path, *common, "--data", str(EXAMPLE), "--out", str(tmp_path / "dir")) == 0
    for suffix in ("md", "html"):
        name = f"sitrep-2025-06-02.{suffix}"
        assert (tmp_path / "db" / name).read_bytes() == (tmp_path / "dir" / name).read_bytes()
    from_db = json.loads((tmp_path / "db" / "sitrep-2025-06-02.json").read_text())
    from_dir = json.loads((tmp_path / "dir" / "sitrep-2025-06-02.json").read_text())
    assert from_db.pop("store_revision") == 1 and "store_revision" not in from_dir
    assert from_db == from_dir


def test_import_is_idempotent_and_export_reads_back_unchanged(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sitrep(project, "import", "records", str(EXAMPLE)) == 0
    assert sitrep(project, "import", "records", str(EXAMPLE)) == 0
    assert "no new revision: 0 added, 0 changed, 10 unchanged" in capsys.readouterr().err
    exported = tmp_path / "records.jsonl"
    assert sitrep(project, "export", "--records", "--out", str(exported)) == 0
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10 and json.loads(lines[0])["id"] == "bfa-djibo-2025-05-15"
    assert sitrep(project, "import", "records", str(exported)) == 0
    assert "10 unchanged" in capsys.readouterr().err
    other = tmp_path / "other"
    other.mkdir()
    (other / "sitrep.toml").write_text('[store]\nkind = "sqlite"\n', encoding="utf-8")
    assert sitrep(other, "import", "records", str(exported)) == 0
    capsys.readouterr()
    assert sitrep(other, "export", "--records") == 0
    assert capsys.readouterr().out == exported.read_text(encoding="utf-8")
    assert list(open_database(load_config(other)).documents()) == [json.loads(x) for x in lines]


def test_history_shows_what_changed(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    assert sitrep(project, "import", "records", str(data), "--author", "ana") == 0
    dioura = data / "mali" / "dioura.yaml"
    dioura.write_text(dioura.read_text().replace("count: 40", "count: 41"), encoding="utf-8")
    assert sitrep(project, "import", "records", str(data), "--reason", "toll revised") == 0
    capsys.readouterr()
    rid = "mli-dioura-2025-05-24"
    assert sitrep(project, "history", rid) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("revision 1 ")
    assert out[0].endswith(f"ana: import records {data} (created)")
    assert out[1].startswith("revision 2 ") and out[1].endswith(": toll revised (changed)")
    assert [line.strip() for line in out[2:]] == ["claims[0].count: 40 -> 41"]
    assert sitrep(project, "history", "no-such-id") == 2
    assert "no record with id 'no-such-id'" in capsys.readouterr().err


def test_as_of_builds_yesterdays_report(project: Path, tmp_path: Path) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=1)
    assert sitrep(project, "import", "records", str(EXAMPLE)) == 0
    out = tmp_path / "out"
    common = ["generate", "--date", "2025-06-02", "--format", "json", "--out", str(out)]
    assert sitrep(project, *common, "--as-of", before.isoformat()) == 0
    report = json.loads((out / "sitrep-2025-06-02.json").read_text())
    assert (report["store_revision"], report["data_quality"]["records_loaded"]) == (0, 0)
    assert sitrep(project, *common) == 0
    report = json.loads((out / "sitrep-2025-06-02.json").read_text())
    assert (report["store_revision"], report["data_quality"]["records_loaded"]) == (1, 8)


def test_as_of_on_a_folder_filters_statements_and_says_the_files_are_read_as_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # Issue 8 point 9: --as-of leaves out later statements on any store; a folder has no
    # revisions, so it is read as it is now, and the run says so (it used to be refused).
    argv = ["generate", "--data", str(EXAMPLE), "--date", "2025-06-02", "--as-of", "2025-06-01",
            "--format", "json"]  # fmt: skip
    assert sitrep(tmp_path, *argv, "--out", str(tmp_path)) == 0
    assert "a folder of files has no revisions" in caplog.text
    report = json.loads((tmp_path / "sitrep-2025-06-02.json").read_text(encoding="utf-8"))
    assert report["as_of"].startswith("2025-06-01T23:59:59")
    assert report["later_statements"] > 0
    assert sitrep(tmp_path, "generate", "--date", "2025-06-02", "--as-of", "June") == 2
    assert "--as-of 'June' is not a time" in capsys.readouterr().err


def test_an_old_store_is_upgraded_by_one_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sitrep.toml").write_text('[store]\nkind = "sqlite"\n', encoding="utf-8")
    (tmp_path / "state").mkdir()
    upgrade(make_engine(f"sqlite:///{tmp_path / 'state' / 'incidents.sqlite'}"), "0001")
    assert sitrep(tmp_path, "import", "records", str(EXAMPLE)) == 1
    assert f"needs {head_revision()}: run `sitrep store upgrade`" in capsys.readouterr().err
    assert sitrep(tmp_path, "store", "upgrade") == 0
    assert f"upgraded from revision 0001 to {head_revision()}" in capsys.readouterr().out
    assert sitrep(tmp_path, "import", "records", str(EXAMPLE)) == 0


def test_an_unreachable_database_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    (tmp_path / "sitrep.toml").write_text(f'[store]\nkind = "postgresql"\nurl = "{url}"\n')
    assert sitrep(tmp_path, "history", "x") == 1
    assert capsys.readouterr().err.startswith(f"sitrep: cannot open the store {url}: ")


def test_store_configuration(tmp_path: Path) -> None:
    config = tmp_path / "sitrep.toml"
    assert type(open_store(load_config(tmp_path))).__name__ == "DirectoryStore"
    config.write_text('[store]\nkind = "postgresql"\nurl = "postgresql://a:secret@h/db"\n')
    with pytest.raises(ConfigError, match="must not hold a password"):
        load_config(tmp_path)
    config.write_text('[store]\nkind = "postgresql"\npassword = "secret"\n')
    with pytest.raises(ConfigError, match=r"store\.password must not be written"):
        load_config(tmp_path)
    config.write_text('[store]\nkind = "postgresql"\nurl = "postgresql://a@h:5432/db"\n')
    loaded = load_config(tmp_path, environ={"SITREP_STORE_PASSWORD": "pw"})
    assert loaded.store.password is not None
    assert loaded.store.password.get_secret_value() == "pw"
