"""Classify an image with an Argus gRPC server and print the result as JSON.

    argus-classify HOST:PORT IMAGE [--top-k K] [--label-style cloudflare|imagenet]
                   [--token TOKEN] [--tls [--ca CERT.pem]] [--deadline SECONDS] [--proto-root DIR]

(also `python -m argus_client ...`, or `/usr/bin/python3 clients/python/classify.py ...` from a checkout.)

Needs grpcio and protobuf (Debian: python3-grpcio, python3-protobuf). Installed from the wheel, the stubs were
generated when it was built; run from a checkout, or with --proto-root, they are generated now from
proto/argus/v1/argus.proto into a temporary directory, which needs grpcio-tools (Debian: python3-grpc-tools).

Output (stdout), one JSON object:
    {"result": [{"label": "PERSIAN CAT", "score": 0.4071, "class_index": 283}, ...],
     "backend": "onnx", "model": "microsoft/resnet-50", "timings": {"decode_nanos": ..., ...}}
On failure: {"error": {"code": "INVALID_ARGUMENT", "message": "..."}} on stdout and exit status 1.
"""
import argparse
import json
import os
import sys

import grpc

from argus_client.stubs import load_stubs


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


def main(argv=None):
    p = argparse.ArgumentParser(prog="argus-classify", description="Classify an image with an Argus gRPC server.")
    p.add_argument("target", help="HOST:PORT of the Argus gRPC server")
    p.add_argument("image", help="image file (JPEG, PNG, GIF, BMP, WebP)")
    p.add_argument("--top-k", type=int, default=0, help="classes to return, 1..1000 (default 5)")
    p.add_argument("--label-style", choices=["cloudflare", "imagenet"], default="cloudflare")
    p.add_argument("--token", default=os.environ.get("ARGUS_GRPC_TOKEN"), help="bearer token (or $ARGUS_GRPC_TOKEN)")
    p.add_argument("--tls", action="store_true", help="use TLS")
    p.add_argument("--ca", help="PEM certificate(s) to trust with --tls (default: system roots)")
    p.add_argument("--deadline", type=float, default=30.0, help="seconds (default 30)")
    p.add_argument("--proto-root", help="generate the stubs now from DIR/argus/v1/argus.proto instead of using the "
                                        "built ones (default: built, or the checkout's proto/ when not installed)")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)

    pb, rpc = load_stubs(args.proto_root)
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


if __name__ == "__main__":
    sys.exit(main())
