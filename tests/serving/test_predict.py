"""Real-time prediction: the same probabilities as a batch job, every input form, bounded."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.testclient import TestClient

from app.config import Settings
from app.serving.schemas import PredictRequest
from tests.fixtures.images import image_bytes, write_tree
from tests.fixtures.trained import wait_for
from tests.scoring.test_api import CLASSES, PROBS, read_rows


@pytest.fixture(scope="module")
def probe_images(scoring_settings: Settings) -> dict[str, bytes]:
    images = {
        "a.png": image_bytes("red", 101, "PNG", 48),
        "b.jpg": image_bytes("blue", 7, "JPEG", 40),
    }
    write_tree(scoring_settings.resolved_file_source_roots[0] / "probe", images)
    return images


def predict(client: TestClient, model_id: str, top_k: int = 3, **kwargs: Any) -> Any:
    return client.post(
        f"/v1/models/{model_id}/predict",
        params={"top_k": top_k, "include_probabilities": True},
        **kwargs,
    )


def test_real_time_answers_the_batch_jobs_probabilities_for_the_same_image(
    app_client: TestClient,
    scoring_settings: Settings,
    trained_model: dict[str, Any],
    probe_images: dict[str, bytes],
) -> None:
    folder = scoring_settings.resolved_file_source_roots[0] / "probe"
    job = app_client.post(
        "/v1/scoring-jobs", json={"model_id": trained_model["id"], "input_uri": folder.as_uri()}
    ).json()
    job = wait_for(app_client, f"/v1/scoring-jobs/{job['id']}")
    batch = {Path(r["id"]).name: [float(r[c]) for c in PROBS] for r in read_rows(app_client, job)}

    files = [("files", (name, data)) for name, data in probe_images.items()]
    response = predict(app_client, trained_model["id"], files=files)
    assert response.status_code == 200, response.text
    for prediction in response.json()["predictions"]:
        online = [prediction["probabilities"][c] for c in CLASSES]
        assert online == pytest.approx(batch[prediction["name"]], abs=1e-5)
        assert prediction["label"] == prediction["top_k"][0]["label"]
        assert [p["probability"] for p in prediction["top_k"]] == sorted(online, reverse=True)


def test_base64_data_uris_storage_uris_and_raw_bytes_all_work(
    app_client: TestClient,
    scoring_settings: Settings,
    trained_model: dict[str, Any],
    probe_images: dict[str, bytes],
) -> None:
    data = probe_images["a.png"]
    uri = (scoring_settings.resolved_file_source_roots[0] / "probe" / "a.png").as_uri()
    body = {
        "images": [
            {"data": base64.b64encode(data).decode()},
            {"data": "data:image/png;base64," + base64.b64encode(data).decode(), "name": "d"},
            {"uri": uri},
        ]
    }
    as_json = predict(app_client, trained_model["id"], json=body).json()["predictions"]
    raw = predict(
        app_client, trained_model["id"], content=data, headers={"content-type": "image/png"}
    ).json()["predictions"]
    answers = [p["probabilities"] for p in as_json + raw]
    # Batches of 3 and of 1 differ only in the last float bits.
    assert len(answers) == 4 and all(a == pytest.approx(answers[0], abs=1e-6) for a in answers)
    assert as_json[1]["name"] == "d"


def test_requests_over_the_limits_are_refused_not_run(
    app_client: TestClient,
    scoring_settings: Settings,
    trained_model: dict[str, Any],
    probe_images: dict[str, bytes],
) -> None:
    model_id = trained_model["id"]
    too_many = [
        ("files", (f"{i}.png", probe_images["a.png"]))
        for i in range(scoring_settings.predict_max_images + 1)
    ]
    response = predict(app_client, model_id, files=too_many)
    assert response.status_code == 422 and "at most" in response.json()["detail"]
    huge = b"\0" * (scoring_settings.predict_max_bytes + 1)
    response = predict(
        app_client, model_id, content=huge, headers={"content-type": "application/octet-stream"}
    )
    assert response.status_code == 413 and response.json()["code"] == "payload-too-large"
    for body, fragment in [
        ({"images": [{"data": "not base64!"}]}, "not valid base64"),
        ({"images": [{"data": base64.b64encode(b"hello").decode()}]}, "not-an-image"),
        ({"images": [{"uri": "file:///etc/passwd"}]}, "outside the folders"),
        ({"images": []}, "images"),
    ]:
        response = predict(app_client, model_id, json=body)
        assert response.status_code == 422, body
        assert fragment in response.json()["detail"]
    files = [("files", ("a.png", probe_images["a.png"]))]
    response = predict(app_client, model_id, top_k=9, files=files)
    assert response.status_code == 422 and "more than the model's 3 classes" in response.text


def test_an_untrained_or_missing_model_cannot_predict(
    app_client: TestClient, probe_images: dict[str, bytes]
) -> None:
    untrained = app_client.post(
        "/v1/models", json={"architecture": "resnet18", "pretrained": False}
    ).json()
    files = [("files", ("a.png", probe_images["a.png"]))]
    assert predict(app_client, untrained["id"], files=files).status_code == 409
    assert predict(app_client, "missing", files=files).status_code == 404


def test_loaded_models_are_cached_and_bounded(
    app_client: TestClient, trained_model: dict[str, Any], probe_images: dict[str, bytes]
) -> None:
    cache = app_client.app.state.runtime.predictors  # type: ignore[attr-defined]

    def must_not_load() -> None:
        raise AssertionError("a cached model was loaded again")

    files = [("files", ("a.png", probe_images["a.png"]))]
    predict(app_client, trained_model["id"], files=files)
    first = cache.get(trained_model["id"], must_not_load)
    predict(app_client, trained_model["id"], files=files)
    assert cache.get(trained_model["id"], must_not_load) is first  # not reloaded
    assert len(cache) <= cache.capacity


def test_the_json_body_is_declared_by_the_model_that_parses_it(app_client: TestClient) -> None:
    document = app_client.app.openapi()  # type: ignore[attr-defined]
    body = document["paths"]["/v1/models/{model_id}/predict"]["post"]["requestBody"]
    assert set(body["content"]) == {
        "multipart/form-data",
        "application/json",
        "application/octet-stream",
    }
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PredictRequest"
    }
    # Rendered as FastAPI renders every schema: without None values (`default: null`).
    expected = jsonable_encoder(
        PredictRequest.model_json_schema(ref_template="#/components/schemas/{model}"),
        exclude_none=True,
    )
    defs = expected.pop("$defs")
    schemas = document["components"]["schemas"]
    assert schemas["PredictRequest"] == expected
    assert list(defs) == ["ImageSpec"] and schemas["ImageSpec"] == defs["ImageSpec"]


def test_every_option_is_honoured_in_the_body_the_query_or_both_when_they_agree(
    app_client: TestClient, trained_model: dict[str, Any], probe_images: dict[str, bytes]
) -> None:
    url = f"/v1/models/{trained_model['id']}/predict"
    image = {"data": base64.b64encode(probe_images["a.png"]).decode()}
    plain = app_client.post(url, json={"images": [image]}).json()["predictions"][0]
    assert len(plain["top_k"]) == 1 and plain["probabilities"] is None  # the defaults
    body = {"images": [image], "top_k": 2, "include_probabilities": True}
    in_body = app_client.post(url, json=body).json()["predictions"][0]
    assert len(in_body["top_k"]) == 2 and set(in_body["probabilities"]) == set(CLASSES)
    both = app_client.post(url, json=body, params={"top_k": 2}).json()["predictions"][0]
    assert both == in_body
    form = app_client.post(
        url,
        files=[("files", ("a.png", probe_images["a.png"]))],
        data={"top_k": "2", "include_probabilities": "true"},
    ).json()["predictions"][0]
    assert len(form["top_k"]) == 2 and form["probabilities"] is not None


@pytest.mark.parametrize(
    ("send", "says"),
    [
        ({"json": {"images": [{"data": "AA=="}], "top_k": 2}, "params": {"top_k": 3}}, "top_k"),
        ({"json": {"images": [{"data": "AA=="}], "return_probabilities": True}}, "return_prob"),
        ({"json": {"images": [{"data": "AA==", "colour": "red"}]}}, "colour"),
        ({"files": [("files", ("a.png", b"x"))], "data": {"topk": "2"}}, "topk"),
        ({"files": [("files", ("a.png", b"x"))], "data": {"top_k": "two"}}, "top_k"),
    ],
)
def test_a_field_predict_does_not_take_or_two_answers_that_disagree_are_refused(
    app_client: TestClient, trained_model: dict[str, Any], send: dict[str, Any], says: str
) -> None:
    response = app_client.post(f"/v1/models/{trained_model['id']}/predict", **send)
    assert response.status_code == 422, response.text
    assert says in response.json()["detail"]
