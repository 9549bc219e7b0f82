#!/bin/bash
# usage: measure.sh NAME CAMERAS SECONDS "JVM OPTIONS"   (run from the tree to measure; ports 27xxx)
# (copied from the fourth session of issue 11; ports 27xxx, SIMTREE=tree whose simulator to use)
# N simulated cameras (bin/vms simulate, its own process) recorded by the server started with exactly JVM OPTIONS
# (+ GC log and native memory tracking), like bin/vms run (G_SLICE, MALLOC_ARENA_MAX). At SECONDS-15: RSS,
# GC.heap_info, then a full GC (GC.run) and GC.heap_info again (the live set), the class histogram and NMT summary.
# At SECONDS: RSS, /metrics (frames dropped/lost/written), SIGTERM; the recordings are deleted.
NAME=$1; N=$2; S=$3; OPTS=$4
HERE=$(cd "$(dirname "$0")" && pwd); TREE=${TREE:-$(cd "$HERE/../.." && pwd)}
D=/tmp/gop11-run/$NAME; rm -rf $D; mkdir -p $D
"$HERE/mkconf.sh" $N 27800 27080 27554 $D java
OUT=$HERE/$NAME.out; : > $OUT
log() { echo "$@" | tee -a $OUT; }
log "# $NAME: $N cameras, $S s, tree $TREE, options: $OPTS, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%T)"
nice -n 19 ${SIMTREE:-$TREE}/bin/vms simulate --cameras $N --port 27800 --onvif-port 27580 --onvif-discovery-port 27702 > $D/sim.log 2>&1 &
SIM=$!
sleep 8
G_SLICE=always-malloc MALLOC_ARENA_MAX=2 nice -n 19 java $OPTS -Xlog:gc:file=$D/gc.log:uptime -XX:NativeMemoryTracking=summary \
  -Dvms.home=$TREE -jar $TREE/server/target/vigie-server.jar run --config $D/vms.yaml > $D/server.log 2>&1 &
PID=$!
rss() { awk '/VmRSS/{printf "%.0f", $2/1024}' /proc/$PID/status; }
for t in $(seq 15 15 $((S-15))); do sleep 15; log "t=${t}s RSS $(rss) MB load $(cut -d' ' -f1 /proc/loadavg)"; done
log "## before GC.run: RSS $(rss) MB"; jcmd $PID GC.heap_info >> $OUT 2>&1
jcmd $PID GC.run > /dev/null 2>&1
log "## after GC.run: RSS $(rss) MB"; jcmd $PID GC.heap_info >> $OUT 2>&1
awk '/^[0-9a-f]+-[0-9a-f]+ /{name=($6==""?"[anon]":$6)} /^Rss:/{r[name]+=$2} END{for(n in r) printf "%8d kB %s\n", r[n], n}' /proc/$PID/smaps | sort -rn | head -14 >> $OUT
jcmd $PID GC.class_histogram 2>/dev/null | head -18 >> $OUT
jcmd $PID VM.native_memory summary 2>/dev/null | grep -E "^(Total|-)|committed=" | grep -E "Total|^-" >> $OUT
sleep 15
log "## end: RSS $(rss) MB, threads $(ls /proc/$PID/task | wc -l)"
TOK=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"username":"admin","password":"crash-test-pw"}' http://127.0.0.1:27080/api/v1/auth/login | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
curl -s -H "Authorization: Bearer $TOK" http://127.0.0.1:27080/metrics > $D/metrics.txt
for m in vms_frames_dropped_total vms_camera_frames_lost_total vms_recorder_frames_written_total; do
  log "$m $(grep "^$m" $D/metrics.txt | awk '{s+=$NF} END {printf "%d", s}')"; done
log "camera states: $(curl -s -H "Authorization: Bearer $TOK" http://127.0.0.1:27080/api/v1/cameras | grep -o '"state":"[A-Z_]*"' | sort | uniq -c | tr '\n' ' ')"
kill $PID; wait $PID; kill $SIM; wait $SIM 2>/dev/null
log "## GC log summary: $(grep -c 'Pause Young' $D/gc.log) young, $(grep -c 'Pause Full' $D/gc.log) full; pause ms total $(grep -o '[0-9.]*ms$' $D/gc.log | tr -d ms | awk '{s+=$1} END {printf "%.0f", s}')"
grep -E "Pause (Full|Young)" $D/gc.log | tail -4 >> $OUT
cp $D/gc.log $HERE/$NAME.gc.log
rm -rf $D/recordings
