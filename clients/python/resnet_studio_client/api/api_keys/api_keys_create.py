from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.api_key_create import ApiKeyCreate
from ...models.api_key_created import ApiKeyCreated
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    project_id: str,
    *,
    body: ApiKeyCreate,
    x_project_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_project_id, Unset):
        headers["x-project-id"] = x_project_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{project_id}/api-keys".format(project_id=quote(str(project_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiKeyCreated | Problem | None:
    if response.status_code == 201:
        response_201 = ApiKeyCreated.from_dict(response.json())



        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiKeyCreated | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Response[ApiKeyCreated | Problem]:
    """ Make an API key for a project (its admins)

     The secret is in this response only: the server keeps its SHA-256.

    Args:
        project_id (str):
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ApiKeyCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyCreated | Problem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
body=body,
x_project_id=x_project_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreate,
    x_project_id: None | str | Unset = UNSET,

) -> ApiKeyCreated | Problem | None:
    """ Make an API key for a project (its admins)

     The secret is in this response only: the server keeps its SHA-256.

    Args:
        project_id (str):
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ApiKeyCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyCreated | Problem
     """


    return sync_detailed(
        project_id=project_id,
client=client,
body=body,
x_project_id=x_project_id,

    ).parsed

async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Response[ApiKeyCreated | Problem]:
    """ Make an API key for a project (its admins)

     The secret is in this response only: the server keeps its SHA-256.

    Args:
        project_id (str):
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ApiKeyCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyCreated | Problem]
     """


    kwargs = _get_kwargs(
        project_id=project_id,
body=body,
x_project_id=x_project_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ApiKeyCreate,
    x_project_id: None | str | Unset = UNSET,

) -> ApiKeyCreated | Problem | None:
    """ Make an API key for a project (its admins)

     The secret is in this response only: the server keeps its SHA-256.

    Args:
        project_id (str):
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ApiKeyCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyCreated | Problem
     """


    return (await asyncio_detailed(
        project_id=project_id,
client=client,
body=body,
x_project_id=x_project_id,

    )).parsed
