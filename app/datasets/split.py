"""Splitting a dataset in two (Azure's "Split Image Directory", with a settable seed), and the
size statistics recorded for a dataset."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypedDict

from app.ml.images import ImageInfo


class SplitError(ValueError):
    """The split asked for is impossible; the message says what the user can change."""


def stratified_split(
    labels: Sequence[str | None], fraction: float, seed: int
) -> tuple[list[int], list[int]]:
    """Indices into `labels` for the first (about `fraction` of the images) and second parts.

    Labelled images are split class by class, so each class keeps its share on both sides and
    every class lands on both sides; unlabelled images are shuffled and cut. The same labels,
    fraction and seed always give the same split. Both lists come back sorted."""
    n = len(labels)
    if n < 2:
        raise SplitError(f"a split needs at least 2 images; the dataset has {n}")
    low, high = 1 / n, 1 - 1 / n
    if not low <= fraction <= high:
        raise SplitError(
            f"fraction {fraction:g} would leave one side empty: for {n} images it must be "
            f"between {low:.6g} and {high:.6g}"
        )
    labelled = [label is not None for label in labels]
    rng = random.Random(seed)  # noqa: S311 - reproducible shuffling, not secrecy
    if not any(labelled):
        order = list(range(n))
        rng.shuffle(order)
        cut = min(max(round(fraction * n), 1), n - 1)
        return sorted(order[:cut]), sorted(order[cut:])
    if not all(labelled):
        raise SplitError(f"{labelled.count(False)} of {n} images have no label; label all or none")
    by_class: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_class[str(label)].append(index)
    too_small = {c: len(ix) for c, ix in sorted(by_class.items()) if len(ix) < 2}
    if too_small:
        listed = ", ".join(
            f"{c!r} ({k} image{'s' if k != 1 else ''})" for c, k in too_small.items()
        )
        raise SplitError(
            f"every class needs at least 2 images to appear on both sides; too few: {listed}"
        )
    sizes = _apportion({c: len(ix) for c, ix in by_class.items()}, fraction, round(fraction * n))
    first: list[int] = []
    second: list[int] = []
    for name in sorted(by_class):  # a fixed order, so the seed alone decides the shuffle
        members = by_class[name]
        rng.shuffle(members)
        first += members[: sizes[name]]
        second += members[sizes[name] :]
    return sorted(first), sorted(second)


def _apportion(counts: dict[str, int], fraction: float, target: int) -> dict[str, int]:
    """How many of each class go first: each class's share rounded so that the total hits
    `target` where the one-on-each-side rule allows (largest remainders get the odd images)."""
    quota = {c: fraction * k for c, k in counts.items()}
    sizes = {c: min(max(math.floor(q), 1), counts[c] - 1) for c, q in quota.items()}
    # Classes ordered by how much rounding cost them; ties broken by name, for reproducibility.
    by_remainder = sorted(counts, key=lambda c: (-(quota[c] - sizes[c]), c))
    total = sum(sizes.values())
    for name in by_remainder:
        if total < target and sizes[name] < counts[name] - 1:
            sizes[name] += 1
            total += 1
    for name in reversed(by_remainder):  # only when the one-each-side floor overshot
        if total > target and sizes[name] > 1:
            sizes[name] -= 1
            total -= 1
    return sizes


class ImageStats(TypedDict):
    count: int
    min_width: int | None
    max_width: int | None
    mean_width: float | None
    min_height: int | None
    max_height: int | None
    mean_height: float | None


def image_stats(infos: Iterable[ImageInfo]) -> ImageStats:
    """Count and min/max/mean width and height (None for the sizes when there are no images)."""
    widths: list[int] = []
    heights: list[int] = []
    for info in infos:
        widths.append(info.width)
        heights.append(info.height)
    if not widths:
        return ImageStats(
            count=0,
            min_width=None,
            max_width=None,
            mean_width=None,
            min_height=None,
            max_height=None,
            mean_height=None,
        )
    return ImageStats(
        count=len(widths),
        min_width=min(widths),
        max_width=max(widths),
        mean_width=round(sum(widths) / len(widths), 2),
        min_height=min(heights),
        max_height=max(heights),
        mean_height=round(sum(heights) / len(heights), 2),
    )
