"""The Textual application. Nothing else in the package imports Textual."""
