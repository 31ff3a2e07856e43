"""The command line, in process (``sitrep.cli.main``) and once through the console script.

Exit codes: 0 ok, 1 the run failed (or the data has problems), 2 usage error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import DataDir

from sitrep.cli import main
from sitrep.model.records import record_json_schema
from sitrep.writers import SETS

MakeRecord = Callable[..., dict[str, Any]]


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every command from an empty folder: no sitrep.toml is picked up by accident."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def run(*argv: str) -> int:
    """``sitrep ARGV`` in process; argparse's own exits become return codes."""
    try:
        return main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


# --- validate ------------------------------------------------------------------------------


def test_validate_example_data_exits_0(
    examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("validate", str(examples_dir)) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "ok: 10 record(s) in 8 file(s)" in err


def test_validate_bad_record_exits_1_with_the_problem_on_stdout(
    tmp_data: DataDir, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_data.write("good.yaml", make_record(id="good"))
    path = tmp_data.write("bad.yaml", make_record(id="bad", latitude=123, longitude=0))
    assert run("validate", str(tmp_data.root)) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:")
    assert ": record bad: field latitude: 123 is out of range (expected at most 90" in lines[0]
    assert "1 problem(s); 1 valid record(s)" in err


def test_validate_uses_the_configured_data_folder(
    tmp_path: Path, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    (project / "records").mkdir(parents=True)
    (project / "sitrep.toml").write_text('[report]\ndata = "records"\n', encoding="utf-8")
    (project / "records" / "x.json").write_text(json.dumps(make_record(id="x", country="??")),
                                                encoding="utf-8")
    assert run("validate", "--config", str(project)) == 1
    assert "record x: field country: unknown country '??'" in capsys.readouterr().out


# --- usage errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--bogus"],
        ["frobnicate"],
        [],
        ["generate", "--from", "2025-06-01"],
        ["generate", "--to", "2025-06-01"],
        ["generate", "--date", "2025-13-01"],
        ["generate", "--date", "yesterday"],
        ["generate", "--from", "2025-06-02", "--to", "2025-06-01"],
        ["generate", "--date", "2025-06-02", "--from", "2025-06-01", "--to", "2025-06-02"],
        ["generate", "--date", "2025-06-02", "--period", "week"],
        ["generate", "--period", "7d", "--from", "2025-06-01", "--to", "2025-06-02"],
        ["generate", "--date", "2025-06-02", "--format", ""],
        ["generate", "--date", "2025-06-02", "--timezone", "Mars/Olympus"],
        ["explain"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(*argv) == 2
    err = capsys.readouterr().err
    assert "error" in err


def test_usage_error_says_what_is_expected(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("generate", "--from", "2025-06-01") == 2
    assert "--from and --to go together" in capsys.readouterr().err
    assert run("generate", "--date", "2025-13-01") == 2
    assert "(expected YYYY-MM-DD)" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = run("generate", "--data", str(examples_dir), "--date", "2025-06-02",
               "--format", "docx", "--out", str(out))
    assert code == 2
    assert "unknown format(s) docx" in capsys.readouterr().err
    assert not out.exists()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--version") == 0
    assert capsys.readouterr().out.startswith("sitrep ")


# --- generate -------------------------------------------------------------------------------


def _generate_json(data: Path, out: Path, *extra: str) -> int:
    return run("generate", "--data", str(data), "--date", "2025-06-02", "--format", "json",
               "--out", str(out), *extra)


def test_generate_json_writes_the_report(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _generate_json(examples_dir, out) == 0
    written = out / "sitrep-2025-06-02.json"
    assert capsys.readouterr().out.strip() == str(written)
    # The output folder shows the report; .sets holds its one published set (link + folder).
    assert sorted(p.name for p in out.iterdir() if p.name != SETS) == ["sitrep-2025-06-02.json"]
    assert sorted(p.is_symlink() for p in (out / SETS).iterdir()) == [False, True]
    report = json.loads(written.read_text(encoding="utf-8"))
    assert report["period"]["start"] == report["period"]["end"] == "2025-06-02"
    assert report["key_figures"]["incidents"] == 1
    # Issue 8 (points 1 and 5): four of the old five "updates" restate figures said before
    # the period (never news, never in the totals); Boulkessi alone is new information. The
    # period's one incident (Timbuktu) has only the army's party claim, so no total: the old
    # 146 added restated figures from mid-May.
    assert report["key_figures"]["updates"] == 1
    assert report["key_figures"]["restatements"] == 5
    assert report["key_figures"]["killed_all"]["low"] == 0
    assert report["key_figures"]["killed_all"]["credible_rows"] == 0
    assert report["data_quality"]["problems"] == []
    # the 2023 and 2024 context records lie outside the window the report reads
    assert report["data_quality"]["records_loaded"] == 8


@pytest.fixture
def data_with_a_bad_record(examples_dir: Path, tmp_path: Path, make_record: MakeRecord) -> Path:
    data = tmp_path / "data"
    shutil.copytree(examples_dir, data)
    bad = make_record(id="mli-bad-2025-06-02", date="2025-06-02",
                      claims=[{"source": "src", "by": "FAMa", "stance": "official",
                               "group": "state_forces", "outcome": "killed",
                               "count": "thirtyish"}])
    (data / "mali" / "bad.json").write_text(json.dumps(bad, indent=2), encoding="utf-8")
    return data


def test_generate_with_an_invalid_record_still_writes_and_lists_it(
    data_with_a_bad_record: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    assert _generate_json(data_with_a_bad_record, out) == 0
    report = json.loads((out / "sitrep-2025-06-02.json").read_text(encoding="utf-8"))
    quality = report["data_quality"]
    assert quality["skipped_records"] == ["mli-bad-2025-06-02"]
    [problem] = quality["problems"]
    assert problem["record"] == "mli-bad-2025-06-02"
    assert problem["field"] == "claims[0].count"
    assert problem["file"].endswith("bad.json")
    assert "'thirtyish' is not a count" in problem["message"]
    # the rest of the report is built as usual
    assert report["key_figures"]["killed_all"]["low"] == 0  # issue 8: no restated figure added
    # the problem is logged (on stderr, outside tests) as a warning
    assert any(r.levelname == "WARNING" and "thirtyish" in r.getMessage() for r in caplog.records)


def test_generate_strict_with_an_invalid_record_exits_1_and_writes_nothing(
    data_with_a_bad_record: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _generate_json(data_with_a_bad_record, out, "--strict") == 1
    assert not out.exists() or list(out.iterdir()) == []
    err = capsys.readouterr().err
    assert "--strict" in err and "thirtyish" in err


def test_generate_strict_on_clean_data_succeeds(examples_dir: Path, tmp_path: Path) -> None:
    assert _generate_json(examples_dir, tmp_path / "out", "--strict") == 0


def test_generate_missing_data_folder_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _generate_json(tmp_path / "nope", tmp_path / "out") == 1
    assert "no such folder" in capsys.readouterr().err


def test_generate_a_period(examples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = run("generate", "--data", str(examples_dir), "--from", "2025-05-27", "--to",
               "2025-06-02", "--format", "json", "--out", str(out))
    assert code == 0
    report = json.loads((out / "sitrep-2025-05-27_2025-06-02.json").read_text(encoding="utf-8"))
    assert report["key_figures"]["incidents"] == 3  # Sirakorola, Boulkessi, Timbuktu


# --- schema, init, explain ------------------------------------------------------------------


def test_schema_prints_valid_json(capsys: pytest.CaptureFixture[str]) -> None:
    from sitrep.render import report_json_schema

    assert run("schema") == 0
    assert json.loads(capsys.readouterr().out) == record_json_schema()
    assert run("schema", "--report") == 0
    assert json.loads(capsys.readouterr().out) == report_json_schema()


def _fresh(code: str, timeout: int = 60) -> list[str]:
    """The lines a fresh interpreter prints running ``code`` (what it imports is its own)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=timeout)  # fmt: skip
    return done.stdout.strip().splitlines()


def test_schema_imports_no_model() -> None:
    """`sitrep schema` prints the schema shipped with the package: it builds no model."""
    code = (
        "import sys\n"
        "from sitrep.cli import main\n"
        "code = main(['schema'])\n"
        "print(code, [m for m in ('pydantic', 'sitrep.model.records') if m in sys.modules])\n"
    )
    assert _fresh(code)[-1] == "0 []"


def test_init_creates_a_project_and_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "newproj"
    assert run("init", str(project)) == 0
    assert (project / "sitrep.toml").is_file()
    assert (project / "output").is_dir()
    data = project / "data"
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*.yaml")) == [
        "burkina-faso/djibo.yaml",
        "context/2023-2024.yaml",
        "mali/boulikessi-clashreport.yaml",
        "mali/boulkessi.yaml",
        "mali/dioura.yaml",
        "mali/sirakorola.yaml",
        "mali/timbuktu.yaml",
        "niger/tahoua-dosso.yaml",
    ]
    capsys.readouterr()
    # the new project works: validate and generate with its configuration
    assert run("validate", "--config", str(project)) == 0
    assert run("generate", "--config", str(project), "--date", "2025-06-02",
               "--format", "json") == 0
    assert (project / "output" / "sitrep-2025-06-02.json").is_file()
    capsys.readouterr()
    # a second init refuses, and changes nothing
    before = (project / "sitrep.toml").read_text(encoding="utf-8")
    assert run("init", str(project)) == 2
    assert "already exists" in capsys.readouterr().err
    assert (project / "sitrep.toml").read_text(encoding="utf-8") == before


def test_init_refuses_a_non_empty_folder_without_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert run("init", str(folder)) == 2
    assert "is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_init_in_an_empty_folder_without_example(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert run("init", str(folder), "--no-example") == 0
    assert list((folder / "data").iterdir()) == []


def test_explain_prints_merge_reasons(
    examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("explain", "mli-boulikessi-2025-06-01", "--data", str(examples_dir)) == 0
    out = capsys.readouterr().out
    assert out.startswith("incident mli-boulkessi-2025-06-01: Boulkessi, MLI, 2025-06-01")
    assert "records: mli-boulkessi-2025-06-01, mli-boulikessi-2025-06-01" in out
    merged = [line for line in out.splitlines() if line.strip().startswith("merged:")]
    assert len(merged) == 1 and "alias" in merged[0]
    # Issue 8 point 4: ClashReport relays Reuters, so its "more than 30" is the security
    # sources' one statement, carried by both outlets (it used to be a second voice).
    [line] = [line for line in out.splitlines() if "more than 30 - " in line]
    assert "two security sources" in line and "carried by Reuters, ClashReport" in line


def test_explain_lists_possible_duplicates_and_how_to_settle_them(
    tmp_data: DataDir, make_record: MakeRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_data.write("battle.yaml", make_record(id="battle", sub_event_type="armed_clash"))
    ied = make_record(id="ied", date="2025-06-02", event_type="explosions_remote_violence",
                      sub_event_type="remote_explosive_landmine_ied")  # fmt: skip
    tmp_data.write("ied.yaml", ied)
    assert run("explain", "ied", "--data", str(tmp_data.root)) == 0
    out = capsys.readouterr().out
    assert "possible duplicates (matched only in part, not merged):" in out
    assert "battle + ied (Testville, 2025-06-01 / Testville, 2025-06-02)" in out
    assert "the event types differ" in out
    assert "add `same_as: battle` to record ied" in out
    assert "add `not_same_as: [battle]` to record ied" in out
    tmp_data.write("ied.yaml", {**ied, "not_same_as": ["battle"]})
    assert run("explain", "ied", "--data", str(tmp_data.root)) == 0
    assert "possible duplicates" not in capsys.readouterr().out


def test_explain_unknown_id_exits_2(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("explain", "mli-nowhere-2025-06-02", "--data", str(examples_dir)) == 2
    assert "no record with id 'mli-nowhere-2025-06-02'" in capsys.readouterr().err


def test_explain_as_of(examples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run("explain", "mli-timbuktu-2025-06-02", "--data", str(examples_dir),
               "--as-of", "2025-06-01")
    assert code == 0
    out = capsys.readouterr().out
    assert "13 - FAMa" not in out and "14 - FAMa" not in out  # reported on 2 June


# --- the console script ---------------------------------------------------------------------


def _console_script() -> Path:
    for candidate in (Path(sys.executable).parent / "sitrep",
                      Path(__file__).resolve().parents[1] / ".venv" / "bin" / "sitrep"):
        if candidate.is_file():
            return candidate
    found = shutil.which("sitrep")
    if not found:
        pytest.skip("the sitrep console script is not installed")
    return Path(found)


def test_console_script(examples_dir: Path, tmp_path: Path) -> None:
    script = _console_script()
    ok = subprocess.run([str(script), "validate", str(examples_dir)], capture_output=True,
                        text=True, timeout=60, check=False, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "ok: 10 record(s)" in ok.stderr
    usage = subprocess.run([str(script), "generate", "--from", "2025-06-01"],
                           capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path)
    assert usage.returncode == 2
    assert "--from and --to go together" in usage.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text("id: x\ncount: >30\n", encoding="utf-8")
    failed = subprocess.run([str(script), "validate", str(bad)], capture_output=True,
                            text=True, timeout=60, check=False, cwd=tmp_path)
    assert failed.returncode == 1
    assert "not valid YAML" in failed.stdout


def test_a_mistyped_config_folder_fails_instead_of_running_on_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a cron line with a typo must not "succeed" every day with an empty configuration
    assert run("run", "--config", str(tmp_path / "typo-project"), "--date", "2025-06-02") == 1
    assert "no such configuration file or project folder" in capsys.readouterr().err
    assert not (tmp_path / "state").exists()


def test_output_that_is_not_a_folder_is_a_clean_failure(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder\n")
    assert _generate_json(examples_dir, afile) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_init_on_a_file_is_a_usage_error(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x\n")
    assert run("init", str(afile)) == 2


def test_a_bad_source_date_epoch_is_a_clean_failure(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1.7e9")
    assert _generate_json(examples_dir, tmp_path / "out") == 1
    assert "SOURCE_DATE_EPOCH='1.7e9' is not a whole number" in capsys.readouterr().err


# --- one store, one format registry, a cheap --help ------------------------------------------


def test_validate_reads_the_records_through_open_store(
    tmp_path: Path, make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sitrep.store.open
    from sitrep.store import MemoryStore

    asked: list[Path | None] = []

    def memory_store(config: object, data: Path | None = None) -> MemoryStore:
        asked.append(data)
        return MemoryStore([make_record(id="held-in-memory")])

    monkeypatch.setattr(sitrep.store.open, "open_store", memory_store)
    project = tmp_path / "project"
    project.mkdir()
    (project / "sitrep.toml").write_text('[report]\ndata = "nowhere"\n', encoding="utf-8")
    assert run("validate", "--config", str(project)) == 0
    assert "ok: 1 record(s) in 0 file(s)" in capsys.readouterr().err
    assert run("validate", str(tmp_path / "given")) == 0
    assert asked == [None, tmp_path / "given"]


def test_a_configured_format_outside_the_registry_is_named(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "sitrep.toml").write_text('[report]\nformats = ["md", "docx"]\n', encoding="utf-8")
    code = run("generate", "--config", str(project), "--data", str(examples_dir),
               "--date", "2025-06-02", "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "report.formats: unknown format(s) docx (expected: md, pdf, html, json)" in err
    assert not (tmp_path / "out").exists()


def test_help_imports_no_renderer_and_no_delivery() -> None:
    code = (
        "import sys, sitrep.cli\n"
        "sitrep.cli.build_parser()\n"
        "heavy = ('jinja2', 'matplotlib', 'weasyprint', 'smtplib', 'schedule', 'rapidfuzz',\n"
        "         'sitrep.pipeline', 'sitrep.render.documents', 'sitrep.deliver.delivery',\n"
        "         'pydantic', 'sitrep.model.records')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    assert _fresh(code) == ["[]"]


def test_a_json_report_imports_no_template_engine_and_no_charts(
    examples_dir: Path, tmp_path: Path
) -> None:
    """``--format json`` renders no template, chart or PDF: a cold run does not pay for
    importing their libraries."""
    code = (
        "import sys\n"
        "from sitrep.cli import main\n"
        f"code = main(['-q', 'generate', '--data', {str(examples_dir)!r}, '--date', '2025-06-02',"
        f" '--format', 'json', '--out', {str(tmp_path / 'out')!r}])\n"
        "heavy = ('jinja2', 'markdown_it', 'matplotlib', 'weasyprint', 'sitrep.render.documents')\n"
        "print(code, [m for m in heavy if m in sys.modules])\n"
    )
    written, result = _fresh(code, timeout=120)
    assert result == "0 []"
    assert written.endswith("sitrep-2025-06-02.json") and Path(written).exists()


def test_a_command_module_that_fails_to_import_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sitrep.cli

    monkeypatch.setattr(sitrep.cli, "COMMANDS", [*sitrep.cli.COMMANDS, "no_such_command"])
    with pytest.raises(ModuleNotFoundError, match=r"sitrep\.commands\.no_such_command"):
        sitrep.cli.build_parser()


def _program(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m sitrep ARGS`` as a user runs it, its output piped (so block-buffered)."""
    return subprocess.run([sys.executable, "-m", "sitrep", *args], capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_program_output_and_exit_codes(tmp_path: Path) -> None:
    """The program ends without the interpreter's teardown (:func:`sitrep.cli.end`): what
    it printed to a pipe arrives whole, and the exit codes are main()'s."""
    done = _program("schema", "--report")
    assert (done.returncode, done.stderr) == (0, "")
    from sitrep.render import report_json_schema

    assert json.loads(done.stdout) == report_json_schema()
    failed = _program("generate", "--data", str(tmp_path / "none"), "--date", "2025-06-02",
                      "--out", str(tmp_path / "out"))  # fmt: skip
    assert failed.returncode == 1
    assert failed.stderr.startswith("sitrep: ") and "none" in failed.stderr
    assert _program("generate", "--no-such-option").returncode == 2


def _python(*lines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "\n".join(lines)], capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_end_runs_exit_handlers_and_waits_for_threads(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    done = _python(
        "import atexit, logging",
        "from sitrep.cli import end",
        "class Kept:",
        "    def __del__(self): print('torn down')",
        "kept = Kept()",
        f"logging.basicConfig(filename={str(log)!r})",
        "logging.warning('logged')",
        "atexit.register(print, 'handler ran')",
        "print('printed', end=' ')",
        "end(3)",
    )
    assert done.returncode == 3
    assert done.stdout == "printed handler ran\n"  # flushed, handlers run, no teardown
    assert "logged" in log.read_text(encoding="utf-8")
    done = _python(
        "import threading, time",
        "from sitrep.cli import end",
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done'))).start()",
        "end(0)",
    )
    assert (done.returncode, done.stdout) == (0, "thread done\n")
