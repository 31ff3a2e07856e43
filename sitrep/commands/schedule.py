"""``sitrep schedule``: run ``sitrep run`` every day at the configured local time."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import add_config_option, config_from

if TYPE_CHECKING:
    from ..deliver.scheduling import Job

NAME = "schedule"
HELP = "stay in the foreground and run the daily delivery at schedule.time (DST-safe)"

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep schedule``."""
    add_config_option(parser)


def config_job(config_path: Path | None) -> Job:
    """The production job: re-read the configuration, then ``sitrep run`` for the slot."""
    from ..config import load_config
    from ..daily import run_daily

    def job(slot: dt.datetime) -> bool:
        config = load_config(config_path)
        result = run_daily(config, now=slot)
        logger.info("%s", result.summary())
        for problem in result.problems():
            logger.warning("%s: %s: %s", problem.recipient, problem.outcome, problem.detail)
        return result.ok

    return job


def run(args: argparse.Namespace) -> int:
    """Run until SIGTERM or SIGINT; exit 0 after a clean stop."""
    from ..deliver.scheduling import DailyScheduler

    config = config_from(args)
    scheduler = DailyScheduler.for_config(config, config_job(args.config))
    restore = scheduler.install_signal_handlers()
    try:
        logger.info(
            "daily run at %s %s; heartbeat in %s",
            config.schedule.time, scheduler.zone.key, scheduler.heartbeat_file,
        )  # fmt: skip
        scheduler.run_forever()
    finally:
        restore()
    return 0
