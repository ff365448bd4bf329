"""/docs and /redoc work offline: Swagger UI and ReDoc come from the service itself, and a real
browser renders them, runs "Try it out" against the live server, and asks no other origin."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

KEY = "docs-test-key"
KEY_HASH = hashlib.sha256(KEY.encode()).hexdigest()
# Generous: a cold page on a busy CI machine parses 1.5 MB of Swagger UI before it renders.
DEADLINE_MS = 60_000


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_pages_load_everything_from_the_service(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy  # no other origin is allowed anything
    html = response.text
    assert "http://" not in html
    assert "https://" not in html
    refs = re.findall(r'(?:src|href|spec-url)="([^"]+)"', html) + re.findall(r"url: '(.+)'", html)
    assert len(refs) >= 3, refs  # the script, the favicon, the OpenAPI document (+ the css)
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//"), ref
        assert client.get(ref).status_code == 200, ref


def test_swagger_ui_keeps_the_api_key_across_reloads(client: TestClient) -> None:
    assert '"persistAuthorization": true' in client.get("/docs").text
    assert "HTTPBearer" in client.get("/openapi.json").json()["components"]["securitySchemes"]


def test_the_docs_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith(("/docs", "/redoc", "/static"))]


@pytest.fixture
def context(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(DEADLINE_MS)
    yield context
    context.close()


def record_requests(context: BrowserContext) -> list[Request]:
    requests: list[Request] = []
    context.on("request", lambda request: requests.append(request))
    return requests


def sent_elsewhere(requests: list[Request], origin: str) -> list[str]:
    """The requests that left the browser for any origin but `origin`: data: and blob: URLs
    are no request to one, and one the page's CSP refused was never sent (ReDoc's logo)."""
    return [
        request.url
        for request in requests
        if urlsplit(request.url).scheme not in ("data", "blob")
        and f"{urlsplit(request.url).scheme}://{urlsplit(request.url).netloc}" != origin
        and request.failure != "csp"
    ]


def open_page(context: BrowserContext) -> tuple[Page, list[BaseException]]:
    page = context.new_page()
    errors: list[BaseException] = []
    page.on("pageerror", lambda error: errors.append(error))
    return page, errors


def authorize(page: Page, key: str) -> None:
    page.locator(".auth-wrapper button.authorize").click()
    dialog = page.locator(".dialog-ux")
    dialog.locator("#auth-bearer-value").fill(key)
    dialog.locator("button.modal-btn.authorize").click()
    expect(dialog.locator("button", has_text="Logout")).to_be_visible(timeout=DEADLINE_MS)
    dialog.locator("button.btn-done").click()


@pytest.mark.parametrize(
    "backend", [{}, {"api_key_hashes": [KEY_HASH]}], ids=["anonymous", "api-key"]
)
def test_swagger_ui_try_it_out_builds_a_model(
    backend: dict[str, Any], live_server: str, context: BrowserContext
) -> None:
    requests = record_requests(context)
    page, errors = open_page(context)
    page.goto("/docs")
    if backend:
        authorize(page, KEY)
        page.reload()  # the key must survive it (persistAuthorization), or the call is a 401

    operation = page.locator("#operations-models-models-create")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    body = json.loads(operation.locator("textarea.body-param__text").input_value())
    assert body["architecture"] == "resnet18"
    assert body["pretrained"] is False  # so no ImageNet weights are needed
    operation.get_by_role("button", name="Execute").click()

    live = operation.locator(".live-responses-table .response")
    expect(live.locator(".response-col_status")).to_have_text("201", timeout=DEADLINE_MS)
    expect(live.locator(".response-col_description")).to_contain_text('"resnet18"')
    headers = {"Authorization": f"Bearer {KEY}"} if backend else {}
    listed = httpx.get(f"{live_server}/v1/models", headers=headers).json()["items"]
    assert [model["architecture"] for model in listed] == ["resnet18"]
    page.wait_for_load_state("networkidle")  # every request has its outcome
    assert sent_elsewhere(requests, live_server) == []
    assert errors == []


def test_redoc_renders_the_operations(live_server: str, context: BrowserContext) -> None:
    summary = httpx.get(f"{live_server}/openapi.json").json()["paths"]["/v1/models"]["post"]
    requests = record_requests(context)
    page, errors = open_page(context)
    page.goto("/redoc")
    title = page.locator('[data-section-id$="operation/models-create"] h2')
    expect(title).to_have_text(summary["summary"], timeout=DEADLINE_MS)
    page.wait_for_load_state("networkidle")  # every request has its outcome
    assert sent_elsewhere(requests, live_server) == []
    assert errors == []
