#!/bin/bash
# Extra runs while time allows: -Xcheck:jni with the GStreamer engine (where issue 17's crash was: JNA callbacks),
# 1.5x GStreamer's largest lossless count for 5 minutes, and a repeat of the 60-s runs just past each engine's limit.
cd /tmp/proof
while ! grep -q "driver3 done" /tmp/proof/driver.log; do sleep 5; done
run() { # NAME OPTS SECS N ENGINE
  local limit=2033; [ $3 -gt 100 ] && limit=2028
  if [ "$(date -u +%H%M)" -ge $limit ]; then echo "SKIP $1 (too late to finish before 20:35)" >> /tmp/proof/driver.log; return 1; fi
  echo "$(date -u +%T) start $1" >> /tmp/proof/driver.log
  /tmp/proof/measure.sh "$@" > /tmp/proof/$1.out 2>&1
  echo "$(date -u +%T) end $1: $(grep -E 'DIED|SIGTERM|lost|dropped' /tmp/proof/$1.out | tr '\n' ' ')" >> /tmp/proof/driver.log
}
run gst-xcheck-300 "-Xmx608m -Xss512k -XX:+UseSerialGC -XX:MaxDirectMemorySize=214m -Xcheck:jni" 300 300 gstreamer
run gst-default-150 "" 300 150 gstreamer
run cap3-gst-150 "" 60 150 gstreamer
run cap3-j-300 "" 60 300 java
echo "$(date -u +%T) driver4 done" >> /tmp/proof/driver.log
