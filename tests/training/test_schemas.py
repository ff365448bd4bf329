"""The training hyperparameters are defined once, by the engine: the REST schema lists the same
options with the same defaults and bounds, and both apply the same rules."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.ml.train_config import MAX_SEED, OPTIONS, TrainConfig
from app.training.schemas import Hyperparameters


def test_the_api_lists_exactly_the_engines_options_and_the_jobs_runtime_limit() -> None:
    assert set(Hyperparameters.model_fields) == set(OPTIONS) | {"max_runtime_seconds"}


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_each_options_default_bounds_and_meaning_come_from_the_engine(name: str) -> None:
    default, bounds = OPTIONS[name]
    field = Hyperparameters.model_fields[name]
    assert field.default == default == getattr(TrainConfig(), name)
    assert field.description == (bounds.doc or None)
    schema: dict[str, Any] = Hyperparameters.model_json_schema()["properties"][name]
    if "anyOf" in schema:  # optional: the bounds sit on the number branch
        schema = next(branch for branch in schema["anyOf"] if branch.get("type") != "null")
    for key, limit in (
        ("minimum", bounds.ge),
        ("exclusiveMinimum", bounds.gt),
        ("maximum", bounds.le),
        ("exclusiveMaximum", bounds.lt),
    ):
        assert schema.get(key) == limit, (name, key)


def test_the_defaults_become_the_engines_defaults() -> None:
    assert Hyperparameters().train_config() == TrainConfig()


@pytest.mark.parametrize(
    ("values", "accepted"),
    [
        ({"epochs": 3, "warmup_epochs": 3}, True),  # the whole run is warmup
        ({"epochs": 3, "warmup_epochs": 4}, False),
        ({"random_seed": MAX_SEED}, True),
        ({"random_seed": MAX_SEED + 1}, False),
        ({"weight_decay": 1.0}, True),
        ({"weight_decay": 1.5}, False),
    ],
)
def test_the_api_and_the_engine_apply_one_rule(values: dict[str, Any], accepted: bool) -> None:
    if accepted:
        assert Hyperparameters(**values).train_config() == TrainConfig(**values)
        return
    with pytest.raises(ValidationError):
        Hyperparameters(**values)
    with pytest.raises(ValueError, match=next(iter(values)) if len(values) == 1 else "warmup"):
        TrainConfig(**values)
