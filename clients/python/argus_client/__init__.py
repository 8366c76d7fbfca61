"""A client for Argus's gRPC API (argus.v1.Classifier).

    from argus_client import load_stubs
    argus_pb2, argus_pb2_grpc = load_stubs()

The command line is `argus-classify` (or `python -m argus_client`); see argus_client.classify.
"""
from argus_client.stubs import load_stubs

__version__ = "0.1.0"
__all__ = ["load_stubs", "__version__"]
