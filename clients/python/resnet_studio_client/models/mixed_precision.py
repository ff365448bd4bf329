from enum import StrEnum

class MixedPrecision(StrEnum):
    AUTO = "auto"
    BF16 = "bf16"
    FP16 = "fp16"
    OFF = "off"

    def __str__(self) -> str:
        return str(self.value)
