"""Decoding predict's images within bounds: the pixels a request may decode, checked from the
images' headers before any pixel is decoded, and the runtime's few decode threads, waited on for
at most predict_decode_timeout_s. Each image is cut to the model's input as soon as it is
decoded, so a request holds one full-size image at a time, never all of them."""

from __future__ import annotations

import asyncio
import threading

import torch

from app.config import Settings
from app.errors import DecodeTimeout, InvalidRequest
from app.ml.images import ImageRejected, decode_rgb, header_size
from app.ml.predict import TrainedModel
from app.runtime import Runtime
from app.serving.inputs import ImageInput


def check_pixels(images: list[ImageInput], settings: Settings) -> None:
    """Refuse (422) images over max_image_pixels each or over predict_max_pixels_per_request
    together, from their headers alone; a header that is not an image's is refused here too."""
    sizes = []
    for n, image in enumerate(images):
        try:
            sizes.append(header_size(image.data, image.name, settings.max_image_pixels))
        except ImageRejected as exc:
            raise _invalid(n, image, exc) from None
    total = sum(width * height for width, height in sizes)
    limit = settings.predict_max_pixels_per_request
    if total > limit:
        shown = ", ".join(f"{w}x{h}" for w, h in sizes[:8]) + (", ..." if len(sizes) > 8 else "")
        raise InvalidRequest(
            f"the images are {total} pixels in all ({shown}), more than the {limit} a request "
            "may decode (predict_max_pixels_per_request); send fewer or smaller images, or "
            "score them with a scoring job"
        )


async def decode_batch(
    runtime: Runtime, model: TrainedModel, images: list[ImageInput]
) -> torch.Tensor:
    """The images decoded and transformed for `model`, (N, 3, H, W), in one of the runtime's
    decode threads; 503 decode-timeout when that takes longer than predict_decode_timeout_s,
    the wait for a free thread included. The event loop only waits, and holds no thread."""
    settings = runtime.settings
    abandoned = threading.Event()
    future = runtime.decoders.submit(
        _decode_all, model, images, settings.max_image_pixels, abandoned
    )
    try:
        # On timeout wait_for cancels the future, so one still queued never runs...
        return await asyncio.wait_for(
            asyncio.wrap_future(future), settings.predict_decode_timeout_s
        )
    except TimeoutError:
        abandoned.set()  # ...and one already running stops at its next image.
        raise DecodeTimeout(
            f"the images were not decoded within {settings.predict_decode_timeout_s:g} s "
            "(predict_decode_timeout_s): the server is busy decoding, or these images are slow "
            "to decode; retry later, send smaller images, or score them with a scoring job"
        ) from None


def _decode_all(
    model: TrainedModel, images: list[ImageInput], max_pixels: int, abandoned: threading.Event
) -> torch.Tensor:
    tensors = []
    for n, image in enumerate(images):
        if abandoned.is_set():  # the request was answered already
            raise TimeoutError
        try:
            decoded = decode_rgb(image.data, image.name, max_pixels)
        except ImageRejected as exc:
            raise _invalid(n, image, exc) from None
        tensors.append(model.transform(decoded))
        del decoded  # the full-size image goes now, before the next one is decoded
    return torch.stack(tensors)


def _invalid(index: int, image: ImageInput, exc: ImageRejected) -> InvalidRequest:
    return InvalidRequest(f"images[{index}] ({image.name}): {exc.reason}: {exc.message}")
