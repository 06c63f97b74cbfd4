"""The pure domain: the session state machine, queue selection, streaks, scheduling."""
