"""Answer → verdict: safe parsing, equivalence by mode, feedback, the sandbox."""
