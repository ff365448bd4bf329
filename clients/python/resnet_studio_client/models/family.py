from enum import StrEnum

class Family(StrEnum):
    DENSENET = "densenet"
    RESNET = "resnet"

    def __str__(self) -> str:
        return str(self.value)
