"""``sitrep store upgrade``: bring a database store's schema up to this version of sitrep."""

from __future__ import annotations

import argparse

from ._common import add_config_option, config_from

NAME = "store"
HELP = "manage the database store (upgrade: migrate its schema to this version of sitrep)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep store``."""
    parser.add_argument("action", choices=["upgrade"], help="upgrade: migrate the schema")
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Upgrade the configured store's schema to the newest; print what was done."""
    from ..store.database import display_name, make_engine, upgrade
    from ..store.open import database_url

    engine = make_engine(*database_url(config_from(args)))
    before, after = upgrade(engine)
    name = display_name(engine)
    if before == after:
        print(f"{name}: schema already at revision {after}")
    else:
        print(f"{name}: schema upgraded from revision {before or '(new store)'} to {after}")
    return 0
