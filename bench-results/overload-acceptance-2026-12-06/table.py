import re,sys,glob,os
order=sys.argv[1:]
def pct(w,d):
    try:
        w=float(w); d=float(d); return '%d (%.0f %%)'%(d, 100*d/(w+d)) if w+d>0 else str(int(d))
    except: return d
print("| run | engine | cams | s | VMS_JAVA_OPTS | alive | /healthz (samples) | max RSS MB | load 1-min (min-max) | server / simulator CPU s | frames written | dropped (recorder queues) (% of frames) | lost (ingest) | camera states at end | no-data reconnects | SIGTERM exit | check | hs_err |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in order:
    f='/tmp/proof/%s.out'%n
    if not os.path.exists(f): continue
    t=open(f).read()
    m=re.search(r'cameras=(\d+) engine=(\w+) secs=(\d+) VMS_JAVA_OPTS="([^"]*)"',t)
    cams,eng,secs,opts=m.groups()
    samples=re.findall(r'^t=(\d+)s rss=(\d*)kB healthz=(\d+) load=([\d.]+)',t,re.M)
    codes={}
    for s in samples: codes[s[2]]=codes.get(s[2],0)+1
    hz=' '.join('%s×%d'%(k,v) for k,v in sorted(codes.items()))
    rss=max((int(s[1]) for s in samples if s[1]),default=0)//1024
    loads=[float(s[3]) for s in samples]
    died='DIED' in t
    g=lambda p: (re.search(p,t,re.M).group(1).strip() if re.search(p,t,re.M) else '?')
    cpu=re.search(r'server=([\d.]+) simulator=([\d.]+)',t)
    states=g(r'^states:(.*)$').replace('"state":','').replace('"','')
    states=re.sub(r'\s+',' ',states)
    print('| %s | %s | %s | %s | `%s` | %s | %s | %d | %.0f-%.0f | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s |'%(
      n,eng,cams,secs,opts or '(none: bin/vms run sizes it)','DIED' if died else 'yes',hz,rss,min(loads),max(loads),
      cpu.group(1) if cpu else '?',cpu.group(2) if cpu else '?',g(r'^frames written: (\S+)'),pct(g(r'^frames written: (\S+)'),g(r'^frames dropped \(recorder queues\): (\S+)')),
      g(r'^frames lost \(ingest\): (\S+)'),states,g(r'no-data reconnects: (\d+)'),
      (g(r'SIGTERM -> exit (\d+) in')+', %.1f s'%float(g(r'SIGTERM -> exit \d+ in ([\d.]+) s'))) if 'SIGTERM' in t else '-',
      'clean' if 'check: clean' in t else g(r'^check: (.*)$'), g(r'^hs_err files:(.*)$') or 'none'))
