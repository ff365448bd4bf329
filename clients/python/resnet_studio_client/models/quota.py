from enum import StrEnum

class Quota(StrEnum):
    ACTIVE_JOBS = "active_jobs"
    OPEN_STREAMS = "open_streams"
    REQUESTS_PER_MINUTE = "requests_per_minute"
    STORED_BYTES = "stored_bytes"

    def __str__(self) -> str:
        return str(self.value)
