from enum import StrEnum

class SubStatus(StrEnum):
    STAGING_DATA = "staging_data"
    TRAINING = "training"
    UPLOADING = "uploading"

    def __str__(self) -> str:
        return str(self.value)
