"""Generates the gRPC stubs into the package when it is built (pyproject.toml has the metadata).

The proto is proto/argus/v1/argus.proto at the repository's root (../../proto from here); an sdist carries a copy in
its own proto/, so a wheel built from the sdist needs nothing outside it.
"""
import importlib.util
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_protoc():
    """argus_client/_protoc.py, loaded by path: the package itself is not importable while it is being built."""
    spec = importlib.util.spec_from_file_location("argus_client_protoc", os.path.join(HERE, "argus_client", "_protoc.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


protoc = _load_protoc()


def proto_root():
    """proto/ in this directory (an unpacked sdist), else the repository's."""
    for root in (os.path.join(HERE, "proto"), os.path.join(HERE, "..", "..", "proto")):
        if os.path.isfile(os.path.join(root, protoc.PROTO)):
            return os.path.normpath(root)
    raise SystemExit("argus-client: %s not found in %s/proto or in the repository's proto/ (../../proto): build from "
                     "a checkout of Argus or from an sdist made by this setup.py" % (protoc.PROTO, HERE))


class BuildPyWithStubs(build_py):
    """build_py, then argus_pb2.py and argus_pb2_grpc.py generated into argus_client/v1 of the build."""

    def run(self):
        super().run()
        out = os.path.join(self.build_lib, "argus_client", "v1")
        self.announce("generating %s stubs into %s" % (protoc.PROTO, out), level=2)
        if not self.dry_run:
            protoc.generate(proto_root(), out)

    def get_outputs(self, include_bytecode=1):
        out = os.path.join(self.build_lib, "argus_client", "v1")
        return super().get_outputs(include_bytecode) + [os.path.join(out, name) for name in protoc.STUBS]


class SdistWithProto(sdist):
    """sdist with the proto copied in (proto/argus/v1/argus.proto), since it lives outside this directory."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        dest = os.path.join(base_dir, "proto", protoc.PROTO)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(os.path.join(proto_root(), protoc.PROTO), dest)


setup(cmdclass={"build_py": BuildPyWithStubs, "sdist": SdistWithProto})
