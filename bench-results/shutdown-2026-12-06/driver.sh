#!/bin/bash
cd /tmp/shutdown
DIST=/tmp/shutdown/after ./measure.sh after-400 "" 60 400 java > after-400.out 2>&1
for v in before after; do
  B=""; for i in 1 2 3; do nice taskset -c 0 sh -c 'while :; do :; done' & B="$B $!"; done
  PIN="taskset -c 0" DIST=/tmp/shutdown/$v ./measure.sh $v-400-starved "" 60 400 java > $v-400-starved.out 2>&1
  kill $B
done
