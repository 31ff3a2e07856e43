"""Where incident records come from: the store interface, its implementations, validation."""

from __future__ import annotations

from .base import IncidentStore, LoadResult
from .directory import DirectoryStore, load_records
from .memory import MemoryStore
from .open import open_store

__all__ = [
    "DirectoryStore",
    "IncidentStore",
    "LoadResult",
    "MemoryStore",
    "load_records",
    "open_store",
]
