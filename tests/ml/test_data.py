"""Samples, label mapping and reproducible loaders."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from app.ml.data import LabelledImages, make_loader, map_labels


def test_validation_labels_follow_the_training_class_map() -> None:
    training = {"cat": 0, "dog": 1, "fox": 2}
    # Azure numbered these by the validation set's own sorted classes: fox would have become 1.
    assert map_labels(["fox", "cat", "fox"], training) == [2, 0, 2]


def test_validation_classes_missing_from_training_are_all_named() -> None:
    with pytest.raises(ValueError, match=r"2 validation classes .*: emu, yak \(training classes"):
        map_labels(["yak", "cat", "emu", "yak"], {"cat": 0, "dog": 1})


def test_samples_are_decoded_to_rgb_and_transformed(tmp_path: Path) -> None:
    path = tmp_path / "grey.png"
    Image.new("L", (5, 4), 128).save(path)
    item, label = LabelledImages([(path, 3)], _to_tensor)[0]  # the default loader: open_rgb
    assert label == 3
    assert item.shape == (3, 4, 5)
    assert torch.allclose(item, torch.full_like(item, 128 / 255))


def _to_tensor(image: Image.Image) -> torch.Tensor:
    return torch.from_numpy(np.array(image)).permute(2, 0, 1).float() / 255


def _blank(_: Path) -> Image.Image:
    return Image.new("RGB", (2, 2))


def _index_of(image: Image.Image) -> torch.Tensor:
    return torch.zeros(1)


def _numbers(count: int) -> LabelledImages:
    """A dataset whose labels are the sample indices, to read the order batches come in."""
    return LabelledImages([(Path(f"{i}.png"), i) for i in range(count)], _index_of, _blank)


def _order(loader: torch.utils.data.DataLoader[object]) -> list[int]:
    return [int(i) for _, labels in loader for i in labels]


@pytest.mark.parametrize(("size", "train_batches", "eval_batches"), [(9, 2, 3), (10, 3, 3)])
def test_training_drops_only_a_last_batch_of_one(
    size: int, train_batches: int, eval_batches: int
) -> None:
    assert len(make_loader(_numbers(size), 4, True, 0, 0, "cpu")) == train_batches
    assert len(make_loader(_numbers(size), 4, False, 0, 0, "cpu")) == eval_batches


def test_memory_is_pinned_only_for_cuda() -> None:
    assert not make_loader(_numbers(4), 2, False, 0, 0, "cpu").pin_memory
    assert make_loader(_numbers(4), 2, False, 0, 0, torch.device("cuda")).pin_memory


def test_a_training_batch_of_one_image_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        make_loader(_numbers(8), 1, True, 0, 0, "cpu")
    with pytest.raises(ValueError, match="at least 2 images"):
        make_loader(_numbers(1), 4, True, 0, 0, "cpu")


def test_the_shuffle_order_is_a_function_of_seed_and_epoch_alone() -> None:
    straight = make_loader(_numbers(20), 4, True, 7, 0, "cpu")
    orders = []
    for epoch in range(3):
        straight.set_epoch(epoch)
        orders.append(_order(straight))
    assert orders[0] != orders[1] != orders[2]
    assert sorted(orders[1]) == list(range(20))

    resumed = make_loader(_numbers(20), 4, True, 7, 0, "cpu")
    resumed.set_epoch(2)  # as a run resumed after two epochs does
    assert _order(resumed) == orders[2]
    other_seed = make_loader(_numbers(20), 4, True, 8, 0, "cpu")
    other_seed.set_epoch(2)
    assert _order(other_seed) != orders[2]


def test_the_evaluation_order_is_the_sample_order() -> None:
    assert _order(make_loader(_numbers(7), 3, False, 0, 0, "cpu")) == list(range(7))


def _random_draws(image: Image.Image) -> torch.Tensor:
    # What augmentations draw from: Python's random, NumPy's global generator and torch.
    return torch.tensor([random.random(), float(np.random.rand()), float(torch.rand(()))])


def test_workers_draw_reproducible_and_distinct_random_numbers() -> None:
    def draws(seed: int) -> torch.Tensor:
        dataset = LabelledImages([(Path(f"{i}"), i) for i in range(8)], _random_draws, _blank)
        loader = make_loader(dataset, 2, True, seed, 2, "cpu")
        loader.set_epoch(1)
        return torch.cat([batch for batch, _ in loader])

    first, again, other = draws(3), draws(3), draws(4)
    assert torch.equal(first, again)
    assert not torch.equal(first, other)
    # Forked workers inherit one generator state: unless each is reseeded, they repeat numbers.
    for column in range(3):
        assert len(set(first[:, column].tolist())) == 8
