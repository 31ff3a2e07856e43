"""The desk in a real browser (Debian's Chromium, driven by Playwright): an editor enters
an incident with an outcome statement, fixes a bad count and a wrong source, confirms a
possible duplicate from the merger's list, writes a key message and
publishes; a reader cannot publish; a form without its CSRF token is refused.

With SITREP_DESK_SCREENSHOTS=<folder> the first test also saves a screenshot of each page
(that is how docs/img/desk-*.png are made).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from desk_browser import chromium, serve
from desk_project import PASSWORD, desk_project
from reading import EN

from sitrep.config import Config
from sitrep.desk.editions import Archive
from sitrep.ingest.raw import RawRecord
from sitrep.model.records import Says
from sitrep.model.report import PossibleDuplicate, Report
from sitrep.pipeline import Rules
from sitrep.reconcile.duplicates import possible_duplicates
from sitrep.reconcile.merge import merge_records
from sitrep.store.open import open_database
from sitrep.store.validate import validate_raw

pytestmark = [pytest.mark.slow, pytest.mark.pdf, pytest.mark.timeout(240)]

DAY = dt.date(2025, 6, 2)
NEW = "mli-timbuktu-desk-2025-06-02"
KEY_MESSAGE = "Desk key message: the Timbuktu camp attack is confirmed by two speakers"
SHOTS = os.environ.get("SITREP_DESK_SCREENSHOTS")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"desk-{name}.png"), full_page=False)


def _validate_message(field: str, count: int) -> str:
    """What `sitrep validate` says about a claim with this count."""
    doc = {"id": "x", "date": str(DAY), "country": "MLI", "location": "Timbuktu",
           "event_type": "battles", "sources": [{"id": "s", "name": "S"}],
           "claims": [{"source": "s", "by": "FAMa", "stance": "official",
                       "group": "armed_group", "outcome": "killed", "count": count}]}  # fmt: skip
    _, problems = validate_raw(RawRecord(doc, "x.yaml", 1))
    return next(p.message for p in problems if p.field == field)


def _merger_pairs(config: Config) -> list[PossibleDuplicate]:
    """The merger's possible duplicates in the project's store, now."""
    rules = Rules.from_config(config).merge
    return possible_duplicates(merge_records(open_database(config).load().records, rules), rules)


def _login(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/records")
    assert page.url.endswith("/login")  # nothing without login
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/records")


def _claim(page: Any, i: int, by: str, stance: str, group: str, count: str) -> None:
    page.fill(f"input[name='claims[{i}].source']", "desk1")
    page.fill(f"input[name='claims[{i}].by']", by)
    page.select_option(f"select[name='claims[{i}].stance']", stance)
    page.select_option(f"select[name='claims[{i}].group']", group)
    page.select_option(f"select[name='claims[{i}].outcome']", "killed")
    page.fill(f"input[name='claims[{i}].count']", count)


def test_enter_fix_confirm_write_publish(tmp_path: Path) -> None:
    config = desk_project(tmp_path / "project")
    with serve(config, DAY) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page.goto(f"{base}/login")
        _shot(page, "login")
        _login(page, base, "editor")
        _shot(page, "records")

        page.goto(f"{base}/records/new")
        page.fill("input[name=id]", NEW)
        page.fill("input[name=country]", "MLI")
        page.fill("input[name=location]", "Timbuktu")
        # a car bomb, where the examples code the attack as a battle: a possible duplicate
        page.select_option("select[name=event_type]", "explosions_remote_violence")
        page.fill("input[name=title]", "Car bomb at the camp <script>alert(1)</script>")
        page.fill("input[name='sources[0].id']", "desk1")
        page.fill("input[name='sources[0].name']", "Desk wire")
        _claim(page, 0, "FAMa", "official", "armed_group", "-12")
        _claim(page, 1, "JNIM", "claimed", "state_forces", "9")
        page.fill("input[name='outcomes[0].source']", "desk9")  # not one of the sources
        page.fill("input[name='outcomes[0].by']", "FAMa")
        page.select_option("select[name='outcomes[0].stance']", "official")
        page.select_option("select[name='outcomes[0].says']", "repelled")
        page.fill("input[name='outcomes[0].quote']", "an infiltration attempt was repelled")
        page.click("button[type=submit]")
        error = page.locator("[data-field='claims[0].count']")
        assert error.is_visible()
        assert error.inner_text() == _validate_message("claims[0].count", -12)
        _shot(page, "record-form")
        page.fill("input[name='claims[0].count']", "12")
        page.fill("input[name='claims[1].covers']", NEW)  # a joint figure naming itself
        page.click("button[type=submit]")
        wrong_source = page.locator("[data-field='outcomes[0].source']")
        assert wrong_source.inner_text().startswith("'desk9' is not one of this record's sources")
        covers = page.locator("[data-field='claims[1].covers']")  # a list item's problem
        assert "names the record itself" in covers.inner_text()
        assert page.locator(".error").count() == 2  # the count is fixed
        page.fill("input[name='claims[1].covers']", "")
        page.fill("input[name='outcomes[0].source']", "desk1")
        page.fill("input[name=reason]", "entered from the morning wires")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/records/{NEW}/history")
        assert "editor" in page.inner_text("table") and "entered from the morning wires" in (
            page.inner_text("table")
        )
        _shot(page, "history")
        page.goto(f"{base}/records?date={DAY}")
        assert page.locator("td", has_text="<script>alert(1)</script>").count() == 1  # as text

        [merger_pair] = [d for d in _merger_pairs(config) if NEW in (d.a, d.b)]
        page.goto(f"{base}/duplicates")
        pair = page.locator(".pair", has_text=NEW)
        assert pair.count() == 1 and merger_pair.reason == "event_type"
        assert {pair.locator("input[name=a]").get_attribute("value"),
                pair.locator("input[name=b]").get_attribute("value")} == {
                    merger_pair.a, merger_pair.b}  # fmt: skip
        assert "event types differ" in pair.locator(".why").inner_text()
        _shot(page, "duplicates")
        pair.locator("button[value=same]").click()
        page.wait_for_url(f"{base}/duplicates")
        assert page.locator(".pair", has_text=NEW).count() == 0
        assert not [d for d in _merger_pairs(config) if NEW in (d.a, d.b)]

        page.goto(f"{base}/today?date={DAY}")
        page.fill("#key_messages", KEY_MESSAGE)
        page.fill("#comment", "Figures *differ* between the army and JNIM.")
        page.select_option("select[name=marking]", "TLP:AMBER")
        page.click("button[value=save]")
        page.wait_for_url(f"{base}/today?date={DAY}")
        frame = page.frame_locator("iframe")
        assert KEY_MESSAGE in frame.locator("#desk").inner_text()
        _shot(page, "today")
        page.click("button[value=publish]")
        page.wait_for_url(f"{base}/editions")
        _shot(page, "editions")

    [issue] = Archive(config).issues(DAY)
    assert issue.published_by == "editor" and issue.notes.marking == "TLP:AMBER"
    store = open_database(config)
    assert issue.revision == store.revision_at()  # frozen at the store's revision
    assert {v.author for v in store.history(NEW)} == {"editor"}  # every save a revision
    [stated] = next(r for r in store.load().records if r.id == NEW).outcomes
    assert (stated.by, stated.says, stated.source) == ("FAMa", Says.REPELLED, "desk1")
    text = subprocess.run(["pdftotext", "-layout", str(issue.path("all", "pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert KEY_MESSAGE in flat and "TLP:AMBER" in flat
    report = Report.model_validate_json((issue.folder / "all" / "report.json").read_bytes())
    incident = next(i for i in report.incidents if NEW in i.records)
    assert incident.id == "mli-timbuktu-2025-06-02"  # merged with the confirmed duplicate
    killed = report.key_figures.killed_all
    assert EN.range(killed.low, killed.high, killed.high_open) in flat
    assert f"{report.key_figures.incidents}" in flat


def test_reader_cannot_publish_and_forms_need_the_csrf_token(tmp_path: Path) -> None:
    config = desk_project(tmp_path / "project")
    with serve(config, DAY) as base, chromium() as browser:
        page = browser.new_page()  # type: ignore[attr-defined]
        assert page.request.get(f"{base}/health").ok
        _login(page, base, "reader")
        page.goto(f"{base}/today?date={DAY}")
        assert page.locator("button[value=publish]").count() == 0
        token = page.locator("input[name=csrf]").first.get_attribute("value")
        form = {"csrf": token, "date": str(DAY), "action": "publish", "key_messages": "x"}
        assert page.request.post(f"{base}/today", form=form).status == 403
        saved = page.request.post(f"{base}/records/save", form={"csrf": token, "id": "x"})
        assert saved.status == 403  # a reader cannot edit records either
        assert Archive(config).issues() == []

        page.context.clear_cookies()
        _login(page, base, "editor")
        without = {"date": str(DAY), "action": "publish", "key_messages": "x"}
        refused = page.request.post(f"{base}/today", form=without)
        assert refused.status == 403 and "CSRF" in refused.text()
        wrong = page.request.post(f"{base}/today", form={**without, "csrf": "forged"})
        assert wrong.status == 403
        assert Archive(config).issues() == []

        page.context.clear_cookies()
        page.goto(f"{base}/login")
        for _ in range(5):
            page.fill("input[name=name]", "editor")
            page.fill("input[name=password]", "wrong password!")
            page.click("button[type=submit]")
        page.fill("input[name=name]", "editor")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert "Too many failed logins" in page.inner_text("main")  # rate limited
