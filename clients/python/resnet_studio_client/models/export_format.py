from enum import StrEnum

class ExportFormat(StrEnum):
    ONNX = "onnx"
    SAFETENSORS = "safetensors"
    TORCHSCRIPT = "torchscript"

    def __str__(self) -> str:
        return str(self.value)
