#!/usr/bin/env bash
# The serving core's goals, measured in one run on this machine (README, "Sizing and serving under load"):
#   1. the bare engine and the in-process pipeline at saturation (argus bench, 2 callers, batch 1);
#   2. argus serve at saturation, 8 clients (hey), and 200 clients on the same server (goodput);
#   3. argus serve at 80% of that saturation, paced (uniform) arrivals (WARMUP s at that rate, 40 s measured),
#      twice, a fresh server each time; then the bare
#      engine and the pipeline at the same rate;
#   4. a fresh argus serve, 16 clients sending the large photo, 10,000 requests, its RSS every 5 s and high-water mark;
#   5. the peer (any server with Cloudflare's route, e.g. the transformers.js one) with 8 clients, when PEER_URL is set.
# Sizing: whatever argus serve would use (the stored argus tune setting, or the rule). Run it on a quiet machine:
# anything else on the cores moves these figures more than Argus does. About 16 minutes, plus 4 x WARMUP.
# WARMUP (seconds, default 60): the load each server gets before it is measured, at the rate then measured. The JIT
# compilers keep working for the first minutes of load (on 2 cores, 2-5% of the CPU after 10 s, with bursts that
# lengthen the paced tail); a server at saturation is one that has run a while. WARMUP=10 gives the figures of runs
# before 2026-12-07's last ones.
#
# Usage: tools/bench/serving-goals.sh MODEL.onnx PHOTO.jpg LARGE_PHOTO.jpg   (needs: the distribution built, hey)
#   PEER_URL=http://127.0.0.1:8090 tools/bench/serving-goals.sh build/test-models/resnet50.onnx dog.jpg kite.jpg
set -u
MODEL=$(realpath "${1:?model}"); DOG=$(realpath "${2:?photo}"); KITE=$(realpath "${3:?large photo}")
WARMUP=${WARMUP:-60}
source "$(dirname "$0")/common.sh"
echo "== warm-up ${WARMUP} s per server"
mkdir -p "$OUT/img"; cp "$DOG" "$OUT/img/"
server_pid() { pgrep -f "dev.argus.app.cli.Main serve" | head -1; }
codes() { sed -n '/Status code/,/^$/p' "$1" | grep '\[' | tr -s ' \t' ' ' | tr '\n' ' '; }
latency() { grep -E '50% in|99% in' "$1" | tr -s ' \t' ' ' | tr '\n' ' '; }
# WARMUP s of calls at the same paced rate, then 40 s measured
paced() { $A bench -q --images "$OUT/img" --batch-sizes 1 --concurrency 64 --arrival-rate "$R" --arrivals uniform \
  --duration 40 --warmup "$(awk -v r="$R" -v w="$WARMUP" 'BEGIN{printf "%d", w * r}')" --repetitions 1 "$@" > /dev/null 2>&1; }

$A bench -q --backends onnx="$MODEL" --images "$OUT/img" --batch-sizes 1 --concurrency 2 --duration 20 --warmup $((WARMUP * 30)) \
  --out "$OUT/bench" > /dev/null 2>&1
grep "| onnx | engine" "$OUT/bench/bench.md" | row "bare engine, 2 callers"
grep "| onnx | pipeline" "$OUT/bench/bench.md" | row "pipeline, 2 callers"

start saturation; grep -m1 "engine call" "$OUT/serve-saturation.log" | sed 's/.*Backend/Backend/'
hey -z "${WARMUP}s" -c 8 -m POST -D "$DOG" "$URL" > /dev/null
hey -z 20s -c 8 -m POST -D "$DOG" "$URL" > "$OUT/hey-8.txt"; SAT=$(awk '/Requests\/sec/{print $2}' "$OUT/hey-8.txt")
echo "serve, 8 clients: $SAT img/s; $(latency "$OUT/hey-8.txt"); $(codes "$OUT/hey-8.txt")"
hey -z 20s -c 200 -m POST -D "$DOG" "$URL" > "$OUT/hey-200.txt"
OK=$(sed -n '/Status code/,/^$/p' "$OUT/hey-200.txt" | awk '/\[200\]/{print $2}'); T=$(awk '/Total:/{print $2}' "$OUT/hey-200.txt")
echo "serve, 200 clients: $(codes "$OUT/hey-200.txt")in $T s: goodput $(awk -v o="${OK:-0}" -v t="$T" -v s="$SAT" 'BEGIN{printf "%.1f img/s, %.2fx saturation", o / t, o / t / s}'); $(latency "$OUT/hey-200.txt"); transport errors $(sed -n '/Error distribution/,$p' "$OUT/hey-200.txt" | grep -c '\[')"
stop

R=$(awk -v s="$SAT" 'BEGIN{printf "%.1f", 0.8 * s}'); echo "== paced at $R calls/s (80% of $SAT)"
for rep in 1 2; do
  start "paced-$rep"
  paced --backends rest:argus=http://127.0.0.1:$PORT --no-baseline --out "$OUT/paced-$rep"
  grep "| rest:argus | pipeline" "$OUT/paced-$rep/bench.md" | row "serve, paced ($rep)"
  stop
done
paced --backends onnx="$MODEL" --out "$OUT/paced-bare"
grep "| onnx | engine" "$OUT/paced-bare/bench.md" | row "bare engine, paced"
grep "| onnx | pipeline" "$OUT/paced-bare/bench.md" | row "pipeline, paced"

start large; P=$(server_pid)
(while kill -0 "$P" 2> /dev/null; do awk '/VmRSS/{print int($2 / 1024)}' "/proc/$P/status"; sleep 5; done) > "$OUT/rss.txt" 2> /dev/null &
RS=$!
hey -n 10000 -c 16 -m POST -D "$KITE" "$URL" > "$OUT/hey-large.txt"
echo "serve, 16 clients sending $(basename "$KITE"), 10,000 requests: $(awk '/Requests\/sec/{print $2}' "$OUT/hey-large.txt") img/s; $(codes "$OUT/hey-large.txt")"
echo "  RSS MB every 5 s: $(tr '\n' ' ' < "$OUT/rss.txt")"
echo "  high-water $(awk '/VmHWM/{print int($2 / 1024)}' "/proc/$P/status") MB"
kill "$RS" 2> /dev/null; stop

if [ -n "${PEER_URL:-}" ]; then
  hey -z 10s -c 8 -m POST -D "$DOG" "$PEER_URL$ROUTE" > /dev/null
  hey -z 20s -c 8 -m POST -D "$DOG" "$PEER_URL$ROUTE" > "$OUT/hey-peer.txt"
  echo "peer, 8 clients: $(awk '/Requests\/sec/{print $2}' "$OUT/hey-peer.txt") img/s; $(latency "$OUT/hey-peer.txt")"
fi
echo "== logs and reports in $OUT"
