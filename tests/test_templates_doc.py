"""docs/templates.md lists exactly the names the templates receive."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from factories import sahel_report

from sitrep.config import Config
from sitrep.deliver.messages import Composer
from sitrep.deliver.subscribers import Subscriber
from sitrep.render.context import report_context
from sitrep.render.environment import report_environment
from sitrep.wording import words_for

DOC = Path(__file__).resolve().parent.parent / "docs" / "templates.md"


def documented(section: str) -> set[str]:
    """The backquoted names in the first column of the tables of a '## ' section."""
    text = DOC.read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.M))


def test_report_context_names_are_documented() -> None:
    words = words_for("en")
    context = report_context(sahel_report(), [], words)
    extras = {"css", "for_pdf", "chart_files", "stem"}  # render_html / render_markdown
    ours = set(report_environment("html", None, words).filters) - set(jinja2.Environment().filters)
    assert "md_safe" in ours and "country" in ours
    assert documented("Report templates") == set(context) | extras | ours


def test_email_context_names_are_documented(tmp_path: Path) -> None:
    composer = Composer(Config(root=tmp_path))
    context = composer.context(sahel_report(), Subscriber(email="a@example.org"), [])
    assert documented("E-mail templates") == set(context)
