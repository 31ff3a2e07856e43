"""``sitrep init``: make a working project folder."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "init"
HELP = "make a project folder with a commented sitrep.toml and the example data"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep init``."""
    parser.add_argument("directory", type=Path, help="folder to create (or fill, if empty)")
    parser.add_argument("--no-example", action="store_true", help="start with an empty data/")


def run(args: argparse.Namespace) -> int:
    """Create the project and say what to do next."""
    from ..project import init_project

    created = init_project(args.directory, example=not args.no_example)
    for path in created:
        print(path)
    print(f"\nnext: cd {args.directory} && sitrep generate --date 2025-06-02")
    return 0
