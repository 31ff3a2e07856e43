"""The desk's pieces without a browser: Markdown made inert, roles, the login limit,
accounts, the record form."""

from __future__ import annotations

from pathlib import Path

from sitrep.desk.forms import decide, form_values, possible_duplicates, record_from_form
from sitrep.desk.security import LoginLimiter
from sitrep.desk.users import Accounts, Role
from sitrep.model.records import Record
from sitrep.reconcile.duplicates import possible_duplicates as partial_matches
from sitrep.reconcile.matching import MergeRules
from sitrep.reconcile.merge import merge_records
from sitrep.render.notes import notes_html, notes_md


def test_key_messages_are_inert() -> None:
    html = notes_html("**Bold** <script>alert(1)</script> [x](javascript:alert(1)) ![i](http://e/i.png)")
    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert "<img" not in html
    assert notes_md("a <b>b</b> & c") == "a &lt;b&gt;b&lt;/b&gt; &amp; c"


def test_roles_include_the_lower_ones() -> None:
    assert Role.EDITOR.may(Role.ANALYST) and Role.ANALYST.may(Role.READER)
    assert not Role.READER.may(Role.ANALYST) and not Role.ANALYST.may(Role.EDITOR)


def test_login_limit_per_client_and_per_name() -> None:
    limiter = LoginLimiter(attempts=3, window=60)
    for _ in range(3):
        assert not limiter.blocked("1.2.3.4", "ana")
        limiter.failed("1.2.3.4", "ana")
    assert limiter.blocked("1.2.3.4", "bob") and limiter.blocked("5.6.7.8", "ana")
    assert not limiter.blocked("5.6.7.8", "bob")


def test_accounts_hash_with_argon2(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path / "desk.sqlite")
    accounts.add("ana", Role.EDITOR, "long enough password", by="test")
    assert accounts.check("ana", "long enough password") == accounts.get("ana")
    assert accounts.check("ana", "wrong password") is None
    assert accounts.check("nobody", "long enough password") is None
    with accounts._db() as db:
        [(stored,)] = db.execute("SELECT hash FROM users").fetchall()
    assert stored.startswith("$argon2id$")
    assert [c.action for c in accounts.changes()] == ["user"]


def test_the_form_round_trips_a_record() -> None:
    doc = {"id": "r1", "date": "2025-06-02", "country": "MLI", "location": "Gao",
           "event_type": "battles", "tags": ["kept"],
           "sources": [{"id": "s1", "name": "Wire"}],
           "claims": [{"source": "s1", "by": "FAMa", "stance": "official", "group": "civilians",
                       "outcome": "killed", "count": 3, "quote": "kept too"}]}  # fmt: skip
    values = form_values(doc)
    assert values["claims[0].count"] == "3" and values["claims[2].by"] == ""  # blank rows
    assert record_from_form(values, doc) == doc


def test_the_form_round_trips_every_field_of_issue_8() -> None:
    doc = {"id": "r1", "date": "2025-06-02", "country": "MLI", "location": "Gao",
           "event_type": "battles", "sub_event_type": "armed_clash", "same_as": "r0",
           "sources": [{"id": "reuters", "name": "Reuters", "published": "2025-06-02"},
                       {"id": "cr", "name": "ClashReport", "via": "reuters"}],
           "claims": [{"source": "cr", "by": "JNIM", "stance": "claimed", "group": "state_forces",
                       "outcome": "killed", "count": "up to 600", "party": True,
                       "reported": "2025-06-02T18:00:00+00:00", "covers": ["r9"]},
                      {"source": "reuters", "by": "two security sources", "stance": "independent",
                       "group": "civilians", "outcome": "killed", "count": 50, "subset": True,
                       "reported": "2025-05-15", "reported_precision": "week", "party": False,
                       "covers": ["r8"]}],
           "outcomes": [{"source": "reuters", "by": "FAMa", "stance": "official",
                         "says": "repelled", "quote": "repelled",
                         "reported": "2025-05"}]}  # fmt: skip
    values = form_values(doc)
    assert values["claims[0].party"] == "true" and values["outcomes[2].says"] == ""
    assert values["sources[1].via"] == "reuters" and values["claims[1].subset"] == "true"
    assert record_from_form(values, doc) == doc
    # removing the first claim keeps the second one's hidden fields (covers) with it
    removed = record_from_form({**values, "claims[0].remove": "1"}, doc)
    assert removed["claims"] == doc["claims"][1:]
    # a new outcome statement from an empty row; emptying the old one takes it out
    new = {"source": "cr", "by": "JNIM", "stance": "claimed", "says": "seized"}
    row = {f"outcomes[2].{k}": v for k, v in new.items()}
    emptied = {k: ("" if k.startswith("outcomes[0].") and not k.endswith(".row") else v)
               for k, v in values.items()}  # fmt: skip
    assert record_from_form({**emptied, **row}, doc)["outcomes"] == [new]


def test_the_form_edits_dates_places_lists_and_joint_figures() -> None:
    doc = {"id": "r1", "date": "2025-05-15", "end_date": "2025-05-20",
           "date_precision": "week", "country": "BFA", "admin1": "Sahel", "admin2": "Soum",
           "location": "Djibo", "aliases": ["Djibu"], "event_type": "battles",
           "tags": ["base", "convoy"], "sources": [{"id": "s1", "name": "Wire"}],
           "claims": [{"source": "s1", "by": "JNIM", "stance": "claimed",
                       "group": "state_forces", "outcome": "killed", "count": 200,
                       "covers": ["r2", "r3"]}]}  # fmt: skip
    values = form_values(doc)
    assert values["date_precision"] == "week" and values["end_date"] == "2025-05-20"
    assert values["tags"] == "base, convoy" and values["claims[0].covers"] == "r2, r3"
    assert record_from_form(values, doc) == doc
    edited = record_from_form({**values, "tags": " base ,, ", "aliases": "",
                               "claims[0].covers": "r2"}, doc)  # fmt: skip
    assert edited["tags"] == ["base"] and "aliases" not in edited
    assert edited["claims"][0]["covers"] == ["r2"]
    assert "covers" not in record_from_form({**values, "claims[0].covers": ""}, doc)["claims"][0]


def test_possible_duplicates_are_the_mergers_until_decided() -> None:
    def record(rid: str, event_type: str) -> Record:
        return Record.model_validate({
            "id": rid, "date": "2025-06-02", "country": "MLI", "location": "Gao",
            "event_type": event_type, "sources": [{"id": "s", "name": "S"}]})  # fmt: skip

    a, b = record("a", "battles"), record("b", "explosions_remote_violence")
    rules = MergeRules()
    [pair] = possible_duplicates([a, b], rules)
    assert [pair.match] == partial_matches(merge_records([a, b], rules), rules)
    assert (pair.a, pair.b, pair.match.reason) == (a, b, "event_type")
    for same in (True, False):  # confirmed (one incident) or dismissed: no longer listed
        decided = Record.model_validate(decide(b.model_dump(mode="json"), "a", same))
        assert possible_duplicates([a, decided], rules) == []
