#!/bin/bash
cd /tmp/shutdown
B=""; for i in 1 2 3; do nice taskset -c 0 sh -c 'while :; do :; done' & B="$B $!"; done
PIN="taskset -c 0" DIST=/tmp/shutdown/merged ./measure.sh merged-400-starved "" 60 400 java > merged-400-starved.out 2>&1
kill $B
