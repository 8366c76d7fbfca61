#!/usr/bin/python3
"""Classify an image with an Argus gRPC server and print the result as JSON.

    /usr/bin/python3 clients/python/classify.py HOST:PORT IMAGE [--top-k K] [--label-style cloudflare|imagenet]
                                                [--token TOKEN] [--tls [--ca CERT.pem]] [--deadline SECONDS]

Needs Debian's python3-grpcio and python3-grpc-tools (apt-get install -y python3-grpcio python3-grpc-tools) or the
pip packages grpcio and grpcio-tools. The stubs are generated at run time from proto/argus/v1/argus.proto (found
relative to this file, or via --proto-root) into a temporary directory, so nothing generated is committed.

Output (stdout), one JSON object:
    {"result": [{"label": "PERSIAN CAT", "score": 0.4071, "class_index": 283}, ...],
     "backend": "onnx", "model": "microsoft/resnet-50", "timings": {"decode_nanos": ..., ...}}
On failure: {"error": {"code": "INVALID_ARGUMENT", "message": "..."}} on stdout and exit status 1.
"""
import argparse
import importlib
import json
import os
import shutil
import sys
import tempfile

import grpc
from grpc_tools import protoc

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROTO_ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "proto"))
PROTO = "argus/v1/argus.proto"


def load_stubs(proto_root, out_dir):
    """Generates argus_pb2 and argus_pb2_grpc from the proto and imports them."""
    status = protoc.main(["grpc_tools.protoc", "-I" + proto_root, "--python_out=" + out_dir,
                          "--grpc_python_out=" + out_dir, os.path.join(proto_root, PROTO)])
    if status != 0:
        raise SystemExit("protoc failed on %s (exit %d)" % (os.path.join(proto_root, PROTO), status))
    sys.path.insert(0, out_dir)
    return importlib.import_module("argus.v1.argus_pb2"), importlib.import_module("argus.v1.argus_pb2_grpc")


def channel_for(args):
    if not args.tls:
        return grpc.insecure_channel(args.target)
    root = None
    if args.ca:
        with open(args.ca, "rb") as f:
            root = f.read()
    return grpc.secure_channel(args.target, grpc.ssl_channel_credentials(root_certificates=root))


def to_json(response):
    t = response.timings
    return {
        "result": [{"label": c.label, "score": c.score, "class_index": c.class_index}
                   for c in response.classifications],
        "backend": response.backend,
        "model": response.model,
        "timings": {"decode_nanos": t.decode_nanos, "inference_nanos": t.inference_nanos,
                    "postprocess_nanos": t.postprocess_nanos, "total_nanos": t.total_nanos},
    }


def main(argv):
    p = argparse.ArgumentParser(description="Classify an image with an Argus gRPC server.")
    p.add_argument("target", help="HOST:PORT of the Argus gRPC server")
    p.add_argument("image", help="image file (JPEG, PNG, GIF, BMP, WebP)")
    p.add_argument("--top-k", type=int, default=0, help="classes to return, 1..1000 (default 5)")
    p.add_argument("--label-style", choices=["cloudflare", "imagenet"], default="cloudflare")
    p.add_argument("--token", default=os.environ.get("ARGUS_GRPC_TOKEN"), help="bearer token (or $ARGUS_GRPC_TOKEN)")
    p.add_argument("--tls", action="store_true", help="use TLS")
    p.add_argument("--ca", help="PEM certificate(s) to trust with --tls (default: system roots)")
    p.add_argument("--deadline", type=float, default=30.0, help="seconds (default 30)")
    p.add_argument("--proto-root", default=DEFAULT_PROTO_ROOT, help="directory holding argus/v1/argus.proto")
    args = p.parse_args(argv)

    out_dir = tempfile.mkdtemp(prefix="argus-stubs-")
    try:
        pb, rpc = load_stubs(args.proto_root, out_dir)
        with open(args.image, "rb") as f:
            data = f.read()
        style = pb.LABEL_STYLE_IMAGENET if args.label_style == "imagenet" else pb.LABEL_STYLE_CLOUDFLARE
        request = pb.ClassifyRequest(encoded=data, top_k=args.top_k, label_style=style)
        metadata = [("authorization", "Bearer " + args.token)] if args.token else None
        with channel_for(args) as channel:
            stub = rpc.ClassifierStub(channel)
            try:
                response = stub.Classify(request, timeout=args.deadline, metadata=metadata)
            except grpc.RpcError as e:
                print(json.dumps({"error": {"code": e.code().name, "message": e.details()}}))
                return 1
        print(json.dumps(to_json(response)))
        return 0
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
