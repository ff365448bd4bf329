from __future__ import annotations

from pydantic import BaseModel, Field

from app.ml.architectures import Architecture, Family


class ImageNetWeightsInfo(BaseModel):
    name: str = Field(
        description="torchvision's weights enum, e.g. ResNet50_Weights.IMAGENET1K_V2."
    )
    file_name: str = Field(description="The file the weights store must hold.")
    available: bool = Field(description="Whether this server can use the file right now.")
    top1_accuracy: float = Field(
        description="ImageNet-1K top-1 accuracy (%) published by torchvision."
    )


class ArchitectureInfo(BaseModel):
    name: Architecture
    family: Family
    num_params: int = Field(description="Parameters with the 1000-class ImageNet head.")
    gflops: float = Field(description="Forward GFLOPs for one 224x224 image.")
    default_input_size: int = Field(description="Square crop size the network is trained at.")
    default_resize_size: int = Field(description="Resize before the crop, for these weights.")
    imagenet_weights: ImageNetWeightsInfo


class ArchitectureList(BaseModel):
    items: list[ArchitectureInfo]
