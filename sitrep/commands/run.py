"""``sitrep run``: the one command cron calls: generate the daily report and e-mail it."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ._common import add_config_option, config_from, parse_date

NAME = "run"
HELP = "generate the day's report and e-mail it to every subscriber that lacks it"

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep run``."""
    add_config_option(parser)
    parser.add_argument(
        "--date", help="report day, YYYY-MM-DD (default: yesterday in report.timezone)"
    )
    parser.add_argument("--data", type=Path, help="folder of incident records")
    parser.add_argument("--out", type=Path, help="output folder (default: output/)")
    parser.add_argument(
        "--dry-run", action="store_true",
        help="write .eml files instead of sending (the ledger is read, not written)",
    )  # fmt: skip
    parser.add_argument(
        "--outbox", type=Path, help="folder for --dry-run (default: <output>/outbox/<date>)"
    )
    parser.add_argument(
        "--resend", action="store_true",
        help="send again to everyone, even those already delivered (new Message-ID)",
    )  # fmt: skip
    parser.add_argument(
        "--resend-unconfirmed", action="store_true",
        help="send again deliveries interrupted after the server had the whole message",
    )  # fmt: skip
    parser.add_argument(
        "--only", action="append", metavar="EMAIL",
        help="deliver only to this subscriber (repeatable)",
    )  # fmt: skip
    parser.add_argument("--strict", action="store_true", help="fail on any invalid record")
    parser.add_argument(
        "--allow-empty", action="store_true",
        help="auto mode: send even when no record was created or changed since the last edition",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every subscriber has the report, 1 when something failed."""
    from ..daily import run_daily

    config = config_from(args).with_overrides(
        data=args.data and args.data.resolve(), output=args.out and args.out.resolve()
    )
    day = parse_date(args.date, "--date") if args.date else None
    result = run_daily(
        config, day=day, dry_run=args.dry_run, outbox=args.outbox, resend=args.resend,
        resend_unconfirmed=args.resend_unconfirmed, only=args.only, strict=args.strict,
        allow_empty=args.allow_empty,
    )  # fmt: skip
    for problem in result.problems():
        logger.warning("%s (%s edition): %s: %s", problem.recipient, problem.edition,
                       problem.outcome, problem.detail)  # fmt: skip
    if result.ok:
        logger.info("%s", result.summary())
        return 0
    logger.error("%s", result.summary())
    return 1
