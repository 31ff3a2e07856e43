"""``sitrep schedule``: run ``sitrep run`` every day at the configured local time."""

from __future__ import annotations

import argparse
import logging

from ..deliver.scheduling import DailyScheduler, config_job
from ._common import add_config_option, config_from

NAME = "schedule"
HELP = "stay in the foreground and run the daily delivery at schedule.time (DST-safe)"

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep schedule``."""
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Run until SIGTERM or SIGINT; exit 0 after a clean stop."""
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
