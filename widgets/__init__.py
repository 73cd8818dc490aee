"""Reusable Qt pieces. They receive callables and plain dataclasses; they never open a session."""
