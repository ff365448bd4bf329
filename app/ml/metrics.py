"""Multi-class evaluation of predicted probabilities, in numpy alone (Azure's Evaluate Model,
defects fixed).

The figures equal scikit-learn's on the same predictions (the tests check it):
`accuracy_score`, `top_k_accuracy_score(labels=range(k))`, `log_loss(labels=range(k))`,
`confusion_matrix(labels=range(k))` and `precision_recall_fscore_support(labels=range(k),
zero_division=0)`. Every class of the model counts, also one absent from the test set, so the
macro averages are the means of the `per_class` rows. A prediction is the argmax (the lowest
index on a tie); top-k ranks tied scores as scikit-learn does (the higher index first).

Everything follows from a few sums: the confusion matrix, the top-k hits and the exact log-loss
sum. `EvaluationAccumulator` keeps only those, so a scoring job over millions of images can feed
it batch by batch, and its result is identical to `evaluate_predictions` on all of them at once.
Scikit-learn cannot take these sums: fed the matrix as weighted (true, predicted) pairs it gives
the same precision, recall and F1 four times slower in as many lines, its top-k sorts every row
(five times slower per part of a 1,000-class model) and its log loss is a rounded mean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

AVERAGES = ("macro", "micro", "weighted")
PER_CLASS = ("precision", "recall", "f1")
ROW_SUM_TOLERANCE = 1e-3  # float16 softmax over 1000 classes sums to 1 within ~5e-4


@dataclass(frozen=True)
class Averages:
    macro: float | None
    micro: float | None
    weighted: float | None  # weighted by each class's support

    def to_dict(self) -> dict[str, float | None]:
        return {"macro": self.macro, "micro": self.micro, "weighted": self.weighted}


@dataclass(frozen=True)
class ClassMetrics:
    name: str
    precision: float | None
    recall: float | None
    f1: float | None
    support: int  # samples whose true class this is

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.name,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.support,
        }


@dataclass(frozen=True)
class ConfusionMatrix:
    labels: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]  # rows: true class, columns: predicted class

    def to_dict(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "matrix": [list(row) for row in self.matrix]}


@dataclass(frozen=True)
class Evaluation:
    """Every ratio is None when there were no samples; otherwise a 0/0 per class is 0."""

    count: int
    accuracy: float | None
    top_k: int  # the k used: the one asked for, at most the number of classes
    top_k_accuracy: float | None
    precision: Averages
    recall: Averages
    f1: Averages
    per_class: tuple[ClassMetrics, ...]
    log_loss: float | None  # mean natural-log cross-entropy, probabilities clipped to [eps, 1-eps]
    confusion_matrix: ConfusionMatrix

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: plain ints, floats (never NaN or infinite), None, lists and dicts."""
        return {
            "count": self.count,
            "accuracy": self.accuracy,
            "top_k": self.top_k,
            "top_k_accuracy": self.top_k_accuracy,
            "precision": self.precision.to_dict(),
            "recall": self.recall.to_dict(),
            "f1": self.f1.to_dict(),
            "per_class": [c.to_dict() for c in self.per_class],
            "log_loss": self.log_loss,
            "confusion_matrix": self.confusion_matrix.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evaluation:
        try:
            return cls(
                count=int(data["count"]),
                accuracy=_number(data["accuracy"]),
                top_k=int(data["top_k"]),
                top_k_accuracy=_number(data["top_k_accuracy"]),
                precision=_averages(data["precision"]),
                recall=_averages(data["recall"]),
                f1=_averages(data["f1"]),
                per_class=tuple(_class_metrics(c) for c in data["per_class"]),
                log_loss=_number(data["log_loss"]),
                confusion_matrix=ConfusionMatrix(
                    tuple(str(name) for name in data["confusion_matrix"]["labels"]),
                    tuple(tuple(int(n) for n in row) for row in data["confusion_matrix"]["matrix"]),
                ),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not an evaluation dict ({type(error).__name__}: {error})") from error


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _averages(data: Mapping[str, Any]) -> Averages:
    return Averages(*(_number(data[name]) for name in AVERAGES))


def _class_metrics(data: Mapping[str, Any]) -> ClassMetrics:
    return ClassMetrics(
        str(data["class"]),
        _number(data["precision"]),
        _number(data["recall"]),
        _number(data["f1"]),
        int(data["support"]),
    )


class EvaluationAccumulator:
    """Feed batches with `add`, read the Evaluation of everything fed so far with `result`."""

    def __init__(self, class_names: Sequence[str], top_k: int = 5) -> None:
        names = tuple(str(name) for name in class_names)
        if len(names) < 2:
            raise ValueError(f"a classifier needs at least two classes, got {list(names)}")
        if len(set(names)) != len(names):
            raise ValueError(f"class names must be unique, got {list(names)}")
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        self.class_names = names
        self.top_k = min(top_k, len(names))
        self._matrix = np.zeros((len(names), len(names)), dtype=np.int64)
        self._top_k_hits = 0
        self._log_loss_sum = Fraction(0)  # exact, so batching never changes the result

    @property
    def count(self) -> int:
        return int(self._matrix.sum())

    def state(self) -> dict[str, Any]:
        """JSON-safe sums, for a job's checkpoint; `from_state` resumes from them exactly."""
        return {
            "class_names": list(self.class_names),
            "top_k": self.top_k,
            "matrix": self._matrix.tolist(),
            "top_k_hits": self._top_k_hits,
            "log_loss_sum": str(self._log_loss_sum),  # "numerator/denominator", exact
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> EvaluationAccumulator:
        accumulator = cls(state["class_names"], int(state["top_k"]))
        matrix = np.asarray(state["matrix"], dtype=np.int64)
        if matrix.shape != accumulator._matrix.shape or (matrix < 0).any():
            classes = len(accumulator.class_names)
            raise ValueError(f"the saved confusion matrix is not {classes} x {classes} counts")
        accumulator._matrix = matrix
        accumulator._top_k_hits = int(state["top_k_hits"])
        accumulator._log_loss_sum = Fraction(state["log_loss_sum"])
        return accumulator

    def add(self, y_true: Sequence[int] | npt.ArrayLike, probabilities: npt.ArrayLike) -> None:
        """Count one batch; a malformed batch raises ValueError and leaves the sums as they were."""
        truth, probs = _validated(y_true, probabilities, len(self.class_names))
        k = len(self.class_names)
        predicted = np.argmax(probs, axis=1)
        self._matrix += np.bincount(truth * k + predicted, minlength=k * k).reshape(k, k)
        self._top_k_hits += _top_k_hits(truth, probs, self.top_k)
        # scikit-learn clips to the machine epsilon of the probabilities' own float type.
        eps = np.finfo(probs.dtype).eps
        true_probs = np.clip(probs[np.arange(len(truth)), truth], eps, 1 - eps)
        self._log_loss_sum += _exact_sum(-np.log(true_probs.astype(np.float64)))

    def result(self) -> Evaluation:
        count, matrix = self.count, self._matrix
        precision, recall, f1 = _per_class_scores(matrix)
        support = matrix.sum(axis=1)
        per_class = tuple(
            ClassMetrics(name, _value(count, p), _value(count, r), _value(count, f), int(s))
            for name, p, r, f, s in zip(
                self.class_names, precision, recall, f1, support, strict=True
            )
        )
        accuracy = _ratio(int(np.trace(matrix)), count)
        return Evaluation(
            count=count,
            accuracy=accuracy,
            top_k=self.top_k,
            top_k_accuracy=_ratio(self._top_k_hits, count),
            precision=_averaged(precision, support, accuracy),
            recall=_averaged(recall, support, accuracy),
            f1=_averaged(f1, support, accuracy),  # micro-averaged, all three are the accuracy
            per_class=per_class,
            log_loss=float(self._log_loss_sum / count) if count else None,
            confusion_matrix=ConfusionMatrix(
                self.class_names, tuple(tuple(int(n) for n in row) for row in matrix)
            ),
        )


def evaluate_predictions(
    y_true: Sequence[int] | npt.ArrayLike,
    probabilities: npt.ArrayLike,
    class_names: Sequence[str],
    top_k: int = 5,
) -> Evaluation:
    """Evaluate n predictions: true class indices and an n x k matrix of probabilities."""
    accumulator = EvaluationAccumulator(class_names, top_k)
    accumulator.add(y_true, probabilities)
    return accumulator.result()


FloatArray = npt.NDArray[np.floating[Any]]
IntArray = npt.NDArray[np.int64]


def _validated(
    y_true: Sequence[int] | npt.ArrayLike, probabilities: npt.ArrayLike, classes: int
) -> tuple[IntArray, FloatArray]:
    truth, probs = np.asarray(y_true), np.asarray(probabilities)
    if truth.ndim != 1 or (truth.size and truth.dtype.kind not in "iu"):
        raise ValueError("y_true must be a flat sequence of integer class indices")
    truth = truth.astype(np.int64)
    if truth.size and (truth.min() < 0 or truth.max() >= classes):
        raise ValueError(f"y_true holds class indices outside 0..{classes - 1}")
    if probs.dtype.kind not in "f":
        probs = probs.astype(np.float64)
    if probs.shape != (len(truth), classes):
        raise ValueError(
            f"probabilities must have shape ({len(truth)}, {classes}): one row per sample, "
            f"one column per class; got {probs.shape}"
        )
    if not probs.size:
        return truth, probs
    if not np.isfinite(probs).all() or probs.min() < 0 or probs.max() > 1:
        raise ValueError("probabilities must be finite and within [0, 1] (softmax, not logits)")
    deviation = float(np.abs(probs.sum(axis=1, dtype=np.float64) - 1).max())
    if deviation > ROW_SUM_TOLERANCE:
        raise ValueError(f"each row of probabilities must sum to 1 (one is off by {deviation:.3g})")
    return truth, probs


def _top_k_hits(truth: IntArray, probs: FloatArray, k: int) -> int:
    """Samples whose true class is among the k ranked first, ranked like scikit-learn."""
    classes = probs.shape[1]
    if k >= classes:
        return len(truth)
    if classes == 2:  # scikit-learn's binary case: top-1 is the prediction (p1 > 0.5)
        return int((np.argmax(probs, axis=1) == truth).sum())
    # A stable ascending sort, reversed: among equal scores the higher index ranks first.
    true_scores = probs[np.arange(len(truth)), truth][:, None]
    higher_index = np.arange(classes)[None, :] > truth[:, None]
    ahead = (probs > true_scores) | ((probs == true_scores) & higher_index)
    return int((ahead.sum(axis=1) < k).sum())


def _exact_sum(values: npt.NDArray[np.float64]) -> Fraction:
    """The exact sum of finite floats, so it is the same however the values are batched."""
    mantissas, exponents = np.frexp(values)  # value = mantissa * 2**exponent, |mantissa| < 1
    whole = np.ldexp(mantissas, 53).astype(np.int64)  # value = whole * 2**(exponent - 53)
    total = Fraction(0)
    for exponent in np.unique(exponents):
        chosen = whole[exponents == exponent]
        # Summed in two 26-bit halves: int64 cannot overflow below 2**36 values.
        high, low = int(np.sum(chosen >> 26)), int(np.sum(chosen & (2**26 - 1)))
        total += Fraction((high << 26) + low) * Fraction(2) ** (int(exponent) - 53)
    return total


def _per_class_scores(matrix: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    true_positives = np.diag(matrix).astype(np.float64)
    support, predicted = matrix.sum(axis=1), matrix.sum(axis=0)
    return (
        _divide(true_positives, predicted),
        _divide(true_positives, support),
        _divide(2 * true_positives, support + predicted),  # scikit-learn's F1 formula
    )


def _divide(numerator: FloatArray, denominator: IntArray) -> FloatArray:
    """numerator / denominator, 0 where the denominator is 0 (scikit-learn's zero_division=0)."""
    out = np.zeros_like(numerator, dtype=np.float64)
    return np.divide(numerator, denominator, out=out, where=denominator > 0)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _value(count: int, value: np.floating[Any]) -> float | None:
    return float(value) if count else None


def _averaged(per_class: FloatArray, support: IntArray, accuracy: float | None) -> Averages:
    if accuracy is None:
        return Averages(None, None, None)
    macro = float(np.mean(per_class))
    return Averages(macro, accuracy, float(np.average(per_class, weights=support)))


def compare(a: Evaluation, b: Evaluation) -> dict[str, Any]:
    """b - a for every figure, and which evaluation is better on it, for two evaluations of the
    same test set (same classes, samples and true labels); ValueError otherwise."""
    _check_comparable(a, b)
    scalars: dict[str, tuple[float | None, float | None]] = {
        "accuracy": (a.accuracy, b.accuracy),
        "top_k_accuracy": (a.top_k_accuracy, b.top_k_accuracy),
        "log_loss": (a.log_loss, b.log_loss),
    }
    for metric in PER_CLASS:
        for average in AVERAGES:
            pair = (getattr(getattr(a, metric), average), getattr(getattr(b, metric), average))
            scalars[f"{metric}_{average}"] = pair
    per_class = [
        {
            "class": ca.name,
            "support": ca.support,
            **{m: _difference(getattr(ca, m), getattr(cb, m)) for m in PER_CLASS},
        }
        for ca, cb in zip(a.per_class, b.per_class, strict=True)
    ]
    return {
        "count": a.count,
        "top_k": a.top_k,
        "metrics": {
            name: _difference(*pair, lower_is_better=name == "log_loss")
            for name, pair in scalars.items()
        },
        "per_class": per_class,
    }


def _check_comparable(a: Evaluation, b: Evaluation) -> None:
    labels_a, labels_b = a.confusion_matrix.labels, b.confusion_matrix.labels
    if labels_a != labels_b:
        raise ValueError(
            "cannot compare evaluations computed on different class lists: "
            f"{list(labels_a)} and {list(labels_b)}"
        )
    if a.count != b.count:
        raise ValueError(
            f"cannot compare evaluations of different numbers of samples ({a.count} and "
            f"{b.count}): evaluate both models on the same test set"
        )
    if [c.support for c in a.per_class] != [c.support for c in b.per_class]:
        raise ValueError(
            "cannot compare evaluations whose true labels differ (class supports differ): "
            "evaluate both models on the same test set"
        )
    if a.top_k != b.top_k:
        raise ValueError(f"cannot compare top-{a.top_k} with top-{b.top_k} accuracy")


def _difference(
    a: float | None, b: float | None, *, lower_is_better: bool = False
) -> dict[str, Any]:
    if a is None or b is None:
        return {"a": a, "b": b, "difference": None, "better": None}
    b_is_better = b < a if lower_is_better else b > a
    better = "equal" if a == b else "b" if b_is_better else "a"
    return {"a": a, "b": b, "difference": b - a, "better": better}
