"""Choosing the store: the one place that turns the configuration into an IncidentStore."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from .base import IncidentStore
from .directory import DirectoryStore


def open_store(config: Config, data: Path | None = None) -> IncidentStore:
    """The store the configuration names: today the folder of record files in
    ``report.data`` (or ``data``, a folder or file given on the command line).

    Every reader of incident records (generate, run, explain, validate, the subscribers'
    admin1 check) goes through here, so a new store (SQL) is chosen in one place.
    """
    root = data if data is not None else config.path(config.report.data)
    return DirectoryStore(root, config.report.follow_links)
