#!/usr/bin/python3
"""Generate a small "model zoo": three seeded image classifiers of three architectures, each a Hugging Face-layout
model folder, for the tests (and examples/repository/) that serve several models together from a model repository.

Run with Debian's Python, which has torch 1.13, torchvision 0.14, numpy and PIL:

    /usr/bin/python3 tools/testdata/make_zoo.py build/test-models/zoo
    /usr/bin/python3 tools/testdata/make_zoo.py build/test-models/zoo --force   # rebuild anyway

No network and no pretrained weights are needed: every weight comes from a seed, so every run gives the same files
(same bytes with the same torch on the same machine). The weights are random: the models' answers are meaningless as
image classes; they exist so that three different models, with different architectures, preprocessing and labels,
can be served side by side and told apart. Helpers (BatchNorm calibration, ONNX export, the reference input, atomic
writes, the ONNX signature reader) come from make_models.py beside this script, unchanged.
A stamp file (.make_zoo.stamp) records the hash of this script, of make_models.py, of the three processor
configurations and of the labels file, the library versions and every output's size and mtime; when all still match,
the script exits at once (about 0.1 s). A first run takes about 20 s on 2 cores.

What it writes into OUTDIR, and why
-----------------------------------
resnet-50/
    torchvision's ResNet-50 (v1.5, microsoft/resnet-50's architecture), torch.manual_seed(0), BatchNorm calibrated
    with make_models.calibrate_batchnorm, eval: built exactly as make_models.make_resnet builds resnet50.onnx, so it
    has the same weights (when OUTDIR's parent holds make_models' resnet50-reference-logits.bin, the logits are
    checked against it). Its preprocessor_config.json is tools/testdata/hf-processors/resnet-50.json as-is
    (microsoft/resnet-50's ConvNextFeatureExtractor: bicubic, short side 256, crop 224, ImageNet mean/std).
mobilenet-v3-small/
    torchvision.models.mobilenet_v3_small(weights=None), torch.manual_seed(1), BatchNorm calibrated the same way
    (without it the logits hardly depend on the input), eval. preprocessor_config.json is hf-processors/bit.json
    as-is (BitImageProcessor: bicubic, short side 256, crop 224, CLIP mean/std).
vit-tiny/
    torchvision's VisionTransformer(image_size=224, patch_size=16, num_layers=2, num_heads=3, hidden_dim=192,
    mlp_dim=768, num_classes=1000), torch.manual_seed(2), eval. torchvision initialises the classification head to
    zeros (every logit 0 for every input), so right after construction the head alone is re-initialised with
    nn.Linear's default init (reset_parameters(), drawing from the same seeded generator). No BatchNorm.
    preprocessor_config.json is hf-processors/vit.json as-is (ViTImageProcessor: bilinear 224x224, mean/std 0.5).
Each model folder holds:
    model.onnx
        Input `pixel_values` [N,3,224,224] float32, output `logits` [N,1000], dynamic batch (axis "batch"), opset 17
        (make_models.onnx_bytes; the script falls back to opset 16, 15, 14 for a model whose export fails at 17, and
        records the opset used in reference.json). The signature is read back and checked.
    config.json
        A minimal Hugging Face config: "architectures", "model_type", "id2label" ("0".."999"), "label2id". No
        "_name_or_path", so a server names the model after its folder. Labels are ImageNet-1k's, read from the
        repository's own domain/src/main/resources/dev/argus/domain/imagenet-1k-labels.txt (a clean clone has it),
        in a DIFFERENT text convention per model, so a test can tell which model answered from the labels alone:
            resnet-50            the line as in the file     "tench, Tinca tinca"
            mobilenet-v3-small   upper-cased                 "TENCH, TINCA TINCA"
            vit-tiny             "vit:" + the line           "vit:tench, Tinca tinca"
        label2id maps each label to its index; ImageNet has one duplicate line ("crane", classes 134 and 517), which
        keeps the later index there, as Hugging Face's own configs do. transformers has no MobileNetV3 class: the
        name "MobileNetV3ForImageClassification" follows its MobileNetV1/V2 naming (Argus reads only id2label).
    preprocessor_config.json
        The processor configuration named above, copied byte for byte.
    reference.json, reference-logits.bin
        PyTorch's (eager, float32) logits for ../reference-input.bin as raw little-endian float32 [2,1000] (C order,
        no header), and a JSON with the opset, shapes, file names, each row's top-5 class indices and their labels
        (in the model's convention), each row's top-1 margin (top-1 minus top-2 logit, computed in float64), the
        logits' max |x|, the rows' correlation and PyTorch's float32-vs-float64 max difference. The script asserts
        for every model that the logits are finite with |x| < 50, that the two input rows get different top-1
        classes, and, so that an engine's other rounding cannot change the answers a test compares, that float64
        gives the same top-5 and that each top-1 margin is over 20x the float32 rounding error. Measured here:
            model                model.onnx    logits |max|   top-1 margins     fp32 vs fp64
            resnet-50            ~102 MB       2.3            0.021, 0.047      2.7e-5
            mobilenet-v3-small   ~10 MB        0.08           0.0086, 0.00037   1.6e-7
            vit-tiny             ~5 MB         2.3            0.47, 0.12        1.7e-6
        (mobilenet-v3-small's logits are small because torchvision initialises its classifier with std 0.01; the
        margins still stand > 2000x above the rounding error.)
reference-input.bin
    make_models.reference_input: [2,3,224,224] float32 (row 0: seeded standard normal noise; row 1: smooth seeded
    noise, 7x7 upsampled bilinearly, x1.5), raw little-endian, C order, no header. The same tensor as
    make_models' resnet50-reference-input.bin. It is a model input (already preprocessed), not an image.
MANIFEST.txt
    One line per file: "<sha256> <size in bytes> <path relative to OUTDIR>", single spaces, sorted by path.

The ONNX files are not executed here (no onnxruntime in Debian's Python); the Java tests do that.
"""

import argparse
import copy
import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in the working tree
import make_models  # noqa: E402  (helpers only; its outputs are not touched)

STAMP_NAME = ".make_zoo.stamp"
LIBS = ("torch", "torchvision", "Pillow", "numpy")
LABELS_FILE = REPO / "domain/src/main/resources/dev/argus/domain/imagenet-1k-labels.txt"
PROCESSORS = HERE / "hf-processors"
OPSETS = (17, 16, 15, 14)
MAX_ABS_LOGIT = 50.0
MARGIN_OVER_ERROR = 20  # top-1 margin (float64) at least this many times PyTorch's fp32 rounding error

# name -> seed, processor configuration file, HF architecture, HF model_type, label convention
MODELS = {
    "resnet-50": (0, "resnet-50.json", "ResNetForImageClassification", "resnet", lambda s: s),
    "mobilenet-v3-small": (1, "bit.json", "MobileNetV3ForImageClassification", "mobilenet_v3", str.upper),
    "vit-tiny": (2, "vit.json", "ViTForImageClassification", "vit", lambda s: "vit:" + s),
}

log = make_models.log  # same format; its clock starts when make_models is imported, just above


# ----------------------------------------------------------------------------------------------------------
# stamp: skip the work when the outputs are current

def recipe_hash():
    """Hash of what determines the outputs: both scripts, the processor configurations, labels, library versions."""
    h = hashlib.sha256()
    inputs = [Path(__file__).resolve(), HERE / "make_models.py", LABELS_FILE]
    inputs += [PROCESSORS / spec[1] for spec in MODELS.values()]
    for p in inputs:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    h.update(json.dumps({lib: importlib.metadata.version(lib) for lib in LIBS}, sort_keys=True).encode())
    return h.hexdigest()


def output_files(out):
    return sorted(p for p in out.rglob("*") if p.is_file() and p.name != STAMP_NAME and not p.name.endswith(".tmp"))


def write_stamp(out, recipe):
    files = {p.relative_to(out).as_posix(): [p.stat().st_size, p.stat().st_mtime_ns] for p in output_files(out)}
    versions = {lib: importlib.metadata.version(lib) for lib in LIBS}
    make_models.write_json(out / STAMP_NAME, {"recipe": recipe, "versions": versions, "files": files})


def write_manifest(out):
    lines = [f"{make_models.sha256_file(p)} {p.stat().st_size} {p.relative_to(out).as_posix()}"
             for p in output_files(out) if p.name != "MANIFEST.txt"]
    make_models.write_bytes_atomic(out / "MANIFEST.txt", ("\n".join(lines) + "\n").encode())
    return lines


# ----------------------------------------------------------------------------------------------------------
# models

def build(name, torch, torchvision):
    seed = MODELS[name][0]
    torch.manual_seed(seed)
    if name == "resnet-50":
        model = torchvision.models.resnet50(weights=None).eval()
        make_models.calibrate_batchnorm(model, torch)
    elif name == "mobilenet-v3-small":
        model = torchvision.models.mobilenet_v3_small(weights=None).eval()
        make_models.calibrate_batchnorm(model, torch)
    elif name == "vit-tiny":
        from torchvision.models.vision_transformer import VisionTransformer
        model = VisionTransformer(image_size=224, patch_size=16, num_layers=2, num_heads=3, hidden_dim=192,
                                  mlp_dim=768, num_classes=1000)
        model.heads.head.reset_parameters()  # torchvision zero-initialises the head: every logit would be 0
        model.eval()
    else:
        raise ValueError(name)
    assert not model.training
    return model


def export_onnx(name, model, x, torch):
    """-> (ONNX bytes, opset): opset 17 through make_models.onnx_bytes, else the first lower opset that works."""
    import io
    import warnings
    # ViT checks the input's size with torch._assert, which tracing turns into a constant (a TracerWarning): the
    # exported graph takes 224x224 only, as its signature says anyway
    warnings.filterwarnings("ignore", message="Converting a tensor to a Python boolean", category=torch.jit.TracerWarning)
    for opset in OPSETS:
        try:
            if opset == 17:
                return make_models.onnx_bytes(model, x, torch), opset
            buf = io.BytesIO()
            torch.onnx.export(model, x, buf, opset_version=opset, input_names=["pixel_values"],
                              output_names=["logits"],
                              dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}})
            return buf.getvalue(), opset
        except Exception as e:  # noqa: BLE001  (torch.onnx raises several types)
            log(f"{name}: ONNX export at opset {opset} failed: {type(e).__name__}: {str(e)[:300]}")
    raise SystemExit(f"{name}: ONNX export failed at every opset {OPSETS}")


def check_onnx(path, opset):
    if opset == 17:
        make_models.check_onnx(path)  # asserts opset 17 and the signature, and logs it
        return
    got = make_models.onnx_signature(Path(path).read_bytes())
    want = (opset, [("pixel_values", ["batch", 3, 224, 224])], [("logits", ["batch", 1000])])
    assert got == want, f"{path}: signature {got}, expected {want}"
    log(f"{Path(path).name}: opset {got[0]}, inputs {got[1]}, outputs {got[2]}")


def write_config(path, name, lines):
    _seed, _proc, arch, model_type, convention = MODELS[name]
    labels = [convention(line) for line in lines]
    make_models.write_json(path, {
        "architectures": [arch], "model_type": model_type,
        "id2label": {str(i): label for i, label in enumerate(labels)},
        "label2id": {label: i for i, label in enumerate(labels)}})
    return labels


def make_model(out, name, x, lines, torch, torchvision, np):
    mdir = out / name
    mdir.mkdir(parents=True, exist_ok=True)
    model = build(name, torch, torchvision)
    with torch.no_grad():
        logits = model(x)
        logits64 = copy.deepcopy(model).double()(x.double())
    n_params = sum(p.numel() for p in model.parameters())
    top5 = logits.topk(5, dim=1).indices.tolist()
    top1 = [t[0] for t in top5]
    corr = torch.corrcoef(logits)[0, 1].item()
    max_abs = logits.abs().max().item()
    fp_err = (logits64 - logits.double()).abs().max().item()
    top2_64 = logits64.topk(2, dim=1).values
    margins = (top2_64[:, 0] - top2_64[:, 1]).tolist()
    log(f"{name}: {n_params:,d} parameters, logits |max| {max_abs:.3f}, std "
        f"{[round(s, 3) for s in logits.std(1).tolist()]}, rows' correlation {corr:.3f}, top-1 {top1}, "
        f"top-1 margins {[round(m, 5) for m in margins]}, fp32-vs-fp64 max diff {fp_err:.2e}")
    assert torch.isfinite(logits).all(), f"{name}: non-finite logits"
    assert max_abs < MAX_ABS_LOGIT, f"{name}: logits reach {max_abs}, expected |x| < {MAX_ABS_LOGIT}"
    assert top1[0] != top1[1], f"{name}: both reference rows give top-1 {top1[0]}: the model ignores its input"
    # engines round differently from PyTorch: the answers the tests compare must not hang on rounding
    assert logits64.topk(5, dim=1).indices.tolist() == top5, f"{name}: top-5 differs between float32 and float64"
    assert min(margins) > MARGIN_OVER_ERROR * fp_err, \
        f"{name}: top-1 margin {min(margins)} within {MARGIN_OVER_ERROR}x the fp32 rounding error {fp_err}"

    data, opset = export_onnx(name, model, x, torch)
    make_models.write_bytes_atomic(mdir / "model.onnx", data)
    check_onnx(mdir / "model.onnx", opset)
    labels = write_config(mdir / "config.json", name, lines)
    make_models.write_bytes_atomic(mdir / "preprocessor_config.json", (PROCESSORS / MODELS[name][1]).read_bytes())
    make_models.write_bytes_atomic(mdir / "reference-logits.bin", make_models.raw_f32(logits, np))
    make_models.write_json(mdir / "reference.json", {
        "model": name, "seed": MODELS[name][0], "opset": opset, "parameters": n_params,
        "input": "../reference-input.bin", "input_shape": list(x.shape),
        "logits": "reference-logits.bin", "logits_shape": list(logits.shape),
        "top5": top5, "top5_labels": [[labels[i] for i in row] for row in top5],
        "top1_margin": margins, "max_abs_logit": max_abs, "rows_correlation": corr,
        "fp32_vs_fp64_max_diff": fp_err})
    log(f"{name}: model.onnx {len(data):,d} bytes, opset {opset}")
    return logits


def check_resnet_matches_make_models(out, logits, np):
    """The zoo's resnet-50 must be make_models' resnet50: compare logits when its reference sits beside OUTDIR."""
    ref = out.parent / "resnet50-reference-logits.bin"
    if not ref.is_file():
        log(f"resnet-50: {ref} absent, not compared with make_models' resnet50")
        return
    theirs = np.frombuffer(ref.read_bytes(), dtype="<f4").reshape(2, 1000)
    diff = float(np.abs(theirs - logits.numpy()).max())
    log(f"resnet-50: max |diff| to make_models' resnet50 reference logits {diff:.2e}")
    assert diff < 1e-5, f"resnet-50 differs from make_models' resnet50 ({ref}): max |diff| {diff}"


# ----------------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--force", action="store_true", help="rebuild even if the stamp says the outputs are current")
    args = ap.parse_args()
    out = args.outdir
    recipe = recipe_hash()
    if not args.force and make_models.is_current(out, recipe, STAMP_NAME):
        log(f"{out}: up to date (stamp matches), nothing to do")
        return 0

    out.mkdir(parents=True, exist_ok=True)
    (out / STAMP_NAME).unlink(missing_ok=True)
    lines = LABELS_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1000 and all(lines), f"{LABELS_FILE}: expected 1000 non-empty lines"

    import numpy as np
    import torch
    import torchvision
    log(f"writing to {out} (torch {torch.__version__}, torchvision {torchvision.__version__})")

    x = make_models.reference_input(torch)
    make_models.write_bytes_atomic(out / "reference-input.bin", make_models.raw_f32(x, np))
    for name in MODELS:
        logits = make_model(out, name, x, lines, torch, torchvision, np)
        if name == "resnet-50":
            check_resnet_matches_make_models(out, logits, np)
    for line in write_manifest(out):
        sha, size, rel = line.split(" ")
        log(f"  {rel:45s} {int(size):>11,d} bytes  sha256 {sha[:16]}")
    write_stamp(out, recipe)
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
