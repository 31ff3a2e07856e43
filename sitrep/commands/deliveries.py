"""``sitrep deliveries``: show the delivery ledger."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import TYPE_CHECKING

from ._common import add_config_option, config_from, parse_date

NAME = "deliveries"
HELP = "show who was sent which report, and what failed (the delivery ledger)"

if TYPE_CHECKING:
    from ..deliver.ledger import Entry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep deliveries``."""
    add_config_option(parser)
    parser.add_argument("--date", help="report day, YYYY-MM-DD (default: the latest report)")
    parser.add_argument("--all", action="store_true", help="every report in the ledger")
    parser.add_argument("--history", action="store_true", help="every attempt, not just the last")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _row(e: Entry) -> dict[str, object]:
    return {
        "report": e.report, "recipient": e.recipient, "name": e.name, "edition": e.edition,
        "status": e.status.value, "attempts": e.attempts, "message_id": e.message_id,
        "smtp_code": e.smtp_code, "detail": e.detail,
        "last_attempt": e.last_attempt.isoformat(),
        "sent_at": e.sent_at.isoformat() if e.sent_at else None,
    }  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Print the ledger; exit 1 when some delivery of the shown reports is not done."""
    from ..deliver.ledger import Ledger

    config = config_from(args)
    with Ledger.for_config(config) as ledger:
        reports = ledger.reports()
        if args.date:
            day = str(parse_date(args.date, "--date"))
            wanted = [r for r in reports if r == day or r.endswith(f"_{day}")] or [day]
        elif args.all:
            wanted = reports
        else:
            wanted = reports[-1:]
        entries = [e for r in wanted for e in ledger.entries(r)]
        history = {r: ledger.history(r) for r in wanted} if args.history else {}
    if args.json:
        out: dict[str, object] = {"deliveries": [_row(e) for e in entries]}
        if args.history:
            out["attempts"] = [
                {"report": a.report, "recipient": a.recipient, "at": a.at.isoformat(),
                 "status": a.status, "smtp_code": a.smtp_code, "detail": a.detail}
                for r in wanted for a in history[r]
            ]  # fmt: skip
        print(json.dumps(out, indent=2, ensure_ascii=False))
    elif not entries:
        print(f"no deliveries recorded for {', '.join(wanted) or 'any report'}")
    for report in [] if args.json else wanted:
        rows = [e for e in entries if e.report == report]
        if not rows:
            continue
        counts = Counter(e.status.value for e in rows)
        print(f"report {report}: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
        width = max(len(e.recipient) for e in rows)
        for e in rows:
            when = e.last_attempt.strftime("%Y-%m-%d %H:%M:%S")
            detail = e.detail or ""
            print(f"  {e.recipient:<{width}}  {e.edition:<12} {e.status.value:<11} "
                  f"{e.attempts:>2}x  {when}  {detail}")  # fmt: skip
        for a in history.get(report, []):
            print(f"    {a.at:%Y-%m-%d %H:%M:%S}  {a.recipient}  {a.status}  {a.detail or ''}")
    pending = [e for e in entries if e.status.value not in ("sent",)]
    return 1 if pending else 0
