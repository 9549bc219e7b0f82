#!/usr/bin/python3
"""Per-thread-class CPU of one process over a window, from /proc/<pid>/task/*/stat.

Usage: thread-cpu.py <pid> <seconds> [streams]
Thread names are grouped into classes (digits stripped: "rtpjitterbuffer" , "src:src" ...) and each class's
CPU is printed as % of one core (and per stream when streams is given), with the thread count and the context
switches per second (voluntary + involuntary, from /proc/<pid>/task/*/status).
Threads that appear or vanish during the window are counted for the part of the window they lived.
"""
import os, re, sys, time, collections

HZ = os.sysconf("SC_CLK_TCK")

def sample(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        cs = 0
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        cs += int(line.split()[1])
        except OSError:
            pass
        out[tid] = (name, int(fields[11]) + int(fields[12]), cs)
    return out

def klass(name):
    n = re.sub(r"\d+", "#", name)
    return n

def main():
    pid, secs = int(sys.argv[1]), float(sys.argv[2])
    streams = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    a = sample(pid); t0 = time.time()
    time.sleep(secs)
    b = sample(pid); wall = time.time() - t0
    cpu = collections.Counter(); count = collections.Counter(); switches = collections.Counter()
    for tid, (name, ticks, cs) in b.items():
        k = klass(name)
        cpu[k] += ticks - a[tid][1] if tid in a else ticks
        switches[k] += cs - a[tid][2] if tid in a else cs
        count[k] += 1
    total = sum(cpu.values())
    print(f"pid {pid} window {wall:.1f}s total {100.0*total/HZ/wall:.1f}% of a core"
          + (f" = {100.0*total/HZ/wall/streams:.3f}%/stream" if streams else "") + f", {len(b)} threads")
    for k, c in cpu.most_common():
        pct = 100.0 * c / HZ / wall
        print(f"  {pct:6.1f}%  {100.0*c/max(total,1):5.1f}% of total  {count[k]:4d} thr"
              f"  {switches[k]/wall:8.0f} ctxsw/s  {k}"
              + (f"  ({pct/streams:.4f}%/stream)" if streams else ""))

main()
