"""The generated stubs of argus.v1 (proto/argus/v1/argus.proto): argus_pb2 and argus_pb2_grpc.

They are generated when the package is built (setup.py) and are not in the repository.
"""
