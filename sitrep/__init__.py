"""sitrep: daily situation reports from attributed conflict-incident records."""

__version__ = "0.1.0"
