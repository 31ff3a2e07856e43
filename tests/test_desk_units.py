"""The desk's pieces without a browser: Markdown made inert, roles, the login limit,
accounts, the record form."""

from __future__ import annotations

from pathlib import Path

from sitrep.desk.forms import form_values, record_from_form
from sitrep.desk.security import LoginLimiter
from sitrep.desk.users import Accounts, Role
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
