#!/bin/sh
# Measures the CPU of the simulator process serving N cameras to N RTSP clients over TCP (loopback only).
# usage: simulator/scripts/measure-cpu.sh CAMERAS [CLIENTS_PER_CAMERA] [SECONDS] [ffmpeg|gst]
# Needs: simulator built (mvn -pl simulator compile), dependency classpath in $CP or computed here.
set -eu
N=${1:-50}; PER=${2:-1}; SECS=${3:-20}; CLIENT=${4:-ffmpeg}; PORT=${PORT:-18600}
cd "$(dirname "$0")/../.."
if [ -z "${CP:-}" ]; then
  mvn -B -q -o -pl simulator dependency:build-classpath -Dmdep.outputFile=/tmp/vigie-sim-cp.txt >/dev/null
  CP=simulator/target/classes:$(tr ':' '\n' < /tmp/vigie-sim-cp.txt | grep -v -e logback -e junit | paste -sd:)
fi
OUT=$(mktemp -d)
java -Xmx256m -cp "$CP" org.vigie.simulator.SimulatorMain --cameras "$N" --port "$PORT" > "$OUT/urls" 2>"$OUT/sim.log" &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
while [ "$(grep -c '^rtsp://' "$OUT/urls" || true)" -lt "$N" ]; do
  kill -0 $SIM 2>/dev/null || { cat "$OUT/sim.log"; exit 1; }
  sleep 0.5
done
TOTAL=$((SECS + 75))
i=0
CLIENTS=""
for url in $(grep '^rtsp://' "$OUT/urls"); do
  k=0
  while [ $k -lt "$PER" ]; do
    if [ "$CLIENT" = gst ]; then
      timeout $TOTAL gst-launch-1.0 -q rtspsrc location="$url" protocols=tcp ! rtph264depay ! h264parse ! fakesink >/dev/null 2>&1 &
    else
      timeout $TOTAL ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i "$url" -c copy -f null - >/dev/null 2>&1 &
    fi
    CLIENTS="$CLIENTS $!"
    k=$((k + 1)); i=$((i + 1))
  done
done
conns() { ss -Htn state established "( sport = :$PORT )" | wc -l; }
WAITED=0   # wait (at most 60 s) until every client is connected, then 4 s more for PLAY and the first IDR
while [ "$(conns)" -lt "$i" ] && [ $WAITED -lt 60 ]; do sleep 1; WAITED=$((WAITED + 1)); done
sleep 4
echo "RTSP connections established before measuring: $(conns) of $i"
TICK=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' /proc/$SIM/stat; }
C0=$(cpu); T0=$(date +%s.%N)
# one more client on the last camera checks that the streams run at 25 fps under this load
FIRST=$(grep '^rtsp://' "$OUT/urls" | tail -1)
timeout $((SECS + 10)) ffmpeg -nostdin -stats -loglevel error -rtsp_transport tcp -i "$FIRST" -t "$SECS" -c copy -f null - 2>"$OUT/probe" &
PROBE=$!
sleep "$SECS"
C1=$(cpu); T1=$(date +%s.%N)
RSS=$(awk '/VmRSS/ {print $2}' /proc/$SIM/status)
echo "RTSP connections established after measuring: $(conns)"
echo "$N cameras x $PER $CLIENT clients, $SECS s: simulator CPU" | tee "$OUT/result"
awk -v c0="$C0" -v c1="$C1" -v t0="$T0" -v t1="$T1" -v tck="$TICK" -v n="$N" -v per="$PER" -v rss="$RSS" 'BEGIN {
  pct = 100 * (c1 - c0) / tck / (t1 - t0);
  printf "  %.1f %% of one core total, %.3f %% per camera, %.3f %% per client stream, RSS %d MB\n", pct, pct / n, pct / (n * per), rss / 1024 }' | tee -a "$OUT/result"
wait $PROBE 2>/dev/null || true
echo "  probe client on $FIRST over $SECS s of stream time: $(tr '\r' '\n' < "$OUT/probe" | grep frame= | tail -1)"
kill $SIM
kill $CLIENTS 2>/dev/null || true   # this script's own client processes, by pid
wait 2>/dev/null || true
