"""Generates the Python stubs of proto/argus/v1/argus.proto (argus_pb2, argus_pb2_grpc) with grpc_tools.

Used by setup.py at build time (the stubs go into the wheel as argus_client.v1) and by the CLI when it runs from a
checkout without being installed. Standard library and grpc_tools only: setup.py loads this file by path.
"""
import os
import tempfile

PROTO = "argus/v1/argus.proto"
STUBS = ("argus_pb2.py", "argus_pb2_grpc.py")
# protoc writes the service stub's import of the messages as absolute (from the proto's path); inside argus_client.v1
# it must be relative.
_ABSOLUTE_IMPORT = "from argus.v1 import argus_pb2 as"
_RELATIVE_IMPORT = "from . import argus_pb2 as"


def repository_proto_root():
    """proto/ of the checkout this file is in (clients/python/argus_client/_protoc.py), or None outside one."""
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "proto"))
    return root if os.path.isfile(os.path.join(root, PROTO)) else None


def generate(proto_root, out_dir):
    """Writes argus_pb2.py and argus_pb2_grpc.py for PROTO_ROOT/argus/v1/argus.proto into OUT_DIR (flat, with a
    relative import between them, to be the modules of argus_client.v1)."""
    from grpc_tools import protoc  # build-time dependency: grpcio-tools (Debian: python3-grpc-tools)

    proto = os.path.join(proto_root, PROTO)
    if not os.path.isfile(proto):
        raise FileNotFoundError("no %s: expected the Argus API at %s" % (PROTO, proto))
    with tempfile.TemporaryDirectory(prefix="argus-protoc-") as tmp:
        status = protoc.main(["grpc_tools.protoc", "-I" + proto_root, "--python_out=" + tmp,
                              "--grpc_python_out=" + tmp, proto])
        if status != 0:
            raise RuntimeError("protoc failed on %s (exit %d)" % (proto, status))
        os.makedirs(out_dir, exist_ok=True)
        for name in STUBS:
            with open(os.path.join(tmp, "argus", "v1", name), encoding="utf-8") as f:
                text = f.read()
            if name == "argus_pb2_grpc.py":
                if _ABSOLUTE_IMPORT not in text:
                    raise RuntimeError("grpc_tools wrote no '%s' in %s: cannot make it relative" % (_ABSOLUTE_IMPORT, name))
                text = text.replace(_ABSOLUTE_IMPORT, _RELATIVE_IMPORT)
            with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
                f.write(text)
