#!/bin/bash
# Runs issue 17's acceptance runs serially. Output: /tmp/proof/NAME.out and /tmp/proof/NAME/
cd /tmp/proof
late() { [ "$(date -u +%H%M)" -ge 2035 ]; }
run() { # NAME OPTS SECS N ENGINE
  if late; then echo "SKIP $1 (past 20:35)" >> /tmp/proof/driver.log; return 1; fi
  echo "$(date -u +%T) start $1" >> /tmp/proof/driver.log
  /tmp/proof/measure.sh "$@" > /tmp/proof/$1.out 2>&1
  echo "$(date -u +%T) end $1: $(grep -E 'DIED|SIGTERM|lost|dropped' /tmp/proof/$1.out | tr '\n' ' ')" >> /tmp/proof/driver.log
}
lost() { awk '/frames dropped|frames lost/ {s+=$NF} END {print s+0}' /tmp/proof/$1.out; }
ok() { grep -q SIGTERM /tmp/proof/$1.out && ! grep -q DIED /tmp/proof/$1.out && [ "$(lost $1)" = 0 ]; }
rule() { # N -> documented options by docs/install.md's rule
  local n=$1 x=$(( 128 + (16*$1+9)/10 )) d=$(( 64 + ($1+1)/2 )) gc=-XX:+UseSerialGC
  [ $x -gt 1024 ] && gc=-XX:+UseG1GC
  echo "-Xmx${x}m -Xss512k $gc -XX:MaxDirectMemorySize=${d}m"; }
DOC300="$(rule 300)"
echo "rule(300)=$DOC300" >> /tmp/proof/driver.log
run j-doc-300 "$DOC300" 300 300 auto
run gst-default-300 "" 300 300 gstreamer
run gst-doc-300 "$DOC300" 300 300 gstreamer
run j-xcheck-300 "$DOC300 -Xcheck:jni" 300 300 auto
# capacity, 60 s runs, default options
JMAX=300
for n in 400 500 600 700 800 900 1000; do
  run cap-j-$n "" 60 $n java || break
  if ok cap-j-$n; then JMAX=$n; else break; fi
done
echo "java largest without loss: $JMAX" >> /tmp/proof/driver.log
GMAX=0
for n in 100 150 200 250 300 350 400; do
  run cap-gst-$n "" 60 $n gstreamer || break
  if ok cap-gst-$n; then GMAX=$n; else break; fi
done
echo "gstreamer largest without loss: $GMAX" >> /tmp/proof/driver.log
N15=$(( JMAX * 3 / 2 ))
echo "1.5x java: $N15 rule: $(rule $N15)" >> /tmp/proof/driver.log
run j-default-$N15 "" 300 $N15 auto
run j-doc-$N15 "$(rule $N15)" 300 $N15 auto
run j-default-300 "" 300 300 auto
echo "$(date -u +%T) driver done" >> /tmp/proof/driver.log
