"""``sitrep publish --date D``: freeze the day's edition as the desk's Publish does."""

from __future__ import annotations

import argparse
import logging
import os

from ._common import add_config_option, config_from, parse_date

NAME = "publish"
HELP = "publish (freeze) a day's edition for `sitrep run`, or a correction of it"

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep publish``."""
    add_config_option(parser)
    parser.add_argument("--date", help="report day, YYYY-MM-DD (default: yesterday)")
    parser.add_argument("--correction", action="store_true",
                        help="re-issue a published day as a correction (new message)")  # fmt: skip
    parser.add_argument("--author", default=os.environ.get("USER", "sitrep publish"),
                        help="who publishes (default: $USER)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Publish every edition the subscribers need, with the desk's saved notes."""
    from ..deliver.subscribers import editions, read_subscribers
    from ..desk.editions import Archive, Draft
    from ..pipeline import previous_day

    config = config_from(args)
    day = parse_date(args.date, "--date") if args.date else previous_day(config)
    subscribers, _ = read_subscribers(config)
    draft = Draft(config, day, [a.edition for a in editions(subscribers)])
    issue = draft.publish(user=args.author, notes=Archive(config).notes(day),
                          correction=args.correction)  # fmt: skip
    logger.info("published %s issue %d in %s", day, issue.number, issue.folder)
    return 0
