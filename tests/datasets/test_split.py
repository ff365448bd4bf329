"""Splitting a dataset: stratified, reproducible, never leaving a class or a side empty."""

from __future__ import annotations

from collections import Counter

import pytest

from app.datasets.split import SplitError, image_stats, stratified_split
from app.ml.images import ImageInfo


def _labels(**counts: int) -> list[str | None]:
    return [name for name, count in counts.items() for _ in range(count)]


def test_each_class_is_split_in_the_fraction() -> None:
    labels = _labels(cat=10, dog=20, eel=30)
    first, second = stratified_split(labels, 0.8, seed=42)
    assert Counter(labels[i] for i in first) == {"cat": 8, "dog": 16, "eel": 24}
    assert sorted(first + second) == list(range(60))  # a partition
    assert first == sorted(first) and second == sorted(second)


def test_the_same_seed_gives_the_same_split_and_another_seed_another() -> None:
    labels = _labels(cat=50, dog=50)
    assert stratified_split(labels, 0.7, seed=1) == stratified_split(labels, 0.7, seed=1)
    assert stratified_split(labels, 0.7, seed=1) != stratified_split(labels, 0.7, seed=2)


def test_every_class_lands_on_both_sides_even_at_extreme_fractions() -> None:
    labels = _labels(big=100, pair=2, trio=3)
    for fraction in (0.01, 0.99):
        first, second = stratified_split(labels, fraction, seed=0)
        assert {labels[i] for i in first} == {"big", "pair", "trio"}
        assert {labels[i] for i in second} == {"big", "pair", "trio"}


def test_the_overall_count_hits_the_fraction_despite_per_class_rounding() -> None:
    labels = _labels(**{f"c{i}": 5 for i in range(10)})  # 2.5 per class: rounding would drift
    first, _ = stratified_split(labels, 0.5, seed=0)
    assert len(first) == 25


def test_a_class_with_one_image_is_named_in_the_error() -> None:
    with pytest.raises(SplitError, match=r"too few: 'lonely' \(1 image\), 'solo' \(1 image\)"):
        stratified_split(_labels(cat=5, lonely=1, solo=1), 0.5, seed=0)


@pytest.mark.parametrize("fraction", [0.0, 0.05, 0.95, 1.0, 1.5])
def test_a_fraction_that_empties_a_side_gives_the_valid_range(fraction: float) -> None:
    with pytest.raises(SplitError, match="for 10 images it must be between 0.1 and 0.9"):
        stratified_split(_labels(a=5, b=5), fraction, seed=0)


def test_fewer_than_two_images_cannot_be_split() -> None:
    with pytest.raises(SplitError, match="at least 2 images; the dataset has 1"):
        stratified_split(["cat"], 0.5, seed=0)


def test_unlabelled_images_are_shuffled_and_cut() -> None:
    first, second = stratified_split([None] * 10, 0.7, seed=3)
    assert (len(first), len(second)) == (7, 3)
    assert first != list(range(7))  # shuffled, not the first seven
    assert sorted(first + second) == list(range(10))


def test_a_mix_of_labelled_and_unlabelled_is_refused() -> None:
    with pytest.raises(SplitError, match="1 of 3 images have no label"):
        stratified_split(["a", "a", None], 0.5, seed=0)


def test_image_stats() -> None:
    infos = [ImageInfo(100, 50, "PNG", "RGB"), ImageInfo(300, 70, "JPEG", "L")]
    assert image_stats(infos) == {
        "count": 2,
        "min_width": 100,
        "max_width": 300,
        "mean_width": 200.0,
        "min_height": 50,
        "max_height": 70,
        "mean_height": 60.0,
    }
    assert image_stats([])["count"] == 0
    assert image_stats([])["mean_width"] is None
