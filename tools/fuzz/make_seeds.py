#!/usr/bin/python3
"""Writes the fuzz targets' seed inputs (committed; each a few KB at most) into the test resources, where Jazzer's
regression mode finds them: src/test/resources/<package>/<Class>Inputs/<method>/.

Usage: /usr/bin/python3 tools/fuzz/make_seeds.py
Needs python3-pil, python3-grpc-tools and python3-torch (Debian packages). Deterministic; run it again after changing
a target's input format. Inputs that once were findings are kept beside the seeds under names starting "regression-".
"""
import io
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def inputs(module, package, cls, method):
    d = os.path.join(ROOT, module, "src/test/resources", package.replace(".", "/"), cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    return d


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def image(im, fmt, **kw):
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def images():
    d = inputs("adapter-imageio", "dev.argus.imageio", "ImageFuzzTest", "decodesOrRefusesEveryFile")
    rng = np.random.default_rng(7)
    rgb = Image.fromarray(rng.integers(0, 256, (12, 16, 3), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6
    write(d, "baseline.jpg", image(rgb, "JPEG", quality=80))
    write(d, "progressive.jpg", image(rgb, "JPEG", quality=80, progressive=True))
    write(d, "exif-6.jpg", image(rgb, "JPEG", quality=80, exif=exif.tobytes()))
    write(d, "grey.jpg", image(rgb.convert("L"), "JPEG"))
    write(d, "cmyk.jpg", image(rgb.convert("CMYK"), "JPEG"))
    write(d, "rgb.png", image(rgb, "PNG"))
    write(d, "palette-trns.png", image(rgb.quantize(8), "PNG", transparency=2))
    write(d, "rgba.png", image(rgb.convert("RGBA"), "PNG"))
    write(d, "interlaced.gif", image(rgb.quantize(16), "GIF", interlace=True))
    write(d, "plain.gif", image(rgb.quantize(4), "GIF", interlace=False))
    write(d, "palette.bmp", image(rgb.quantize(16), "BMP"))
    write(d, "rgb.bmp", image(rgb, "BMP"))
    write(d, "lossless.webp", image(rgb, "WEBP", lossless=True))
    write(d, "lossy.webp", image(rgb, "WEBP", quality=70))
    # what the PIL differential test fixed, kept as regression inputs
    png = bytearray(image(rgb, "PNG"))
    png[8 + 8 + 13] ^= 0x10  # IHDR's CRC
    write(d, "regression-png-header-crc.png", bytes(png))
    gif = bytearray(image(rgb.quantize(4), "GIF", interlace=False))
    write(d, "regression-gif-truncated-lzw.gif", bytes(gif[:len(gif) // 2]))
    webp = bytearray(image(rgb, "WEBP", quality=70))
    webp[16:20] = struct.pack("<I", 0)  # a VP8 chunk of 0 bytes
    write(d, "regression-webp-empty-bitstream.webp", bytes(webp))


def bodies():
    d = inputs("adapter-rest", "dev.argus.rest", "BodyFuzzTest", "cloudflareJson")
    write(d, "png-header.json", json.dumps({"image": [137, 80, 78, 71, 13, 10, 26, 10]}))
    write(d, "spaces.json", '{ "image" : [ 255 , 216 , 255 ] , "other": {"a": [1, "x", null]} }')
    d = inputs("adapter-rest", "dev.argus.rest", "BodyFuzzTest", "v1Json")
    write(d, "base64.json", json.dumps({"image": "iVBORw0KGgo=", "top_k": 3, "label_style": "imagenet"}))
    write(d, "batch.json", json.dumps({"images": [[255, 216], "R0lGODlh"], "top_k": 1}))
    d = inputs("adapter-rest", "dev.argus.rest", "BodyFuzzTest", "inferenceProtocolJson")
    write(d, "bytes.json", json.dumps({"id": "1", "inputs": [{"name": "image", "shape": [1], "datatype": "BYTES",
                                                              "data": ["iVBORw0KGgo="]}],
                                       "outputs": [{"name": "classification", "parameters": {"classification": 3}}]}))
    write(d, "fp32.json", json.dumps({"inputs": [{"name": "pixel_values", "shape": [1, 3, 1, 2], "datatype": "FP32",
                                                  "data": [0.5, -1, 2, 0, 1e-3, 7]}]}))
    head = json.dumps({"inputs": [{"name": "image", "shape": [1], "datatype": "BYTES",
                                   "parameters": {"binary_data_size": 8}}], "parameters": {"binary_data_output": True}})
    write(d, "binary.bin", head.encode() + b"\x00" + struct.pack("<I", 4) + b"\x89PNG")
    d = inputs("adapter-rest", "dev.argus.rest", "BodyFuzzTest", "multipartForm")
    write(d, "two-files.txt", "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                              "Content-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ\r\nContent-Disposition: form-data; "
                              "name=\"top_k\"\r\n\r\n3\r\n--XyZ--\r\n")


def locations():
    d = inputs("adapter-modelhub", "dev.argus.modelhub", "LocationFuzzTest", "parsesOrRefusesEveryLocation")
    write(d, "file.txt", "hf://Xenova/resnet-50/onnx/model.onnx")
    write(d, "pinned.txt", "hf://owner/repo/dir/model.onnx@0123456789abcdef0123456789abcdef01234567#sha256="
                           + "ab" * 32)
    write(d, "folder.txt", "hf://microsoft/resnet-50@refs%2Fpr%2F1")


def grpc_messages():
    out = tempfile.mkdtemp(prefix="argus-seeds-")
    proto = os.path.join(ROOT, "proto")
    files = [os.path.join(dp, f) for dp, _, fs in os.walk(proto) for f in fs if f.endswith(".proto")]
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", proto, "--python_out=" + out] + files, check=True)
    sys.path.insert(0, out)
    from argus.v1 import argus_pb2 as v1  # noqa: E402
    from inference import grpc_service_pb2 as oip  # noqa: E402
    png = image(Image.new("RGB", (4, 4), (200, 10, 30)), "PNG")
    d = inputs("adapter-grpc", "dev.argus.grpc", "GrpcFuzzTest", "classifyRequest")
    write(d, "encoded.bin", v1.ClassifyRequest(encoded=png, top_k=3).SerializeToString())
    write(d, "numbers.bin", v1.ClassifyRequest(numbers=v1.ByteValues(values=list(png)), model="fake/model").SerializeToString())
    d = inputs("adapter-grpc", "dev.argus.grpc", "GrpcFuzzTest", "modelInferRequest")
    raw = struct.pack("<I", len(png)) + png
    req = oip.ModelInferRequest(model_name="fake/model", inputs=[oip.ModelInferRequest.InferInputTensor(
        name="image", datatype="BYTES", shape=[1])], raw_input_contents=[raw])
    req.outputs.add(name="classification").parameters["classification"].int64_param = 2
    write(d, "bytes-raw.bin", req.SerializeToString())
    req = oip.ModelInferRequest(model_name="tensor-net", inputs=[oip.ModelInferRequest.InferInputTensor(
        name="pixel_values", datatype="FP32", shape=[1, 3, 224, 224])])
    req.inputs[0].contents.fp32_contents.extend([0.25] * 8)
    write(d, "fp32-typed-short.bin", req.SerializeToString())


def onnx_models():
    import torch  # noqa: E402
    d1 = inputs("adapter-tensorrt", "dev.argus.tensorrt", "OnnxFuzzTest", "externalDataScan")
    d2 = inputs("adapter-tensorrt", "dev.argus.tensorrt", "OnnxFuzzTest", "fp16Conversion")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 1), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8, 3))
    buf = io.BytesIO()
    torch.onnx.export(model, torch.zeros(1, 3, 2, 2), buf, input_names=["pixel_values"], output_names=["logits"],
                      opset_version=13)
    for d in (d1, d2):
        write(d, "tiny-cnn.seed", buf.getvalue())  # 721 bytes; not *.onnx, which .gitignore keeps out


if __name__ == "__main__":
    images()
    bodies()
    locations()
    grpc_messages()
    onnx_models()
    print("seeds written")
