from __future__ import annotations


class JobFailed(Exception):
    """The job cannot succeed as asked (bad data, bad settings): fail at once, never retry."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class JobCancelled(Exception):
    """Raised by a job body once it has stopped after a cancel request (state saved)."""


class LeaseLost(Exception):
    """Another worker now owns this job: stop without writing anything."""
