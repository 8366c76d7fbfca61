# Shared by the load scripts here (source it after setting MODEL): the distribution, hey, a machine header, and an
# argus serve to start and stop. Sets A (the launcher), OUT (a fresh folder), PORT, ROUTE and URL (Cloudflare's route).
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export ORT_DISABLE_TELEMETRY=1
A="sh app/target/argus/bin/argus"; OUT=$(mktemp -d); PORT=${PORT:-18080}
ROUTE=/client/v4/accounts/x/ai/run/@cf/microsoft/resnet-50; URL=http://127.0.0.1:$PORT$ROUTE
[ -x "$(command -v hey)" ] || { echo "needs hey (apt-get install hey)" >&2; exit 2; }
[ -f app/target/argus/bin/argus ] || { echo "build the distribution first: ./mvnw package -pl app -am -DskipTests" >&2; exit 2; }
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) ($(grep -m1 'cpu family' /proc/cpuinfo | tr -d '\t')), $(nproc) CPUs, $(date -u), $(git rev-parse --short HEAD 2> /dev/null)"
SP=
# start NAME: argus serve on MODEL, logging to $OUT/serve-NAME.log; returns once it is ready
start() {
  $A serve --model "$MODEL" -D argus.rest.port=$PORT -D argus.grpc.port=0 > "$OUT/serve-$1.log" 2>&1 & SP=$!
  for _ in $(seq 120); do curl -sf http://127.0.0.1:$PORT/v2/health/ready > /dev/null && return; sleep 1; done
  echo "argus serve did not become ready: $OUT/serve-$1.log" >&2; exit 1
}
stop() { kill "$SP"; wait "$SP" 2> /dev/null; }
# row NAME: one bench.md table row as img/s, p50, p90, p99 and p99/p50
row() { awk -F'|' -v n="$1" '{printf "%-24s img/s %5s  p50 %6s  p90 %6s  p99 %6s  p99/p50 %.2f\n", n, $6, $8, $9, $10, $10 / $8}'; }
