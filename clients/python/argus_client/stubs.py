"""Finds the argus.v1 stubs: the ones built into the package, else generated now from the proto."""
import importlib
import importlib.util
import tempfile

from argus_client import _protoc, v1


def load_stubs(proto_root=None):
    """Returns the modules (argus_pb2, argus_pb2_grpc).

    Installed from a wheel, they were generated when the package was built. Run from a checkout (clients/python), or
    with PROTO_ROOT given, they are generated now from PROTO_ROOT/argus/v1/argus.proto (default: the checkout's
    proto/) into a temporary directory, which needs grpcio-tools (Debian: python3-grpc-tools)."""
    if proto_root is None and importlib.util.find_spec("argus_client.v1.argus_pb2") is not None:
        return _import()
    if proto_root is None:
        proto_root = _protoc.repository_proto_root()
        if proto_root is None:
            raise RuntimeError("argus_client has no generated stubs and no proto/ beside it: install the package "
                               "(pip install clients/python) or pass the directory holding " + _protoc.PROTO)
    with tempfile.TemporaryDirectory(prefix="argus-stubs-") as out:
        _protoc.generate(proto_root, out)
        v1.__path__.insert(0, out)
        try:
            return _import()
        finally:
            v1.__path__.remove(out)


def _import():
    return importlib.import_module("argus_client.v1.argus_pb2"), importlib.import_module("argus_client.v1.argus_pb2_grpc")
