"""Reading incident records from files: one reader per format, keyed by file suffix."""

from __future__ import annotations


