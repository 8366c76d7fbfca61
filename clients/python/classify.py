#!/usr/bin/python3
"""Runs the argus-client CLI (argus_client/classify.py) from this checkout, without installing the package: the
stubs are generated at run time from proto/argus/v1/argus.proto. See argus_client/classify.py for the options and
the output; installed, the same command is `argus-classify`.

    /usr/bin/python3 clients/python/classify.py HOST:PORT IMAGE [--top-k K] [--token TOKEN] ...
"""
import sys

from argus_client.classify import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
