#!/usr/bin/python3
"""Generate the model files and reference data that Argus's tests need.

Run with Debian's Python, which has torch 1.13, torchvision 0.14, numpy and PIL:

    /usr/bin/python3 tools/testdata/make_models.py build/test-models
    /usr/bin/python3 tools/testdata/make_models.py build/test-models --force   # rebuild anyway

No network and no pretrained weights are needed: everything is made from seeds or by hand, so every run gives
the same files (same bytes with the same torch/PIL on the same machine; the .pt files embed the source
line numbers of the tracing call as debug info, so editing this script changes their bytes, not their
content). A stamp file (.make_models.stamp) records the script's hash, the library versions and every output's
size and mtime; when all still match, the script exits at once (about 0.1 s).
A first run takes about 25-40 s on 2 cores.

What it writes into OUTDIR, and why
-----------------------------------
resnet50.onnx, resnet50.pt
    torchvision's ResNet-50 (v1.5, the architecture of microsoft/resnet-50) with random weights from
    torch.manual_seed(0), as ONNX (opset 17, input `pixel_values` [N,3,224,224], output `logits` [N,1000],
    dynamic batch) and as traced TorchScript. Same weights in both. Used for engine-vs-engine numeric checks.
    One deterministic change to torchvision's random init: the BatchNorm running statistics are
    *calibrated* (one train-mode forward pass, cumulative average, over 4 seeded images: 2 of noise, 2 smooth),
    then the model is put in eval mode. With the untouched init (running mean 0, var 1) the activations grow
    block after block: logits reach ~110 with std ~25, fp32 rounding alone moves them by ~1e-4 (measured
    against float64) and the logits hardly depend on the input (correlation 0.9998 between two inputs, same
    top-3). After calibration: logits |x| < ~3, fp32-vs-fp64 error ~3e-5, and different inputs give different
    top-1s. Architecture and conv/fc weights are torchvision's, unchanged.
resnet50-reference-input.bin, resnet50-reference-logits.bin, resnet50-reference-logits64.bin,
resnet50-reference.json
    A [2,3,224,224] float32 input (row 0: seeded standard normal noise; row 1: smooth seeded noise, 7x7
    upsampled bilinearly, x1.5, more image-like) and PyTorch's logits [2,1000] for it: in float32 (raw
    little-endian, C order, no header) and computed in float64 from the same float32 weights (raw little-endian
    float64). A Java test runs each engine on the input and compares with the float64 logits (max |diff| <
    1e-4): against PyTorch's own float32 output, its rounding error (~3e-5, with kernels that differ between
    CPUs) would add to the engine's. The JSON records PyTorch's float32-vs-float64 difference measured here.
probe.onnx, probe.pt, probe-images/, probe.json
    A tiny model with DESIGNED weights whose right answer for the designed images is known, to catch
    preprocessing bugs (colour order, layout, normalisation, resize/crop, EXIF, signed bytes). Same I/O names,
    shapes, dynamic batch and opset as the ResNet. Architecture:
        AvgPool2d(112, stride 112) -> [N,3,2,2] = mean of each channel over each image quadrant
        -> Flatten -> 12 features f[c*4 + q], q = 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right
        -> Linear(12, 1000).
    The Linear layer is a nearest-template classifier: each designed class k has a template t_k (the 12
    features the correct preprocessing produces for its image) and logit_k = alpha * (2 f.t_k - |t_k|^2),
    which equals -alpha * |f - t_k|^2 up to the term -alpha*|f|^2 shared by all classes (softmax ignores it).
    One extra class, "spotlight", is a brightness detector: logit = beta * (mean(f) - theta); correctly
    normalised images have mean(f) <= ~0 except white, while a pipeline that skips /255 or mean/std gives
    mean(f) >> theta. All other 992 classes: weight 0, bias -20.
    probe.json lists each image, its expected class and full ImageNet label, why it exists, the class each
    simulated buggy pipeline gets instead ("catches"), and the reference top-1 probability and logit margin.
    The script checks every case end to end (reference preprocessing -> in-memory model and the reloaded
    probe.pt): top-1 right, softmax >= 0.5, logit margin >= 2; and every simulated bug listed for a case
    must change the top-1. Any failure exits non-zero.
weights/resnet50/, weights/probe/
    Both models' state_dict for builders in other languages (the TensorFlow SavedModels are built from them in
    Java by tools/testdata/make_savedmodels): index.json lists every float tensor in state_dict order, {"name", "shape",
    "file"}, plus "architecture" and BatchNorm's "bn_eps"; each tensor is one raw little-endian float32 file
    (C order, no header) named after it. Integer buffers (BatchNorm's num_batches_tracked) are left out.
resnet50-savedmodel/, probe-savedmodel/, probe-nhwc-savedmodel/ (not written here)
    Built from weights/ by tools/testdata/make_savedmodels; this script's stamp and MANIFEST ignore them.
MANIFEST.txt
    One line per file: "<sha256> <size in bytes> <path relative to OUTDIR>", single spaces, sorted by path.

Reference preprocessing (docs/reference.md, "Preprocessing": microsoft/resnet-50's image processor): EXIF transpose,
convert RGB, resize the short side to int(224 / 0.875) = 256 (long side int(256 * long / short); skipped when the
short side is already 256) with PIL bicubic, centre crop 224 (top = (H-224)//2, left = (W-224)//2), /255, normalise
with mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225), NCHW float32.

The ONNX files are not executed here (no onnxruntime in Debian's Python); the Java tests do that. The script
only reads back their opset and input/output signature with a small protobuf reader.
"""

import argparse
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sys
import time
from pathlib import Path

STAMP_NAME = ".make_models.stamp"
LIBS = ("torch", "torchvision", "Pillow", "numpy")
# Optional, outside the repository (docs/README.md, "Optional material outside the repository"): when the file is
# absent the cross-check is skipped and the built-in labels of CLASSES are used. The same list ships in
# domain/src/main/resources/dev/argus/domain/imagenet-1k-labels.txt.
LABELS_FILE_DEFAULT = "/work/shared/data/imagenet-1k-labels.txt"

# --- preprocessing constants (docs/reference.md, "Preprocessing") ---
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
CROP = 224
RESIZE_SHORT = int(CROP / 0.875)  # 256

# --- probe design ---
ALPHA = 0.1          # template scale: margin between classes k, j at f = t_k is alpha * |t_k - t_j|^2
BETA = 20.0          # brightness detector slope
THETA = 0.2          # brightness detector threshold on mean(f)
FILLER_BIAS = -20.0  # bias of the 992 classes nobody should get
MIN_PROB = 0.5
MIN_MARGIN = 2.0

WHITE, BLACK = (255, 255, 255), (0, 0, 0)
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)
MEAN_RGB = (124, 116, 104)  # round(255 * MEAN): normalises to ~0

# Designed classes: name -> (ImageNet index, full label line, template as 4 quadrant colours TL, TR, BL, BR).
# The labels are checked against the labels file when it exists.
CLASSES = {
    "red": (555, "fire engine, fire truck", [RED] * 4),
    "green": (948, "Granny Smith", [GREEN] * 4),
    "blue": (608, "jean, blue jean, denim", [BLUE] * 4),
    "q1": (918, "crossword puzzle, crossword", [WHITE, BLACK, BLACK, BLACK]),
    "q2": (611, "jigsaw puzzle", [BLACK, WHITE, BLACK, BLACK]),
    "q3": (905, "window shade", [BLACK, BLACK, WHITE, BLACK]),
    "neutral": (147, "grey whale, gray whale, devilfish, Eschrichtius gibbosus, Eschrichtius robustus",
                [MEAN_RGB] * 4),
    "bright": (818, "spotlight, spot", None),  # brightness detector, not a template
}

# Simulated preprocessing bugs (see preprocess()).
VARIANT_DOC = {
    "bgr": "channels in BGR order (OpenCV-style decode) but RGB mean/std",
    "signed_bytes": "pixel bytes read as signed (255 -> -1)",
    "nhwc": "HWC pixel buffer handed over as if it were CHW (no transpose)",
    "transpose": "height and width swapped",
    "hflip": "image mirrored left-right",
    "vflip": "image upside down",
    "no_norm": "/255 but no mean/std normalisation",
    "no_scale": "mean/std normalisation without /255",
    "raw": "raw 0..255 values, no /255, no mean/std",
    "squash224": "resized straight to 224x224 (aspect ratio lost, no crop)",
    "squash256_crop": "resized to 256x256 (aspect ratio lost), then centre crop 224",
    "corner_crop": "correct resize, but crop taken at the top-left corner",
    "no_exif": "EXIF orientation ignored",
    "exif_ccw": "EXIF orientation 6 applied the wrong way (90 degrees counter-clockwise)",
}

# Probe cases: file name, expected class, why, bugs that must change the top-1.
CASES = [
    ("red.png", "red", "solid red 256x256; BGR order turns it blue, signed bytes black",
     ["bgr", "signed_bytes", "nhwc"]),
    ("red.jpg", "red", "solid red 300x400 JPEG (quality 95), resized to 256x341 then cropped",
     ["bgr", "signed_bytes", "nhwc"]),
    ("green.png", "green", "solid green 256x256 (BGR-symmetric: a BGR swap leaves it green)",
     ["signed_bytes", "nhwc"]),
    ("blue.png", "blue", "solid blue 256x256; BGR order turns it red",
     ["bgr", "signed_bytes", "nhwc"]),
    ("white.png", "bright", "solid white 256x256: the brightness detector wins; signed bytes make it dark",
     ["signed_bytes"]),
    ("quadrant-tl.png", "q1", "black 256x256, top-left quadrant white; flips move the white quadrant",
     ["hflip", "vflip", "signed_bytes", "nhwc"]),
    ("quadrant-tr.png", "q2", "black 256x256, top-right quadrant white; a H/W transpose moves it bottom-left",
     ["transpose", "hflip", "vflip", "signed_bytes", "nhwc"]),
    ("quadrant-bl.png", "q3", "black 256x256, bottom-left quadrant white; a H/W transpose moves it top-right",
     ["transpose", "hflip", "vflip", "signed_bytes", "nhwc"]),
    ("mean-grey.png", "neutral", "solid RGB (124,116,104) = the normalisation mean: features ~0; "
     "without /255 or without mean/std they are large and positive", ["no_norm", "no_scale", "raw"]),
    ("crop-wide.png", "blue", "640x320: central 320x320 square blue, left/right 160-pixel bands green; "
     "resize to 512x256 + centre crop 224 sees only blue, squashing or a wrong crop brings in green",
     ["squash224", "squash256_crop", "corner_crop"]),
    ("exif-orientation6.jpg", "q2", "JPEG stored 320x256 with the white quadrant top-left, EXIF Orientation=6 "
     "(rotate 90 degrees clockwise to display): shown 256x320 with the white quadrant top-right",
     ["no_exif", "exif_ccw"]),
]


# ----------------------------------------------------------------------------------------------------------
# small helpers

T0 = time.time()


def log(msg):
    print(f"[{time.time() - T0:5.1f}s] {msg}", flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_bytes_atomic(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def write_json(path, obj):
    write_bytes_atomic(path, (json.dumps(obj, indent=2) + "\n").encode("utf-8"))


def lib_versions():
    return {lib: importlib.metadata.version(lib) for lib in LIBS}


def recipe_hash():
    """Hash of what determines the outputs: this script and the library versions."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(json.dumps(lib_versions(), sort_keys=True).encode())
    return h.hexdigest()


def output_files(out):
    """What this script writes: everything but the stamp, temp files, the SavedModels make_savedmodels builds and the
    zoo/ that make_zoo.py writes beside it (it keeps its own stamp and manifest)."""
    return sorted(p for p in out.rglob("*") if p.is_file() and p.name != STAMP_NAME
                  and not p.name.endswith(".tmp")
                  and not any(part.endswith("-savedmodel") for part in p.relative_to(out).parts)
                  and p.relative_to(out).parts[0] != "zoo")


# ----------------------------------------------------------------------------------------------------------
# minimal ONNX (protobuf) reader: checks opset and the graph's inputs/outputs without the `onnx` module

def _pb_fields(buf, start=0, end=None):
    """Yield (field number, wire type, value) of one protobuf message; length-delimited values as (lo, hi)."""
    pos, end = start, len(buf) if end is None else end

    def varint():
        nonlocal pos
        shift = result = 0
        while True:
            b = buf[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    while pos < end:
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            yield field, wire, varint()
        elif wire == 1:
            pos += 8
        elif wire == 2:
            n = varint()
            yield field, wire, (pos, pos + n)
            pos += n
        elif wire == 5:
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def _pb_sub(buf, span, field):
    return [v for f, w, v in _pb_fields(buf, *span) if f == field]


def onnx_signature(data):
    """-> (opset of the default domain, [(name, [dims])] inputs, outputs); a dim is an int or its param name."""
    buf = memoryview(data)
    opset, graph = None, None
    for f, w, v in _pb_fields(buf):
        if f == 8:  # opset_import
            domain = b"".join(bytes(buf[lo:hi]) for lo, hi in _pb_sub(buf, v, 1))
            if domain in (b"", b"ai.onnx"):
                opset = _pb_sub(buf, v, 2)[0]
        elif f == 7:
            graph = v

    def value_infos(field):
        result = []
        for vi in _pb_sub(buf, graph, field):
            name = bytes(buf[slice(*_pb_sub(buf, vi, 1)[0])]).decode()
            tensor = _pb_sub(buf, _pb_sub(buf, vi, 2)[0], 1)[0]
            dims = []
            for dim in _pb_sub(buf, _pb_sub(buf, tensor, 2)[0], 1):
                for f, w, v in _pb_fields(buf, *dim):
                    dims.append(v if f == 1 else bytes(buf[v[0]:v[1]]).decode())
            result.append((name, dims))
        return result

    return opset, value_infos(11), value_infos(12)


def check_onnx(path):
    opset, inputs, outputs = onnx_signature(Path(path).read_bytes())
    want = (17, [("pixel_values", ["batch", 3, CROP, CROP])], [("logits", ["batch", 1000])])
    assert (opset, inputs, outputs) == want, f"{path}: signature {(opset, inputs, outputs)}, expected {want}"
    log(f"{Path(path).name}: opset {opset}, inputs {inputs}, outputs {outputs}")


# ----------------------------------------------------------------------------------------------------------
# stamp: skip the work when the outputs are current

def is_current(out, recipe, stamp_name=STAMP_NAME):
    try:
        stamp = json.loads((out / stamp_name).read_text())
    except (OSError, ValueError):
        return False
    if stamp.get("recipe") != recipe:
        return False
    for rel, (size, mtime_ns) in stamp.get("files", {}).items():
        try:
            st = (out / rel).stat()
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime_ns:
            return False
    return bool(stamp.get("files"))


def write_stamp(out, recipe):
    files = {}
    for p in output_files(out):
        st = p.stat()
        files[p.relative_to(out).as_posix()] = [st.st_size, st.st_mtime_ns]
    write_json(out / STAMP_NAME, {"recipe": recipe, "versions": lib_versions(), "files": files})


def write_manifest(out):
    lines = []
    for p in output_files(out):
        if p.name == "MANIFEST.txt":
            continue
        lines.append(f"{sha256_file(p)} {p.stat().st_size} {p.relative_to(out).as_posix()}")
    write_bytes_atomic(out / "MANIFEST.txt", ("\n".join(lines) + "\n").encode())
    return lines


# ----------------------------------------------------------------------------------------------------------
# ResNet-50 with random (seeded) weights

def calibrate_batchnorm(model, torch):
    """Set every BatchNorm's running stats to the batch statistics of 4 seeded images (deterministic)."""
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(99)
    noise = torch.randn(2, 3, 224, 224, generator=g)
    smooth = F.interpolate(torch.randn(2, 3, 7, 7, generator=g), size=224, mode="bilinear",
                           align_corners=False) * 1.5
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average: after one batch = that batch's statistics
    model.train()
    with torch.no_grad():
        model(torch.cat([noise, smooth]))
    for bn in bns:
        bn.momentum = 0.1
    model.eval()


def reference_input(torch):
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(1234)
    noise = torch.randn(1, 3, 224, 224, generator=g)
    smooth = F.interpolate(torch.randn(1, 3, 7, 7, generator=g), size=224, mode="bilinear",
                           align_corners=False) * 1.5
    return torch.cat([noise, smooth]).contiguous()


def onnx_bytes(model, example, torch):
    buf = io.BytesIO()
    torch.onnx.export(model, example, buf, opset_version=17, input_names=["pixel_values"],
                      output_names=["logits"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}})
    return buf.getvalue()


def torchscript_bytes(model, example, torch):
    with torch.no_grad():
        traced = torch.jit.trace(model, example)
    buf = io.BytesIO()
    torch.jit.save(traced, buf)
    return buf.getvalue()


def raw_f32(t, np):
    return np.ascontiguousarray(t.detach().numpy(), dtype="<f4").tobytes()


def export_weights(model, wdir, architecture, np, torch):
    """state_dict as one raw little-endian float32 file per tensor + index.json (names, shapes, files)."""
    if wdir.exists():
        shutil.rmtree(wdir)
    wdir.mkdir(parents=True)
    tensors = []
    for name, t in model.state_dict().items():
        if not t.is_floating_point():
            continue  # BatchNorm's num_batches_tracked
        file = name + ".bin"
        write_bytes_atomic(wdir / file, raw_f32(t.float(), np))
        tensors.append({"name": name, "shape": list(t.shape), "file": file})
    eps = [m.eps for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert len(set(eps)) <= 1, "one BatchNorm eps expected"
    write_json(wdir / "index.json", {"architecture": architecture, "bn_eps": eps[0] if eps else None,
                                     "dtype": "float32", "byte_order": "little", "tensors": tensors})
    log(f"{architecture}: exported {len(tensors)} weight tensors to {wdir}")


def make_resnet(out, torch, torchvision, np):
    torch.manual_seed(0)
    model = torchvision.models.resnet50(weights=None).eval()
    log("resnet50: calibrating BatchNorm statistics")
    calibrate_batchnorm(model, torch)

    x = reference_input(torch)
    with torch.no_grad():
        logits = model(x)
        logits64 = model.double()(x.double())
    model.float()
    fp_err = (logits64 - logits.double()).abs().max().item()
    corr = torch.corrcoef(logits)[0, 1].item()
    top1 = logits.argmax(1).tolist()
    log(f"resnet50: logits |max| {logits.abs().max():.3f}, std {logits.std(1).tolist()}, rows' correlation "
        f"{corr:.3f}, top-1 {top1}, fp32-vs-fp64 max diff {fp_err:.2e}")
    assert fp_err < 5e-5, f"fp32 rounding error {fp_err} too close to the 1e-4 test tolerance"

    log("resnet50: exporting ONNX")
    write_bytes_atomic(out / "resnet50.onnx", onnx_bytes(model, x, torch))
    check_onnx(out / "resnet50.onnx")
    log("resnet50: tracing TorchScript")
    write_bytes_atomic(out / "resnet50.pt", torchscript_bytes(model, x, torch))

    export_weights(model, out / "weights" / "resnet50", "resnet50", np, torch)

    write_bytes_atomic(out / "resnet50-reference-input.bin", raw_f32(x, np))
    write_bytes_atomic(out / "resnet50-reference-logits.bin", raw_f32(logits, np))
    write_bytes_atomic(out / "resnet50-reference-logits64.bin",
                       np.ascontiguousarray(logits64.detach().numpy(), dtype="<f8").tobytes())
    write_json(out / "resnet50-reference.json", {
        "input_shape": list(x.shape), "logits_shape": list(logits.shape),
        "input": "resnet50-reference-input.bin", "logits": "resnet50-reference-logits.bin",
        "logits64": "resnet50-reference-logits64.bin", "fp32_vs_fp64_max_diff": fp_err})

    log("resnet50: checking the saved TorchScript (batch 2 and batch 1)")
    ts = torch.jit.load(io.BytesIO((out / "resnet50.pt").read_bytes()))
    with torch.no_grad():
        d2 = (ts(x) - logits).abs().max().item()
        d1 = (ts(x[1:]).double() - logits64[1:]).abs().max().item()
    log(f"resnet50: TorchScript max diff: batch 2 vs eager {d2:.2e}, batch 1 vs float64 {d1:.2e}")
    # batch 1 may take other kernels than batch 2 (per CPU), so it is held to the float64 logits, as engines are
    assert d2 < 1e-5 and d1 < 1e-4, "TorchScript does not reproduce the eager model"


# ----------------------------------------------------------------------------------------------------------
# probe model

def normalise_rgb(rgb, np):
    return (np.asarray(rgb, dtype=np.float64) / 255.0 - np.asarray(MEAN)) / np.asarray(STD)


def template(quads, np):
    """12 features (c*4 + q) that correct preprocessing gives for an image of 4 flat quadrants."""
    f = np.zeros(12)
    for q, rgb in enumerate(quads):
        f[np.arange(3) * 4 + q] = normalise_rgb(rgb, np)
    return f


def build_probe(torch, np):
    weight = np.zeros((1000, 12))
    bias = np.full(1000, FILLER_BIAS)
    for name, (idx, _label, quads) in CLASSES.items():
        if quads is None:  # brightness detector
            weight[idx] = BETA / 12.0
            bias[idx] = -BETA * THETA
        else:
            t = template(quads, np)
            weight[idx] = 2 * ALPHA * t
            bias[idx] = -ALPHA * t.dot(t)
    fc = torch.nn.Linear(12, 1000)
    with torch.no_grad():
        fc.weight.copy_(torch.from_numpy(weight))
        fc.bias.copy_(torch.from_numpy(bias))
    return torch.nn.Sequential(torch.nn.AvgPool2d(CROP // 2, stride=CROP // 2), torch.nn.Flatten(1),
                               fc).eval()


def make_probe_images(img_dir, Image):
    """Draw the designed images. Quadrant/edge boundaries fall exactly on the 112-pixel pool boundaries."""
    img_dir.mkdir(parents=True, exist_ok=True)

    def solid(rgb, size=(256, 256)):
        return Image.new("RGB", size, rgb)

    def quadrant(q, size=(256, 256)):
        w, h = size
        im = solid(BLACK, size)
        x0 = 0 if q in (0, 2) else w // 2
        y0 = 0 if q in (0, 1) else h // 2
        im.paste(WHITE, (x0, y0, x0 + w // 2, y0 + h // 2))
        return im

    solid(RED).save(img_dir / "red.png")
    solid(RED, (300, 400)).save(img_dir / "red.jpg", quality=95)
    solid(GREEN).save(img_dir / "green.png")
    solid(BLUE).save(img_dir / "blue.png")
    solid(WHITE).save(img_dir / "white.png")
    quadrant(0).save(img_dir / "quadrant-tl.png")
    quadrant(1).save(img_dir / "quadrant-tr.png")
    quadrant(2).save(img_dir / "quadrant-bl.png")
    solid(MEAN_RGB).save(img_dir / "mean-grey.png")

    wide = solid(GREEN, (640, 320))
    wide.paste(BLUE, (160, 0, 480, 320))
    wide.save(img_dir / "crop-wide.png")

    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    quadrant(0, (320, 256)).save(img_dir / "exif-orientation6.jpg", quality=95, exif=exif.tobytes())


def preprocess(path, variant, Image, ImageOps, np, torch):
    """Reference preprocessing (docs/reference.md, "Preprocessing"); `variant` simulates one bug (None = correct).
    [1,3,224,224]."""
    img = Image.open(path)
    img.load()
    if variant == "no_exif":
        pass
    elif variant == "exif_ccw":
        orientation = img.getexif().get(0x0112, 1)
        assert orientation == 6, "exif_ccw only makes sense for orientation 6"
        img = img.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise: the wrong way
    else:
        img = ImageOps.exif_transpose(img)
    img = img.convert("RGB")

    w, h = img.size
    if variant == "squash224":
        img = img.resize((CROP, CROP), Image.BICUBIC)
    elif variant == "squash256_crop":
        img = img.resize((RESIZE_SHORT, RESIZE_SHORT), Image.BICUBIC)
    elif min(w, h) != RESIZE_SHORT:
        if w <= h:
            size = (RESIZE_SHORT, int(RESIZE_SHORT * h / w))
        else:
            size = (int(RESIZE_SHORT * w / h), RESIZE_SHORT)
        img = img.resize(size, Image.BICUBIC)
    w, h = img.size
    top, left = ((h - CROP) // 2, (w - CROP) // 2) if variant != "corner_crop" else (0, 0)
    img = img.crop((left, top, left + CROP, top + CROP))

    px = np.asarray(img, dtype=np.float32)  # HWC, RGB, 0..255
    if variant == "bgr":
        px = px[:, :, ::-1]
    if variant == "signed_bytes":
        px = np.where(px > 127, px - 256, px)
    mean, std = np.asarray(MEAN, np.float32), np.asarray(STD, np.float32)
    if variant == "no_norm":
        x = px / 255.0
    elif variant == "no_scale":
        x = (px - mean) / std
    elif variant == "raw":
        x = px
    else:
        x = (px / 255.0 - mean) / std
    x = np.ascontiguousarray(x, dtype=np.float32)
    if variant == "nhwc":
        t = torch.from_numpy(x.reshape(-1).copy()).reshape(3, CROP, CROP)  # memory reinterpreted
    else:
        t = torch.from_numpy(x).permute(2, 0, 1).contiguous()
    if variant == "transpose":
        t = t.transpose(1, 2)
    elif variant == "hflip":
        t = t.flip(2)
    elif variant == "vflip":
        t = t.flip(1)
    return t.unsqueeze(0).contiguous()


def top1_stats(logits, torch):
    probs = torch.softmax(logits.double(), dim=-1)
    top2 = logits.double().topk(2)
    return (int(top2.indices[0]), float(probs[top2.indices[0]]),
            float(top2.values[0] - top2.values[1]), int(top2.indices[1]))


def verify_probe(out, model, torch, np, Image, ImageOps, labels):
    """Run every case through the eager model and the reloaded probe.pt; return probe.json's case list."""
    ts = torch.jit.load(io.BytesIO((out / "probe.pt").read_bytes()))
    failures, cases_json, batch = [], [], []
    name_of = {idx: name for name, (idx, _l, _q) in CLASSES.items()}

    def label(i):
        return f"{i} {name_of.get(i, labels.get(i, '?'))}"

    for file, cls, why, variants in CASES:
        path = out / "probe-images" / file
        exp = CLASSES[cls][0]
        x = preprocess(path, None, Image, ImageOps, np, torch)
        batch.append(x)
        with torch.no_grad():
            eager, traced = model(x)[0], ts(x)[0]
        if (eager - traced).abs().max().item() > 1e-4:
            failures.append(f"{file}: TorchScript differs from eager")
        top, prob, margin, second = top1_stats(eager, torch)
        ok = top == exp and prob >= MIN_PROB and margin >= MIN_MARGIN
        log(f"probe {file:22s} -> {label(top):22s} p={prob:.4f} margin={margin:6.2f} "
            f"(runner-up {label(second)}) {'ok' if ok else 'FAIL, expected ' + label(exp)}")
        if not ok:
            failures.append(f"{file}: got {label(top)} p={prob:.3f} margin={margin:.2f}, expected {label(exp)}")
        catches = {}
        for v in variants:
            with torch.no_grad():
                vx = preprocess(path, v, Image, ImageOps, np, torch)
                vtop = int(model(vx)[0].argmax())
                vtop_ts = int(ts(vx)[0].argmax())
            catches[v] = vtop
            if vtop == exp or vtop_ts == exp:
                failures.append(f"{file}: bug '{v}' still gives the expected class {label(exp)}")
        log(f"      bugs -> " + ", ".join(f"{v}: {label(c)}" for v, c in catches.items()))
        cases_json.append({
            "file": f"probe-images/{file}", "expected_class": exp, "expected_label": labels[exp],
            "why": why, "reference_top1_prob": round(prob, 6), "reference_margin": round(margin, 4),
            "catches": {v: {"class": c, "label": labels[c], "bug": VARIANT_DOC[v]} for v, c in catches.items()},
        })

    # the whole set as one batch through the TorchScript: dynamic batch must work
    xb = torch.cat(batch)
    with torch.no_grad():
        got = ts(xb).argmax(1).tolist()
    want = [CLASSES[c][0] for _f, c, _w, _v in CASES]
    if got != want:
        failures.append(f"batched TorchScript run gives {got}, expected {want}")
    return cases_json, failures


def make_probe(out, torch, np, labels):
    from PIL import Image, ImageOps
    img_dir = out / "probe-images"
    if img_dir.exists():
        shutil.rmtree(img_dir)
    make_probe_images(img_dir, Image)
    log(f"probe: wrote {len(list(img_dir.iterdir()))} images")

    model = build_probe(torch, np)
    example = torch.zeros(2, 3, CROP, CROP)
    write_bytes_atomic(out / "probe.onnx", onnx_bytes(model, example, torch))
    check_onnx(out / "probe.onnx")
    write_bytes_atomic(out / "probe.pt", torchscript_bytes(model, example, torch))
    export_weights(model, out / "weights" / "probe", "probe", np, torch)

    cases_json, failures = verify_probe(out, model, torch, np, Image, ImageOps, labels)
    if failures:
        (out / "probe.json").unlink(missing_ok=True)
        for f in failures:
            print("ASSERTION FAILED:", f, file=sys.stderr)
        raise SystemExit(1)
    write_json(out / "probe.json", {
        "input_name": "pixel_values", "output_name": "logits",
        "preprocessing": "exif_transpose, RGB, resize short side to 256 (bicubic), centre crop 224, /255, "
                         "mean (0.485,0.456,0.406) std (0.229,0.224,0.225), NCHW float32",
        "min_top1_prob": MIN_PROB, "min_margin": MIN_MARGIN,
        "cases": cases_json})
    log(f"probe: all {len(cases_json)} cases verified (eager + TorchScript, batched too)")


# ----------------------------------------------------------------------------------------------------------

def load_labels(path):
    """Index -> full label line: the labels file when present, checked against the built-in ones."""
    labels = {idx: label for idx, label, _q in CLASSES.values()}
    if path and Path(path).is_file():
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1000, f"{path}: expected 1000 lines, found {len(lines)}"
        for idx, label in list(labels.items()):
            assert lines[idx] == label, f"{path}: class {idx} is '{lines[idx]}', the script expects '{label}'"
        labels = dict(enumerate(lines))
    return labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--force", action="store_true", help="rebuild even if the stamp says the outputs are current")
    ap.add_argument("--labels", default=LABELS_FILE_DEFAULT,
                    help="ImageNet labels file (1000 lines) to cross-check the chosen labels; skipped if absent")
    args = ap.parse_args()
    out = args.outdir
    recipe = recipe_hash()
    if not args.force and is_current(out, recipe):
        log(f"{out}: up to date (stamp matches), nothing to do")
        return 0

    out.mkdir(parents=True, exist_ok=True)
    (out / STAMP_NAME).unlink(missing_ok=True)
    labels = load_labels(args.labels)

    import numpy as np
    import torch
    import torchvision
    log(f"writing to {out} (torch {torch.__version__}, torchvision {torchvision.__version__})")

    make_probe(out, torch, np, labels)  # fast, and fails early if the design is off
    make_resnet(out, torch, torchvision, np)
    for line in write_manifest(out):
        sha, size, rel = line.split(" ")
        log(f"  {rel:45s} {int(size):>11,d} bytes  sha256 {sha[:16]}")
    write_stamp(out, recipe)
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
