"""``sitrep serve``: the desk, a local web app to enter records and publish the edition."""

from __future__ import annotations

import argparse
import logging

from ._common import add_config_option, config_from, parse_date

NAME = "serve"
HELP = "run the desk web app (records, possible duplicates, today's edition, editions)"

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep serve``."""
    add_config_option(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=8400, help="port (default: %(default)s)")
    parser.add_argument("--date", help="the report day the desk works on (default: yesterday)")


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    import uvicorn

    from ..desk.app import create_app

    day = parse_date(args.date, "--date") if args.date else None
    app = create_app(config_from(args), day=day)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        logger.warning(
            "the desk listens on %s: put it behind HTTPS before others reach it", args.host
        )
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=False)
    return 0
