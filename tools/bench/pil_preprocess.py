"""PIL baseline for the preprocessing benchmark: median ms per photo for decode + exif_transpose + RGB + bicubic
resize (short side 256) + centre crop 224 + normalise + NCHW, exactly the reference pipeline of docs/reference.md,
"Preprocessing". PIL's figure on the shared photos (~8 ms): docs/engines.md, "Decode and preprocessing cost".

Usage: /usr/bin/python3 tools/bench/pil_preprocess.py [IMAGES_DIR]   (default ../shared/images)
The default folder is optional and outside the repository (docs/README.md, "Optional material outside the
repository"); without it, or with a folder holding no *.jpg, there is nothing to measure and the script fails at the
mean: pass a folder of JPEGs.
Compare with: bench/jmh PreprocessBenchmark (same machine, same run of the session).
"""
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(3, 1, 1)


def preprocess(data: bytes) -> np.ndarray:
    img = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    w, h = img.size
    short, long_ = (w, h) if w <= h else (h, w)
    if short != 256:
        new_long = int(256 * long_ / short)
        img = img.resize((256, new_long) if w <= h else (new_long, 256), Image.BICUBIC)
    w, h = img.size
    top, left = (h - 224) // 2, (w - 224) // 2
    img = img.crop((left, top, left + 224, top + 224))
    x = np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0
    return (x - MEAN) / STD


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/images")
    medians = []
    for photo in sorted(folder.glob("*.jpg")):
        data = photo.read_bytes()
        for _ in range(5):
            preprocess(data)
        times = []
        for _ in range(30):
            t0 = time.perf_counter()
            preprocess(data)
            times.append((time.perf_counter() - t0) * 1000)
        med = statistics.median(times)
        medians.append(med)
        print(f"{photo.name:12s} {med:7.2f} ms")
    print(f"{'mean':12s} {statistics.mean(medians):7.2f} ms")


if __name__ == "__main__":
    main()
