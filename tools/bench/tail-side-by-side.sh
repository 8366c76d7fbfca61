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
cd "$(dirname "$0")/../.."
export ORT_DISABLE_TELEMETRY=1
A="sh app/target/argus/bin/argus"; OUT=$(mktemp -d); PORT=${PORT:-18080}
URL=http://127.0.0.1:$PORT/client/v4/accounts/x/ai/run/@cf/microsoft/resnet-50
IMAGES=$OUT/images; mkdir -p "$IMAGES"; cp "$IMAGE" "$IMAGES/" # every client sends this one photo
[ -x "$(command -v hey)" ] || { echo "needs hey (apt-get install hey)" >&2; exit 2; }
[ -f app/target/argus/bin/argus ] || { echo "build the distribution first: ./mvnw package -pl app -am -DskipTests" >&2; exit 2; }
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) ($(grep -m1 'cpu family' /proc/cpuinfo | tr -d '\t')), $(nproc) CPUs, $(date -u)"
SP=
start() {
  $A serve --model "$MODEL" -D argus.rest.port=$PORT -D argus.grpc.port=0 > "$OUT/serve.log" 2>&1 & SP=$!
  for _ in $(seq 120); do curl -sf http://127.0.0.1:$PORT/v2/health/ready > /dev/null && return; sleep 1; done
  echo "argus serve did not become ready: $OUT/serve.log" >&2; exit 1
}
stop() { kill "$SP"; wait "$SP" 2> /dev/null; }
start; grep -m1 "engine call" "$OUT/serve.log" | sed 's/.*Backend/Backend/'
hey -z 10s -c 8 -m POST -D "$IMAGE" "$URL" > /dev/null
SAT=$(hey -z 20s -c 8 -m POST -D "$IMAGE" "$URL" | awk '/Requests\/sec/{print $2}')
stop
R=$(awk -v s="$SAT" 'BEGIN{printf "%.1f", 0.8 * s}')
echo "== argus serve saturation $SAT img/s; paced rate $R calls/s"
row() { awk -F'|' -v n="$1" '{printf "%-22s img/s %5s  p50 %6s  p90 %6s  p99 %6s  p99/p50 %.2f\n", n, $6, $8, $9, $10, $10 / $8}'; }
paced() { $A bench -q --images "$IMAGES" --batch-sizes 1 --concurrency 64 --arrival-rate "$R" --arrivals uniform \
  --duration 40 --warmup 10 --repetitions 1 "$@" > /dev/null 2>&1; }
for rep in $(seq "$REPS"); do
  paced --backends onnx="$MODEL" --out "$OUT/bare-$rep"
  grep "| onnx | engine" "$OUT/bare-$rep/bench.md" | row "rep $rep bare engine"
  grep "| onnx | pipeline" "$OUT/bare-$rep/bench.md" | row "rep $rep pipeline"
  start
  paced --backends rest:argus=http://127.0.0.1:$PORT --no-baseline --out "$OUT/serve-$rep"
  grep "| rest:argus | pipeline" "$OUT/serve-$rep/bench.md" | row "rep $rep argus serve"
  stop
done
echo "== reports in $OUT"
