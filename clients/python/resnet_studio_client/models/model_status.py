from enum import StrEnum

class ModelStatus(StrEnum):
    TRAINED = "trained"
    UNTRAINED = "untrained"

    def __str__(self) -> str:
        return str(self.value)
