"""The predictions and errors files as typed JSON pages (`/output/rows`, `/errors/rows`): the
same rows as the download, in its order, whatever the output format."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.scoring.schemas import OutputFormat
from tests.scoring.test_api import CLASSES, labelled_folder, read_rows, score


def every_page(client: TestClient, path: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def typed(row: dict[str, Any], top_k: int) -> dict[str, Any]:
    """What the rows route should say about one row of the downloaded file."""

    def value(name: str) -> Any:
        cell = row[name]
        return None if cell == "" else cell

    def number(name: str) -> float:
        return float(row[name])

    below = value("Below Threshold")
    return {
        "id": row["id"],
        "category": value("category"),
        "scored_label": value("Scored Labels"),
        "probabilities": {c: number(f"Scored Probabilities_{c}") for c in CLASSES},
        "top_k": [
            {"label": row[f"Top {i} Label"], "probability": number(f"Top {i} Probability")}
            for i in range(1, top_k + 1)
        ],
        "below_threshold": below if isinstance(below, bool) or below is None else below == "True",
    }


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_rows_are_the_download_typed_and_paged_in_order(
    app_client: TestClient,
    scoring_settings: Settings,
    trained_model: dict[str, Any],
    fmt: OutputFormat,
) -> None:
    folder = labelled_folder(scoring_settings, f"rows-{fmt.value}", with_corrupt=True)
    job = score(
        app_client,
        model_id=trained_model["id"],
        input_uri=folder.as_uri(),
        output_format=fmt.value,
        top_k=2,
        confidence_threshold=0.9,
    )
    rows = every_page(app_client, f"/v1/scoring-jobs/{job['id']}/output/rows", limit=5)
    downloaded = read_rows(app_client, job)
    assert len(rows) == len(downloaded) == 18  # 4 pages, the last one short
    for got, want in zip(rows, downloaded, strict=True):
        assert got == typed(want, top_k=2)  # every format keeps a float exactly
        assert got["category"] in CLASSES
        below = got["top_k"][0]["probability"] < 0.9
        assert got["below_threshold"] is below
        assert got["scored_label"] == (None if below else got["top_k"][0]["label"])

    failures = every_page(app_client, f"/v1/scoring-jobs/{job['id']}/errors/rows", limit=1)
    assert failures == read_rows(app_client, job, "errors")
    assert {f["reason"] for f in failures} == {"truncated", "not-an-image"}
    assert job["links"]["output_rows"] == f"/v1/scoring-jobs/{job['id']}/output/rows"


def test_rows_of_a_job_that_is_not_there_or_a_foreign_cursor_say_what_to_fix(
    app_client: TestClient,
) -> None:
    missing = app_client.get("/v1/scoring-jobs/no-such-job/output/rows")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    bad = app_client.get("/v1/scoring-jobs/no-such-job/errors/rows", params={"cursor": "zz"})
    assert bad.status_code == 422
    assert "cursor is not one this server issued" in bad.json()["detail"]
