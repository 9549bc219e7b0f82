// The video wall: a layout of tiles, each showing one camera live or in archive, all on the window's one
// StreamConnection. A tile narrower than 640 px plays the camera's sub stream, a wider one (or one in full window)
// the main stream. A tile that cannot be seen (other tab, minimised window, hidden by a full-window tile, scrolled
// out) closes its channel and opens it again when seen. In synchronised mode every tile shows the same wall time.
//
// For testers: each tile element carries data-camera and data-state (empty, connecting, live, archive, lost,
// forbidden, buffering); window.vigieStats() gives per tile the frames decoded and dropped and the live delay.

import { el, clear } from './dom.js';
import { t, formatTime } from './i18n.js';
import { LAYOUTS } from './layouts.js';
import { TilePlayer } from './player.js';

export const SUB_BELOW_PX = 640;
const HIDDEN_CLOSE_MS = 500;     // a tile hidden this long closes its channel
const TICK_MS = 250;
const SYNC_TOLERANCE_MS = 120;   // synchronised mode: a tile further ahead than this waits for the others

class Tile {
  constructor(wall, index) {
    this.wall = wall;
    this.index = index;
    this.camera = null;
    this.archive = null;          // null when live; else {from (ms), rate, paused}
    this.state = 'empty';
    this.message = '';
    this.visible = true;
    this.hideTimer = null;
    this.syncHeld = false;
    this.lastSeek = null;         // {to, firstFrame} of the last seek (ms)
    this.stream = null;
    this.el = el('div', { class: 'tile', dataset: { camera: '', state: 'empty', index: String(index) }, tabindex: '0' });
    this.label = el('div', { class: 'tile-label' });
    this.badge = el('div', { class: 'tile-state' });
    this.tools = el('div', { class: 'tile-tools' });
    this.overlay = el('div', { class: 'tile-overlay' }); // drawn over the video (privacy masks go here)
    this.player = new TilePlayer(this.el, wall.conn, (kind, detail, feed) => this.onFeed(kind, detail, feed));
    this.el.append(this.overlay, this.label, this.badge, this.tools);
    this.el.addEventListener('click', () => wall.select(this));
    this.el.addEventListener('dblclick', () => wall.toggleFull(this));
    this.el.addEventListener('dragover', (e) => {
      if (e.dataTransfer.types.includes('text/x-vigie-camera')) {
        e.preventDefault();
        this.el.classList.add('drop');
      }
    });
    this.el.addEventListener('dragleave', () => this.el.classList.remove('drop'));
    this.el.addEventListener('drop', (e) => {
      e.preventDefault();
      this.el.classList.remove('drop');
      const id = e.dataTransfer.getData('text/x-vigie-camera');
      if (id) wall.assign(this, id);
    });
    this.render();
  }

  info() {
    return this.camera ? this.wall.cameraInfo(this.camera) : null;
  }

  wantedStream() {
    const info = this.info();
    const streams = info && info.streams ? info.streams : ['main'];
    const narrow = this.el.clientWidth < SUB_BELOW_PX;
    return narrow && streams.includes('sub') ? 'sub' : 'main';
  }

  spec() {
    const s = { camera: this.camera, stream: this.wantedStream(), mode: this.archive ? 'archive' : 'live' };
    if (this.archive) {
      s.from = this.archive.from;
      s.rate = this.archive.rate;
    }
    return s;
  }

  setCamera(id) {
    if (this.camera === id) return;
    this.player.stop();
    this.camera = id || null;
    this.archive = this.wall.sync.on && this.camera ? { from: this.wall.syncPosition(), rate: this.wall.sync.rate } : null;
    this.lastSeek = null;
    this.setState(this.camera ? 'connecting' : 'empty');
    this.render();
    this.start();
  }

  // Opens (or replaces, without a black frame) the channel the tile should have now.
  start() {
    if (!this.camera || this.state === 'forbidden' || !this.visible || this.wall.hidden) return;
    const spec = this.spec();
    this.stream = spec.stream;
    if (!this.player.feed) this.setState('connecting');
    this.player.show(spec);
  }

  suspend() {
    if (this.archive) {
      const pos = this.position();
      if (pos) this.archive.from = pos;
    }
    this.player.stop();
    this.syncHeld = false;
    if (this.camera && this.state !== 'forbidden') this.setState('connecting');
  }

  setVisible(visible) {
    if (visible === this.visible) return;
    clearTimeout(this.hideTimer);
    if (visible) {
      this.visible = true;
      if (!this.player.feed) this.start();
    } else {
      this.hideTimer = setTimeout(() => {
        this.visible = false;
        this.suspend();
      }, HIDDEN_CLOSE_MS);
    }
  }

  // The tile was resized: change stream if the size asks for another one.
  resized() {
    if (this.player.feed && this.camera && this.wantedStream() !== this.stream) this.start();
  }

  onFeed(kind, detail, feed) {
    switch (kind) {
      case 'opened':
        if (this.state === 'lost' || this.state === 'forbidden') this.message = '';
        break;
      case 'frame':
        if (feed.desc.mode === 'live') this.setState('live');
        else this.setState('archive');
        if (this.lastSeek && this.lastSeek.firstFrame === null && feed.firstAfterSeek !== null) {
          this.lastSeek.firstFrame = feed.firstAfterSeek;
        }
        break;
      case 'swapped':
        this.setState(feed.desc.mode === 'live' ? 'live' : 'archive');
        break;
      case 'live':
        this.archive = null;
        this.setState('live');
        break;
      case 'state':
        this.setState(detail);
        break;
      case 'error':
        if (detail.masks) {
          // the privacy masks could not be read: nothing of the camera is shown (fail closed)
          this.message = t('tile.masks');
          this.player.stop();
          this.setState('forbidden');
        } else if (detail.status === 403) {
          this.message = t('tile.forbidden');
          this.player.stop();
          this.setState('forbidden');
        } else if (detail.status === 404) {
          this.message = t('tile.unknown');
          this.player.stop();
          this.setState('lost');
        } else if (detail.status !== 400) {
          this.message = detail.message || '';
          this.setState('lost');
        }
        break;
      case 'ended':
        this.message = t('tile.ended');
        this.render();
        break;
      default:
    }
  }

  tick() {
    this.player.tick();
    const feed = this.player.feed;
    if (!feed || this.state === 'forbidden') return;
    if (feed.stale()) {
      if (this.state !== 'lost') {
        this.message = t('tile.lost');
        this.setState('lost');
      }
    } else if ((this.state === 'live' || this.state === 'archive' || this.state === 'buffering')) {
      const v = feed.video;
      const waiting = !feed.paused && !this.syncHeld && v.readyState < 3 && feed.times.length > 0;
      const next = waiting ? 'buffering' : (feed.desc.mode === 'live' ? 'live' : 'archive');
      if (next !== this.state) {
        this.message = '';
        this.setState(next);
      }
    }
    this.renderTime();
  }

  setState(s) {
    if (s !== 'lost' && s !== 'forbidden' && s !== 'connecting') this.message = '';
    this.state = s;
    this.el.dataset.state = s;
    this.render();
  }

  position() {
    return this.player.feed ? this.player.feed.position() : null;
  }

  // ---- archive ----

  goArchive(from, rate = 1) {
    if (!this.camera || this.state === 'forbidden') return;
    this.archive = { from, rate, paused: false };
    this.lastSeek = { to: from, firstFrame: null };
    this.start();
  }

  goLive() {
    if (!this.camera || !this.archive) return;
    this.archive = null;
    this.lastSeek = null;
    this.start();
  }

  seek(to) {
    if (!this.archive || !this.player.feed || this.player.feed.desc.mode !== 'archive') {
      this.goArchive(to, this.archive ? this.archive.rate : 1);
      return;
    }
    this.archive.from = to;
    this.lastSeek = { to, firstFrame: null };
    this.player.feed.firstAfterSeek = null;
    this.player.feed.command('seek', { to: new Date(to).toISOString() });
  }

  pause(paused) {
    if (!this.archive || !this.player.feed) return;
    this.archive.paused = paused;
    this.player.feed.command(paused ? 'pause' : 'resume');
    const v = this.player.video();
    if (paused) v.pause(); else v.play().catch(() => {});
  }

  step() {
    if (!this.archive || !this.player.feed) return;
    if (!this.archive.paused) this.pause(true);
    this.player.feed.command('step');
  }

  speed(rate) {
    if (!this.archive || !this.player.feed) return;
    this.archive.rate = rate;
    this.player.feed.command('speed', { rate });
  }

  // ---- drawing ----

  render() {
    const info = this.info();
    this.el.dataset.camera = this.camera || '';
    this.label.textContent = this.camera ? (info && info.name ? `${info.name} · ${this.camera}` : this.camera) : '';
    const stateText = this.state === 'empty' ? t('tile.empty') : t(`state.${this.state}`);
    this.badge.textContent = this.message ? `${stateText} — ${this.message}` : stateText;
    this.badge.className = `tile-state state-${this.state}`;
    this.renderTime();
  }

  renderTime() {
    if (this.state === 'archive' || (this.archive && this.state === 'buffering')) {
      const pos = this.position();
      const rate = this.archive && this.archive.rate !== 1 ? ` ×${this.archive.rate}` : '';
      const paused = this.archive && this.archive.paused ? ` ${t('archive.paused')}` : '';
      const text = `${t('state.archive')} ${pos ? formatTime(pos) : ''}${rate}${paused}`;
      if (this.badge.textContent !== text) this.badge.textContent = text;
    }
  }

  stats() {
    const q = this.player.quality();
    const feed = this.player.feed;
    const pos = this.position();
    return {
      index: this.index,
      camera: this.camera,
      state: this.state,
      stream: feed ? feed.desc.stream : null,
      mode: feed ? feed.desc.mode : null,
      framesDecoded: q.decoded,
      framesDropped: q.dropped,
      liveDelayMs: feed && feed.desc.mode === 'live' && pos !== null ? Date.now() - pos : null,
      position: pos !== null ? new Date(pos).toISOString() : null,
      seekTo: this.lastSeek ? new Date(this.lastSeek.to).toISOString() : null,
      firstFrameAfterSeek: this.lastSeek && this.lastSeek.firstFrame !== null
        ? new Date(this.lastSeek.firstFrame).toISOString() : null,
    };
  }

  destroy() {
    clearTimeout(this.hideTimer);
    this.player.stop();
    this.el.remove();
  }
}

export class Wall {
  // cameraInfo(id) -> {id, name, group, streams, ptz, ...} or undefined; onChange() after tiles or layout change;
  // onSelect(tile) when the selected tile changes; decorate(tile) adds the tile's tools (PTZ...).
  constructor(conn, { cameraInfo, onChange, onSelect, decorate }) {
    this.conn = conn;
    this.cameraInfo = cameraInfo;
    this.onChange = onChange || (() => {});
    this.onSelect = onSelect || (() => {});
    this.decorate = decorate || (() => {});
    this.el = el('div', { class: 'wall', id: 'wall' });
    this.tiles = [];
    this.layout = '2x2';
    this.selected = null;
    this.full = null;
    this.hidden = document.visibilityState === 'hidden';
    this.sync = { on: false, rate: 1, paused: false, anchor: null };
    this.intersection = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const tile = this.tiles.find((x) => x.el === e.target);
        if (tile) tile.setVisible(e.isIntersecting);
      }
    });
    let resizeTimer = null;
    this.resize = new ResizeObserver(() => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => this.tiles.forEach((x) => x.resized()), 300);
    });
    this.onVisibility = () => {
      const hidden = document.visibilityState === 'hidden';
      if (hidden === this.hidden) return;
      this.hidden = hidden;
      for (const tile of this.tiles) {
        if (hidden) tile.suspend(); else if (tile.visible) tile.start();
      }
    };
    document.addEventListener('visibilitychange', this.onVisibility);
    this.onKey = (e) => {
      if (e.key === 'Escape' && this.full) this.toggleFull(this.full);
    };
    document.addEventListener('keydown', this.onKey);
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  // Sets the layout and the cameras of its tiles (extra cameras dropped, missing ones empty).
  setLayout(layout, cameras = null) {
    if (!LAYOUTS[layout]) layout = '2x2';
    const keep = cameras || this.tiles.map((x) => x.camera);
    this.tiles.forEach((x) => {
      this.intersection.unobserve(x.el);
      this.resize.unobserve(x.el);
      x.destroy();
    });
    this.full = null;
    this.el.classList.remove('has-full');
    clear(this.el);
    this.layout = layout;
    const def = LAYOUTS[layout];
    this.el.style.gridTemplateColumns = `repeat(${def.cols}, 1fr)`;
    this.el.style.gridTemplateRows = `repeat(${def.rows}, 1fr)`;
    this.el.dataset.layout = layout;
    this.tiles = def.areas.map(([r, c, rs, cs], i) => {
      const tile = new Tile(this, i);
      tile.el.style.gridArea = `${r} / ${c} / span ${rs} / span ${cs}`;
      this.el.append(tile.el);
      this.decorate(tile);
      return tile;
    });
    // cameras are set once the tiles have their size, so that each picks the right stream
    requestAnimationFrame(() => {
      this.tiles.forEach((tile, i) => {
        this.intersection.observe(tile.el);
        this.resize.observe(tile.el);
        tile.setCamera(keep[i] || null);
      });
      this.select(this.tiles[0]);
      this.onChange();
    });
  }

  cameras() {
    return this.tiles.map((x) => x.camera);
  }

  assign(tile, camera) {
    // a camera already on the wall moves to the new tile
    const other = this.tiles.find((x) => x !== tile && x.camera === camera);
    if (other) other.setCamera(tile.camera);
    tile.setCamera(camera);
    this.select(tile);
    this.onChange();
  }

  // A camera picked in the tree: into the selected tile if empty, else the first empty one, else the selected one.
  place(camera) {
    const target = (this.selected && !this.selected.camera) ? this.selected
      : (this.tiles.find((x) => !x.camera) || this.selected || this.tiles[0]);
    this.assign(target, camera);
  }

  clearTile(tile) {
    tile.setCamera(null);
    this.onChange();
  }

  select(tile) {
    if (this.selected === tile) return;
    if (this.selected) this.selected.el.classList.remove('selected');
    this.selected = tile;
    if (tile) tile.el.classList.add('selected');
    this.onSelect(tile);
  }

  toggleFull(tile) {
    if (this.full === tile) {
      tile.el.classList.remove('full');
      this.el.classList.remove('has-full');
      this.full = null;
    } else {
      if (this.full) this.full.el.classList.remove('full');
      this.full = tile;
      tile.el.classList.add('full');
      this.el.classList.add('has-full');
      this.select(tile);
    }
  }

  // ---- archive and synchronised mode ----

  setSync(on) {
    this.sync.on = on;
    this.el.classList.toggle('synchronised', on);
    if (on) {
      const base = (this.selected && this.selected.position()) || Date.now() - 60_000;
      this.seek(base);
    } else {
      this.tiles.forEach((x) => {
        if (x.syncHeld) {
          x.syncHeld = false;
          x.player.video().play().catch(() => {});
        }
      });
    }
  }

  // The time the synchronised tiles show (the one furthest behind leads: the others wait for it).
  syncPosition() {
    const positions = this.syncedTiles().map((x) => x.position()).filter((p) => p !== null);
    if (positions.length === 0) return this.sync.anchor || Date.now() - 60_000;
    return Math.min(...positions);
  }

  syncedTiles() {
    return this.tiles.filter((x) => x.camera && x.archive && x.state !== 'forbidden' && x.player.feed);
  }

  targets() {
    if (this.sync.on) return this.tiles.filter((x) => x.camera && x.state !== 'forbidden');
    return this.selected && this.selected.camera ? [this.selected] : [];
  }

  seek(to) {
    if (this.sync.on) this.sync.anchor = to;
    this.targets().forEach((x) => {
      if (x.archive) x.seek(to); else x.goArchive(to, this.sync.on ? this.sync.rate : 1);
    });
  }

  live() {
    this.targets().forEach((x) => x.goLive());
    if (this.sync.on) this.setSync(false);
  }

  pause(paused) {
    this.sync.paused = paused;
    this.targets().forEach((x) => x.pause(paused));
  }

  step() {
    this.targets().forEach((x) => x.step());
  }

  speed(rate) {
    this.sync.rate = rate;
    this.targets().forEach((x) => x.speed(rate));
  }

  // Keeps synchronised tiles together: a tile ahead of the slowest one by more than the tolerance waits. Checked on
  // every tick against the video each tile shows now, not a remembered flag: a tile switching from live to archive
  // shows a new video element (prepared behind the old one), which plays on its own even if the old one was held.
  // Only archive pictures count: the live picture a tile shows until its archive feed has one is not the wall time.
  keepInSync() {
    if (!this.sync.on || this.sync.paused) return;
    const synced = this.syncedTiles();
    const tiles = synced.filter((x) => x.player.feed.desc.mode === 'archive' && !x.player.feed.stale()
      && x.position() !== null && performance.now() - x.player.feed.lastFrameAt < 2000);
    const lead = tiles.length >= 2 ? Math.min(...tiles.map((x) => x.position())) : null;
    for (const x of synced) {
      const v = x.player.video();
      const ahead = lead !== null && tiles.includes(x) ? x.position() - lead : 0;
      if (ahead > SYNC_TOLERANCE_MS * (x.archive.rate || 1)) {
        x.syncHeld = true;
        if (!v.paused) v.pause();
      } else if (x.syncHeld) {
        x.syncHeld = false;
        if (v.paused && !x.archive.paused) v.play().catch(() => {});
      }
    }
  }

  tick() {
    this.tiles.forEach((x) => x.tick());
    this.keepInSync();
  }

  stats() {
    return this.tiles.map((x) => x.stats());
  }

  destroy() {
    clearInterval(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
    document.removeEventListener('keydown', this.onKey);
    this.intersection.disconnect();
    this.resize.disconnect();
    this.tiles.forEach((x) => x.destroy());
    this.tiles = [];
  }
}
