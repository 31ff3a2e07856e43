"""Numbers and dates in a language, through Babel (CLDR): '1,234', '2 June 2025'.

Cached: a long report writes the same few dates and numbers thousands of times, and
Babel parses its pattern on every call.

No process locale is involved: the same report gives the same words on every machine.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

SILENT = "—"


@lru_cache(maxsize=8192, typed=True)
def fmt_num(value: int | float | None, locale: str = "en") -> str:
    """'1,234' (or '0.4' for a float, one decimal); an em dash for None."""
    if value is None:
        return SILENT
    if isinstance(value, int):
        return format_decimal(value, locale=locale)
    # Decimal(value) is the float's exact value, so ties round as Python's own format does.
    return format_decimal(Decimal(value), format="#,##0.0", locale=locale)


@lru_cache(maxsize=8192, typed=True)
def fmt_date(value: dt.date | None, short: bool = False, locale: str = "en") -> str:
    """'2 June 2025' (or '2 Jun 2025'); empty for None."""
    if value is None:
        return ""
    return format_date(value, "d MMM y" if short else "d MMMM y", locale=locale)


@lru_cache(maxsize=8192, typed=True)
def day_month(value: dt.date, short: bool = False, locale: str = "en") -> str:
    """'2 June' (or '2 Jun')."""
    return format_date(value, "d MMM" if short else "d MMMM", locale=locale)


@lru_cache(maxsize=8192, typed=True)
def month_year(value: dt.date, locale: str = "en") -> str:
    """'June 2025'."""
    return format_date(value, "MMMM y", locale=locale)


def fmt_datetime(value: dt.datetime | None, timezone: str, locale: str = "en") -> str:
    """'3 June 2025, 06:00 GMT' in the report's time zone; empty for None."""
    if value is None:
        return ""
    zone = ZoneInfo(timezone)  # validated with the configuration
    local = value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)
    return f"{fmt_date(local.date(), locale=locale)}, {local:%H:%M} {local.tzname() or timezone}"
