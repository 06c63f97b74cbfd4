"""Markdown → cards: parsing, the card model, the linter."""
