#!/bin/bash
# usage: measure.sh NAME "JAVA_OPTS" SECONDS CAMERAS [ENGINE auto|java|gstreamer]
NAME=$1; OPTS=$2; SECS=$3; N=${4:-300}; ENGINE=${5:-auto}
D=/tmp/proof/$NAME; rm -rf $D; /tmp/proof/mkconf.sh $N 20800 20080 20554 $D $ENGINE
echo "run $NAME: cameras=$N engine=$ENGINE secs=$SECS VMS_JAVA_OPTS=\"$OPTS\" build=2c5b301 (copy in /tmp/proof/dist) start=$(date -u +%H:%M:%S)"
cd $D
nice /tmp/proof/dist/bin/vms simulate --cameras $N --port 20800 --onvif-port 20580 --onvif-discovery-port 20702 > sim.log 2>&1 & SIM=$!
sleep 8
export VMS_LOG_DIR=$D/log
if [ -n "$OPTS" ]; then export VMS_JAVA_OPTS="$OPTS"; else unset VMS_JAVA_OPTS; fi
nice /tmp/proof/dist/bin/vms run --config $D/vms.yaml > run.log 2>&1 & RUN=$!
T0=$(date +%s)
while [ $(( $(date +%s) - T0 )) -lt $SECS ]; do
  sleep 15
  if ! kill -0 $RUN 2>/dev/null; then echo "DIED at $(( $(date +%s) - T0 )) s"; break; fi
  H=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:20080/healthz)
  echo "t=$(( $(date +%s) - T0 ))s rss=$(grep VmRSS /proc/$RUN/status | awk '{print $2}')kB healthz=$H load=$(cut -d' ' -f1-3 /proc/loadavg)"
done
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"username":"admin","password":"crash-test-pw"}' http://127.0.0.1:20080/api/v1/auth/login | sed 's/.*"token":"\([^"]*\)".*/\1/')
curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:20080/metrics > metrics.txt
curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:20080/api/v1/cameras > cameras.json
cpu() { awk '{printf "%.1f", ($14+$15)/100}' /proc/$1/stat 2>/dev/null; }
echo "cpu seconds at end: server=$(cpu $RUN) simulator=$(cpu $SIM) over $(( $(date +%s) - T0 )) s; load=$(cut -d' ' -f1-3 /proc/loadavg)"
if kill -0 $RUN 2>/dev/null; then
  S=$(date +%s.%N); kill -TERM $RUN; wait $RUN; RC=$?; E=$(date +%s.%N)
  echo "SIGTERM -> exit $RC in $(echo "$E - $S" | bc) s"
fi
kill $SIM; wait $SIM 2>/dev/null
awk '/^vms_frames_dropped_total/ {s+=$2} END {print "frames dropped (recorder queues):", s}' metrics.txt
awk '/^vms_camera_frames_lost_total/ {s+=$2} END {print "frames lost (ingest):", s}' metrics.txt
awk '/^vms_recorder_frames_written_total/ {s+=$2} END {print "frames written:", s}' metrics.txt
awk '/^vms_recorder_overloads_total/ {s+=$2; if ($2>0) n++} END {print "overloads:", s, "in streams:", n}' metrics.txt
grep -E '^vms_overload |^vms_recorder_queued_bytes |^vms_recorder_queue_limit_bytes ' metrics.txt
echo "states: $(grep -o '"state":"[a-z]*"' cameras.json | sort | uniq -c | tr '\n' ' ')"
echo "engines: $(grep -o '"engine":"[a-z]*' cameras.json | sort | uniq -c | tr '\n' ' ')"
echo "overload WARNs: $(grep -c 'WARN.*overload' run.log), no-data reconnects: $(grep -c 'no data' run.log)"
/tmp/proof/dist/bin/vms check --help >/dev/null 2>&1; echo "check: $(cd $D && /tmp/proof/dist/bin/vms check --config $D/vms.yaml 2>&1 | tail -2 | tr '\n' ' ')"
echo "hs_err files: $(find / -xdev -name 'hs_err_pid*' -newer $D/vms.yaml 2>/dev/null | grep -v oldcrash | tr '\n' ' ')"
echo "recordings: $(du -sh $D/recordings 2>/dev/null | cut -f1) (deleted after the check: disk space)"; rm -rf $D/recordings
