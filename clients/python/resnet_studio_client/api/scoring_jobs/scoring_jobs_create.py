from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.scoring_job import ScoringJob
from ...models.scoring_job_create import ScoringJobCreate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: ScoringJobCreate,
    idempotency_key: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_project_id, Unset):
        headers["x-project-id"] = x_project_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/scoring-jobs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ScoringJob | None:
    if response.status_code == 202:
        response_202 = ScoringJob.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())



        return response_408

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ScoringJob]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ScoringJobCreate,
    idempotency_key: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Response[Problem | ScoringJob]:
    """ Score images with a trained model

     One output row per image (Azure's Score Image Model columns plus top-k); unreadable
    images go to the errors file; labelled input is also evaluated.

    Args:
        idempotency_key (None | str | Unset): Repeat a request safely: the same key and body
            return the same job. 1 to 200 visible ASCII characters, e.g. a UUID.
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ScoringJobCreate): Score images with a trained model (Azure's Score Image Model), as
            a job.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScoringJob]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,
x_project_id=x_project_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ScoringJobCreate,
    idempotency_key: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Problem | ScoringJob | None:
    """ Score images with a trained model

     One output row per image (Azure's Score Image Model columns plus top-k); unreadable
    images go to the errors file; labelled input is also evaluated.

    Args:
        idempotency_key (None | str | Unset): Repeat a request safely: the same key and body
            return the same job. 1 to 200 visible ASCII characters, e.g. a UUID.
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ScoringJobCreate): Score images with a trained model (Azure's Score Image Model), as
            a job.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScoringJob
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,
x_project_id=x_project_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ScoringJobCreate,
    idempotency_key: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Response[Problem | ScoringJob]:
    """ Score images with a trained model

     One output row per image (Azure's Score Image Model columns plus top-k); unreadable
    images go to the errors file; labelled input is also evaluated.

    Args:
        idempotency_key (None | str | Unset): Repeat a request safely: the same key and body
            return the same job. 1 to 200 visible ASCII characters, e.g. a UUID.
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ScoringJobCreate): Score images with a trained model (Azure's Score Image Model), as
            a job.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScoringJob]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,
x_project_id=x_project_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ScoringJobCreate,
    idempotency_key: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Problem | ScoringJob | None:
    """ Score images with a trained model

     One output row per image (Azure's Score Image Model columns plus top-k); unreadable
    images go to the errors file; labelled input is also evaluated.

    Args:
        idempotency_key (None | str | Unset): Repeat a request safely: the same key and body
            return the same job. 1 to 200 visible ASCII characters, e.g. a UUID.
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ScoringJobCreate): Score images with a trained model (Azure's Score Image Model), as
            a job.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScoringJob
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,
x_project_id=x_project_id,

    )).parsed
