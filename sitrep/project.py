"""Project folders: what ``sitrep init`` creates."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from .config import CONFIG_NAME
from .errors import UsageError
from .render.formats import FORMATS

EXAMPLE = "sahel-2025-06"

CONFIG_TEMPLATE = """\
# sitrep project configuration. Every setting is optional; the values shown are the defaults
# unless said otherwise. Precedence: defaults < this file < environment (secrets only)
# < command-line flags. Relative paths are relative to this file. See docs/configuration.md.

# state = "state"             # delivery ledger, lock and heartbeat
# subscribers_file = "subscribers.toml"   # or list [[subscribers]] at the end (docs/delivery.md)

[report]
title = "Sahel situation report"
data = "data"                 # folder of incident records (YAML, JSON, JSONL), searched recursively
output = "output"             # where reports are written
# templates = "templates"     # a folder whose templates override the shipped ones
timezone = "UTC"              # the report day is a calendar day in this IANA time zone
formats = [{formats}]
language = "en"               # the report's language, and subscribers' who name none (only en yet)
lookback_days = 30            # older incidents shown for context
claim_spread_factor = 3.0     # flag claims more than this many times the credible figure
merge_radius_km = 10.0        # differently named places this close, same kind of event, may be one
merge_name_score = 85.0       # rapidfuzz similarity (0-100) for place names to match

[smtp]
host = "localhost"
port = 587
security = "starttls"         # starttls, tls (implicit, usually port 465) or none
# username = "sitrep"
# password_file = "/run/secrets/smtp"   # or set SITREP_SMTP_PASSWORD; never write it here
sender = "sitrep <sitrep@localhost>"
# reply_to = "desk@example.org"
# unsubscribe = "mailto:desk@example.org?subject=unsubscribe"

[schedule]
time = "06:00"                # local time of the daily run for `sitrep schedule`
# timezone = "Africa/Bamako"  # defaults to report.timezone
""".replace("{formats}", ", ".join(f'"{name}"' for name in FORMATS))


def example_data() -> Path:
    """The example dataset shipped with sitrep."""
    return Path(str(resources.files("sitrep.examples"))) / EXAMPLE


def init_project(directory: Path, *, example: bool = True) -> list[Path]:
    """Create a project folder: ``sitrep.toml``, ``data/`` (the example), ``output/``."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file (sitrep init needs a new or empty folder)")
    config = directory / CONFIG_NAME
    if config.exists():
        raise UsageError(f"{config} already exists (choose another folder or edit that file)")
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"{directory} is not empty (sitrep init needs a new or empty folder)")
    directory.mkdir(parents=True, exist_ok=True)
    config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
    data = directory / "data"
    if example:
        shutil.copytree(example_data(), data, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        data.mkdir()
    (directory / "output").mkdir()
    (directory / ".gitignore").write_text("output/\nstate/\n", encoding="utf-8")
    return [config, data, directory / "output"]
