#!/bin/bash
# Second half of the acceptance runs (capacity search stepping down as well as up), after driver.sh's first four.
cd /tmp/proof
while ! grep -q "^hs_err files" /tmp/proof/cap-j-400.out 2>/dev/null; do sleep 5; done
echo "$(date -u +%T) end cap-j-400 (started by driver.sh): $(grep -E 'DIED|SIGTERM|lost|dropped' /tmp/proof/cap-j-400.out | tr '\n' ' ')" >> /tmp/proof/driver.log
late() { [ "$(date -u +%H%M)" -ge 2035 ]; }
run() { # NAME OPTS SECS N ENGINE
  if late; then echo "SKIP $1 (past 20:35)" >> /tmp/proof/driver.log; return 1; fi
  echo "$(date -u +%T) start $1" >> /tmp/proof/driver.log
  /tmp/proof/measure.sh "$@" > /tmp/proof/$1.out 2>&1
  echo "$(date -u +%T) end $1: $(grep -E 'DIED|SIGTERM|lost|dropped' /tmp/proof/$1.out | tr '\n' ' ')" >> /tmp/proof/driver.log
}
lost() { awk '/frames dropped|frames lost/ {s+=$NF} END {print s+0}' /tmp/proof/$1.out; }
ok() { grep -q SIGTERM /tmp/proof/$1.out && ! grep -q DIED /tmp/proof/$1.out && [ "$(lost $1)" = 0 ]; }
rule() { local x=$(( 128 + (16*$1+9)/10 )) d=$(( 64 + ($1+1)/2 )) gc=-XX:+UseSerialGC
  [ $x -gt 1024 ] && gc=-XX:+UseG1GC
  echo "-Xmx${x}m -Xss512k $gc -XX:MaxDirectMemorySize=${d}m"; }
search() { # PREFIX ENGINE "UP..." "DOWN..." -> the largest lossless count (0 if none); goes up while lossless,
  # and down (largest first) only if the first step up already lost frames
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
if ok cap-j-400; then
  JMAX=$(search cap-j java "500 600 700 800" ""); [ $JMAX = 0 ] && JMAX=400
else
  JMAX=$(search cap-j java "" "300 250 200 150 100 50")
fi
echo "java largest without loss (60 s): $JMAX" >> /tmp/proof/driver.log
GMAX=$(search cap-gst gstreamer "100 150 200 250 300" "75 50 25")
echo "gstreamer largest without loss (60 s): $GMAX" >> /tmp/proof/driver.log
[ $JMAX -gt 0 ] || JMAX=300
N15=$(( JMAX * 3 / 2 ))
echo "1.5x java: $N15 rule: $(rule $N15)" >> /tmp/proof/driver.log
run j-default-$N15 "" 300 $N15 auto
run j-doc-$N15 "$(rule $N15)" 300 $N15 auto
run j-default-300 "" 300 300 auto
echo "$(date -u +%T) driver2 done" >> /tmp/proof/driver.log
