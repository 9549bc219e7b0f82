// The administrators' privacy mask editor (#/masks?camera=<id>; issue 14, docs/client.md): the camera's polygons
// drawn over a snapshot of it, in picture-relative coordinates (0..1). A click on the picture adds a point to the
// selected mask; a point can be dragged; each mask is permanent (never lifted) or liftable. "Enregistrer" replaces
// the whole set (PUT /api/v1/cameras/{id}/masks): a new version, audited by the server.

import { el, clear, toast } from './dom.js';
import { t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

const clamp = (v) => Math.min(1, Math.max(0, v));

export async function maskEditorScreen(api, app, params, current, back) {
  const cameras = await api.get('cameras');
  if (!current()) return null;
  const camera = params.get('camera') || (cameras[0] && cameras[0].id);
  let version = 0;
  let masks = []; // {id, kind, polygon: [[x, y]]}
  let selected = -1;
  let drag = null; // {mask, point}

  const picker = el('select', { name: 'mask-camera', 'aria-label': t('masks.camera') },
    ...cameras.map((c) => el('option', { value: c.id, text: `${c.name || c.id} (${c.id})`, selected: c.id === camera })));
  picker.addEventListener('change', () => { location.hash = `#/masks?camera=${encodeURIComponent(picker.value)}`; });
  const status = el('span', { class: 'muted', id: 'mask-version' });
  const picture = el('img', { class: 'mask-picture', alt: t('masks.snapshot'), id: 'mask-picture' });
  const drawing = svg('svg', { class: 'mask-drawing', id: 'mask-drawing', viewBox: '0 0 1 1',
    preserveAspectRatio: 'none' });
  const stage = el('div', { class: 'mask-stage' }, picture, drawing);
  const list = el('ol', { class: 'mask-list', id: 'mask-list' });
  const addButton = el('button', { type: 'button', name: 'mask-add', text: t('masks.add') });
  const undoButton = el('button', { type: 'button', name: 'mask-undo', class: 'secondary', text: t('masks.undo') });
  const saveButton = el('button', { type: 'button', name: 'mask-save', text: t('masks.save') });
  const backButton = el('button', { type: 'button', name: 'mask-back', class: 'secondary', text: t('masks.back') });
  backButton.addEventListener('click', back);

  // The whole picture in the window, as large as it fits, proportions kept: the drawing covers exactly its box.
  function fit() {
    const w = picture.naturalWidth;
    const h = picture.naturalHeight;
    if (!w || !h) return;
    const scale = Math.min((window.innerWidth - 420) / w, (window.innerHeight - 90) / h);
    picture.style.width = `${Math.max(160, Math.floor(w * scale))}px`;
    picture.style.height = `${Math.max(120, Math.floor(h * scale))}px`;
  }
  picture.addEventListener('load', fit);
  window.addEventListener('resize', fit);

  function point(evt) {
    const r = drawing.getBoundingClientRect();
    return [clamp((evt.clientX - r.left) / r.width), clamp((evt.clientY - r.top) / r.height)];
  }

  function redraw() {
    clear(drawing);
    masks.forEach((m, i) => {
      const pts = m.polygon.map(([x, y]) => `${x},${y}`).join(' ');
      const shape = m.polygon.length >= 3 ? svg('polygon', { points: pts }) : svg('polyline', { points: pts });
      shape.setAttribute('class', `mask-shape ${m.kind}${i === selected ? ' selected' : ''}`);
      shape.setAttribute('vector-effect', 'non-scaling-stroke');
      drawing.append(shape);
      if (i === selected) {
        m.polygon.forEach(([x, y], j) => {
          const h = svg('circle', { cx: x, cy: y, r: 0.008, class: 'mask-handle' });
          h.addEventListener('pointerdown', (e) => {
            e.stopPropagation();
            drag = { mask: i, point: j };
            drawing.setPointerCapture(e.pointerId);
          });
          drawing.append(h);
        });
      }
    });
    clear(list).append(...masks.map((m, i) => {
      const id = el('input', { name: `mask-id-${i}`, value: m.id, maxlength: '64', 'aria-label': t('masks.id') });
      id.addEventListener('change', () => { m.id = id.value.trim(); });
      const kind = el('select', { name: `mask-kind-${i}`, 'aria-label': t('masks.kind') },
        el('option', { value: 'permanent', text: t('masks.permanent'), selected: m.kind === 'permanent' }),
        el('option', { value: 'liftable', text: t('masks.liftable'), selected: m.kind === 'liftable' }));
      kind.addEventListener('change', () => { m.kind = kind.value; redraw(); });
      const remove = el('button', { type: 'button', class: 'secondary', name: `mask-remove-${i}`, text: '✕',
        title: t('masks.remove') });
      remove.addEventListener('click', () => {
        masks.splice(i, 1);
        selected = Math.min(selected, masks.length - 1);
        redraw();
      });
      const item = el('li', { class: i === selected ? 'selected' : '' }, id, kind,
        el('span', { class: 'muted', text: t('masks.points', { n: m.polygon.length }) }), remove);
      item.addEventListener('click', (e) => {
        if (e.target === item) { selected = i; redraw(); }
      });
      return item;
    }));
  }

  drawing.addEventListener('pointerdown', (e) => {
    if (selected < 0) return;
    masks[selected].polygon.push(point(e));
    redraw();
  });
  drawing.addEventListener('pointermove', (e) => {
    if (!drag) return;
    masks[drag.mask].polygon[drag.point] = point(e);
    redraw();
  });
  drawing.addEventListener('pointerup', () => { drag = null; });

  addButton.addEventListener('click', () => {
    let n = masks.length + 1;
    while (masks.some((m) => m.id === `mask-${n}`)) n++;
    masks.push({ id: `mask-${n}`, kind: 'permanent', polygon: [] });
    selected = masks.length - 1;
    redraw();
  });
  undoButton.addEventListener('click', () => {
    if (selected >= 0) masks[selected].polygon.pop();
    redraw();
  });
  saveButton.addEventListener('click', async () => {
    try {
      const saved = await api.put(`cameras/${encodeURIComponent(camera)}/masks`, { masks });
      version = saved.version;
      masks = saved.masks;
      status.textContent = t('masks.version', { version });
      toast(t('masks.saved', { version }));
      redraw();
    } catch (e) {
      toast(e.message, 'error');
    }
  });

  async function load() {
    const m = await api.get(`cameras/${encodeURIComponent(camera)}/masks`);
    version = m.version;
    masks = m.masks;
    selected = masks.length > 0 ? 0 : -1;
    status.textContent = t('masks.version', { version });
    redraw();
    try {
      const res = await api.fetch('GET', `cameras/${encodeURIComponent(camera)}/snapshot.jpg`);
      picture.src = URL.createObjectURL(await res.blob());
    } catch (e) {
      picture.alt = t('masks.noSnapshot', { message: e.message });
    }
  }

  const page = el('main', { class: 'mask-editor', id: 'mask-editor' },
    el('header', { class: 'topbar' }, el('strong', { text: t('masks.title') }), picker, status,
      el('span', { class: 'spacer' }), backButton),
    el('div', { class: 'mask-body' }, stage,
      el('aside', { class: 'mask-side' }, el('p', { class: 'muted', text: t('masks.help') }), list,
        el('div', { class: 'mask-buttons' }, addButton, undoButton, saveButton))));
  clear(app).append(page);
  if (camera) await load();
  return () => {
    window.removeEventListener('resize', fit);
    if (picture.src) URL.revokeObjectURL(picture.src);
  };
}
