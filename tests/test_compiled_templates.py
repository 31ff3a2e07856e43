"""Report templates are compiled once a process (``environment.COMPILED``), yet every
rendering speaks its report's language and sees the template as it is on disk."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from factories import sahel_report

from sitrep.render.documents import render_html, render_markdown
from sitrep.render.environment import COMPILED, shipped_templates


def test_a_second_rendering_compiles_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    report = sahel_report()
    COMPILED.clear()
    first = render_markdown(report, [], stem="x"), render_html(report, [])

    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", no_compile)
    assert (render_markdown(report, [], stem="x"), render_html(report, [])) == first


def test_each_rendering_has_its_own_language() -> None:
    english = sahel_report()
    french = english.model_copy(update={"language": "fr"})
    en_first = render_markdown(english, [], stem="x")
    fr_md = render_markdown(french, [], stem="x")
    assert fr_md != en_first
    assert render_markdown(english, [], stem="x") == en_first
    assert render_markdown(french, [], stem="x") == fr_md
    COMPILED.clear()
    assert render_markdown(french, [], stem="x") == fr_md  # as if compiled for it alone


def test_a_changed_user_template_is_used(tmp_path: Path) -> None:
    report = sahel_report()
    shipped = (shipped_templates() / "report.md.j2").read_text(encoding="utf-8")
    template = tmp_path / "report.md.j2"
    template.write_text("first {{ report.title }}\n" + shipped, encoding="utf-8")
    assert render_markdown(report, [], stem="x", templates=tmp_path).startswith("first ")
    template.write_text("second {{ report.title }}\n" + shipped, encoding="utf-8")
    assert render_markdown(report, [], stem="x", templates=tmp_path).startswith("second ")
