"""``sitrep generate``: write the report of a day or period."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..errors import UsageError
from ..render.formats import FORMATS
from ._common import add_config_option, add_period_options, config_from, period_from


def parse_as_of(text: str, zone: dt.tzinfo) -> dt.datetime:
    """``--as-of``: a date (its end, in the report's time zone) or a datetime (no offset:
    the report's time zone)."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--as-of {text!r} is not a date or datetime (expected 2025-06-02 or "
            "2025-06-02T18:00+00:00)"
        ) from None
    if "T" not in text and " " not in text.strip():
        value = dt.datetime.combine(value.date(), dt.time(23, 59, 59))
    return value if value.tzinfo else value.replace(tzinfo=zone)

NAME = "generate"
HELP = "write the report of a day (or period) as Markdown, PDF, HTML and JSON"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep generate``."""
    add_config_option(parser)
    parser.add_argument("--data", type=Path, help="folder of incident records")
    add_period_options(parser)
    parser.add_argument("--out", type=Path, help="output folder (default: output/)")
    parser.add_argument(
        "--format", help=f"comma-separated formats among {','.join(FORMATS)} (default: all)"
    )
    parser.add_argument("--templates", type=Path, help="folder of templates overriding ours")
    parser.add_argument("--timezone", help="time zone of the report day (default: UTC)")
    parser.add_argument("--strict", action="store_true", help="fail on any invalid record")
    parser.add_argument(
        "--as-of",
        help="leave out statements made or published after this date or datetime "
        "(2025-06-02 or 2025-06-02T18:00+00:00; default: now), to reproduce a past edition",
    )


def run(args: argparse.Namespace) -> int:
    """Generate the report; exit 0 when written."""
    from ..pipeline import generate, previous_day

    config = config_from(args).with_overrides(
        data=args.data and args.data.resolve(),
        output=args.out and args.out.resolve(),
        templates=args.templates and args.templates.resolve(),
        timezone=args.timezone,
    )
    start, end = period_from(args, previous_day(config))
    formats = None
    if args.format is not None:
        formats = [f.strip() for f in args.format.split(",") if f.strip()]
        if not formats:
            raise UsageError(f"--format needs at least one of {', '.join(FORMATS)}")
    as_of = parse_as_of(args.as_of, config.report.zone) if args.as_of else None
    result = generate(config, start=start, end=end, strict=args.strict, formats=formats,
                      as_of=as_of)  # fmt: skip
    for path in result.files.values():
        print(path)
    return 0
