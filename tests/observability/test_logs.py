"""RESNET_STUDIO_LOG_FORMAT=json: one JSON object per line, naming the request and the job."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.observability.context import job_id_var, request_id_var
from app.observability.logs import JsonFormatter, TextFormatter
from tests.observability.conftest import wait_indexed


def record(message: str, exc_info: Any = None) -> logging.LogRecord:
    return logging.LogRecord("app.test", logging.WARNING, __file__, 1, message, (), exc_info)


def test_a_json_record_has_time_level_logger_message_and_ids() -> None:
    request_token, job_token = request_id_var.set("req-7"), job_id_var.set("job-9")
    try:
        line = json.loads(JsonFormatter().format(record("disk \u00bd full")))
    finally:
        request_id_var.reset(request_token)
        job_id_var.reset(job_token)
    assert line["level"] == "WARNING" and line["logger"] == "app.test"
    assert line["message"] == "disk \u00bd full"
    assert line["request_id"] == "req-7" and line["job_id"] == "job-9"
    assert line["time"].endswith("Z")
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_a_json_record_leaves_out_ids_it_does_not_have_and_carries_the_exception() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        line = json.loads(JsonFormatter().format(record("failed", sys.exc_info())))
    assert "request_id" not in line and "job_id" not in line
    assert "ValueError: boom" in line["exception"] and "Traceback" in line["exception"]


def test_a_text_record_names_the_request_after_the_message() -> None:
    token = request_id_var.set("req-8")
    try:
        text = TextFormatter().format(record("hello"))
    finally:
        request_id_var.reset(token)
    assert text.endswith("WARNING app.test: hello [request_id=req-8]")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", runner_poll_s=0.05, log_format="json")


def json_lines(log: Path) -> list[dict[str, Any]]:
    lines = log.read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_the_server_and_its_jobs_log_json_lines_with_the_request_id(
    live_server: str, pets_uri: str, tmp_path: Path
) -> None:
    with httpx.Client(base_url=live_server, timeout=30) as http:
        response = http.post(
            "/v1/datasets", json={"source_uri": pets_uri}, headers={"X-Request-ID": "json-req-1"}
        )
        assert response.status_code == 202, response.text
        dataset = wait_indexed(http, response.json()["id"])
    assert dataset["status"] == "ready"
    log = tmp_path / "server.log"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job_lines = [
            line for line in json_lines(log) if line.get("job_id") and "ended" in line["message"]
        ]
        if job_lines:
            break
        time.sleep(0.1)
    lines = json_lines(log)
    # uvicorn's own lines come through the same format.
    assert any("startup complete" in line["message"] for line in lines)
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert any(line.get("request_id") == "json-req-1" for line in access)
    job_lines = [line for line in lines if line.get("job_id")]
    assert job_lines and all(line["request_id"] == "json-req-1" for line in job_lines)
    assert {"time", "level", "logger", "message"} <= set(job_lines[0])
