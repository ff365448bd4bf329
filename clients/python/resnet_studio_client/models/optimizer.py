from enum import StrEnum

class Optimizer(StrEnum):
    ADAMW = "adamw"
    SGD = "sgd"

    def __str__(self) -> str:
        return str(self.value)
