#!/bin/bash
# usage: mkconf.sh N SIMPORT HTTPPORT RTSPPORT DIR [ENGINE auto|java|gstreamer]
N=$1; SP=$2; HP=$3; RP=$4; D=$5; ENGINE=${6:-auto}
mkdir -p $D
cat > $D/vms.yaml <<EOT
server:
  bind-address: 127.0.0.1
  http-port: $HP
  rtsp-port: $RP
storage:
  path: $D/recordings
auth:
  admin-password: crash-test-pw
database:
  path: $D/vms.db
ingest:
  engine: $ENGINE
cameras:
EOT
for i in $(seq 1 $N); do printf '  - { id: cam-%03d, name: c%03d, url: "rtsp://127.0.0.1:%d/cam-%03d" }\n' $i $i $SP $i >> $D/vms.yaml; done
