"""proof-tutor: a terminal spaced-repetition tutor for deep understanding of mathematics."""

__version__ = "0.1.0"
