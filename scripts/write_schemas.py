"""Write the JSON Schemas of records and of the JSON report from the models: the copies
``sitrep schema`` prints (``sitrep/data/``) and the published ones (``docs/``).

    .venv/bin/python scripts/write_schemas.py      (``make golden`` runs it)
"""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.model.records import record_json_schema
from sitrep.render import report_json_schema

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Write both schemas into ``sitrep/data`` and ``docs``."""
    for name, schema in (("record", record_json_schema()), ("report", report_json_schema())):
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for folder in (ROOT / "sitrep" / "data", ROOT / "docs"):
            (folder / f"{name}.schema.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
