"""Delivery at the edges: a kill just before the final ``.``, and subscriber entries that
``sitrep validate`` rejects. A real SMTP server (aiosmtpd in its own process)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from delivery_fakes import write_project
from smtp_server import SmtpTestServer, wait_until

from sitrep.cli import main
from sitrep.config import load_config
from sitrep.deliver.ledger import Ledger, Status
from sitrep.deliver.subscribers import read_subscribers, subscriber_problems

TESTS = Path(__file__).resolve().parent
DRIVER = TESTS / "delivery_driver.py"
DAY = ["--date", "2025-06-02"]


def readers(n: int) -> list[dict[str, Any]]:
    return [{"name": f"Reader {i}", "email": f"reader{i:02d}@example.org"} for i in range(n)]


def recipients(srv: SmtpTestServer) -> Counter[str]:
    return Counter(str(m["X-Test-Envelope-To"]) for m in srv.messages())


def sitrep(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DRIVER), "run", "--config", str(root), *DAY, *args],
        capture_output=True, text=True, timeout=60, cwd=TESTS,
    )  # fmt: skip


def test_a_kill_with_the_body_sent_but_not_the_final_dot_is_resent(tmp_path: Path) -> None:
    people = readers(6)
    marker = tmp_path / "stalled"
    with SmtpTestServer(tmp_path / "smtp") as srv:
        root = write_project(tmp_path / "project", people, port=srv.port)
        env = {**os.environ, "STALL_BEFORE_DOT": f"3:{marker}"}
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), "run", "--config", str(root), *DAY],
            cwd=TESTS, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_until(lambda: marker.exists() or proc.poll() is not None, timeout=30)
            assert proc.poll() is None, "the run finished before it could be killed"
            proc.kill()  # SIGKILL with the 3rd body sent and its "." not
        finally:
            proc.wait(timeout=10)
        wait_until(lambda: len(srv.files()) == 2 and "connect" in srv.events(), timeout=5)
        with Ledger.for_config(load_config(root)) as ledger:
            statuses = Counter(e.status for e in ledger.entries())
        # The "." never went out: the delivery is still "sending", not "unconfirmed".
        assert statuses == Counter({Status.SENT: 2, Status.SENDING: 1})
        done = sitrep(root)
        assert done.returncode == 0, done.stderr
        assert "4 sent, 2 already sent" in done.stderr and "unconfirmed" not in done.stderr
        assert recipients(srv) == Counter({str(p["email"]): 1 for p in people})


BAD = [
    {"name": "Gao desk", "email": "gao@example.org", "admin1": ["Gao\r\nBcc: x@evil.example"]},
    {"name": "Nobody", "email": "not an address"},
    {"name": "Ménaka desk", "email": "menaka@example.org", "admin1": ["Nowhere"]},
]


def test_entries_that_validate_rejects_are_never_sent_to(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "gao.yaml").write_text(
        "id: r1\ndate: 2025-06-02\ncountry: Mali\nadmin1: Gao\nlocation: Gao\n"
        "event_type: battles\nsources: [{id: s, name: S}]\n", encoding="utf-8",
    )  # fmt: skip
    people = [*BAD, {"name": "A\x00B \u202eevil", "email": "nul@example.org"}]
    with SmtpTestServer(tmp_path / "smtp") as srv:
        root = write_project(tmp_path / "project", people, port=srv.port,
                             report={"data": str(data)})  # fmt: skip
        config = load_config(root)
        assert {p.record for p in subscriber_problems(config)} == {
            "gao@example.org", "not an address", "menaka@example.org"}  # fmt: skip
        subscribers, invalid = read_subscribers(config, check_admin1=True)
        assert [s.email for s in subscribers] == ["nul@example.org"] and len(invalid) == 3
        done = sitrep(root)
        assert done.returncode == 1  # invalid entries make the run fail, after sending
        assert "3 invalid subscriber entries skipped" in done.stderr
        assert recipients(srv) == Counter({"nul@example.org": 1})
        (message,) = srv.messages()
        # The NUL became a space (the entry was kept), the bidi override is gone.
        assert str(message["To"]) == "A B evil <nul@example.org>"
        assert "\u202e" not in message.as_string()


def test_an_unwritable_state_folder_names_the_setting(tmp_path: Path, capsys: Any) -> None:
    root = write_project(tmp_path / "project", readers(1))
    (root / "state").write_text("a file where the state folder should be\n", encoding="utf-8")
    assert main(["run", "--config", str(root), *DAY, "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "state folder" in err and "`state` in sitrep.toml" in err
