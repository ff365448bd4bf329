from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.job_status import JobStatus
from ...models.problem import Problem
from ...models.scoring_job_page import ScoringJobPage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: JobStatus | None | Unset = UNSET,
    model_id: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_project_id, Unset):
        headers["x-project-id"] = x_project_id



    

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, JobStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_model_id: None | str | Unset
    if isinstance(model_id, Unset):
        json_model_id = UNSET
    else:
        json_model_id = model_id
    params["model_id"] = json_model_id


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/scoring-jobs",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ScoringJobPage | None:
    if response.status_code == 200:
        response_200 = ScoringJobPage.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ScoringJobPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: JobStatus | None | Unset = UNSET,
    model_id: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Response[Problem | ScoringJobPage]:
    """ List scoring jobs

    Args:
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.
        status (JobStatus | None | Unset):
        model_id (None | str | Unset):
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScoringJobPage]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
status=status,
model_id=model_id,
x_project_id=x_project_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: JobStatus | None | Unset = UNSET,
    model_id: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Problem | ScoringJobPage | None:
    """ List scoring jobs

    Args:
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.
        status (JobStatus | None | Unset):
        model_id (None | str | Unset):
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScoringJobPage
     """


    return sync_detailed(
        client=client,
limit=limit,
cursor=cursor,
status=status,
model_id=model_id,
x_project_id=x_project_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: JobStatus | None | Unset = UNSET,
    model_id: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Response[Problem | ScoringJobPage]:
    """ List scoring jobs

    Args:
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.
        status (JobStatus | None | Unset):
        model_id (None | str | Unset):
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScoringJobPage]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
status=status,
model_id=model_id,
x_project_id=x_project_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    status: JobStatus | None | Unset = UNSET,
    model_id: None | str | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Problem | ScoringJobPage | None:
    """ List scoring jobs

    Args:
        limit (int | Unset): Items per page. Default: 50.
        cursor (None | str | Unset): `next_cursor` from the previous page.
        status (JobStatus | None | Unset):
        model_id (None | str | Unset):
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScoringJobPage
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
cursor=cursor,
status=status,
model_id=model_id,
x_project_id=x_project_id,

    )).parsed
