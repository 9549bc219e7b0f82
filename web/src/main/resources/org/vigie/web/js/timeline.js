// The archive timeline of a camera: recorded spans, gaps, events and bookmarks (GET cameras/{id}/recordings),
// zoomable from one minute to 30 days (wheel or buttons), panned by dragging; a click seeks there, dragging the
// playhead seeks where it is released; shift-drag marks a window (for an export). Drawn on a canvas.

import { el } from './dom.js';
import { t, formatTime, currentLanguage } from './i18n.js';
import { query } from './api.js';

export const MIN_SPAN_MS = 60_000;
export const MAX_SPAN_MS = 30 * 86_400_000;
const FETCH_LIMIT_MS = 31 * 86_400_000;
const STEPS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400]
  .map((s) => s * 1000);

export class Timeline {
  // onSeek(ms), onMark({from, to})
  constructor(api, { onSeek, onMark }) {
    this.api = api;
    this.onSeek = onSeek;
    this.onMark = onMark || (() => {});
    this.camera = null;
    this.span = 3_600_000;
    this.end = Date.now() + this.span * 0.1;
    this.cursor = null;
    this.mark = null; // {from, to}
    this.data = null; // the recordings answer
    this.fetched = null; // {camera, from, to}
    this.follow = true; // the view follows the cursor (or now)
    this.canvas = el('canvas', { class: 'timeline-canvas', 'aria-label': t('timeline.label') });
    this.tip = el('div', { class: 'timeline-tip' });
    this.el = el('div', { class: 'timeline', id: 'timeline' }, this.canvas, this.tip);
    this.wire();
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(this.el);
    this.refresher = setInterval(() => this.refresh(false), 10_000);
  }

  start() {
    return this.end - this.span;
  }

  timeAt(x) {
    return this.start() + (x / this.canvas.clientWidth) * this.span;
  }

  xOf(ms) {
    return ((ms - this.start()) / this.span) * this.canvas.clientWidth;
  }

  setCamera(camera) {
    if (camera === this.camera) return;
    this.camera = camera;
    this.data = null;
    this.fetched = null;
    this.refresh(true);
  }

  setCursor(ms) {
    this.cursor = ms;
    if (this.follow && ms !== null && !this.dragging) {
      const start = this.start();
      if (ms > this.end - this.span * 0.05 || ms < start) this.end = ms + this.span * 0.5;
    }
    this.draw();
  }

  setMark(mark) {
    this.mark = mark;
    this.draw();
  }

  zoom(factor, atMs = null) {
    const at = atMs ?? (this.cursor ?? this.end - this.span / 2);
    const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, this.span * factor));
    const ratio = (at - this.start()) / this.span;
    this.end = at + span * (1 - ratio);
    this.span = span;
    this.refresh(false);
    this.draw();
  }

  async refresh(force) {
    if (!this.camera) {
      this.draw();
      return;
    }
    const margin = Math.min(this.span, (FETCH_LIMIT_MS - this.span) / 2);
    const now = Date.now();
    const from = Math.max(this.start() - margin, now - FETCH_LIMIT_MS + 60_000);
    const to = Math.min(this.end + margin, now);
    if (to <= from) return;
    const f = this.fetched;
    const covered = f && f.camera === this.camera && f.from <= this.start() && f.to >= Math.min(this.end, now - 5000);
    if (covered && !force && now - f.at < 10_000) return;
    const camera = this.camera;
    try {
      const data = await this.api.get(`cameras/${encodeURIComponent(camera)}/recordings${query({
        from: new Date(from).toISOString(), to: new Date(to).toISOString() })}`);
      if (camera !== this.camera) return;
      this.data = data;
      this.fetched = { camera, from, to, at: Date.now() };
    } catch (e) {
      if (camera !== this.camera) return;
      this.data = { error: e.status === 403 ? t('timeline.forbidden') : e.message };
    }
    this.draw();
  }

  wire() {
    const c = this.canvas;
    let down = null;
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      this.follow = false;
      this.zoom(e.deltaY > 0 ? 1.25 : 0.8, this.timeAt(e.offsetX));
    }, { passive: false });
    c.addEventListener('pointerdown', (e) => {
      c.setPointerCapture(e.pointerId);
      const nearCursor = this.cursor !== null && Math.abs(this.xOf(this.cursor) - e.offsetX) < 6;
      down = { x: e.offsetX, end: this.end, moved: false, kind: e.shiftKey ? 'mark' : nearCursor ? 'scrub' : 'pan' };
      this.dragging = true;
    });
    c.addEventListener('pointermove', (e) => {
      this.tip.textContent = formatTime(this.timeAt(e.offsetX));
      this.tip.style.left = `${Math.min(e.offsetX, c.clientWidth - 140)}px`;
      if (!down) return;
      const dx = e.offsetX - down.x;
      if (Math.abs(dx) > 3) down.moved = true;
      if (!down.moved) return;
      if (down.kind === 'pan') {
        this.follow = false;
        this.end = down.end - (dx / c.clientWidth) * this.span;
      } else if (down.kind === 'scrub') {
        this.cursor = Math.min(Date.now(), this.timeAt(e.offsetX));
      } else {
        const a = this.timeAt(down.x);
        const b = this.timeAt(e.offsetX);
        this.mark = { from: Math.min(a, b), to: Math.max(a, b) };
      }
      this.draw();
    });
    const up = (e) => {
      if (!down) return;
      const d = down;
      down = null;
      this.dragging = false;
      if (d.kind === 'pan' && d.moved) {
        this.refresh(false);
      } else if (d.kind === 'mark' && d.moved) {
        this.onMark(this.mark);
      } else {
        const at = d.kind === 'scrub' && d.moved ? this.cursor : this.timeAt(e.offsetX);
        if (at < Date.now()) {
          this.follow = true;
          this.onSeek(at);
        }
      }
    };
    c.addEventListener('pointerup', up);
    c.addEventListener('pointercancel', () => {
      down = null;
      this.dragging = false;
    });
    c.addEventListener('pointerleave', () => { this.tip.textContent = ''; });
  }

  draw() {
    const c = this.canvas;
    const w = c.clientWidth;
    const h = c.clientHeight;
    if (w === 0 || h === 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const css = getComputedStyle(this.el);
    const color = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    g.fillStyle = color('--tl-bg', '#111');
    g.fillRect(0, 0, w, h);
    const band = { y: 18, h: h - 34 };
    // gaps first, spans over them
    g.fillStyle = color('--tl-gap', '#2a2a2a');
    g.fillRect(0, band.y, w, band.h);
    const d = this.data;
    if (d && d.spans) {
      g.fillStyle = color('--tl-span', '#2e7d32');
      for (const s of d.spans) {
        const x0 = Math.max(0, this.xOf(Date.parse(s.start)));
        const x1 = Math.min(w, this.xOf(Date.parse(s.end)));
        if (x1 > x0) g.fillRect(x0, band.y, Math.max(1, x1 - x0), band.h);
      }
      g.fillStyle = color('--tl-event', '#f9a825');
      for (const e of d.events || []) {
        const x = this.xOf(Date.parse(e.time));
        if (x < 0 || x > w) continue;
        g.fillRect(x - 1, band.y, 2, band.h / 2);
        if (e.type === 'tamper') g.fillRect(x - 3, band.y, 6, 4);
      }
      g.fillStyle = color('--tl-bookmark', '#42a5f5');
      for (const b of d.bookmarks || []) {
        const x0 = this.xOf(Date.parse(b.time));
        const x1 = this.xOf(Date.parse(b.time) + (b.durationSeconds || 0) * 1000);
        if (x1 < 0 || x0 > w) continue;
        g.fillRect(x0, band.y + band.h / 2, Math.max(3, x1 - x0), band.h / 2);
      }
    }
    if (this.mark) {
      g.fillStyle = color('--tl-mark', 'rgba(255,255,255,0.18)');
      const x0 = this.xOf(this.mark.from);
      const x1 = this.xOf(this.mark.to);
      g.fillRect(x0, 0, Math.max(2, x1 - x0), h);
    }
    // ticks and labels
    const step = STEPS.find((s) => (s / this.span) * w >= 90) || STEPS[STEPS.length - 1];
    const offset = new Date().getTimezoneOffset() * 60_000;
    g.fillStyle = color('--tl-text', '#bbb');
    g.strokeStyle = color('--tl-tick', '#555');
    g.font = '11px sans-serif';
    const first = Math.ceil((this.start() - offset) / step) * step + offset;
    const withDate = step >= 3600_000 || this.span > 86_400_000;
    const fmt = new Intl.DateTimeFormat(currentLanguage(), withDate
      ? { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }
      : { hour: '2-digit', minute: '2-digit', second: step < 60_000 ? '2-digit' : undefined, hour12: false });
    for (let ms = first; ms < this.end; ms += step) {
      const x = Math.round(this.xOf(ms)) + 0.5;
      g.beginPath();
      g.moveTo(x, 12);
      g.lineTo(x, 18);
      g.stroke();
      g.fillText(fmt.format(new Date(ms)), x + 2, 10);
    }
    // now and the playhead
    const nowX = this.xOf(Date.now());
    if (nowX >= 0 && nowX <= w) {
      g.fillStyle = color('--tl-now', '#e53935');
      g.fillRect(nowX - 1, 12, 2, h - 12);
    }
    if (this.cursor !== null) {
      const x = this.xOf(this.cursor);
      g.fillStyle = color('--tl-cursor', '#fff');
      g.fillRect(x - 1, 0, 2, h);
      g.beginPath();
      g.moveTo(x - 5, 0);
      g.lineTo(x + 5, 0);
      g.lineTo(x, 7);
      g.fill();
    }
    g.fillStyle = color('--tl-text', '#bbb');
    const status = d && d.error ? d.error : this.camera ? '' : t('timeline.none');
    g.fillText(status || `${t('timeline.span')} ${this.spanLabel()}`, 4, h - 4);
  }

  spanLabel() {
    const m = this.span / 60_000;
    if (m < 120) return t('timeline.minutes', { n: Math.round(m) });
    if (m < 2880) return t('timeline.hours', { n: Math.round(m / 60) });
    return t('timeline.days', { n: Math.round(m / 1440) });
  }

  destroy() {
    clearInterval(this.refresher);
    this.resizeObserver.disconnect();
  }
}
