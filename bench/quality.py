"""`cargo xtask bench` part three: how good the previews look.

For each photo that bench/pipeline.mjs kept, the reference is the original, made
upright by its EXIF orientation and resized by Pillow's Lanczos3 straight to each
preview's size. Both pipelines' WebP outputs (ours and the browser's canvas) are
compared with it on luma (ITU-R 601): PSNR in dB and SSIM (Gaussian window,
sigma 1.5, as Wang et al. 2004). Higher is better for both.

Usage: quality.py DIR  (DIR holds manifest.json and the outputs it names)
"""

import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

Image.MAX_IMAGE_PIXELS = 300_000_000


def luma(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB").convert("L"), dtype=np.float64)


def psnr(reference: np.ndarray, test: np.ndarray) -> float:
    mse = np.mean((reference - test) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def gaussian_blur(plane: np.ndarray, sigma: float = 1.5, radius: int = 5) -> np.ndarray:
    """Separable Gaussian over the 'valid' region (no padding), as SSIM defines it."""
    taps = np.exp(-(np.arange(-radius, radius + 1) ** 2) / (2 * sigma**2))
    taps /= taps.sum()
    size = 2 * radius + 1
    rows = sum(taps[i] * plane[:, i : plane.shape[1] - size + 1 + i] for i in range(size))
    return sum(taps[i] * rows[i : rows.shape[0] - size + 1 + i, :] for i in range(size))


def ssim(reference: np.ndarray, test: np.ndarray) -> float:
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_x, mu_y = gaussian_blur(reference), gaussian_blur(test)
    var_x = gaussian_blur(reference * reference) - mu_x**2
    var_y = gaussian_blur(test * test) - mu_y**2
    cov = gaussian_blur(reference * test) - mu_x * mu_y
    index = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)) / ((mu_x**2 + mu_y**2 + c1) * (var_x + var_y + c2))
    return float(index.mean())


def main(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    print("\nPreview quality against Pillow Lanczos3 of the upright original (luma; PSNR dB / SSIM; higher is better)\n")
    print("| photo | web ours | web canvas | thumb ours | thumb canvas |")
    print("|---|---:|---:|---:|---:|")
    for photo in manifest:
        with Image.open(photo["source"]) as opened:
            upright = ImageOps.exif_transpose(opened).convert("RGB")
        cells = []
        for variant in ("web", "thumb"):
            for pipeline in ("ours", "canvas"):
                with Image.open(folder / photo["outputs"][f"{variant}.{pipeline}"]) as output:
                    test = luma(output)
                    size = output.size
                reference = luma(upright.resize(size, Image.Resampling.LANCZOS))
                cells.append(f"{psnr(reference, test):.1f} / {ssim(reference, test):.3f}")
        print(f"| {photo['name'].split('/')[-1]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
