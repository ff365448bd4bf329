from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.models_predict_files_body import ModelsPredictFilesBody
from ...models.predict_request import PredictRequest
from ...models.predict_response import PredictResponse
from ...models.problem import Problem
from ...types import File, FileTypes
from ...types import UNSET, Unset
from io import BytesIO
from typing import cast



def _get_kwargs(
    model_id: str,
    *,
    body:    ModelsPredictFilesBody  |     PredictRequest  |     File  | Unset = UNSET,
    top_k: int | None | Unset = UNSET,
    include_probabilities: bool | None | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_project_id, Unset):
        headers["x-project-id"] = x_project_id



    

    params: dict[str, Any] = {}

    json_top_k: int | None | Unset
    if isinstance(top_k, Unset):
        json_top_k = UNSET
    else:
        json_top_k = top_k
    params["top_k"] = json_top_k

    json_include_probabilities: bool | None | Unset
    if isinstance(include_probabilities, Unset):
        json_include_probabilities = UNSET
    else:
        json_include_probabilities = include_probabilities
    params["include_probabilities"] = json_include_probabilities


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/models/{model_id}/predict".format(model_id=quote(str(model_id), safe=""),),
        "params": params,
    }

    if isinstance(body, ModelsPredictFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, PredictRequest):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/octet-stream"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PredictResponse | Problem | None:
    if response.status_code == 200:
        response_200 = PredictResponse.from_dict(response.json())



        return response_200

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PredictResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_id: str,
    *,
    client: AuthenticatedClient | Client,
    body:    ModelsPredictFilesBody  |     PredictRequest  |     File  | Unset = UNSET,
    top_k: int | None | Unset = UNSET,
    include_probabilities: bool | None | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Response[PredictResponse | Problem]:
    """ Classify a few images now

     Up to `predict_max_images` images per request (multipart `files`, JSON `images` with
    base64/data URIs or storage URIs, or one raw image), at most `predict_max_bytes` in all
    (the body plus the images read by URI), and at most `predict_max_pixels_per_request` pixels
    (width x height, added up). The model's own inference transformation is applied. Loaded
    models stay cached, so repeated calls are fast.

    Args:
        model_id (str):
        top_k (int | None | Unset): Default 1.
        include_probabilities (bool | None | Unset): Every class's probability too. Default false.
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ModelsPredictFilesBody):
        body (PredictRequest):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PredictResponse | Problem]
     """


    kwargs = _get_kwargs(
        model_id=model_id,
body=body,
top_k=top_k,
include_probabilities=include_probabilities,
x_project_id=x_project_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    model_id: str,
    *,
    client: AuthenticatedClient | Client,
    body:    ModelsPredictFilesBody  |     PredictRequest  |     File  | Unset = UNSET,
    top_k: int | None | Unset = UNSET,
    include_probabilities: bool | None | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> PredictResponse | Problem | None:
    """ Classify a few images now

     Up to `predict_max_images` images per request (multipart `files`, JSON `images` with
    base64/data URIs or storage URIs, or one raw image), at most `predict_max_bytes` in all
    (the body plus the images read by URI), and at most `predict_max_pixels_per_request` pixels
    (width x height, added up). The model's own inference transformation is applied. Loaded
    models stay cached, so repeated calls are fast.

    Args:
        model_id (str):
        top_k (int | None | Unset): Default 1.
        include_probabilities (bool | None | Unset): Every class's probability too. Default false.
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ModelsPredictFilesBody):
        body (PredictRequest):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PredictResponse | Problem
     """


    return sync_detailed(
        model_id=model_id,
client=client,
body=body,
top_k=top_k,
include_probabilities=include_probabilities,
x_project_id=x_project_id,

    ).parsed

async def asyncio_detailed(
    model_id: str,
    *,
    client: AuthenticatedClient | Client,
    body:    ModelsPredictFilesBody  |     PredictRequest  |     File  | Unset = UNSET,
    top_k: int | None | Unset = UNSET,
    include_probabilities: bool | None | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> Response[PredictResponse | Problem]:
    """ Classify a few images now

     Up to `predict_max_images` images per request (multipart `files`, JSON `images` with
    base64/data URIs or storage URIs, or one raw image), at most `predict_max_bytes` in all
    (the body plus the images read by URI), and at most `predict_max_pixels_per_request` pixels
    (width x height, added up). The model's own inference transformation is applied. Loaded
    models stay cached, so repeated calls are fast.

    Args:
        model_id (str):
        top_k (int | None | Unset): Default 1.
        include_probabilities (bool | None | Unset): Every class's probability too. Default false.
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ModelsPredictFilesBody):
        body (PredictRequest):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PredictResponse | Problem]
     """


    kwargs = _get_kwargs(
        model_id=model_id,
body=body,
top_k=top_k,
include_probabilities=include_probabilities,
x_project_id=x_project_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    model_id: str,
    *,
    client: AuthenticatedClient | Client,
    body:    ModelsPredictFilesBody  |     PredictRequest  |     File  | Unset = UNSET,
    top_k: int | None | Unset = UNSET,
    include_probabilities: bool | None | Unset = UNSET,
    x_project_id: None | str | Unset = UNSET,

) -> PredictResponse | Problem | None:
    """ Classify a few images now

     Up to `predict_max_images` images per request (multipart `files`, JSON `images` with
    base64/data URIs or storage URIs, or one raw image), at most `predict_max_bytes` in all
    (the body plus the images read by URI), and at most `predict_max_pixels_per_request` pixels
    (width x height, added up). The model's own inference transformation is applied. Loaded
    models stay cached, so repeated calls are fast.

    Args:
        model_id (str):
        top_k (int | None | Unset): Default 1.
        include_probabilities (bool | None | Unset): Every class's probability too. Default false.
        x_project_id (None | str | Unset): The project to act in: for operator keys (the default
            project without it); a project key may only name its own.
        body (ModelsPredictFilesBody):
        body (PredictRequest):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PredictResponse | Problem
     """


    return (await asyncio_detailed(
        model_id=model_id,
client=client,
body=body,
top_k=top_k,
include_probabilities=include_probabilities,
x_project_id=x_project_id,

    )).parsed
