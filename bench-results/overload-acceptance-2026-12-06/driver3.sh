#!/bin/bash
# Second capacity pass (the first ran while the disk was below the recorder's free-space target, 19:25-19:42),
# then 1.5x its Java figure for 5 minutes with the default and the documented options.
cd /tmp/proof
while ! grep -q "driver2 done" /tmp/proof/driver.log; do sleep 5; done
run() { # NAME OPTS SECS N ENGINE
  local limit=2033; [ $3 -gt 100 ] && limit=2028
  if [ "$(date -u +%H%M)" -ge $limit ]; then echo "SKIP $1 (too late to finish before 20:35)" >> /tmp/proof/driver.log; return 1; fi
  echo "$(date -u +%T) start $1" >> /tmp/proof/driver.log
  /tmp/proof/measure.sh "$@" > /tmp/proof/$1.out 2>&1
  echo "$(date -u +%T) end $1: $(grep -E 'DIED|SIGTERM|lost|dropped' /tmp/proof/$1.out | tr '\n' ' ')" >> /tmp/proof/driver.log
}
lost() { awk '/frames dropped|frames lost/ {s+=$NF} END {print s+0}' /tmp/proof/$1.out; }
ok() { grep -q SIGTERM /tmp/proof/$1.out && ! grep -q DIED /tmp/proof/$1.out && [ "$(lost $1)" = 0 ]; }
rule() { local x=$(( 128 + (16*$1+9)/10 )) d=$(( 64 + ($1+1)/2 )) gc=-XX:+UseSerialGC
  [ $x -gt 1024 ] && gc=-XX:+UseG1GC
  echo "-Xmx${x}m -Xss512k $gc -XX:MaxDirectMemorySize=${d}m"; }
search() {
  local p=$1 e=$2 best=0 n
  for n in $3; do
    run $p-$n "" 60 $n $e || break
    if ok $p-$n; then best=$n; else break; fi
  done
  if [ $best = 0 ]; then
    for n in $4; do
      run $p-$n "" 60 $n $e || break
      if ok $p-$n; then best=$n; break; fi
    done
  fi
  echo $best; }
JMAX=$(search cap2-j java "300 400 500 600" "250 200 150")
echo "pass 2: java largest without loss (60 s): $JMAX" >> /tmp/proof/driver.log
GMAX=$(search cap2-gst gstreamer "100 150 200" "75 50")
echo "pass 2: gstreamer largest without loss (60 s): $GMAX" >> /tmp/proof/driver.log
if [ $JMAX -gt 100 ]; then
  N15=$(( JMAX * 3 / 2 ))
  echo "pass 2: 1.5x java: $N15 rule: $(rule $N15)" >> /tmp/proof/driver.log
  run j-default-$N15 "" 300 $N15 auto
  run j-doc-$N15 "$(rule $N15)" 300 $N15 auto
fi
echo "$(date -u +%T) driver3 done" >> /tmp/proof/driver.log
