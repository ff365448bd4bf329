"""Speed of the data path, side by side: the torchvision reference pipeline (PIL decoding in
DataLoader workers), this project's engine, and the model alone on synthetic tensors already on
the device (the ceiling), with the ratios. Prints markdown tables.

    .venv/bin/python bench/speed.py                        # CPU: scoring, resnet18 + resnet50
    python bench/speed.py --device cuda --images 20000     # GPU: training (3 epochs) + scoring

On a GPU: training for --epochs epochs end to end (engine.fit: the first epoch, nvJPEG decoding
and the cache warm-up included, one validation batch per epoch) and scoring, for resnet18,
resnet50 and resnext101_32x8d, bf16 autocast and channels_last. On a CPU: scoring only, our
scorer (app.ml.fastpath.predict_files, what app/scoring/chunks.py runs: decode + inference)
against a plain torchvision eval loop and the model alone at the same batch size.

Needs only torch, torchvision, numpy and Pillow: it imports app.ml and nothing else of the
service. It writes a directory of ImageNet-like JPEGs (about 100 KB, 500x375 and similar; kept
for the next run) under --data (default: $TMPDIR/resnet-studio-speed).
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision import transforms as T  # noqa: N812

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: app.ml

from app.ml.architectures import Architecture, build_network
from app.ml.engine import Runtime, fit
from app.ml.fastpath import DeviceBatches, predict_files
from app.ml.model_dir import CONFIG_FILE, WEIGHTS_FILE, ModelDirConfig
from app.ml.predict import device_probabilities, load_trained
from app.ml.safetensors_io import save_file
from app.ml.train_config import TrainConfig
from app.ml.transforms import Chance, Crop, RandomResizedCrop, Resize, TransformSpec

CLASSES = 10
SIZES = [(500, 375), (375, 500), (500, 333), (500, 400), (640, 480), (400, 400)]
MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
# What a training job uses by default (app/training/staging.py) at ImageNet sizes.
TRAIN_SPEC = TransformSpec(
    resize=Resize(enabled=False),
    center_crop=Crop(enabled=False),
    random_resized_crop=RandomResizedCrop(enabled=True, size=224),
    random_horizontal_flip=Chance(enabled=True, p=0.5),
)
EVAL_SPEC = TransformSpec(
    resize=Resize(size=256),
    center_crop=Crop(enabled=True, size=224),
    random_horizontal_flip=Chance(enabled=False),
)


# -- the data ------------------------------------------------------------------------------------
def photo_jpeg(index: int) -> bytes:
    """A photo-like JPEG of about 100 KB: smooth colour regions, texture, fine grain."""
    rng = np.random.default_rng(index)
    width, height = SIZES[index % len(SIZES)]
    coarse = rng.integers(0, 256, (height // 25 + 1, width // 25 + 1, 3), dtype=np.uint8)
    base = np.asarray(Image.fromarray(coarse).resize((width, height), Image.Resampling.BICUBIC))
    mid = rng.integers(0, 256, (height // 4 + 1, width // 4 + 1, 3), dtype=np.uint8)
    texture = np.asarray(Image.fromarray(mid).resize((width, height), Image.Resampling.BILINEAR))
    pixels = base * 0.75 + (texture.astype(np.float32) - 128) * 0.35
    pixels += rng.normal(0, 10, pixels.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=92)
    return out.getvalue()


def _write(args: tuple[Path, int]) -> None:
    path, index = args
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(photo_jpeg(index))
        tmp.rename(path)


def make_images(root: Path, count: int) -> list[tuple[Path, int]]:
    """An ImageFolder tree of `count` JPEGs in CLASSES folders (made once, then reused)."""
    samples = [(root / f"class{i % CLASSES}" / f"{i:06d}.jpg", i % CLASSES) for i in range(count)]
    for c in range(CLASSES):
        (root / f"class{c}").mkdir(parents=True, exist_ok=True)
    missing = [(path, i) for i, (path, _) in enumerate(samples) if not path.exists()]
    if missing:
        start = time.perf_counter()
        with Pool(os.cpu_count()) as pool:
            pool.map(_write, missing, chunksize=64)
        took = time.perf_counter() - start
        print(f"wrote {len(missing)} JPEGs to {root} in {took:.0f} s", file=sys.stderr)
    return samples


class Files(torch.utils.data.Dataset[tuple[torch.Tensor, int]]):
    """The torchvision reference's dataset: PIL decoding, a torchvision transform per image."""

    def __init__(self, samples: list[tuple[Path, int]], transform: Callable[..., torch.Tensor]):
        self.samples, self.transform = samples, transform

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        path, label = self.samples[index]
        return self.transform(datasets.folder.default_loader(str(path))), label


def reference_transform(train: bool) -> Callable[..., torch.Tensor]:
    """torchvision references/classification/presets.py at 224 pixels."""
    head = (
        [T.RandomResizedCrop(224, antialias=True), T.RandomHorizontalFlip()]
        if train
        else [T.Resize(256, antialias=True), T.CenterCrop(224)]
    )
    tail = [T.PILToTensor(), T.ConvertImageDtype(torch.float), T.Normalize(MEAN, STD)]
    pipeline: Callable[..., torch.Tensor] = T.Compose(head + tail)
    return pipeline


class Synthetic:
    """`steps` batches of one random tensor already on the device: the model alone."""

    def __init__(self, steps: int, batch_size: int, device: torch.device) -> None:
        self.steps = steps
        fmt = torch.channels_last if device.type == "cuda" else torch.contiguous_format
        images = torch.randn(batch_size, 3, 224, 224, device=device)
        self.batch = images.contiguous(memory_format=fmt)
        self.labels = torch.randint(0, CLASSES, (batch_size,), device=device)

    def __len__(self) -> int:
        return self.steps

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        for _ in range(self.steps):
            yield self.batch, self.labels


# -- measurements --------------------------------------------------------------------------------
@dataclass
class Row:
    model: str
    task: str
    pipeline: str
    images_per_s: float


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def write_model(folder: Path, arch: Architecture) -> Path:
    """A model directory as training writes it (random weights: speed does not need accuracy)."""
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    network = build_network(arch, CLASSES)
    save_file(network.state_dict(), folder / WEIGHTS_FILE, metadata={"architecture": arch.value})
    config = ModelDirConfig(
        architecture=arch,
        pretrained=False,
        num_classes=CLASSES,
        class_names=[f"class{c}" for c in range(CLASSES)],
        weights=WEIGHTS_FILE,
        inference_transform=EVAL_SPEC.to_dict(),
    )
    (folder / CONFIG_FILE).write_bytes(config.to_json())
    return folder


def score(
    arch: Architecture,
    samples: list[tuple[Path, int]],
    args: argparse.Namespace,
    device: torch.device,
    work: Path,
) -> list[Row]:
    model = load_trained(write_model(work / arch.value, arch), str(device), compile=args.compile)
    paths = [path for path, _ in samples]
    batch = args.batch_size or (32 if device.type == "cpu" else 256)
    steps = math.ceil(len(paths) / batch)
    fmt = torch.channels_last if device.type == "cuda" else torch.contiguous_format

    def model_only() -> None:
        inputs = torch.randn(batch, 3, 224, 224, device=device).contiguous(memory_format=fmt)
        for _ in range(steps):
            device_probabilities(model, inputs)
        sync(device)

    def reference() -> None:
        loader = DataLoader(
            Files(samples, reference_transform(train=False)),
            batch_size=batch,
            num_workers=args.workers,
            pin_memory=device.type == "cuda",
        )
        outputs = []
        runtime = Runtime(device, model.amp_dtype)
        with torch.inference_mode():
            for images, _ in loader:
                images = images.to(device, non_blocking=True, memory_format=fmt)
                with runtime.autocast():
                    outputs.append(model.network(images).float().softmax(1))
        torch.cat(outputs).cpu()

    def ours() -> None:
        predicted = predict_files(model, paths, batch)  # as app/scoring/chunks.py calls it
        assert len(predicted.positions) == len(paths), predicted.failures

    model_only()  # untimed: cuDNN autotuning, oneDNN primitives
    best: dict[str, float] = {}
    for _ in range(args.repeat):  # rounds interleaved, the best of each kept: load is noise
        for name, run in (("model only", model_only), ("torchvision", reference), ("ours", ours)):
            start = time.perf_counter()
            run()
            rate = len(paths) / (time.perf_counter() - start)
            best[name] = max(best.get(name, 0.0), rate)
            print(f"  {arch.value} score {name}: {rate:.1f} images/s", file=sys.stderr)
    return [Row(arch.value, "score", name, rate) for name, rate in best.items()]


def train(
    arch: Architecture,
    samples: list[tuple[Path, int]],
    args: argparse.Namespace,
    device: torch.device,
) -> list[Row]:
    batch = args.batch_size or (256 if arch is not Architecture.RESNEXT101_32X8D else 128)
    config = TrainConfig(
        epochs=args.epochs,
        batch_size=batch,
        learning_rate=0.1,
        print_frequency=10**9,
        device=str(device),
        compile=args.compile,
    )
    steps = len(samples) // batch
    val = samples[:batch]

    def loaders(name: str) -> tuple[object, object]:
        if name == "model only":
            return Synthetic(steps, batch, device), Synthetic(1, batch, device)
        if name == "torchvision":
            workers, pin = args.workers, device.type == "cuda"
            return (
                DataLoader(
                    Files(samples, reference_transform(train=True)),
                    batch_size=batch,
                    shuffle=True,
                    drop_last=True,
                    num_workers=workers,
                    persistent_workers=workers > 0,
                    pin_memory=pin,
                ),
                DataLoader(Files(val, reference_transform(train=False)), batch_size=batch),
            )
        return (
            DeviceBatches(
                samples, TRAIN_SPEC, "train", MEAN, STD, device, batch, shuffle=True, workers=8
            ),
            DeviceBatches(val, EVAL_SPEC, "eval", MEAN, STD, device, batch),
        )

    rows = []
    for name in ("model only", "torchvision", "ours"):
        train_loader, val_loader = loaders(name)
        torch.manual_seed(0)
        model = build_network(arch, CLASSES)
        start = time.perf_counter()
        result = fit(config, model, train_loader, val_loader)  # type: ignore[arg-type]
        sync(device)
        seconds = time.perf_counter() - start
        trained = len(train_loader) * batch * args.epochs  # type: ignore[arg-type]
        rows.append(Row(arch.value, f"train {args.epochs} epochs", name, trained / seconds))
        print(f"  {arch.value} train {name}: {rows[-1].images_per_s:.1f} images/s", file=sys.stderr)
        del model, result
        if device.type == "cuda":
            torch.cuda.empty_cache()
    return rows


# -- the report ----------------------------------------------------------------------------------
def table(rows: list[Row]) -> str:
    lines = [
        "| model | task | pipeline | images/s | x model only | x torchvision |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        same = [r for r in rows if (r.model, r.task) == (row.model, row.task)]
        ceiling = next(r.images_per_s for r in same if r.pipeline == "model only")
        reference = next(r.images_per_s for r in same if r.pipeline == "torchvision")
        lines.append(
            f"| {row.model} | {row.task} | {row.pipeline} | {row.images_per_s:,.1f} "
            f"| {row.images_per_s / ceiling:.2f} | {row.images_per_s / reference:.2f} |"
        )
    return "\n".join(lines)


def machine(device: torch.device) -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gpu = f", {torch.cuda.get_device_name(device)}" if device.type == "cuda" else ""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores{gpu}; torch {torch.__version__}, torchvision "
        f"{torchvision.__version__}, {torch.get_num_threads()} torch threads; load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="auto", help="auto (cuda if available), cuda, cpu")
    parser.add_argument("--models", help="comma-separated (default: per device, see above)")
    parser.add_argument("--images", type=int, help="default: 256 on the CPU, 20000 on a GPU")
    parser.add_argument("--batch-size", type=int, help="default: 32 on the CPU, 256 on a GPU")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--tasks", help="train,score (default: score on the CPU, both on a GPU)")
    parser.add_argument("--workers", type=int, help="reference DataLoader workers")
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "resnet-studio-speed"
    )
    parser.add_argument("--compile", action="store_true", help="torch.compile the models")
    parser.add_argument("--repeat", type=int, help="scoring rounds, best kept (CPU 3, GPU 1)")
    args = parser.parse_args()
    name = "cuda" if args.device == "auto" and torch.cuda.is_available() else args.device
    device = torch.device("cpu" if name == "auto" else name)
    gpu = device.type == "cuda"
    models = args.models or ("resnet18,resnet50,resnext101_32x8d" if gpu else "resnet18,resnet50")
    args.images = args.images or (20_000 if gpu else 256)
    args.tasks = args.tasks or ("train,score" if gpu else "score")
    args.repeat = args.repeat or (1 if gpu else 3)
    if args.workers is None:
        args.workers = min(os.cpu_count() or 1, 16) if gpu else 0
    samples = make_images(args.data / f"jpeg-{args.images}", args.images)
    print(f"machine: {machine(device)}", file=sys.stderr)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as work:
        for arch in (Architecture(m.strip()) for m in models.split(",")):
            if "train" in args.tasks:
                rows += train(arch, samples, args, device)
            if "score" in args.tasks:
                rows += score(arch, samples, args, device, Path(work))
    print(f"\n{args.images} JPEGs (~100 KB, 500x375 and similar), device {device}")
    print(f"machine: {machine(device)}\n")
    print(table(rows))


if __name__ == "__main__":
    main()
