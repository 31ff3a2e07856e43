"""Thin CLI commands: each parses its options and calls one library function."""
