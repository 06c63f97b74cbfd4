"""Screens of the terminal UI, one per file, each with its .tcss beside it."""
