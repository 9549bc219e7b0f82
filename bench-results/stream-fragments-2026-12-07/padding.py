#!/usr/bin/env python3
"""usage: padding.py RECORDINGS_DIR: per fragment, the free box in its moof (the unused reserved head), over all segments."""
import os, struct, sys

frags = pad = total = samples = 0
for root, _, files in os.walk(sys.argv[1]):
    for name in files:
        if not name.endswith('.mp4'):
            continue
        data = open(os.path.join(root, name), 'rb').read()
        total += len(data)
        at = 0
        while at + 8 <= len(data):
            size, kind = struct.unpack('>I4s', data[at:at + 8])
            if size < 8:
                break
            if kind == b'moof':
                frags += 1
                c = at + 8
                while c < at + size:
                    csize, ckind = struct.unpack('>I4s', data[c:c + 8])
                    if ckind == b'free':
                        pad += csize
                    if ckind == b'traf':
                        t = c + 8
                        while t < c + csize:
                            tsize, tkind = struct.unpack('>I4s', data[t:t + 8])
                            if tkind == b'trun':
                                samples += struct.unpack('>I', data[t + 12:t + 16])[0]
                            t += tsize
                    c += csize
            at += size
print(f"padding: {frags} fragments, {samples} samples, {pad} bytes of free boxes = {pad / max(frags, 1):.0f} bytes "
      f"per fragment, {100.0 * pad / max(total, 1):.3f} % of {total} bytes of segments")
