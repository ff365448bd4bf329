from enum import StrEnum

class LrSchedule(StrEnum):
    CONSTANT = "constant"
    COSINE = "cosine"
    POLY = "poly"
    STEP = "step"

    def __str__(self) -> str:
        return str(self.value)
