from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.dataset import Dataset
from ...models.dataset_create import DatasetCreate
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: DatasetCreate,
    x_project_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_project_id, Unset):
        headers["x-project-id"] = x_project_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/datasets",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Dataset | Problem | None:
    if response.status_code == 202:
        response_202 = Dataset.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Dataset | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DatasetCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Response[Dataset | Problem]:
    """ Register an image directory (indexed in the background)

     Answers at once with `status: indexing`; poll the dataset (or watch `progress`) until it
    is `ready` with its classes and counts, or `failed` with a reason.

    Args:
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (DatasetCreate): Register an image directory (Azure's Convert to Image Directory).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Dataset | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
x_project_id=x_project_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: DatasetCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Dataset | Problem | None:
    """ Register an image directory (indexed in the background)

     Answers at once with `status: indexing`; poll the dataset (or watch `progress`) until it
    is `ready` with its classes and counts, or `failed` with a reason.

    Args:
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (DatasetCreate): Register an image directory (Azure's Convert to Image Directory).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Dataset | Problem
     """


    return sync_detailed(
        client=client,
body=body,
x_project_id=x_project_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DatasetCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Response[Dataset | Problem]:
    """ Register an image directory (indexed in the background)

     Answers at once with `status: indexing`; poll the dataset (or watch `progress`) until it
    is `ready` with its classes and counts, or `failed` with a reason.

    Args:
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (DatasetCreate): Register an image directory (Azure's Convert to Image Directory).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Dataset | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
x_project_id=x_project_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: DatasetCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Dataset | Problem | None:
    """ Register an image directory (indexed in the background)

     Answers at once with `status: indexing`; poll the dataset (or watch `progress`) until it
    is `ready` with its classes and counts, or `failed` with a reason.

    Args:
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (DatasetCreate): Register an image directory (Azure's Convert to Image Directory).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Dataset | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
x_project_id=x_project_id,

    )).parsed
