#!/bin/bash
cd /tmp/shutdown
for v in after before; do
  B=""; for i in 1 2 3; do nice taskset -c 0 sh -c 'while :; do :; done' & B="$B $!"; done
  PIN="taskset -c 0" DIST=/tmp/shutdown/$v ./measure.sh $v-400-starved2 "" 60 400 java > $v-400-starved2.out 2>&1
  kill $B
done
