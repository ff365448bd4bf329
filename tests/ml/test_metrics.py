"""Multi-class evaluation equals scikit-learn's figures, batched or not, and compares fairly."""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import numpy as np
import pytest
from sklearn import metrics as sk

from app.ml.metrics import (
    Evaluation,
    EvaluationAccumulator,
    compare,
    evaluate_predictions,
)

AVERAGES = ("macro", "micro", "weighted")


def _names(classes: int) -> list[str]:
    return [f"class {i}" for i in range(classes)]


def _random_predictions(
    seed: int, samples: int, classes: int, dtype: type = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    """Peaked probabilities, right about half the time, with a class or two never predicted."""
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, classes, samples)
    probs = rng.dirichlet(np.full(classes, 0.3), size=samples)
    right = rng.random(samples) < 0.5
    probs[right, y_true[right]] += 2.0
    if classes > 3:
        probs[:, 0] = 0.0  # never predicted, and a log-loss clip whenever it is the truth
    probs /= probs.sum(axis=1, keepdims=True)
    return y_true, probs.astype(dtype)


def _assert_matches_sklearn(y: np.ndarray, probs: np.ndarray, top_k: int, rel: float) -> None:
    classes = probs.shape[1]
    labels = list(range(classes))
    result = evaluate_predictions(y, probs, _names(classes), top_k=top_k)
    predicted = probs.argmax(axis=1)
    k = min(top_k, classes)
    score = probs[:, 1] if classes == 2 else probs  # scikit-learn's binary form
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "k >= n_classes gives a perfect score"
        top_k_expected = sk.top_k_accuracy_score(y, score, k=k, labels=labels)
    assert result.count == len(y)
    assert result.top_k == k
    assert result.accuracy == pytest.approx(sk.accuracy_score(y, predicted), rel=1e-12)
    assert result.top_k_accuracy == pytest.approx(top_k_expected, rel=1e-12)
    assert result.log_loss == pytest.approx(sk.log_loss(y, probs, labels=labels), rel=rel)
    expected_matrix = sk.confusion_matrix(y, predicted, labels=labels).tolist()
    assert [list(row) for row in result.confusion_matrix.matrix] == expected_matrix
    assert result.confusion_matrix.labels == tuple(_names(classes))
    for average in AVERAGES:
        p, r, f, _ = sk.precision_recall_fscore_support(
            y, predicted, labels=labels, average=average, zero_division=0
        )
        assert getattr(result.precision, average) == pytest.approx(p, rel=1e-12, abs=1e-15)
        assert getattr(result.recall, average) == pytest.approx(r, rel=1e-12, abs=1e-15)
        assert getattr(result.f1, average) == pytest.approx(f, rel=1e-12, abs=1e-15)
    p, r, f, support = sk.precision_recall_fscore_support(
        y, predicted, labels=labels, zero_division=0
    )
    assert [c.name for c in result.per_class] == _names(classes)
    assert [c.support for c in result.per_class] == support.tolist()
    assert [c.precision for c in result.per_class] == pytest.approx(p.tolist(), rel=1e-12)
    assert [c.recall for c in result.per_class] == pytest.approx(r.tolist(), rel=1e-12)
    assert [c.f1 for c in result.per_class] == pytest.approx(f.tolist(), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("samples", "classes"), [(40, 2), (200, 3), (500, 7), (300, 40)])
@pytest.mark.parametrize("top_k", [1, 3, 5])
def test_random_predictions_match_scikit_learn(
    seed: int, samples: int, classes: int, top_k: int
) -> None:
    y, probs = _random_predictions(seed, samples, classes)
    _assert_matches_sklearn(y, probs, top_k, rel=1e-12)


def test_float32_probabilities_are_clipped_at_float32_epsilon_like_scikit_learn() -> None:
    y, probs = _random_predictions(3, 400, 10, dtype=np.float32)
    _assert_matches_sklearn(y, probs, 5, rel=1e-6)
    certain_miss = evaluate_predictions([0], np.array([[0.0, 1.0]], np.float32), ["a", "b"])
    assert certain_miss.log_loss == pytest.approx(-math.log(np.finfo(np.float32).eps))


def test_a_zero_probability_for_the_truth_costs_minus_log_epsilon_not_infinity() -> None:
    result = evaluate_predictions([0, 1], np.array([[0.0, 1.0], [0.0, 1.0]]), ["a", "b"])
    expected = sk.log_loss([0, 1], [[0.0, 1.0], [0.0, 1.0]], labels=[0, 1])
    assert result.log_loss == pytest.approx(expected, rel=1e-12)
    assert result.log_loss == pytest.approx(-math.log(np.finfo(float).eps) / 2, rel=1e-9)


HAND_MADE = {
    # class 2 is never predicted, class 3 never occurs
    "never predicted, absent": (
        [0, 1, 2, 2, 0],
        [[0.9, 0.1, 0, 0], [0.2, 0.5, 0.1, 0.2], [0.1, 0.6, 0.3, 0], [0.5, 0, 0.2, 0.3],
         [0.3, 0.3, 0.2, 0.2]],
    ),
    "two classes": ([0, 1, 1, 0, 1], [[0.7, 0.3], [0.4, 0.6], [0.5, 0.5], [0.2, 0.8], [1, 0]]),
    # ties everywhere, at the top and at the k-th place
    "ties": (
        [0, 1, 2, 3, 2, 1],
        [[0.5, 0.5, 0, 0], [0.5, 0.5, 0, 0], [0.4, 0.2, 0.2, 0.2], [0.25] * 4, [0.4, 0.2, 0.2, 0.2],
         [0.4, 0.2, 0.2, 0.2]],
    ),
    "all right": ([0, 1, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    "one class only in truth": ([1, 1, 1], [[0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]]),
}  # fmt: skip


@pytest.mark.parametrize("case", HAND_MADE)
@pytest.mark.parametrize("top_k", [1, 2, 3])
def test_hand_made_edge_cases_match_scikit_learn(case: str, top_k: int) -> None:
    y, rows = HAND_MADE[case]
    _assert_matches_sklearn(np.array(y), np.array(rows, dtype=float), top_k, rel=1e-12)


def test_the_prediction_is_the_lowest_index_among_tied_maxima() -> None:
    result = evaluate_predictions([0, 1], np.array([[0.5, 0.5, 0], [0.5, 0.5, 0]]), _names(3))
    assert result.confusion_matrix.matrix == ((1, 0, 0), (1, 0, 0), (0, 0, 0))


def test_top_k_ranks_tied_scores_higher_index_first_like_scikit_learn() -> None:
    probs = np.array([[0.4, 0.2, 0.2, 0.2]] * 3)
    # Ranked 0, 3, 2, 1: in the top 2 only class 3 joins class 0.
    result = evaluate_predictions([3, 2, 1], probs, _names(4), top_k=2)
    assert result.top_k_accuracy == pytest.approx(1 / 3)


def test_top_k_is_capped_at_the_number_of_classes() -> None:
    result = evaluate_predictions([0, 1, 2], np.full((3, 3), 1 / 3), _names(3), top_k=5)
    assert (result.top_k, result.top_k_accuracy) == (3, 1.0)


def test_a_class_absent_from_the_test_set_still_gets_a_row_and_counts_in_the_macro_average() -> (
    None
):
    probs = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1]])
    result = evaluate_predictions([0, 1], probs, ["a", "b", "c"])
    absent = result.per_class[2]
    assert (absent.name, absent.support, absent.precision, absent.recall, absent.f1) == (
        "c", 0, 0.0, 0.0, 0.0
    )  # fmt: skip
    assert result.precision.macro == pytest.approx(2 / 3)  # the mean of the three rows
    assert result.precision.micro == result.precision.weighted == 1.0


def test_to_dict_is_json_safe_in_the_documented_layout_and_round_trips() -> None:
    y, probs = _random_predictions(4, 50, 4)
    result = evaluate_predictions(y, probs, ["cat", "dog", "bird", "fish"])
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert set(data) == {
        "count", "accuracy", "top_k", "top_k_accuracy", "precision", "recall", "f1",
        "per_class", "log_loss", "confusion_matrix",
    }  # fmt: skip
    assert set(data["precision"]) == set(AVERAGES)
    assert data["per_class"][1] == {
        "class": "dog",
        "precision": result.per_class[1].precision,
        "recall": result.per_class[1].recall,
        "f1": result.per_class[1].f1,
        "support": int((y == 1).sum()),
    }
    assert data["confusion_matrix"]["labels"] == ["cat", "dog", "bird", "fish"]
    assert sum(map(sum, data["confusion_matrix"]["matrix"])) == 50
    assert Evaluation.from_dict(json.loads(text)) == result


def test_from_dict_refuses_a_dict_that_is_not_an_evaluation() -> None:
    with pytest.raises(ValueError, match="not an evaluation dict"):
        Evaluation.from_dict({"count": 3, "accuracy": 1.0})


def test_no_samples_give_none_for_every_ratio_and_stay_json_safe() -> None:
    result = evaluate_predictions([], np.empty((0, 3)), _names(3))
    assert result.count == 0
    assert result.accuracy is result.top_k_accuracy is result.log_loss is None
    assert result.precision.macro is result.f1.weighted is result.per_class[0].recall is None
    json.dumps(result.to_dict(), allow_nan=False)


@pytest.mark.parametrize(
    ("y_true", "probs", "message"),
    [
        ([0, 1], [[0.5, 0.5, 0.0]], "shape"),
        ([0, 1], [[2.0, -1.0], [0.3, 0.7]], "softmax, not logits"),
        ([0, 1], [[0.6, 0.6], [0.3, 0.7]], "sum to 1"),
        ([0, 2], [[0.5, 0.5], [0.3, 0.7]], "outside 0..1"),
        ([0.0, 1.0], [[0.5, 0.5], [0.3, 0.7]], "integer class indices"),
        ([0, 1], [[float("nan"), 1.0], [0.3, 0.7]], "finite"),
    ],
)
def test_malformed_inputs_are_refused_with_a_clear_message(
    y_true: list[Any], probs: list[list[float]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate_predictions(y_true, np.array(probs), ["a", "b"])


@pytest.mark.parametrize(
    ("names", "top_k", "message"),
    [(["a"], 5, "at least two"), (["a", "a"], 5, "unique"), (["a", "b"], 0, "top_k")],
)
def test_bad_class_lists_and_k_are_refused(names: list[str], top_k: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EvaluationAccumulator(names, top_k)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_accumulator_fed_in_batches_equals_the_one_shot_evaluation(
    seed: int, dtype: type
) -> None:
    y, probs = _random_predictions(seed, 700, 12, dtype=dtype)
    cuts = np.sort(np.random.default_rng(seed).integers(0, 700, 9))
    accumulator = EvaluationAccumulator(_names(12), top_k=3)
    for start, stop in zip([0, *cuts], [*cuts, 700], strict=True):  # some batches are empty
        accumulator.add(y[start:stop], probs[start:stop])
    assert accumulator.count == 700
    assert accumulator.result() == evaluate_predictions(y, probs, _names(12), top_k=3)


def test_an_accumulator_resumed_from_its_json_state_ends_with_the_same_result() -> None:
    y, probs = _random_predictions(5, 300, 6)
    first = EvaluationAccumulator(_names(6))
    first.add(y[:120], probs[:120])
    resumed = EvaluationAccumulator.from_state(json.loads(json.dumps(first.state())))
    resumed.add(y[120:], probs[120:])
    assert resumed.result() == evaluate_predictions(y, probs, _names(6))


def test_a_state_for_other_classes_is_refused() -> None:
    state = EvaluationAccumulator(_names(3)).state()
    state["matrix"] = [[0, 0], [0, 0]]
    with pytest.raises(ValueError, match="3 x 3"):
        EvaluationAccumulator.from_state(state)


def _two_models() -> tuple[Evaluation, Evaluation]:
    y = np.array([0, 0, 1, 1, 2, 2])
    weak = np.array([[0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.2, 0.6, 0.2], [0.6, 0.2, 0.2],
                     [0.2, 0.2, 0.6], [0.2, 0.2, 0.6]])  # fmt: skip
    strong = np.array([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.2, 0.7, 0.1],
                       [0.1, 0.1, 0.8], [0.1, 0.1, 0.8]])  # fmt: skip
    names = ["cat", "dog", "bird"]
    return evaluate_predictions(y, weak, names), evaluate_predictions(y, strong, names)


def test_compare_gives_b_minus_a_and_the_better_one_for_every_figure() -> None:
    weak, strong = _two_models()
    result = compare(weak, strong)
    assert (result["count"], result["top_k"]) == (6, 3)
    accuracy = result["metrics"]["accuracy"]
    assert accuracy == {"a": 4 / 6, "b": 1.0, "difference": pytest.approx(2 / 6), "better": "b"}
    log_loss = result["metrics"]["log_loss"]
    assert log_loss["difference"] < 0 and log_loss["better"] == "b"  # lower is better
    assert result["metrics"]["top_k_accuracy"]["better"] == "equal"
    expected = {"accuracy", "top_k_accuracy", "log_loss"} | {
        f"{m}_{a}" for m in ("precision", "recall", "f1") for a in AVERAGES
    }
    assert set(result["metrics"]) == expected
    bird = next(c for c in result["per_class"] if c["class"] == "bird")
    assert bird["support"] == 2 and bird["recall"]["better"] == "equal"
    cat = result["per_class"][0]
    assert cat["recall"] == {"a": 0.5, "b": 1.0, "difference": 0.5, "better": "b"}
    assert compare(strong, weak)["metrics"]["f1_macro"]["better"] == "a"
    json.dumps(result, allow_nan=False)


def test_compare_refuses_evaluations_of_different_classes_samples_or_labels() -> None:
    weak, strong = _two_models()
    renamed = evaluate_predictions([0, 0, 1, 1, 2, 2], np.full((6, 3), 1 / 3), ["a", "b", "c"])
    with pytest.raises(ValueError, match="different class lists"):
        compare(weak, renamed)
    fewer = evaluate_predictions([0, 1, 2], np.full((3, 3), 1 / 3), ["cat", "dog", "bird"])
    with pytest.raises(ValueError, match="different numbers of samples"):
        compare(fewer, strong)
    other_truth = evaluate_predictions([0] * 6, np.full((6, 3), 1 / 3), ["cat", "dog", "bird"])
    with pytest.raises(ValueError, match="true labels differ"):
        compare(weak, other_truth)
    top_1 = evaluate_predictions(
        [0, 0, 1, 1, 2, 2], np.full((6, 3), 1 / 3), ["cat", "dog", "bird"], 1
    )
    with pytest.raises(ValueError, match="top-3 with top-1"):
        compare(weak, top_1)
