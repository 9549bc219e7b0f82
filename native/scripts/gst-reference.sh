#!/usr/bin/env bash
# GStreamer's own ingest chain with nothing recorded and no Java: the floor of any rtspsrc-based ingest, the same
# process `bin/vms bench ingest --gst-reference` measures. Run it against `bin/vms simulate --cameras N --port P`
# and profile it, e.g. `perf record -F 499 -g -p $(pgrep -n gst-launch) -- sleep 20`.
# Usage: native/scripts/gst-reference.sh N [PORT] [LATENCY_MS]
set -euo pipefail
N=${1:?usage: gst-reference.sh N [PORT] [LATENCY_MS]}; PORT=${2:-8555}; LAT=${3:-200}
args=()
for i in $(seq 1 "$N"); do
  args+=(rtspsrc "location=rtsp://127.0.0.1:$PORT/$(printf 'cam-%03d' "$i")" protocols=tcp "latency=$LAT"
         ! rtph264depay ! h264parse ! fakesink sync=false async=false)
done
exec gst-launch-1.0 -q "${args[@]}"
