"""``sitrep generate``: write the report of a day or period."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError
from ..render.formats import FORMATS
from ._common import (
    add_config_option,
    add_period_options,
    config_from,
    parse_moment,
    period_from,
)

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
    parser.add_argument(
        "--as-of",
        metavar="TIME",
        help="reproduce a past edition: leave out statements made or published after this time, "
        "and read a database store as it was then (YYYY-MM-DD[THH:MM]; default: now)",
    )
    parser.add_argument(
        "--language",
        help="language of the report: en or fr (default: report.language in sitrep.toml)",
    )
    parser.add_argument("--strict", action="store_true", help="fail on any invalid record")


def run(args: argparse.Namespace) -> int:
    """Generate the report; exit 0 when written."""
    from ..headstart import begin

    formats = None
    if args.format is not None:
        formats = [f.strip() for f in args.format.split(",") if f.strip()]
        if not formats:
            raise UsageError(f"--format needs at least one of {', '.join(FORMATS)}")
    # the chart and PDF workers start before the pipeline and its models are imported
    with begin(formats) as head_start:
        from ..pipeline import generate, previous_day

        config = config_from(args).with_overrides(
            data=args.data and args.data.resolve(),
            output=args.out and args.out.resolve(),
            templates=args.templates and args.templates.resolve(),
            timezone=args.timezone,
        )
        start, end = period_from(args, previous_day(config))
        as_of = parse_moment(args.as_of, "--as-of", config.report.zone) if args.as_of else None
        result = generate(
            config, start=start, end=end, strict=args.strict, formats=formats, as_of=as_of,
            language=args.language, head_start=head_start,
        )
    for path in result.public.values():
        print(path)
    return 0
