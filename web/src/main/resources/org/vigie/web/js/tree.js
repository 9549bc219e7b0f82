// The camera tree: cameras grouped by district (their group), searchable by name or id, each with its state
// (streaming, retrying, disabled, no right) and a thumbnail (the snapshot route, fetched with the session's token
// when the item comes into view, again every minute while it stays in view). Click or drag a camera into a tile.

import { el, clear } from './dom.js';
import { t } from './i18n.js';

const THUMB_EVERY_MS = 60_000;

export class CameraTree {
  // onPick(cameraId)
  constructor(api, user, { onPick }) {
    this.api = api;
    this.user = user;
    this.onPick = onPick;
    this.cameras = [];
    this.collapsed = new Set();
    this.thumbs = new Map(); // id -> {url, at}
    this.search = el('input', { type: 'search', name: 'camera-search', class: 'tree-search',
      placeholder: t('tree.search'), 'aria-label': t('tree.search') });
    this.search.addEventListener('input', () => this.render());
    this.list = el('div', { class: 'tree-list', role: 'tree' });
    this.el = el('div', { class: 'tree', id: 'camera-tree' }, this.search, this.list);
    this.visible = new IntersectionObserver((entries) => {
      for (const e of entries) if (e.isIntersecting) this.thumbnail(e.target.dataset.camera, e.target.querySelector('img'));
    });
    this.timer = setInterval(() => this.load(), 10_000);
  }

  async load() {
    try {
      this.cameras = await this.api.get('cameras');
    } catch (e) {
      return;
    }
    this.render();
  }

  info(id) {
    return this.cameras.find((c) => c.id === id);
  }

  mayView() {
    return this.user.permissions.includes('live_view');
  }

  stateOf(c) {
    if (!this.mayView()) return 'noright';
    return c.enabled === false ? 'disabled' : c.state;
  }

  render() {
    const q = this.search.value.trim().toLowerCase();
    const match = (c) => !q || c.id.toLowerCase().includes(q) || (c.name || '').toLowerCase().includes(q);
    const groups = new Map();
    for (const c of this.cameras.filter(match)) {
      const g = c.group || '';
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(c);
    }
    this.visible.disconnect();
    clear(this.list);
    if (groups.size === 0) {
      this.list.append(el('p', { class: 'muted', text: q ? t('tree.nomatch') : t('tree.empty') }));
      return;
    }
    for (const g of [...groups.keys()].sort((a, b) => (a === '') - (b === '') || a.localeCompare(b))) {
      const cams = groups.get(g).sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id, undefined, { numeric: true }));
      const open = q !== '' || !this.collapsed.has(g);
      const head = el('button', { class: 'tree-group', type: 'button', 'aria-expanded': String(open),
        text: `${open ? '▾' : '▸'} ${g || t('tree.nogroup')} (${cams.length})` });
      head.addEventListener('click', () => {
        if (this.collapsed.has(g)) this.collapsed.delete(g); else this.collapsed.add(g);
        this.render();
      });
      const items = el('div', { class: 'tree-items', role: 'group' });
      if (open) for (const c of cams) items.append(this.item(c));
      this.list.append(el('div', { class: 'tree-node', dataset: { group: g } }, head, items));
    }
  }

  item(c) {
    const state = this.stateOf(c);
    const img = el('img', { class: 'thumb', alt: '', width: '64', height: '36' });
    const cached = this.thumbs.get(c.id);
    if (cached) img.src = cached.url;
    const item = el('div', { class: 'tree-camera', role: 'treeitem', draggable: 'true', tabindex: '0',
      dataset: { camera: c.id, state }, title: t('tree.hint') },
      img,
      el('span', { class: 'camera-name', text: c.name || c.id }),
      el('span', { class: 'camera-id', text: c.id }),
      el('span', { class: `camera-state state-${state}`, text: t(`camera.${state}`) }));
    item.addEventListener('click', () => this.onPick(c.id));
    item.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.onPick(c.id); });
    item.addEventListener('dragstart', (e) => {
      e.dataTransfer.setData('text/x-vigie-camera', c.id);
      e.dataTransfer.effectAllowed = 'copy';
    });
    if (state === 'streaming') this.visible.observe(item);
    return item;
  }

  async thumbnail(id, img) {
    const cached = this.thumbs.get(id);
    if (cached && Date.now() - cached.at < THUMB_EVERY_MS) {
      img.src = cached.url;
      return;
    }
    this.thumbs.set(id, { url: cached ? cached.url : '', at: Date.now() }); // one request at a time
    try {
      const res = await this.api.fetch('GET', `cameras/${encodeURIComponent(id)}/snapshot.jpg?stream=sub`)
        .catch(() => this.api.fetch('GET', `cameras/${encodeURIComponent(id)}/snapshot.jpg`));
      const url = URL.createObjectURL(await res.blob());
      if (cached && cached.url) URL.revokeObjectURL(cached.url);
      this.thumbs.set(id, { url, at: Date.now() });
      img.src = url;
    } catch (e) {
      // no thumbnail: the item stays without one
    }
  }

  destroy() {
    clearInterval(this.timer);
    this.visible.disconnect();
    for (const v of this.thumbs.values()) if (v.url) URL.revokeObjectURL(v.url);
  }
}
