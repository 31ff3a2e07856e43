"""A bounded, derandomized fuzz of the renderers: 300 records full of hostile strings,
six to a report, rendered to Markdown, HTML and JSON (every 10th report with its charts,
one to PDF). No traceback, no raw control or bidi character, no live markup."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
from html.parser import HTMLParser
from typing import Any

from test_outputs_safety import raw_unsafe, record

from sitrep.config import Config
from sitrep.errors import SitrepError
from sitrep.pipeline import build_report, load
from sitrep.render.charts import draw_charts
from sitrep.render.documents import render_html, render_markdown
from sitrep.render.jsonreport import render_json
from sitrep.store.memory import MemoryStore

DAY = dt.date(2025, 6, 2)
CASES = 300
"""Fuzzed records; each report holds :data:`PER_REPORT` of them."""
PER_REPORT = 6
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
    "[click](http://evil.example)", "![img](http://evil.example/x.png)", "<!-- x -->",
    "</td></tr></table><h1>x</h1>", "{{ 7*7 }}", "{% raw %}", "| a | b |", "# heading",
    "```", "*bold* _it_ `code`", "\\", "&amp; &lt;", "'\"", "$\\foo$", "$5 and $6",
    "$\\frac{1}{0}$", "\x00", "\x1b[2J\x1b[31m", "\x07", "\x7f", "\x85", "\r\n", "\u2028",
    "\u202e", "\u202a\u202b", "\u2066\u2069", "\ufeff", "Ménaka", "ي" * 5, "😀" * 3,
    "a" * 300, "http://www.evil.example", "@import url(x)", "</style><style>",
]
COUNTS = ["12", "more than 30", "0", "10000000000000000000", "3-5", "dozens", "1" + "0" * 18]


LIVE_MARKDOWN = re.compile(r"(?<!\\)(<script|<img|<!--|</?style|\]\(http://evil|<b>)")
"""Markup from the hostile strings that would be live in Markdown (unescaped)."""


class Tags(HTMLParser):
    """The tag names and the attributes of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def text(rng: random.Random) -> str:
    return " ".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 4)))


def records(rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for i in range(PER_REPORT):
        rec = record(i, text(rng), rng.choice(COUNTS))
        for key in ("perpetrator", "target", "title", "summary"):
            rec[key] = text(rng)
        rec["claims"][0]["by"] = text(rng)
        rec["sources"][0]["name"] = text(rng)
        out.append(rec)
    return out


def test_hostile_record_text_through_every_renderer() -> None:
    rng = random.Random(13)
    config = Config()
    benign = build_report(config, start=DAY, end=DAY,
                          loaded=load(config, MemoryStore([record(0, "Gao")])))  # fmt: skip
    baseline = tags(render_html(benign, draw_charts(benign)))
    began, rejected, rendered, pdfs = time.monotonic(), 0, 0, 0
    for case in range(CASES // PER_REPORT):
        try:
            loaded = load(config, MemoryStore(records(rng)))
            report = build_report(config, start=DAY, end=DAY, loaded=loaded)
        except SitrepError:
            rejected += 1  # the loader may refuse a record: a message, not a traceback
            continue
        charts = draw_charts(report) if case % 10 == 0 else []
        md = render_markdown(report, charts, stem="sitrep-2025-06-02")
        html = render_html(report, charts)
        data = render_json(report)
        json.loads(data)
        for output in (md, html, data, *(c.svg for c in charts)):
            assert raw_unsafe(output) == [], f"case {case}"
        found = tags(html)
        assert found.tags <= baseline.tags, f"case {case}: {found.tags - baseline.tags}"
        assert not {a for a in found.attributes if a.startswith("on")}, f"case {case}"
        assert 'href="javascript' not in html and 'src="x"' not in html, f"case {case}"
        live = LIVE_MARKDOWN.search(md)
        assert live is None, f"case {case}: {live and live[0]!r} live in the Markdown"
        if case == 0:
            from sitrep.render.formats import FORMATS, RenderJob

            pdf = FORMATS["pdf"].render(RenderJob(report, "sitrep-2025-06-02", charts))
            assert next(iter(pdf.values()))[:5] == b"%PDF-"  # type: ignore[index]
            pdfs += 1
        rendered += 1
    seconds = time.monotonic() - began
    print(f"fuzz: {CASES} records in {rendered} reports rendered ({rejected} refused by the "
          f"loader), {pdfs} PDFs, {seconds:.1f} s")  # fmt: skip
    assert rendered > CASES // PER_REPORT // 2
