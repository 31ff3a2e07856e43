"""A desk project for the tests: the bundled example records in a SQLite store, review mode,
two subscribers, and accounts for each role."""

from __future__ import annotations

from pathlib import Path

from delivery_fakes import write_project

from sitrep.config import Config, load_config
from sitrep.desk.users import Accounts, Role
from sitrep.ingest.readers import discover, parse_file
from sitrep.store.open import open_database

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sahel-2025-06"
PEOPLE = [
    {"name": "Aïcha Maïga", "email": "aicha@example.org"},
    {"name": "Bob", "email": "bob@example.org"},
]
PASSWORD = "correct horse battery"


def desk_project(root: Path, *, port: int = 25, publish: str = "", mode: str = "review") -> Config:
    """A project with the examples imported (revision 1) and one account per role."""
    folder = write_project(root, PEOPLE, port=port)
    toml = folder / "sitrep.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + f'\n[store]\nkind = "sqlite"\n\n[publish]\nmode = "{mode}"\n' + publish,
        encoding="utf-8",
    )
    config = load_config(folder)
    raws = [raw for path in discover(EXAMPLES).files for raw in parse_file(path)[0]]
    result = open_database(config).write(raws, author="import", reason="examples")
    # the one warning: a figure whose statement date is unknown (a restatement, by design)
    assert [p.level for p in result.problems] == ["warning"] and result.revision == 1
    accounts = Accounts.for_config(config)
    for role in Role:
        accounts.add(role.value, role, PASSWORD, by="test")
    return config
