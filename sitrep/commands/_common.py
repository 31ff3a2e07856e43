"""Options and helpers shared by several commands."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..config import Config


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """``--config``: the sitrep.toml file or the project folder holding it."""
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="PATH",
        help="sitrep.toml, or the project folder that holds it (default: current folder)",
    )


def config_from(args: argparse.Namespace) -> Config:
    """Load the configuration named by ``--config``."""
    from ..config import load_config  # pydantic: not for `--help`

    return load_config(args.config)


def parse_date(value: str, option: str) -> dt.date:
    """An ISO date from an option, or a usage error that says what is expected."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (expected YYYY-MM-DD)") from None
    from ..config import REPORT_DATES

    first, last = REPORT_DATES
    if not first <= day <= last:
        raise UsageError(
            f"{option} {value} is out of range (expected a day from {first} to {last})"
        )
    return day


def parse_moment(value: str, option: str, zone: dt.tzinfo) -> dt.datetime:
    """An ISO date or date and time from an option (in ``zone`` unless it names its own;
    a date alone is the end of that day), or a usage error that says what is expected."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option} {value!r} is not a time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM])"
        ) from None
    if len(value) == 10:
        moment += dt.timedelta(days=1, microseconds=-1)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def period_from(args: argparse.Namespace, default: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period from ``--date``, ``--from``/``--to`` or ``--period 7d`` (ending on --date)."""
    if args.start or args.end:
        if not (args.start and args.end):
            raise UsageError("--from and --to go together (e.g. --from 2025-05-27 --to 2025-06-02)")
        if args.date or args.period:
            raise UsageError("give either --date (with --period) or --from/--to, not both")
        start, end = parse_date(args.start, "--from"), parse_date(args.end, "--to")
        if end < start:
            raise UsageError(f"--to {end} is before --from {start}")
        return start, end
    chosen = parse_date(args.date, "--date") if args.date else default
    if chosen is None:
        raise UsageError("give the report date with --date YYYY-MM-DD")
    end = chosen
    days = 1
    if args.period:
        m = re.fullmatch(r"(\d+)d", args.period)
        if not m or not 1 <= int(m.group(1)) <= 366:
            raise UsageError(f"--period {args.period!r} is not a number of days such as 7d")
        days = int(m.group(1))
    return end - dt.timedelta(days=days - 1), end


def add_period_options(parser: argparse.ArgumentParser) -> None:
    """``--date``, ``--from``/``--to`` and ``--period``."""
    parser.add_argument("--date", help="report day, YYYY-MM-DD")
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day of the period")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day of the period")
    parser.add_argument("--period", metavar="Nd", help="N days ending on --date (e.g. 7d)")
