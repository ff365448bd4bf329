"""The architecture registry builds every supported network through torchvision."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torchvision.models import get_model

from app.ml.architectures import (
    Architecture,
    BuildOptions,
    Family,
    IncompatibleWeights,
    UnknownArchitecture,
    build_network,
    check_backbone_state,
    classifier_head,
    imagenet_weights,
    normalise_state_keys,
    parse_architecture,
)


def test_the_registry_holds_exactly_the_thirteen_supported_architectures() -> None:
    assert {a.value for a in Architecture} == {
        "resnet18",
        "resnet34",
        "resnet50",
        "resnet101",
        "resnet152",
        "resnext50_32x4d",
        "resnext101_32x8d",
        "wide_resnet50_2",
        "wide_resnet101_2",
        "densenet121",
        "densenet161",
        "densenet169",
        "densenet201",
    }


def test_an_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownArchitecture, match="resnet18, resnet34"):
        parse_architecture("resnet17")


@pytest.mark.parametrize("arch", list(Architecture), ids=lambda a: a.value)
def test_every_architecture_builds_for_any_class_count_and_runs_forward(arch: Architecture) -> None:
    torch.manual_seed(0)
    network = build_network(arch, num_classes=3).eval()
    with torch.inference_mode():
        logits = network(torch.rand(2, 3, 64, 64))
    assert logits.shape == (2, 3)
    assert classifier_head(network, arch).out_features == 3
    info = imagenet_weights(arch)
    assert info.file_name.startswith(arch.value + "-") and info.file_name.endswith(".pth")
    assert info.gflops > 1 and info.num_params > 7_000_000


def test_pretrained_backbone_gets_a_new_head_replaced_not_stacked() -> None:
    torch.manual_seed(0)
    imagenet = get_model("resnet18", weights=None).state_dict()
    network = build_network(Architecture.RESNET18, num_classes=5, backbone_state=imagenet)
    assert isinstance(network.fc, nn.Linear)
    assert (network.fc.in_features, network.fc.out_features) == (512, 5)
    # The backbone is exactly the given weights; only the head is new.
    assert torch.equal(network.conv1.weight, imagenet["conv1.weight"])
    assert torch.equal(network.layer4[1].bn2.running_var, imagenet["layer4.1.bn2.running_var"])
    assert not any(isinstance(m, nn.Linear) and m.out_features == 1000 for m in network.modules())


def test_densenet_loads_torchvision_legacy_key_names() -> None:
    state = get_model("densenet121", weights=None).state_dict()
    # As in torchvision's published file: old key names, and no num_batches_tracked.
    legacy = {
        k.replace(".norm1.", ".norm.1.").replace(".conv2.", ".conv.2."): v
        for k, v in state.items()
        if not k.endswith("num_batches_tracked")
    }
    assert legacy.keys() != state.keys()
    renamed = normalise_state_keys(Architecture.DENSENET121, legacy)
    assert renamed.keys() == {k for k in state if not k.endswith("num_batches_tracked")}
    check_backbone_state(Architecture.DENSENET121, legacy)
    network = build_network(Architecture.DENSENET121, num_classes=2, backbone_state=legacy)
    assert network.classifier.out_features == 2


def test_weights_of_another_architecture_are_refused_with_the_mismatch() -> None:
    resnet34_state = get_model("resnet34", weights=None).state_dict()
    with pytest.raises(
        IncompatibleWeights, match="do not fit resnet18: 0 missing keys.*unexpected"
    ):
        check_backbone_state(Architecture.RESNET18, resnet34_state)


def test_zero_init_residual_zeroes_the_last_norm_of_each_branch() -> None:
    network = build_network(
        Architecture.RESNET50, num_classes=2, options=BuildOptions(zero_init_residual=True)
    )
    assert torch.count_nonzero(network.layer1[0].bn3.weight) == 0
    assert torch.count_nonzero(build_network(Architecture.RESNET50, 2).layer1[0].bn3.weight) > 0


def test_memory_efficient_is_densenet_only_and_zero_init_is_resnet_only() -> None:
    assert Architecture.DENSENET169.family is Family.DENSENET
    network = build_network(
        Architecture.DENSENET121, 2, options=BuildOptions(memory_efficient=True)
    )
    assert network.features.denseblock1.denselayer1.memory_efficient is True
    with pytest.raises(ValueError, match="DenseNet only"):
        build_network(Architecture.RESNET18, 2, options=BuildOptions(memory_efficient=True))
    with pytest.raises(ValueError, match="ResNet family only"):
        build_network(Architecture.DENSENET121, 2, options=BuildOptions(zero_init_residual=True))
