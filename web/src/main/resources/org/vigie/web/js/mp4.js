// Just enough ISO-BMFF reading to place fragments on the video element's timeline: the track's timescale (mdhd of
// the init segment) and a fragment's base media decode time (tfdt). Boxes: 32-bit size + 4-char type.

function findBox(bytes, path, start = 0, end = bytes.length) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) return null;
    if (type === path[0]) {
      return path.length === 1 ? { at, header, size, view } : findBox(bytes, path.slice(1), at + header, at + size);
    }
    at += size;
  }
  return null;
}

// The timescale of the (single) track of an init segment, or 0.
export function timescale(init) {
  const b = findBox(init, ['moov', 'trak', 'mdia', 'mdhd']);
  if (!b) return 0;
  const p = b.at + b.header;
  const version = b.view.getUint8(p);
  return b.view.getUint32(p + (version === 1 ? 20 : 12));
}

// The base media decode time of a fragment (prft + moof + mdat), in timescale units, or -1.
export function decodeTime(fragment) {
  const b = findBox(fragment, ['moof', 'traf', 'tfdt']);
  if (!b) return -1;
  const p = b.at + b.header;
  return b.view.getUint8(p) === 1 ? Number(b.view.getBigUint64(p + 4)) : b.view.getUint32(p + 4);
}
