from enum import StrEnum

class DatasetStatus(StrEnum):
    FAILED = "failed"
    INDEXING = "indexing"
    READY = "ready"

    def __str__(self) -> str:
        return str(self.value)
