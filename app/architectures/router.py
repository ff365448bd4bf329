from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import WeightsDep
from app.architectures import service
from app.architectures.schemas import ArchitectureInfo, ArchitectureList
from app.ml.architectures import Architecture

router = APIRouter(prefix="/v1/architectures", tags=["architectures"])


@router.get("", name="list", summary="List the supported architectures")
def list_architectures(weights: WeightsDep) -> ArchitectureList:
    """Every architecture this server builds, with its size, cost and whether its ImageNet weights
    are in the weights store right now."""
    return ArchitectureList(items=service.list_architectures(weights))


@router.get("/{name}", name="get", summary="Describe one architecture")
def get_architecture(name: Architecture, weights: WeightsDep) -> ArchitectureInfo:
    return service.get_architecture(weights, name)
