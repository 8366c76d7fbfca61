#!/usr/bin/env python3
"""Write perf_analyzer's --input-data JSON for Argus's BYTES input `image` from image files.

    python3 clients/python/perf_analyzer_input.py cat.jpg [dog.jpg ...] > images.json
    perf_analyzer -m resnet-50 -i grpc -u 127.0.0.1:50051 --input-data images.json

perf_analyzer reads a BYTES input from a directory line by line (a JPEG would be cut at every 0x0A byte), so image
files go in JSON: each as "b64" of the serialized element, a 4-byte little-endian length and then the file's bytes
(perf_analyzer's docs: for BYTES the base64 must include the 4-byte lengths). One entry per file; perf_analyzer
cycles through them. The optional input `pixel_values` is left out, so only `image` is sent.
"""
import base64
import json
import struct
import sys


def entry(image_bytes):
    """One perf_analyzer data entry holding one encoded image as a serialized BYTES element."""
    serialized = struct.pack("<I", len(image_bytes)) + image_bytes
    return {"image": {"b64": base64.b64encode(serialized).decode("ascii")}}


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: perf_analyzer_input.py IMAGE [IMAGE ...] > images.json")
    data = [entry(open(path, "rb").read()) for path in sys.argv[1:]]
    json.dump({"data": data}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
