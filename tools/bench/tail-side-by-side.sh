#!/usr/bin/env bash
# The 80% tail, side by side: is the p99 at 80% of saturation Argus's, or the engine's on this machine?
#
# Measures argus serve's saturation with hey (8 clients, 20 s after 10 s of warm-up), then REPS times, one after
# another, sends the same paced (uniform) load R = 0.8 x saturation for 40 s after 10 s of warm-up to
#   (a) the bare engine and the in-process pipeline: argus bench --backends onnx=MODEL (open loop),
#   (b) argus serve over REST: argus bench --backends rest:argus=URL,
# and prints p50 / p90 / p99 and p99/p50 of each. Sizing: whatever argus serve would use (the stored tuning, or the rule).
#
# Usage: tools/bench/tail-side-by-side.sh MODEL.onnx PHOTO.jpg [REPS]   (needs: the distribution built, hey)
# Example: tools/bench/tail-side-by-side.sh build/test-models/resnet50.onnx dog.jpg 3
# Run it on a quiet machine: anything else on the cores moves these figures more than Argus does.
set -u
MODEL=$(realpath "${1:?model}"); IMAGE=$(realpath "${2:?photo}"); REPS=${3:-3}
source "$(dirname "$0")/common.sh"
IMAGES=$OUT/images; mkdir -p "$IMAGES"; cp "$IMAGE" "$IMAGES/" # every client sends this one photo
start saturation; grep -m1 "engine call" "$OUT/serve-saturation.log" | sed 's/.*Backend/Backend/'
hey -z 10s -c 8 -m POST -D "$IMAGE" "$URL" > /dev/null
SAT=$(hey -z 20s -c 8 -m POST -D "$IMAGE" "$URL" | awk '/Requests\/sec/{print $2}')
stop
R=$(awk -v s="$SAT" 'BEGIN{printf "%.1f", 0.8 * s}')
echo "== argus serve saturation $SAT img/s; paced rate $R calls/s"
paced() { $A bench -q --images "$IMAGES" --batch-sizes 1 --concurrency 64 --arrival-rate "$R" --arrivals uniform \
  --duration 40 --warmup 10 --repetitions 1 "$@" > /dev/null 2>&1; }
for rep in $(seq "$REPS"); do
  paced --backends onnx="$MODEL" --out "$OUT/bare-$rep"
  grep "| onnx | engine" "$OUT/bare-$rep/bench.md" | row "rep $rep bare engine"
  grep "| onnx | pipeline" "$OUT/bare-$rep/bench.md" | row "rep $rep pipeline"
  start "paced-$rep"
  paced --backends rest:argus=http://127.0.0.1:$PORT --no-baseline --out "$OUT/serve-$rep"
  grep "| rest:argus | pipeline" "$OUT/serve-$rep/bench.md" | row "rep $rep argus serve"
  stop
done
echo "== reports in $OUT"
