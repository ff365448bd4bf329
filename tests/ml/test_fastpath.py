"""The fast data path (app.ml.fastpath) against the PIL path it must match: the same tensors
within EQUIVALENCE for the same images and random choices, the same batches in the same order,
a cache that spares later epochs the decoding, and open_rgb for everything nvJPEG cannot take.

Runs on the CPU device here; the equivalence tests run on CUDA too when a GPU is present."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn
from torchvision.transforms import InterpolationMode, v2
from torchvision.transforms.v2 import functional as F  # noqa: N812

from app.ml import engine, transforms
from app.ml.architectures import Architecture, build_network
from app.ml.checkpoint import Checkpoint
from app.ml.data import LabelledImages, make_loader
from app.ml.engine import Callbacks, fit
from app.ml.fastpath import (
    EQUIVALENCE,
    WARP_MEAN_LEVELS,
    CacheBudget,
    DeviceBatches,
    Tolerance,
    predict_files,
    use_device_path,
)
from app.ml.fastpath.decode import Decoder
from app.ml.fastpath.draws import Draw
from app.ml.fastpath.jpeg import scan_jpeg
from app.ml.fastpath.pipeline import PER_IMAGE, Pipeline
from app.ml.images import ImageRejected, open_rgb
from app.ml.predict import load_trained
from app.ml.seeding import seed_everything
from app.ml.train_config import TrainConfig
from app.ml.transforms import (
    Chance,
    ColorJitter,
    Crop,
    Pad,
    RandomAffine,
    RandomErasing,
    RandomPerspective,
    RandomResizedCrop,
    RandomRotation,
    Resize,
    TransformSpec,
    build_transform,
)
from tests.ml.trained_dir import write_trained_dir

# torchvision 0.29 deprecates its decoders for TorchCodec's; they work as documented.
pytestmark = pytest.mark.filterwarnings("ignore:.*TorchVision are deprecated:DeprecationWarning")

MEAN, STD = (0.4, 0.5, 0.6), (0.2, 0.25, 0.3)
DEVICES = [
    "cpu",
    pytest.param(
        "cuda",
        marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
    ),
]
Samples = list[tuple[Path, int]]


def photo(seed: int, width: int, height: int) -> Image.Image:
    """Smooth colour fields with edges and mild noise: JPEG content, not JPEG-hostile noise."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)
    image = np.asarray(Image.fromarray(coarse).resize((width, height), Image.Resampling.BICUBIC))
    pixels = image.astype(np.float32) + rng.normal(0, 4, image.shape)
    pixels[height // 3 : height // 2, width // 4 :] = (230, 40, 60)  # a sharp edge
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)  # type: ignore[arg-type]
    return path


def exif_with(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


@pytest.fixture(scope="module")
def jpegs(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    """JPEGs of several sizes and kinds: baseline, progressive, grey, 4:4:4, EXIF-rotated."""
    root = tmp_path_factory.mktemp("jpegs")
    sizes = [(96, 72), (72, 96), (80, 80), (120, 64), (64, 100), (90, 90)]
    samples = []
    for i in range(12):
        width, height = sizes[i % len(sizes)]
        options: dict[str, object] = {"quality": 90}
        image = photo(i, width, height)
        if i % 4 == 1:
            options["progressive"] = True
        if i % 4 == 2:
            options["subsampling"] = 0
        if i % 6 == 3:
            image = image.convert("L")
        if i % 5 == 4:
            options["exif"] = exif_with(6 if i < 6 else 8)
        samples.append((save(image, root / f"{i}.jpg", **options), i % 3))
    return samples


@pytest.fixture(scope="module")
def others(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    """What nvJPEG does not take: PNG (grey, RGBA), BMP, TIFF, WebP, a CMYK JPEG."""
    root = tmp_path_factory.mktemp("others")
    files = [
        save(photo(20, 90, 70), root / "a.png"),
        save(photo(21, 70, 90).convert("L"), root / "b.png"),
        save(photo(22, 80, 80).convert("RGBA"), root / "c.png"),
        save(photo(23, 90, 80), root / "d.bmp"),
        save(photo(24, 80, 90), root / "e.tiff"),
        save(photo(25, 100, 70), root / "f.webp", lossless=True),
        save(photo(26, 90, 90).convert("CMYK"), root / "g.jpg", quality=90),
    ]
    return [(path, i % 3) for i, path in enumerate(files)]


def levels(ours: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
    """|difference| in 8-bit levels: normalised values times std times 255."""
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return ((ours.float().cpu() - reference.float()) * std * 255).abs()


def assert_within(diff: torch.Tensor, tolerance: Tolerance, mean_only: bool = False) -> None:
    assert diff.mean().item() <= tolerance.mean_levels, f"mean {diff.mean().item():.3f} levels"
    if not mean_only:
        assert diff.max().item() <= tolerance.max_levels, f"max {diff.max().item():.1f} levels"


def pil_batch(samples: Samples, spec: TransformSpec, mode: transforms.Mode) -> torch.Tensor:
    transform = build_transform(spec, mode, MEAN, STD)
    return torch.stack([transform(open_rgb(path)) for path, _ in samples])


def device_batch(
    samples: Samples, spec: TransformSpec, device: str, **options: object
) -> torch.Tensor:
    loader = DeviceBatches(samples, spec, "eval", MEAN, STD, device, len(samples), **options)  # type: ignore[arg-type]
    (images, _), *rest = list(loader)
    assert not rest
    return images


EVAL = TransformSpec(resize=Resize(size=56), center_crop=Crop(enabled=True, size=48))


def test_the_ops_are_the_pil_pipelines_in_its_order() -> None:
    order = transforms.OP_ORDER  # the one table both pipelines read
    assert order == tuple(transforms.OPS)
    # resize, center crop and pad lead, so they are always prefix ops; then the per-image ops
    # must all come before the first batch op.
    assert order[:3] == ("resize", "center_crop", "pad")
    batch_ops = [n for n in order[3:] if n not in PER_IMAGE]
    assert max(map(order.index, PER_IMAGE)) < min(map(order.index, batch_ops))


# Every op enabled (never validated: only the order matters here).
EVERY_OP = TransformSpec(
    **{n: replace(getattr(TransformSpec(), n), enabled=True) for n in transforms.OP_ORDER}
)


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_both_pipelines_apply_the_ops_in_the_tables_order(mode: transforms.Mode) -> None:
    kept = tuple(
        n for n in transforms.OP_ORDER if mode == "train" or transforms.OPS[n].deterministic
    )
    device = Pipeline(EVERY_OP, mode, MEAN, STD)
    assert device.prefix_ops + device.image_ops + device.batch_ops == kept
    pil = build_transform(EVERY_OP, mode, MEAN, STD)
    assert isinstance(pil, v2.Compose)
    ops = pil.transforms[1:]  # after the RGB conversion
    expected = [type(transforms.OPS[n].make(getattr(EVERY_OP, n))) for n in kept]
    assert [type(op) for op in ops[: len(kept)]] == expected


@pytest.mark.parametrize("device", DEVICES)
def test_eval_tensors_match_the_pil_path(jpegs: Samples, device: str) -> None:
    ours = device_batch(jpegs, EVAL, device)
    assert ours.device.type == device and ours.dtype == torch.float32
    assert ours.shape == (len(jpegs), 3, 48, 48)
    if device == "cuda":
        assert ours.is_contiguous(memory_format=torch.channels_last)
    assert_within(levels(ours, pil_batch(jpegs, EVAL, "eval")), EQUIVALENCE[device])


@pytest.mark.parametrize("device", DEVICES)
def test_a_deterministic_train_pipeline_matches_the_pil_path(jpegs: Samples, device: str) -> None:
    spec = TransformSpec(
        resize=Resize(size=60),
        center_crop=Crop(enabled=True, size=52),
        pad=Pad(enabled=True, padding=2),
        random_horizontal_flip=Chance(enabled=True, p=1.0),
        random_vertical_flip=Chance(enabled=True, p=1.0),
        random_grayscale=Chance(enabled=True, p=1.0),
    )
    loader = DeviceBatches(jpegs, spec, "train", MEAN, STD, device, len(jpegs), shuffle=False)
    (ours, _), *_ = list(loader)
    assert_within(levels(ours, pil_batch(jpegs, spec, "train")), EQUIVALENCE[device])


@pytest.mark.parametrize("device", DEVICES)
def test_images_of_one_size_are_prefixed_together_with_the_same_pixels(device: str) -> None:
    spec = TransformSpec(
        resize=Resize(size=40),
        center_crop=Crop(enabled=True, size=36),
        pad=Pad(enabled=True, padding=1),
    )
    pipeline = Pipeline(
        replace(spec, grayscale=transforms.Grayscale(enabled=True)), "eval", MEAN, STD
    )
    generator = torch.Generator().manual_seed(0)
    shapes = [(3, 60, 80), (3, 80, 60), (3, 60, 80), (3, 50, 50), (3, 60, 80), (3, 80, 60)]
    images = [torch.randint(0, 256, s, dtype=torch.uint8, generator=generator) for s in shapes]
    images = [image.to(device) for image in images]
    together = pipeline.prefix_many(images)
    assert [tuple(i.shape) for i in together] == [(3, 38, 38)] * len(images)
    for image, ours in zip(images, together, strict=True):
        assert torch.equal(ours, pipeline.prefix(image))


def pil_apply(pipeline: Pipeline, image: Image.Image, draw: Draw) -> torch.Tensor:
    """One image through torchvision's PIL kernels with the random choices of `draw`."""
    image = pipeline.pil_prefix()(image)
    spec = pipeline.spec
    for name in pipeline.image_ops + pipeline.batch_ops:
        if name == "color_jitter":
            assert draw.jitter is not None
            order, *factors = draw.jitter
            kernels = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
            for index in order:
                if factors[index] is not None:
                    image = kernels[index](image, factors[index])
        elif name == "random_resized_crop":
            assert draw.resized_crop is not None
            size = [spec.random_resized_crop.size] * 2
            image = F.resized_crop(image, *draw.resized_crop, size, antialias=True)
        elif name == "random_crop":
            assert draw.crop is not None
            top, left, padding = draw.crop
            image = F.crop(F.pad(image, padding), top, left, *[spec.random_crop.size] * 2)
        elif name == "random_horizontal_flip" and draw.hflip:
            image = F.horizontal_flip(image)
        elif name == "random_vertical_flip" and draw.vflip:
            image = F.vertical_flip(image)
        elif name == "random_rotation":
            assert draw.rotation is not None
            image = F.rotate(image, draw.rotation, InterpolationMode.NEAREST, fill=0)
        elif name == "random_affine":
            assert draw.affine is not None
            angle, shift, scale = draw.affine
            image = F.affine(image, angle, shift, scale, [0.0, 0.0], InterpolationMode.NEAREST)
        elif (name == "random_grayscale" and draw.gray) or name == "grayscale":
            image = F.rgb_to_grayscale(image, num_output_channels=3)
        elif name == "random_perspective" and draw.perspective is not None:
            image = F.perspective(image, *draw.perspective, InterpolationMode.BILINEAR, fill=0)
    tensor: torch.Tensor = F.to_dtype(F.to_image(image), torch.float32, scale=True)
    tensor = F.normalize(tensor, MEAN, STD)
    if draw.erase is not None:
        top, left, height, width = draw.erase
        tensor[:, top : top + height, left : left + width] = 0
    return tensor


NO_RESIZE = TransformSpec(resize=Resize(enabled=False), center_crop=Crop(enabled=False))
CROPPED = TransformSpec(resize=Resize(size=56), center_crop=Crop(enabled=True, size=48))
RANDOM_SPECS = {
    "resized crop, flips, erasing": replace(
        NO_RESIZE,
        random_resized_crop=RandomResizedCrop(enabled=True, size=40),
        random_horizontal_flip=Chance(enabled=True, p=0.5),
        random_vertical_flip=Chance(enabled=True, p=0.5),
        random_erasing=RandomErasing(enabled=True, p=0.7),
    ),
    "random crop with padding, random grayscale": TransformSpec(
        resize=Resize(size=50),
        center_crop=Crop(enabled=False),
        random_crop=Crop(enabled=True, size=56),
        random_grayscale=Chance(enabled=True, p=0.5),
    ),
    # Warps and colour jitter resample differently in PIL and torch: the mean bound only.
    "colour jitter": replace(CROPPED, color_jitter=ColorJitter(enabled=True)),
    "rotation, affine": replace(
        CROPPED,
        random_rotation=RandomRotation(enabled=True),
        random_affine=RandomAffine(enabled=True, translate=(0.1, 0.1), scale=(0.9, 1.1)),
    ),
    "perspective": replace(
        CROPPED,
        random_perspective=RandomPerspective(enabled=True, p=1.0),
    ),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(RANDOM_SPECS))
def test_the_same_random_draws_give_the_pil_paths_tensors(
    jpegs: Samples, device: str, name: str
) -> None:
    pipeline = Pipeline(RANDOM_SPECS[name], "train", MEAN, STD)
    decoder = Decoder(pipeline, torch.device(device))
    images = decoder.decode([path for path, _ in jpegs])
    assert all(isinstance(image, torch.Tensor) for image in images)
    rng = np.random.default_rng(7)
    draws = [pipeline.draw(rng, i.shape[-2], i.shape[-1]) for i in images]  # type: ignore[union-attr]
    ours = pipeline.apply(images, draws)  # type: ignore[arg-type]
    reference = torch.stack(
        [pil_apply(pipeline, open_rgb(path), d) for (path, _), d in zip(jpegs, draws, strict=True)]
    )
    tolerance = EQUIVALENCE[device]
    warps = name in ("colour jitter", "rotation, affine", "perspective")
    if warps:
        tolerance = Tolerance(tolerance.mean_levels + WARP_MEAN_LEVELS, tolerance.max_levels)
    assert_within(levels(ours, reference), tolerance, mean_only=warps)


def test_resized_crop_draws_follow_torchvisions_distribution() -> None:
    pipeline = Pipeline(RANDOM_SPECS["resized crop, flips, erasing"], "train", MEAN, STD)
    rng = np.random.default_rng(0)
    draws = [pipeline.draw(rng, 300, 400) for _ in range(500)]
    areas, ratios = [], []
    for draw in draws:
        assert draw.resized_crop is not None
        top, left, height, width = draw.resized_crop
        assert 0 <= top <= 300 - height and 0 <= left <= 400 - width
        areas.append(height * width / 120_000)
        ratios.append(width / height)
    assert min(areas) >= 0.075 and max(areas) <= 1.0
    assert min(ratios) >= 0.7 and max(ratios) <= 1.4
    assert 0.4 <= np.mean([d.hflip for d in draws]) <= 0.6
    assert 0.6 <= np.mean([d.erase is not None for d in draws]) <= 0.8


def test_only_plain_whole_jpegs_go_to_the_batch_decoder(tmp_path: Path, jpegs: Samples) -> None:
    data = jpegs[0][0].read_bytes()
    header = scan_jpeg(data)
    assert header is not None and (header.width, header.height, header.orientation) == (96, 72, 1)
    assert scan_jpeg(data + b"\x00" * 5) is not None  # zero padding after the end marker
    assert scan_jpeg(data[:-100]) is None  # cut short: open_rgb says "truncated"
    assert scan_jpeg(data, max_pixels=96 * 72 - 1) is None  # open_rgb says "too-many-pixels"
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><tiff:Orientation>6</tiff:Orientation>"
    segment = b"\xff\xe1" + (len(xmp) + 2).to_bytes(2, "big") + xmp
    assert scan_jpeg(data[:2] + segment + data[2:]) is None  # Pillow would rotate it
    assert scan_jpeg(save(photo(0, 8, 8), tmp_path / "p.png").read_bytes()) is None


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_as_open_rgb_applies_it(
    tmp_path: Path, orientation: int
) -> None:
    path = save(photo(orientation, 40, 24), tmp_path / "o.jpg", exif=exif_with(orientation))
    header = scan_jpeg(path.read_bytes())
    assert header is not None and header.orientation == orientation
    spec = TransformSpec(resize=Resize(enabled=False), center_crop=Crop(enabled=False))
    (image,) = Decoder(Pipeline(spec, "eval", MEAN, STD), torch.device("cpu")).decode([path])
    assert isinstance(image, torch.Tensor)
    reference = torch.from_numpy(np.array(open_rgb(path))).permute(2, 0, 1)
    assert image.shape == reference.shape
    assert (image.int() - reference.int()).abs().max() <= 1


@pytest.mark.parametrize("workers", [0, 1])
def test_other_formats_fall_back_to_open_rgb_and_the_pil_ops(others: Samples, workers: int) -> None:
    assert all(scan_jpeg(path.read_bytes()) is None for path, _ in others)  # CMYK JPEG included
    loader = DeviceBatches(others, EVAL, "eval", MEAN, STD, "cpu", len(others), workers=workers)
    (ours, _), *_ = list(loader)
    loader.close()
    assert loader.decoder.fallbacks == len(others)
    # The fallback is the PIL path itself up to the float conversion: equal to the last bit.
    assert torch.equal(ours, pil_batch(others, EVAL, "eval"))


def test_the_cache_serves_later_epochs_without_decoding(jpegs: Samples) -> None:
    spec = RANDOM_SPECS["resized crop, flips, erasing"]
    loader = DeviceBatches(jpegs, spec, "train", MEAN, STD, "cpu", 4, shuffle=True, seed=3)
    for epoch in range(3):
        loader.set_epoch(epoch)
        assert sum(len(labels) for _, labels in loader) == len(jpegs)
        assert loader.decodes == len(jpegs)  # the first epoch's decoding only
    assert len(loader.cache) == len(jpegs)

    uncached = DeviceBatches(jpegs, spec, "train", MEAN, STD, "cpu", 4, shuffle=True, cache=False)
    for _ in range(2):
        list(uncached)
    assert uncached.decodes == 2 * len(jpegs)


@pytest.mark.parametrize("device", DEVICES)
def test_images_cached_in_host_memory_come_back_to_the_device_unchanged(
    jpegs: Samples, device: str
) -> None:
    budget = CacheBudget(device_bytes=0, host_bytes=10**9)  # on CUDA: pinned copies back
    loader = DeviceBatches(jpegs, EVAL, "eval", MEAN, STD, device, 5, budget=budget)
    first = [images for images, _ in loader]
    again = [images for images, _ in loader]
    assert loader.decodes == len(jpegs) and len(loader.cache) == len(jpegs)
    assert all(image.device.type == "cpu" for image in loader.cache._items.values())
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))


def test_a_budget_too_small_for_every_image_caches_what_fits(jpegs: Samples) -> None:
    one_image = 3 * 100 * 100  # bytes: at least the largest of these images
    budget = CacheBudget(device_bytes=0, host_bytes=one_image)
    spec = replace(NO_RESIZE, random_crop=Crop(enabled=True, size=32))
    loader = DeviceBatches(jpegs, spec, "train", MEAN, STD, "cpu", 4, shuffle=True, budget=budget)
    list(loader)
    list(loader)
    assert len(loader.cache) == 1
    assert loader.decodes == 2 * len(jpegs) - 1


def numbered(jpegs: Samples) -> Samples:
    """The same files labelled with their index: the labels show the order batches come in."""
    return [(path, i) for i, (path, _) in enumerate(jpegs * 2)]


def test_batches_come_in_seeded_loaders_order(jpegs: Samples) -> None:
    samples = numbered(jpegs)
    spec = RANDOM_SPECS["resized crop, flips, erasing"]
    ours = DeviceBatches(samples, spec, "train", MEAN, STD, "cpu", 5, shuffle=True, seed=11)
    blank = LabelledImages(samples, lambda _: torch.zeros(1), lambda _: Image.new("RGB", (1, 1)))
    theirs = make_loader(blank, 5, True, 11, 0, "cpu")
    assert len(ours) == len(theirs) == 5  # 24 images: the last batch of 4 is kept
    for epoch in (0, 1, 5):
        ours.set_epoch(epoch)
        theirs.set_epoch(epoch)
        assert [b.tolist() for _, b in ours] == [b.tolist() for _, b in theirs]
    assert len(DeviceBatches(samples[:21], spec, "train", MEAN, STD, "cpu", 5, shuffle=True)) == 4


def test_an_epoch_is_the_same_whether_resumed_or_run_straight(jpegs: Samples) -> None:
    spec = RANDOM_SPECS["resized crop, flips, erasing"]

    def loader() -> DeviceBatches:
        return DeviceBatches(jpegs, spec, "train", MEAN, STD, "cpu", 4, shuffle=True, seed=5)

    straight = loader()
    epochs = []
    for epoch in range(2):
        straight.set_epoch(epoch)
        epochs.append(list(straight))
    resumed = loader()  # a new process after a checkpoint: straight to epoch 1
    resumed.set_epoch(1)
    for (a, la), (b, lb) in zip(resumed, epochs[1], strict=True):
        assert torch.equal(la, lb) and torch.equal(a, b)
    assert not torch.equal(epochs[0][0][0], epochs[1][0][0])


def test_a_bad_training_image_fails_like_the_pil_path(tmp_path: Path, jpegs: Samples) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(jpegs[0][0].read_bytes()[:-400])  # cut short: no EOI, open_rgb decides
    loader = DeviceBatches([*jpegs[:3], (broken, 0)], EVAL, "eval", MEAN, STD, "cpu", 4)
    with pytest.raises(ImageRejected) as caught:
        list(loader)
    assert caught.value.reason == "truncated"


CONFIG = TrainConfig(
    epochs=2,
    batch_size=4,
    learning_rate=3e-3,
    optimizer="adamw",  # type: ignore[arg-type]
    device="cpu",
    mixed_precision="off",  # type: ignore[arg-type]
)
TRAIN = replace(
    NO_RESIZE,
    random_resized_crop=RandomResizedCrop(enabled=True, size=32),
    random_horizontal_flip=Chance(enabled=True, p=0.5),
)


def train(
    jpegs: Samples, callbacks: Callbacks = Callbacks(), resume: Checkpoint | None = None
) -> tuple[engine.FitResult, nn.Module]:
    seed_everything(CONFIG.random_seed)
    model = build_network(Architecture.RESNET18, num_classes=3)
    batches = DeviceBatches(jpegs, TRAIN, "train", MEAN, STD, "cpu", 4, shuffle=True, seed=1)
    val = DeviceBatches(jpegs[:6], EVAL, "eval", MEAN, STD, "cpu", 6)
    return fit(CONFIG, model, batches, val, callbacks, resume), model


def test_fit_trains_on_device_batches_and_resumes_to_the_same_weights(jpegs: Samples) -> None:
    straight, model = train(jpegs)
    assert [m.epoch for m in straight.history] == [1, 2]
    assert all(np.isfinite(m.train_loss) and np.isfinite(m.val_loss) for m in straight.history)

    ended: list[int] = []
    stop = Callbacks(on_epoch_end=lambda m: ended.append(m.epoch), should_stop=lambda: bool(ended))
    first, _ = train(jpegs, stop)
    assert first.cancelled and first.checkpoint is not None
    resumed, resumed_model = train(jpegs, resume=first.checkpoint)
    assert [m.train_loss for m in resumed.history] == [m.train_loss for m in straight.history]
    state, again = model.state_dict(), resumed_model.state_dict()
    assert all(torch.equal(state[k], again[k]) for k in state)


def test_compile_is_opt_in_and_free_on_resume(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[nn.Module] = []
    monkeypatch.setattr(nn.Module, "compile", lambda self, *a, **k: compiled.append(self))
    runtime = engine.resolve_runtime(CONFIG)
    engine.prepare(CONFIG, nn.Linear(2, 2), runtime)
    assert not compiled
    model = nn.Linear(2, 2)
    engine.prepare(TrainConfig(**{**vars(CONFIG), "compile": True}), model, runtime)
    assert compiled == [model]
    assert "compile" in engine._FREE_ON_RESUME


def test_the_device_path_is_the_cuda_default_and_can_be_forced() -> None:
    assert use_device_path("cuda") and not use_device_path("cpu")
    assert use_device_path("cpu", "device") and not use_device_path("cuda", "pil")
    with pytest.raises(ValueError, match="data_path"):
        use_device_path("cpu", "fast")  # type: ignore[arg-type]


def test_scoring_gives_the_same_probabilities_and_failures_on_both_paths(
    tmp_path: Path, jpegs: Samples, others: Samples
) -> None:
    model = load_trained(write_trained_dir(tmp_path / "model"), device="cpu")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(jpegs[0][0].read_bytes()[: len(jpegs[0][0].read_bytes()) // 2])
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not a png at all")
    paths: Sequence[Path | None] = [
        *(p for p, _ in jpegs[:5]), broken, None, junk, *(p for p, _ in others[:2])
    ]  # fmt: skip
    pil = predict_files(model, paths, 4, data_path="pil")
    ours = predict_files(model, paths, 4, data_path="device")
    assert ours.positions == pil.positions == [0, 1, 2, 3, 4, 8, 9]
    assert ours.failures == pil.failures
    assert ours.failures[6] == "missing"
    assert ours.failures[5].startswith("truncated: ")
    assert ours.failures[7].startswith("not-an-image: ")
    assert torch.allclose(ours.probabilities, pil.probabilities, atol=5e-3)
