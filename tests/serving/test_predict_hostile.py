"""Predict against hostile requests: pixel bombs, decoding floods, JSON nested past any parser's
depth, and a bogus model id used to probe for files. Each is refused with a problem that says
what to fix, before it costs the server memory or tells anything, and the server goes on serving.

The model here has untrained weights: these tests are about what predict refuses, not what the
model says."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from app.config import Settings
from app.main import create_app
from app.runtime import Runtime
from tests.datasets import hostile
from tests.fixtures.images import image_bytes
from tests.fixtures.models import register_trained_model

CLASSES = ["blue", "green", "red"]
DEEP = 100_000


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("hostile") / "data", runner_enabled=False)


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def runtime_of(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


@pytest.fixture(scope="module")
def model_id(server: TestClient, tmp_path_factory: pytest.TempPathFactory) -> str:
    return register_trained_model(runtime_of(server), tmp_path_factory.mktemp("model"), CLASSES)


def predict(client: TestClient, model_id: str, **kwargs: Any) -> Any:
    return client.post(
        f"/v1/models/{model_id}/predict", params={"include_probabilities": True}, **kwargs
    )


def png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def assert_problem(response: Any, status: int, code: str, says: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert says in response.json()["detail"], response.json()["detail"]


# ---------------------------------------------------------------- pixels and decoding


def test_a_16_bit_image_over_the_pixel_budget_is_refused_from_its_header_unread(
    server: TestClient, settings: Settings, model_id: str, tmp_path: Path
) -> None:
    # The review's image: 81 MP of 16-bit grey, under Pillow's cap, a few bytes compressed.
    bomb = hostile.pixel_bomb_png(tmp_path, 9000, 9000, bit_depth=16).read_bytes()
    assert settings.predict_max_pixels_per_request < 9000 * 9000 <= settings.max_image_pixels
    response = predict(server, model_id, content=bomb, headers={"content-type": "image/png"})
    assert_problem(response, 422, "invalid-request", "predict_max_pixels_per_request")
    detail = response.json()["detail"]
    assert "81000000 pixels" in detail and "9000x9000" in detail
    # Its pixels stop after a sliver of the first rows: decoding it would have said so.
    assert "truncated" not in detail


def test_images_each_within_the_budget_are_refused_when_they_add_up_past_it(
    server: TestClient, settings: Settings, model_id: str, tmp_path: Path
) -> None:
    side = 4096  # 16.8 MP each: three are over the default 50 MP, two are not
    bomb = hostile.pixel_bomb_png(tmp_path, side, side, bit_depth=16).read_bytes()
    assert 2 * side * side <= settings.predict_max_pixels_per_request < 3 * side * side
    files = [("files", (f"{n}.png", bomb)) for n in range(3)]
    response = predict(server, model_id, files=files)
    assert_problem(response, 422, "invalid-request", "predict_max_pixels_per_request")
    assert f"{3 * side * side} pixels in all" in response.json()["detail"]
    # Two fit the budget, so they are decoded, and the first one's cut-off pixels are found.
    response = predict(server, model_id, files=files[:2])
    assert_problem(response, 422, "invalid-request", "images[0] (0.png): truncated")


def test_a_16_bit_grey_png_predicts_as_the_8_bit_grey_it_scales_to(
    server: TestClient, model_id: str
) -> None:
    rng = np.random.default_rng(0)
    deep = rng.integers(0, 65536, (40, 40), dtype=np.uint16)
    scaled = np.rint(deep / 257).astype(np.uint8)  # 65535 -> 255: the range, not a clip
    files = [("files", ("deep.png", png(deep))), ("files", ("8-bit.png", png(scaled)))]
    response = predict(server, model_id, files=files)
    assert response.status_code == 200, response.text
    sixteen, eight = response.json()["predictions"]
    assert sixteen["probabilities"] == pytest.approx(eight["probabilities"], abs=1e-6)


def test_a_request_that_cannot_be_decoded_in_time_is_a_503_and_the_next_one_is_served(
    server: TestClient, settings: Settings, model_id: str
) -> None:
    # A second app on the same database and storage, with one decode thread, held busy here
    # until the request has been answered: it can only time out.
    one_thread = settings.model_copy(
        update={"predict_decode_workers": 1, "predict_decode_timeout_s": 0.2}
    )
    image = [("files", ("a.png", image_bytes("red", 1, "PNG", 40)))]
    with TestClient(create_app(one_thread), raise_server_exceptions=False) as client:
        release = threading.Event()
        runtime_of(client).decoders.submit(release.wait)
        try:
            response = predict(client, model_id, files=image)
        finally:
            release.set()
        assert_problem(response, 503, "decode-timeout", "predict_decode_timeout_s")
        assert response.headers["retry-after"] == "5"
        response = predict(client, model_id, files=image)
        assert response.status_code == 200, response.text


# ---------------------------------------------------------------- JSON nested too deep


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("[" * DEEP + "]" * DEEP, "nested too deeply"),
        ('{"images": [{"data": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}]}", "nested too deeply"),
        # Shallow enough to parse: the schema refuses it at the first level that does not fit.
        ('{"images": [{"data": ' + '{"a": ' * 500 + "1" + "}" * 500 + "}]}", "images.0.data"),
    ],
    ids=["list-in-list", "object-in-image", "parsable"],
)
def test_deeply_nested_json_is_refused_and_the_server_goes_on_serving(
    server: TestClient, model_id: str, body: str, says: str
) -> None:
    response = predict(server, model_id, content=body, headers={"content-type": "application/json"})
    assert_problem(response, 422, "invalid-request", says)
    files = [("files", ("a.png", image_bytes("red", 1, "PNG", 40)))]
    assert predict(server, model_id, files=files).status_code == 200


# ---------------------------------------------------------------- probing with a bogus model


def test_a_missing_or_untrained_model_answers_the_same_whatever_its_images_point_at(
    server: TestClient, settings: Settings
) -> None:
    root = settings.resolved_file_source_roots[0] / "probing"
    root.mkdir(parents=True, exist_ok=True)
    (root / "there.png").write_bytes(image_bytes("red", 1, "PNG", 40))
    uris = [
        (root / "there.png").as_uri(),
        (root / "not-there.png").as_uri(),
        "file:///etc/passwd",  # outside the source roots
    ]
    untrained = server.post(
        "/v1/models", json={"architecture": "resnet18", "pretrained": False}
    ).json()["id"]
    for model, status in [("no-such-model", 404), (untrained, 409)]:
        answers = []
        for uri in uris:
            response = predict(server, model, json={"images": [{"uri": uri}]})
            assert response.status_code == status, (uri, response.text)
            answers.append({k: v for k, v in response.json().items() if k != "request_id"})
        assert all(answer == answers[0] for answer in answers), answers
