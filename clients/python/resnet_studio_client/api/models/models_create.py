from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.model import Model
from ...models.model_create import ModelCreate
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: ModelCreate,
    x_project_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_project_id, Unset):
        headers["x-project-id"] = x_project_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/models",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Model | Problem | None:
    if response.status_code == 201:
        response_201 = Model.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Model | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ModelCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Response[Model | Problem]:
    """ Build an untrained model

     Store an untrained model directory (configuration, and ImageNet weights when `pretrained`).
    The class count is set later by the training data.

    Args:
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ModelCreate): Build an untrained model, as the Azure ML designer's ResNet and
            DenseNet modules do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
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
    body: ModelCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Model | Problem | None:
    """ Build an untrained model

     Store an untrained model directory (configuration, and ImageNet weights when `pretrained`).
    The class count is set later by the training data.

    Args:
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ModelCreate): Build an untrained model, as the Azure ML designer's ResNet and
            DenseNet modules do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
     """


    return sync_detailed(
        client=client,
body=body,
x_project_id=x_project_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ModelCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Response[Model | Problem]:
    """ Build an untrained model

     Store an untrained model directory (configuration, and ImageNet weights when `pretrained`).
    The class count is set later by the training data.

    Args:
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ModelCreate): Build an untrained model, as the Azure ML designer's ResNet and
            DenseNet modules do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
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
    body: ModelCreate,
    x_project_id: None | str | Unset = UNSET,

) -> Model | Problem | None:
    """ Build an untrained model

     Store an untrained model directory (configuration, and ImageNet weights when `pretrained`).
    The class count is set later by the training data.

    Args:
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ModelCreate): Build an untrained model, as the Azure ML designer's ResNet and
            DenseNet modules do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
x_project_id=x_project_id,

    )).parsed
