"""The round model and its I/O: what a planner states, read, validated and written back."""
