"""``sitrep user add NAME --role editor``: desk accounts (password from a prompt or stdin)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from ..errors import UsageError
from ._common import add_config_option, config_from

NAME = "user"
HELP = "add a desk account or change its role and password; list the accounts"

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep user``."""
    parser.add_argument(
        "action", choices=["add", "list"], help="add (or update) an account, or list them"
    )
    parser.add_argument("name", nargs="?", help="the account's name (add)")
    parser.add_argument("--role", choices=["reader", "analyst", "editor"], default="analyst",
                        help="reader: view; analyst: edit records; editor: publish")  # fmt: skip
    add_config_option(parser)


def _password() -> str:
    if not sys.stdin.isatty():  # piped: the first line
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    """Add or update an account (the password is read, never an argument), or list them."""
    from ..desk.users import Accounts, Role

    accounts = Accounts.for_config(config_from(args))
    if args.action == "list":
        for user in accounts.users():
            print(f"{user.name}\t{user.role.value}")
        return 0
    if not args.name:
        raise UsageError("user add needs a NAME")
    by = os.environ.get("USER", "sitrep user")
    user = accounts.add(args.name, Role(args.role), _password(), by=by)
    logger.info("account %s is %s", user.name, user.role.value)
    return 0
