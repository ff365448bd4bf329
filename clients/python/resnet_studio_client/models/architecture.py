from enum import StrEnum

class Architecture(StrEnum):
    DENSENET121 = "densenet121"
    DENSENET161 = "densenet161"
    DENSENET169 = "densenet169"
    DENSENET201 = "densenet201"
    RESNET101 = "resnet101"
    RESNET152 = "resnet152"
    RESNET18 = "resnet18"
    RESNET34 = "resnet34"
    RESNET50 = "resnet50"
    RESNEXT101_32X8D = "resnext101_32x8d"
    RESNEXT50_32X4D = "resnext50_32x4d"
    WIDE_RESNET101_2 = "wide_resnet101_2"
    WIDE_RESNET50_2 = "wide_resnet50_2"

    def __str__(self) -> str:
        return str(self.value)
