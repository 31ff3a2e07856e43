"""The exceptions sitrep raises, rooted in :class:`SitrepError`.

Every message says what was wrong and how to fix it; the CLI prints it as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""


class ConfigError(SitrepError):
    """The configuration (sitrep.toml, environment or options) is invalid."""


class UsageError(SitrepError):
    """The command line asks for something impossible (exit code 2)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in the input data, located as precisely as possible."""

    file: str
    line: int | None
    record: str | None
    field: str | None
    message: str
    level: Literal["error", "warning"] = "error"
    """A warning is valid data that is probably not meant: it never skips a record."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        warning = "warning: " if self.level == "warning" else ""
        return ": ".join(parts) + f": {warning}{self.message}"


class DataError(SitrepError):
    """The incident data has problems; raised when the run is strict or nothing is usable."""

    def __init__(self, problems: Sequence[Problem], message: str | None = None) -> None:
        self.problems = list(problems)
        head = message or f"{len(self.problems)} problem(s) in the incident data"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class RenderError(SitrepError):
    """A report could not be rendered (template error, PDF engine failure)."""


class OutputError(SitrepError):
    """A report or state file could not be written (disk full, not a folder, no permission)."""


class DeliveryError(SitrepError):
    """A report could not be delivered to one or more subscribers."""


class LockError(SitrepError):
    """Another sitrep run holds the lock for this project."""
