"""A hostile or careless data folder: nothing from outside it is read, nothing in it is
skipped without a word (issue 13)."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DataDir

from sitrep.cli import main
from sitrep.errors import Problem
from sitrep.store import DirectoryStore, load_records

GOOD = """\
id: rec-1
date: 2025-06-01
country: MLI
location: Place
event_type: battles
sources:
  - id: s1
    name: Source One
"""
SECRET = "root:$6$saltsalt$c2VjcmV0aGFzaA:19000:0:99999:7:::\nanalyst:x:1000:1000::/home:/bin/sh\n"


@pytest.fixture
def data(tmp_data: DataDir, monkeypatch: pytest.MonkeyPatch) -> DataDir:
    """A data folder that is also the working directory, so that file names are short."""
    monkeypatch.chdir(tmp_data.root)
    tmp_data.write("good.yaml", GOOD)
    return tmp_data


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A shadow-style file outside the data folder."""
    path = tmp_path / "outside" / "shadow"
    path.parent.mkdir()
    path.write_text(SECRET, encoding="utf-8")
    return path


def _where(problems: list[Problem]) -> dict[str, str]:
    return {p.file: p.message for p in problems}


def _leaks(texts: list[str]) -> bool:
    return any(part in text for text in texts for part in ("saltsalt", "c2VjcmV0", "analyst"))


# --- symbolic links -----------------------------------------------------------------------


def test_a_link_to_a_file_outside_is_a_problem_and_nothing_of_it_is_read(
    data: DataDir, secret: Path
) -> None:
    (data.root / "shadow.yaml").symlink_to(secret)
    (data.root / "mali").mkdir()
    (data.root / "mali" / "passwd.json").symlink_to(secret)
    result = load_records(data.root)
    assert [r.id for r in result.records] == ["rec-1"]
    where = _where(result.problems)
    assert sorted(where) == ["mali/passwd.json", "shadow.yaml"]
    assert where["shadow.yaml"].startswith("is a symbolic link; sitrep does not follow links")
    assert 'report.follow_links = "inside"' in where["shadow.yaml"]
    assert not _leaks([str(p) for p in result.problems])


def test_generate_puts_no_line_of_a_linked_file_in_the_report(
    data: DataDir, secret: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data.root / "shadow.yaml").symlink_to(secret)
    out = tmp_path / "out"
    code = main(["generate", "--data", str(data.root), "--date", "2025-06-02",
                 "--format", "md,json", "--out", str(out)])
    assert code == 0
    written = [p.read_text(encoding="utf-8") for p in out.iterdir() if p.is_file()]
    assert len(written) == 2
    assert all("shadow.yaml" in text for text in written)  # named in Data quality
    assert not _leaks(written + list(capsys.readouterr()))


def test_links_to_folders_and_broken_links_are_problems(data: DataDir, secret: Path) -> None:
    data.write("real/b.yaml", GOOD.replace("rec-1", "rec-2"))
    (data.root / "linked").symlink_to(data.root / "real")
    (data.root / "outside").symlink_to(secret.parent)
    (data.root / "gone.yaml").symlink_to(data.root / "nothing-here.yaml")
    (data.root / "loop.yaml").symlink_to(data.root / "loop.yaml")
    where = _where(load_records(data.root).problems)
    assert sorted(where) == ["gone.yaml", "linked", "loop.yaml", "outside"]
    assert where["gone.yaml"].startswith("is a broken symbolic link")
    assert where["loop.yaml"].startswith("is a broken symbolic link")
    assert where["linked"].startswith("is a symbolic link; sitrep does not follow")


def test_follow_links_inside_reads_links_that_stay_in_the_data_folder(
    data: DataDir, secret: Path
) -> None:
    data.write("shared/b.yaml", GOOD.replace("rec-1", "rec-2"))
    data.write("archive/c.yaml", GOOD.replace("rec-1", "rec-3"))
    (data.root / "mali").mkdir()
    (data.root / "mali" / "b.yaml").symlink_to(data.root / "shared" / "b.yaml")  # read once
    (data.root / "mali" / "up").symlink_to(data.root)  # a loop: not walked again
    (data.root / "current").symlink_to(data.root / "archive")
    (data.root / "shadow.yaml").symlink_to(secret)
    (data.root / "gone.yaml").symlink_to(data.root / "nothing-here.yaml")
    result = DirectoryStore(data.root, follow_links="inside").load()
    assert sorted(r.id for r in result.records) == ["rec-1", "rec-2", "rec-3"]
    where = _where(result.problems)
    assert sorted(where) == ["gone.yaml", "shadow.yaml"]
    assert where["shadow.yaml"].startswith("is a symbolic link to outside the data folder")
    notes = _where(result.notes)
    assert {"mali/up", "mali/b.yaml"} <= set(notes) or {"mali/up", "shared/b.yaml"} <= set(notes)


def test_the_setting_reaches_validate(
    tmp_path: Path, make_record: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    data = DataDir(project / "data")
    data.write("real/a.yaml", make_record(id="a"))
    (data.root / "alias.yaml").symlink_to(data.root / "real" / "a.yaml")
    (project / "sitrep.toml").write_text('[report]\nfollow_links = "inside"\n', encoding="utf-8")
    assert main(["validate", "--config", str(project)]) == 0
    assert "ok: 1 record(s)" in capsys.readouterr().err
    (project / "sitrep.toml").write_text("", encoding="utf-8")
    assert main(["validate", "--config", str(project)]) == 1
    assert "alias.yaml: is a symbolic link" in capsys.readouterr().out


def test_a_data_file_named_on_the_command_line_may_be_a_link(
    data: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    (data.root / "named.yaml").symlink_to(data.root / "good.yaml")
    assert main(["validate", "named.yaml"]) == 0
    assert "ok: 1 record(s) in 1 file(s)" in capsys.readouterr().err


# --- nothing skipped silently ---------------------------------------------------------------


@pytest.fixture
def deny(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``deny(path)``: make a file or folder unreadable: its mode 000 or, for root (whom
    modes do not stop), the open and listing calls refused as the kernel would."""
    denied: list[Path] = []

    def refuse(real: Any) -> Any:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if Path(path).absolute() in denied:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        return call

    if os.geteuid() == 0:
        monkeypatch.setattr(os, "open", refuse(os.open))
        monkeypatch.setattr(os, "scandir", refuse(os.scandir))

    def deny_path(path: Path) -> None:
        denied.append(path.absolute())
        path.chmod(0)

    yield deny_path
    for path in denied:
        path.chmod(0o700)


def test_unreadable_files_and_folders_are_problems(
    data: DataDir, deny: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    deny(data.write("locked.yaml", GOOD.replace("rec-1", "rec-2")))
    data.write("private/c.yaml", GOOD.replace("rec-1", "rec-3"))
    deny(data.root / "private")
    where = _where(load_records(data.root).problems)
    assert sorted(where) == ["locked.yaml", "private"]
    assert where["locked.yaml"].startswith("cannot read the file: permission denied")
    assert where["private"].startswith("cannot read the folder: permission denied")
    assert main(["validate", str(data.root)]) == 1
    assert "2 problem(s); 1 valid record(s)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "name"),
    [("", "empty.yaml"), ("  \n\n", "blank.yml"), ("# only a comment\n", "comment.yaml"),
     ("", "empty.json"), ("\n\n", "blank.jsonl")],
)
def test_a_data_file_without_records_is_a_problem(data: DataDir, content: str, name: str) -> None:
    data.write(name, content)
    [problem] = load_records(data.root).problems
    assert str(problem).startswith(f"{name}: holds no records: the file is empty or only comments")


@pytest.mark.parametrize(("content", "name"), [("null\n", "a.yaml"), ("~\n", "b.yml"),
                                               ("null", "c.json"), ("null\n", "d.jsonl")])
def test_a_null_where_a_record_belongs_is_a_problem(data: DataDir, content: str, name: str) -> None:
    data.write(name, content)
    [problem] = load_records(data.root).problems
    assert str(problem) == f"{name}:1: an empty entry (null) is not a record (expected a mapping)"


def test_an_empty_list_item_is_a_problem(data: DataDir) -> None:
    data.write("list.yaml", "- " + GOOD.replace("\n", "\n  ").replace("rec-1", "rec-2") + "\n-\n")
    result = load_records(data.root)
    assert sorted(r.id for r in result.records) == ["rec-1", "rec-2"]
    assert [(p.file, p.line) for p in result.problems] == [("list.yaml", 10)]


def test_left_out_files_are_notes_and_validate_still_passes(
    data: DataDir, caplog: pytest.LogCaptureFixture
) -> None:
    data.write("empty-list.yaml", "[]\n")
    data.write("old.yaml.bak", GOOD)
    data.write("README.md", "# notes\n")
    data.write(".hidden.yaml", GOOD)
    data.write(".git/HEAD.yaml", GOOD)
    result = load_records(data.root)
    assert result.problems == []
    assert _where(result.notes) == {
        ".git": "hidden folder: not read (rename it without the leading '.' to read it)",
        ".hidden.yaml": "hidden file: not read (rename it without the leading '.' to read it)",
        "README.md": "not a data file: not read (only files ending in .yaml, .yml, .json, "
        ".jsonl are)",
        "empty-list.yaml": "holds an empty list: no records",
        "old.yaml.bak": "not a data file: not read (only files ending in .yaml, .yml, .json, "
        ".jsonl are)",
    }
    caplog.set_level("INFO")
    assert main(["validate", str(data.root)]) == 0
    assert "note: old.yaml.bak: not a data file" in caplog.text  # logged, as every command does
    assert "note: .git: hidden folder" in caplog.text


def test_a_pipe_named_like_a_data_file_is_a_problem_not_a_hang(data: DataDir) -> None:
    os.mkfifo(data.root / "pipe.yaml")
    where = _where(load_records(data.root).problems)
    assert where == {"pipe.yaml": "is not a regular file (a pipe, socket or device); "
                     "not read (remove it)"}


def test_a_file_name_with_a_newline_is_escaped(data: DataDir) -> None:
    data.write("x\nfake.yaml: forged problem.yaml", "id: [\n")
    data.write("y\x1b[2J.yaml", "id: x\n")
    problems = [str(p) for p in load_records(data.root).problems]
    assert problems and all(p.isprintable() for p in problems), problems
    assert any(p.startswith("x\\nfake.yaml: forged problem.yaml:") for p in problems)
    assert any(p.startswith("y\\x1b[2J.yaml:1: record x:") for p in problems)


def test_a_huge_summary_is_a_problem_not_a_ten_minute_pdf(
    tmp_data: Any, make_record: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_data.write("huge.json", make_record(summary="x" * 10_000_000, title="t" * 501))
    assert main(["validate", str(tmp_data.root)]) == 1
    out = capsys.readouterr().out
    assert "field summary: 'xxxxxxxxxx" in out and "(10,000,000 characters" in out
    assert "at most 20000 characters" in out and "field title:" in out
    assert len(out) < 2_000  # the value is never printed whole
