// Privacy masks (issue 14; docs/streaming.md "Privacy masks"): the server sends the masks in force with each
// channel ('opened', then 'masks' at every new version) and trusts this page to draw them opaque over the video.
// A mask is a polygon in coordinates relative to the picture (0..1 from its top-left corner); the picture is shown
// with object-fit: contain, so the polygons are scaled to the video's displayed rectangle, letterboxing included.
// Fail closed: masks that cannot be read mean the tile shows nothing.

// The masks of an event, checked; null when they are missing or malformed (the caller then shows nothing).
export function readMasks(m) {
  if (!m || typeof m !== 'object' || typeof m.version !== 'number' || !Array.isArray(m.polygons)) return null;
  for (const p of m.polygons) {
    if (!p || !Array.isArray(p.polygon) || p.polygon.length < 3) return null;
    for (const pt of p.polygon) {
      if (!Array.isArray(pt) || pt.length !== 2) return null;
      const [x, y] = pt;
      if (typeof x !== 'number' || typeof y !== 'number' || !(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return null;
    }
  }
  return m;
}

// The rectangle the picture occupies in a box of boxW x boxH with object-fit: contain.
export function displayedRect(boxW, boxH, picW, picH) {
  if (!(picW > 0 && picH > 0 && boxW > 0 && boxH > 0)) return null;
  const scale = Math.min(boxW / picW, boxH / picH);
  const w = picW * scale;
  const h = picH * scale;
  return { x: (boxW - w) / 2, y: (boxH - h) / 2, w, h };
}

// Draws the polygons opaque black on the canvas (sized to its box, in device pixels) over a picture of picW x picH.
export function drawMasks(canvas, masks, picW, picH) {
  const dpr = window.devicePixelRatio || 1;
  const boxW = canvas.clientWidth;
  const boxH = canvas.clientHeight;
  const w = Math.round(boxW * dpr);
  const h = Math.round(boxH * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const g = canvas.getContext('2d');
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.clearRect(0, 0, w, h);
  if (!masks || masks.polygons.length === 0) return;
  const r = displayedRect(boxW, boxH, picW, picH);
  if (!r) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = '#000';
  for (const p of masks.polygons) {
    g.beginPath();
    p.polygon.forEach(([x, y], i) => {
      // a pixel outward on every side: anti-aliasing never lets a sliver of the masked area through
      const px = r.x + x * r.w + (x <= 0.5 ? -1 : 1) * (x === 0 || x === 1 ? 1 : 0);
      const py = r.y + y * r.h + (y <= 0.5 ? -1 : 1) * (y === 0 || y === 1 ? 1 : 0);
      if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
    });
    g.closePath();
    g.fill();
    g.lineWidth = 2;
    g.strokeStyle = '#000';
    g.stroke();
  }
}
