// Search: camera events (by camera, type and time range) and bookmarks; a result opens its camera in archive at
// that moment (onOpen(camera, ms)).

import { el, clear } from './dom.js';
import { t, formatTime } from './i18n.js';
import { query } from './api.js';
import { parseTime, localText } from './time.js';

export class SearchPanel {
  constructor(api, cameras, { onOpen }) {
    this.api = api;
    this.cameras = cameras; // () -> camera list
    this.onOpen = onOpen;
    const now = Date.now();
    this.kind = el('select', { name: 'search-kind' },
      el('option', { value: 'events', text: t('search.events') }),
      el('option', { value: 'bookmarks', text: t('search.bookmarks') }));
    this.camera = el('select', { name: 'search-camera' });
    this.type = el('select', { name: 'search-type' },
      el('option', { value: '', text: t('search.anyType') }),
      ...['motion', 'tamper', 'other'].map((v) => el('option', { value: v, text: t(`event.${v}`) })));
    this.from = el('input', { name: 'search-from', type: 'text', value: localText(now - 86_400_000) });
    this.to = el('input', { name: 'search-to', type: 'text', value: localText(now + 60_000) });
    this.results = el('div', { class: 'search-results', id: 'search-results' });
    this.status = el('p', { class: 'muted' });
    this.kind.addEventListener('change', () => { this.type.disabled = this.kind.value !== 'events'; });
    const form = el('form', { class: 'search-form' },
      el('label', { class: 'field' }, el('span', { text: t('search.kind') }), this.kind),
      el('label', { class: 'field' }, el('span', { text: t('search.camera') }), this.camera),
      el('label', { class: 'field' }, el('span', { text: t('search.type') }), this.type),
      el('label', { class: 'field' }, el('span', { text: t('search.from') }), this.from),
      el('label', { class: 'field' }, el('span', { text: t('search.to') }), this.to),
      el('button', { type: 'submit', name: 'search', text: t('search.submit') }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.run();
    });
    this.el = el('div', { class: 'search', id: 'search' }, form, this.status, this.results);
  }

  fillCameras() {
    const keep = this.camera.value;
    clear(this.camera).append(el('option', { value: '', text: t('search.anyCamera') }),
      ...this.cameras().map((c) => el('option', { value: c.id, text: c.name ? `${c.name} (${c.id})` : c.id })));
    this.camera.value = keep;
  }

  async run() {
    const from = parseTime(this.from.value);
    const to = parseTime(this.to.value);
    if (Number.isNaN(from) || Number.isNaN(to)) {
      this.status.textContent = t('time.invalid');
      return;
    }
    const params = { camera: this.camera.value, from: new Date(from).toISOString(), to: new Date(to).toISOString(),
      limit: 200 };
    if (this.kind.value === 'events') params.type = this.type.value ? this.type.value.toUpperCase() : '';
    clear(this.results);
    this.status.textContent = t('search.running');
    try {
      const found = await this.api.get(`${this.kind.value}${query(params)}`);
      this.status.textContent = t('search.count', { n: found.length });
      for (const r of found.slice().reverse()) this.results.append(this.row(r));
    } catch (e) {
      this.status.textContent = e.message;
    }
  }

  row(r) {
    const at = Date.parse(r.time);
    const camera = r.camera || r.cameraId;
    const what = r.title !== undefined ? `★ ${r.title}` : t(`event.${String(r.type).toLowerCase()}`);
    const item = el('button', { type: 'button', class: 'search-result', dataset: { camera, time: r.time } },
      el('span', { class: 'result-time', text: formatTime(at) }),
      el('span', { class: 'result-camera', text: camera }),
      el('span', { class: 'result-what', text: what }));
    item.addEventListener('click', () => this.onOpen(camera, at));
    return item;
  }
}
