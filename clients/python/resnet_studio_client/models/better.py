from enum import StrEnum

class Better(StrEnum):
    A = "a"
    B = "b"
    EQUAL = "equal"

    def __str__(self) -> str:
        return str(self.value)
