"""Subscribers: the TOML and CSV formats, problems with their lines, editions."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from reading import EN

from sitrep.config import load_config
from sitrep.deliver.subscribers import (
    editions,
    load_subscribers,
    subscriber_problems,
)
from sitrep.errors import ConfigError
from sitrep.model.report import ReportFilter, Severity

DAY = dt.date(2025, 6, 2)


def project(tmp_path: Path, toml: str, files: dict[str, str] | None = None) -> Path:
    (tmp_path / "sitrep.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
    for name, text in (files or {}).items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


INLINE = """\
    [report]
    title = "Sahel sitrep"

    [[subscribers]]
    name = "Aïcha Maïga"
    email = "aicha@example.org"
    countries = ["Mali", "NE"]
    admin1 = ["Ménaka"]
    min_severity = "major"
    receive = ["pdf", "html", "md"]

    [[subscribers]]
    email = "desk@example.org"

    [[subscribers]]
    name = "Paused"
    email = "paused@example.org"
    active = false
    """


def test_inline_subscribers_are_parsed(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, INLINE))
    subs = load_subscribers(config, strict=True)
    assert [s.email for s in subs] == [
        "aicha@example.org",
        "desk@example.org",
        "paused@example.org",
    ]
    aicha = subs[0]
    assert aicha.name == "Aïcha Maïga"
    assert aicha.filter == ReportFilter(
        countries=frozenset({"MLI", "NER"}), admin1=frozenset({"Ménaka"}),
        min_severity=Severity.MAJOR,
    )  # fmt: skip
    assert aicha.receive == {"pdf", "html", "md"}
    assert aicha.attachments == {"pdf", "md"}
    assert subs[1].receive == {"pdf", "html"} and subs[1].filter.is_empty
    assert not subs[2].active
    assert aicha.where == "sitrep.toml:4"
    assert subscriber_problems(config, check_admin1=False) == []


def test_editions_group_active_subscribers_by_filter(tmp_path: Path) -> None:
    csv_text = """\
        name,email,countries,min_severity,active
        A,a@example.org,Mali,,
        B,b@example.org,MLI,,yes
        C,c@example.org,,,
        D,d@example.org,ML,major,
        E,e@example.org,Mali,,no
        """
    config = load_config(project(tmp_path, 'subscribers_file = "subs.csv"\n',
                                 {"subs.csv": csv_text}))  # fmt: skip
    eds = editions(load_subscribers(config, strict=True))
    assert [[s.email[0] for s in e.subscribers] for e in eds] == [["a", "b"], ["c"], ["d"]]
    assert [e.filter.key for e in eds] == ["MLI", "all", "MLI-major"]
    only = editions(load_subscribers(config), only=["C@EXAMPLE.ORG"])
    assert [e.filter.key for e in only] == ["all"]


def test_problems_have_file_line_and_field(tmp_path: Path) -> None:
    toml = """\
        [[subscribers]]
        name = "Bad address"
        email = "not an address"

        [[subscribers]]
        email = "ok@example.org"
        countries = ["Mali", "Narnia"]
        min_severity = "apocalyptic"
        receive = ["pdf", "fax"]
        colour = "blue"

        [[subscribers]]
        email = "OK@example.org"
        """
    config = load_config(project(tmp_path, 'subscribers_file = "subs.toml"\n',
                                 {"subs.toml": toml}))  # fmt: skip
    problems = subscriber_problems(config, check_admin1=False)
    located = {(p.line, p.field) for p in problems}
    assert located == {
        (3, "email"), (7, "countries"), (8, "min_severity"), (9, "receive"), (10, "colour"),
        (13, "email"),
    }  # fmt: skip
    text = "\n".join(str(p) for p in problems)
    assert "subs.toml:3: record not an address: field email: 'not an address' is not an e-mail" \
        in text  # fmt: skip
    assert "put the person's name in 'name'" in text
    assert "unknown country 'Narnia'" in text
    assert "expected one of: minor, moderate, major, critical" in text
    assert "unknown 'fax'" in text
    assert "listed twice (also at subs.toml:5" in text
    with pytest.raises(ConfigError, match="6 problem"):
        load_subscribers(config, strict=True)
    # Not strict: invalid entries and the duplicate are skipped (and logged).
    assert [s.email for s in load_subscribers(config)] == []


def test_csv_problems_have_their_row_line(tmp_path: Path) -> None:
    csv_text = """\
        name,email,language,receive
        Good,good@example.org,fr,pdf;md
        "Line\nbreak",evil@example.org
        Bad,bad@@example.org,english,pdf
        """
    config = load_config(project(tmp_path, 'subscribers_file = "subs.csv"\n',
                                 {"subs.csv": csv_text}))  # fmt: skip
    problems = subscriber_problems(config, check_admin1=False)
    assert {(p.line, p.field) for p in problems} == {(5, "email"), (5, "language")}
    subs = load_subscribers(config)
    assert [s.email for s in subs] == ["good@example.org", "evil@example.org"]
    assert subs[0].language == "fr" and subs[0].receive == {"pdf", "md"}
    assert subs[1].name == "Line break"  # no line break can reach a header


def test_admin1_checked_against_known_names(tmp_path: Path) -> None:
    toml = """\
        [[subscribers]]
        email = "a@example.org"
        admin1 = ["ménaka", "Gotham"]
        """
    config = load_config(project(tmp_path, toml))
    problems = subscriber_problems(config, admin1_names={"Ménaka", "Mopti", "Tahoua"})
    assert len(problems) == 1
    assert problems[0].line == 3 and problems[0].field == "admin1"
    assert "unknown admin1 'Gotham'" in problems[0].message
    assert "Mopti" in problems[0].message


def test_admin1_checked_against_the_data(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "sahel-2025-06"
    if not examples.exists():
        pytest.skip("example data not present")
    toml = f"""\
        [report]
        data = "{examples}"

        [[subscribers]]
        email = "a@example.org"
        admin1 = ["Atlantis"]
        """
    problems = subscriber_problems(load_config(project(tmp_path, toml)))
    assert [p.field for p in problems] == ["admin1"]
    assert "not in the incident data" in problems[0].message


def test_unreadable_and_unknown_files(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, 'subscribers_file = "missing.csv"\n'))
    [problem] = subscriber_problems(config)
    assert "missing.csv: cannot be read" in str(problem)
    config = load_config(project(tmp_path, 'subscribers_file = "subs.json"\n', {"subs.json": ""}))
    assert "expected a .toml or .csv file" in str(subscriber_problems(config)[0])
    config = load_config(project(tmp_path, 'subscribers_file = "s.csv"\n', {"s.csv": "a,b\n"}))
    assert "no 'email' column" in str(subscriber_problems(config)[0])


def test_describe_filter() -> None:
    f = ReportFilter(countries=frozenset({"MLI", "NER"}), admin1=frozenset({"Ménaka"}),
                     min_severity=Severity.MAJOR)  # fmt: skip
    assert EN.describe_filter(f) == "Mali, Niger; Ménaka; major incidents and worse"
    assert EN.describe_filter(ReportFilter()) == ""


def test_admin1_check_says_so_when_the_data_cannot_be_read(tmp_path: Path) -> None:
    toml = """\
        [report]
        data = "no-such-folder"

        [[subscribers]]
        email = "a@example.org"
        admin1 = ["Ménaka"]
        """
    [problem] = subscriber_problems(load_config(project(tmp_path, toml)))
    assert problem.field == "admin1" and problem.file.endswith("no-such-folder")
    assert "admin1 names not checked: the incident data cannot be read" in problem.message
    assert "no such folder" in problem.message and "check report.data" in problem.message
    # without admin1 filters the data is not read at all
    without = toml.replace('admin1 = ["Ménaka"]', 'countries = ["Mali"]')
    assert subscriber_problems(load_config(project(tmp_path, without))) == []


def test_editions_are_keyed_by_filter_and_language(tmp_path: Path) -> None:
    toml = """\
        [[subscribers]]
        email = "en@example.org"

        [[subscribers]]
        email = "fr@example.org"
        language = "fr"

        [[subscribers]]
        email = "fr-mali@example.org"
        language = "fr"
        countries = ["Mali"]

        [[subscribers]]
        email = "also-fr@example.org"
        language = "fr"
        """
    eds = editions(load_subscribers(load_config(project(tmp_path, toml)), strict=True))
    assert [e.key for e in eds] == ["all", "all.fr", "MLI.fr"]
    assert [[s.email for s in e.subscribers] for e in eds][1] == [
        "fr@example.org", "also-fr@example.org",
    ]  # fmt: skip
    assert [e.edition.stem(DAY, DAY) for e in eds] == [
        "sitrep-2025-06-02", "sitrep-2025-06-02.fr", "sitrep-2025-06-02-MLI.fr",
    ]  # fmt: skip
    assert eds[2].filter == ReportFilter(countries=frozenset({"MLI"}))
