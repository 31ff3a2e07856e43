"""Shared fixtures for the core tests.

* ``make_record(**overrides)`` / ``make_claim(**overrides)``: plain dicts for a valid,
  minimal record (or claim), as an analyst would type it; overrides replace top-level keys.
* ``examples_dir``: the worked example dataset (``examples/sahel-2025-06``).
* ``tmp_data``: a data folder in ``tmp_path``; ``tmp_data.write("mali/x.yaml", ...)``
  writes text as is, or dumps a dict/list as YAML, JSON or JSON lines by the suffix.

Markers (registered in pyproject.toml; ``make test-fast`` leaves out all four) are applied
here rather than test by test: see :data:`MODULE_MARKS`, :data:`TEST_MARKS` and
:func:`pytest_collection_modifyitems`.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "sahel-2025-06"


def pytest_sessionstart(session: pytest.Session) -> None:
    """The templates and examples the package loads are this checkout's: an editable install
    made from another checkout (a second git worktree on one shared virtualenv) would
    otherwise test that checkout's templates, silently."""
    from importlib import resources

    for package, folder in (("sitrep.templates", "templates"), ("sitrep.examples", "examples")):
        loaded = Path(str(resources.files(package))).resolve()
        if loaded != (REPO / folder).resolve():
            raise pytest.UsageError(
                f"{package} is loaded from {loaded}, not from this checkout's {folder}/: the "
                f"virtualenv's editable install points at another checkout. Reinstall it "
                f"here (pip install -e .), or link sitrep/{folder} -> ../{folder} in this "
                "checkout."
            )

BASE_RECORD: dict[str, Any] = {
    "id": "mli-testville-2025-06-01",
    "date": "2025-06-01",
    "country": "MLI",
    "location": "Testville",
    "event_type": "battles",
    "sources": [{"id": "src", "name": "Test Source", "published": "2025-06-01"}],
}

BASE_CLAIM: dict[str, Any] = {
    "source": "src",
    "by": "FAMa",
    "stance": "official",
    "group": "state_forces",
    "outcome": "killed",
    "count": 5,
}


def make_record(**overrides: Any) -> dict[str, Any]:
    """A valid minimal record dict; keyword arguments replace (or add) top-level fields."""
    record = copy.deepcopy(BASE_RECORD)
    record.update(copy.deepcopy(overrides))
    return record


def make_claim(**overrides: Any) -> dict[str, Any]:
    """A valid claim dict (FAMa, official, 5 soldiers killed, from source ``src``)."""
    claim = copy.deepcopy(BASE_CLAIM)
    claim.update(copy.deepcopy(overrides))
    return claim


class DataDir:
    """A folder of data files written by a test."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, name: str, content: str | dict[str, Any] | list[Any]) -> Path:
        """Write ``content`` to ``name`` under the folder and return the path."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            text = content
        elif path.suffix == ".jsonl":
            items = content if isinstance(content, list) else [content]
            text = "".join(json.dumps(item) + "\n" for item in items)
        elif path.suffix == ".json":
            text = json.dumps(content, indent=2)
        else:
            text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture(scope="session", name="make_record")
def make_record_fixture() -> Callable[..., dict[str, Any]]:
    """The record factory (session-scoped so that hypothesis tests may use it)."""
    return make_record


@pytest.fixture(scope="session", name="make_claim")
def make_claim_fixture() -> Callable[..., dict[str, Any]]:
    """The claim factory."""
    return make_claim


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The example dataset coded from the seed articles."""
    assert EXAMPLES.is_dir(), EXAMPLES
    return EXAMPLES


@pytest.fixture
def tmp_data(tmp_path: Path) -> DataDir:
    """An empty data folder to write test files into."""
    root = tmp_path / "data"
    root.mkdir()
    return DataDir(root)


# --- markers --------------------------------------------------------------------------
# slow: a second or more on the 2-core machine, measured with `pytest --durations=0`;
# pdf: renders a PDF with WeasyPrint; smtp: a real SMTP server process; db: a database
# server (none yet). A new test that starts a process, renders a PDF or sends mail belongs
# in these tables (or requests the `pdf_run` fixture of test_render.py, marked pdf below).

MODULE_MARKS: dict[str, tuple[str, ...]] = {
    # every test starts tests/smtp_server.py, most also a `sitrep run` process: 0.2-3 s each
    "test_deliver_smtp.py": ("smtp", "slow"),
    # the example report through WeasyPrint (PDF/A-3b, tagged), read back: 8-9 s once
    "test_pdf_structure.py": ("pdf", "slow"),
    # sitrep processes on a pseudo-terminal, 20,000 records checked under tracemalloc: 1-8 s
    "test_validate_streaming.py": ("slow",),
    # 1,500 generated records into a 30-day report: 5-10 s once
    "test_big_period.py": ("slow",),
}

TEST_MARKS: dict[tuple[str, str], tuple[str, ...]] = {
    # (module, test function): markers, for modules that mix fast and slow tests
    ("test_deliver_smtp.py", "test_sitrep_run_end_to_end_on_the_example_data"): ("pdf",),
    ("test_french.py", "test_french_pdf_has_no_english_left"): ("pdf", "slow"),  # 5-6 s
    ("test_render.py", "test_record_text_is_inert_everywhere"): ("pdf", "slow"),  # 4-5 s
    ("test_render.py", "test_weasyprint_renderer_loads_no_outside_resource"): ("pdf",),
    ("test_big_period.py", "test_big_period_pdf_is_a_digest_with_the_full_log_attached"): ("pdf",),
    ("test_big_period.py", "test_quiet_day_is_compact"): ("pdf",),
    ("test_cli.py", "test_console_script"): ("slow",),  # three `sitrep` processes, 1.3-1.7 s
    ("test_scheduling.py", "test_sitrep_schedule_process_heartbeat_and_sigterm"): ("slow",),
}

FIXTURE_MARKS: dict[str, tuple[str, ...]] = {
    "pdf_run": ("pdf", "slow"),  # test_render.py: the factory report through WeasyPrint, 3-4 s
}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests named in the tables above; fail if a table names a missing test."""
    for item in items:
        module = item.path.name
        names: list[str] = list(MODULE_MARKS.get(module, ()))
        function = getattr(item, "originalname", item.name)
        names += TEST_MARKS.get((module, function), ())
        for fixture, marks in FIXTURE_MARKS.items():
            if fixture in getattr(item, "fixturenames", ()):
                names += marks
        for name in dict.fromkeys(names):
            item.add_marker(name)
    modules = {item.path.name: item.module for item in items if isinstance(item, pytest.Function)}
    missing = [
        f"{module}::{function}"
        for module, function in TEST_MARKS
        if module in modules and not hasattr(modules[module], function)
    ]
    if missing:
        raise pytest.UsageError(
            f"tests/conftest.py TEST_MARKS names tests that do not exist: {', '.join(missing)}; "
            "update the table after renaming or removing a test"
        )


# CI runs the property tests with fixed examples so that a build never fails by chance;
# locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
