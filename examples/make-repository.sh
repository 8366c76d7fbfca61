#!/usr/bin/env bash
# Fills examples/repository/ with its models: makes the three seeded models (tools/testdata/make_zoo.py, into
# build/test-models/zoo; a no-op when they are current) and copies each one's config.json, preprocessor_config.json
# and model.onnx into examples/repository/<name>/1/. Copies, not links, so the folder can be moved or packed as is.
# Idempotent: a file already identical is left alone. Works from any directory.
set -euo pipefail
ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$ROOT"
ZOO=build/test-models/zoo
/usr/bin/python3 tools/testdata/make_zoo.py "$ZOO"
for name in resnet-50 mobilenet-v3-small vit-tiny; do
  dest="examples/repository/$name/1"
  mkdir -p "$dest"
  for f in config.json preprocessor_config.json model.onnx; do
    if cmp -s "$ZOO/$name/$f" "$dest/$f"; then
      continue
    fi
    cp "$ZOO/$name/$f" "$dest/$f.tmp"
    mv "$dest/$f.tmp" "$dest/$f"
    echo "make-repository: wrote $dest/$f"
  done
done
echo "make-repository: examples/repository is ready; serve it with"
echo "  ./argus serve -D argus.repository=examples/repository"
