#!/usr/bin/env bash
# A/B of two ingest variants at the same time, in two JVMs on disjoint cameras of one `vms simulate`
# (rtsp://127.0.0.1:18554/cam-NNN, at least 2N cameras), then swapped, so that both see the same load.
# Usage: native/scripts/ab.sh N SECONDS VARIANT_A VARIANT_B   (run `mvn -pl native test-compile` first)
set -euo pipefail
cd "$(dirname "$0")/.."
N=$1; S=$2; A=$3; B=$4
CP=target/test-classes:target/classes:$(mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/.native-bench.cp >/dev/null; cat /tmp/.native-bench.cp)
run() { java -Xmx256m -XX:+UseSerialGC -cp "$CP" org.vigie.ingest.IngestBenchmark "$N" "$S" 1 \
          'rtsp://127.0.0.1:18554/cam-%03d' "$1" "$2" 2>&1 | grep -E '^round|Exception|failure' | head -5; }
for order in 1 2; do
  if [ $order = 1 ]; then fa=1; fb=$((N + 1)); else fa=$((N + 1)); fb=1; fi
  run $fa "$A" & pa=$!
  run $fb "$B" & pb=$!
  wait $pa $pb
done
