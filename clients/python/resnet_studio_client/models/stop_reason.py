from enum import StrEnum

class StopReason(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    EARLY_STOPPED = "early_stopped"

    def __str__(self) -> str:
        return str(self.value)
