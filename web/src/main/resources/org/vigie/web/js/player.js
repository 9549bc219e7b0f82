// Playing channels in video elements through Media Source Extensions.
//
// A Feed is one channel of the window's StreamConnection into one <video>: it appends the fMP4 init segment and
// fragments one at a time, maps the video's timeline to wall time (each fragment's tfdt against the wall time of
// its header), keeps the live edge (catch up by playback rate, jump when more than 1.5 s behind) and trims what
// was played. A TilePlayer shows one feed at a time on two stacked video elements, so that a new feed (sub to
// main, live to archive) is prepared behind the visible one and shown only once it has a picture: no black frame.

import { INIT_SEGMENT } from './stream.js';
import { timescale, decodeTime } from './mp4.js';
import { readMasks, drawMasks } from './masks.js';

const JUMP_BEHIND_S = 1.5;      // live: further behind the buffered edge than this, jump
// live: further than this behind the buffered edge, play faster until back. 0.3 s let a tile sit 240-250 ms behind
// live for good (vms bench wall, 20 s runs side by side: live delay p50 251/237 ms on 4x4/1x1 against 104/103 ms
// with 0.15 s, p95 281/238 against 131/103 ms, same decoded fps; the target is p95 <= 400/200 ms).
const CATCH_UP_S = 0.15;
const KEEP_BEHIND_S = 8;        // buffer kept behind the playhead
const LOST_AFTER_MS = 4000;     // live: no frame for this long, the camera is lost
const MAX_TIMES = 512;          // fragment times kept for the wall-time mapping

export class Feed {
  // spec: {camera, stream, mode, from, rate, thenLive}; listener(kind, detail) with kind in
  // opened | frame | state | error | seeked | paused | resumed | ended | live
  constructor(conn, video, spec, listener) {
    this.conn = conn;
    this.video = video;
    this.desc = { ...spec };
    this.listener = listener;
    this.id = 0;
    this.queue = [];
    this.times = []; // [mediaSeconds, wallMs]
    this.scale = 0;
    this.sb = null;
    this.mime = null;
    // an archive channel opens at a seek: its first frame is where the seek landed
    this.jumpNext = spec.mode === 'archive';
    this.lastFrameAt = 0;
    this.firstAfterSeek = null;
    this.stopped = false;
    this.paused = false;
    this.dropped = 0;
    this.carried = { decoded: 0, dropped: 0 };
    this.masks = null;              // the privacy masks in force ({version, polygons}), null until 'opened'
    this.format = null;             // {width, height} of the picture, from 'opened'
    this.attach();
    this.id = conn.open(this);
  }

  attach() {
    this.ms = new MediaSource();
    this.url = URL.createObjectURL(this.ms);
    this.video.src = this.url;
    this.sourceOpen = new Promise((resolve) => this.ms.addEventListener('sourceopen', resolve, { once: true }));
  }

  detach() {
    const q = this.quality();
    this.carried = { decoded: q.decoded, dropped: q.dropped };
    this.sb = null;
    this.queue = [];
    this.times = [];
    this.video.removeAttribute('src');
    this.video.load();
    URL.revokeObjectURL(this.url);
  }

  // The open message's fields; after a reconnection an archive channel resumes where it was.
  spec() {
    const s = { camera: this.desc.camera, stream: this.desc.stream, mode: this.desc.mode };
    if (s.mode === 'archive') {
      const pos = this.position();
      s.from = new Date(pos ?? this.desc.from).toISOString();
      s.rate = this.desc.rate || 1;
      if (this.desc.thenLive) s.thenLive = true;
    }
    return s;
  }

  // The connection was lost: start over on a fresh MediaSource (the reopened channel starts a new timeline).
  reset() {
    if (this.stopped) return;
    this.detach();
    this.attach();
    this.listener('state', 'connecting');
  }

  async event(e) {
    switch (e.event) {
      case 'opened':
      case 'format':
        if (e.event === 'opened' || e.masks !== undefined) {
          // fail closed: without masks we can draw, nothing of this channel is shown
          const masks = readMasks(e.masks);
          if (!masks) {
            this.masksUnavailable();
            return;
          }
          this.masks = masks;
        }
        this.format = { width: e.width, height: e.height };
        this.listener('masks', this.masks);
        await this.sourceOpen;
        if (this.stopped) return;
        if (!this.sb) {
          this.sb = this.ms.addSourceBuffer(e.mime);
          this.sb.addEventListener('updateend', () => this.pump());
        } else if (e.mime !== this.mime && this.sb.changeType) {
          this.sb.changeType(e.mime);
        }
        this.mime = e.mime;
        this.listener('opened', e);
        this.pump();
        break;
      case 'error':
        if (e.status === 403 || e.status === 404 || e.status === 409 || e.status === 429) this.conn.release(this.id);
        this.listener('error', e);
        break;
      case 'seeked':
        this.jumpNext = true;
        this.listener('seeked', e);
        break;
      case 'paused': // acknowledgements (docs/streaming.md): after 'paused' no frame comes until step or resume
      case 'resumed':
        this.listener(e.event, e);
        break;
      case 'ended':
        this.listener('ended', e);
        break;
      case 'live':
        this.desc.mode = 'live';
        this.desc.rate = 1;
        this.listener('live', e);
        break;
      case 'dropped':
        this.dropped = e.frames;
        break;
      case 'masks': {
        const masks = readMasks(e.masks);
        if (!masks) {
          this.masksUnavailable();
          return;
        }
        this.masks = masks;
        this.listener('masks', masks);
        break;
      }
      default:
    }
  }

  // The masks could not be read: stop, show nothing, say why.
  masksUnavailable() {
    this.masks = null;
    this.stop();
    this.listener('error', { status: 0, masks: true, message: 'privacy masks unavailable' });
  }

  media(type, wallMicros, bytes) {
    if (this.stopped || !this.masks) return; // never a picture before its masks
    if (type === INIT_SEGMENT) {
      this.scale = timescale(bytes);
      this.queue.push({ bytes });
    } else {
      const t = this.scale > 0 ? decodeTime(bytes) / this.scale : -1;
      const wall = wallMicros / 1000;
      this.queue.push({ bytes, t, wall, jump: this.jumpNext });
      if (this.jumpNext) this.firstAfterSeek = wall;
      this.jumpNext = false;
      this.lastFrameAt = performance.now();
    }
    this.pump();
  }

  pump() {
    const sb = this.sb;
    if (!sb || sb.updating || this.queue.length === 0 || this.stopped) return;
    const item = this.queue.shift();
    try {
      sb.appendBuffer(item.bytes);
    } catch (err) {
      if (err.name === 'QuotaExceededError') {
        this.queue.unshift(item);
        this.trim(1);
        return;
      }
      this.listener('error', { status: 0, message: String(err) });
      return;
    }
    if (item.t !== undefined && item.t >= 0) {
      this.times.push([item.t, item.wall]);
      if (this.times.length > MAX_TIMES) this.times.splice(0, this.times.length - MAX_TIMES);
      if (item.jump || this.times.length === 1) {
        // a seek (or the first fragment): show this key frame's picture at once
        sb.addEventListener('updateend', () => {
          if (!this.stopped) this.video.currentTime = item.t + 0.001;
        }, { once: true });
      }
      this.listener('frame', item.wall);
    }
  }

  // Keeps the live edge and the buffer small; called every few hundred ms by the player.
  tick() {
    const v = this.video;
    const b = this.sb && !this.sb.updating ? v.buffered : null;
    if (!b || b.length === 0) return;
    const end = b.end(b.length - 1);
    if (this.desc.mode === 'live') {
      const behind = end - v.currentTime;
      if (behind > JUMP_BEHIND_S) {
        v.currentTime = end - 0.05;
        v.playbackRate = 1;
      } else if (behind > CATCH_UP_S) {
        v.playbackRate = behind > 0.8 ? 1.5 : 1.15;
      } else {
        v.playbackRate = 1;
      }
      if (v.paused && !this.paused) v.play().catch(() => {});
    }
    this.trim(KEEP_BEHIND_S);
  }

  trim(keep) {
    const sb = this.sb;
    if (!sb || sb.updating) return;
    const b = sb.buffered;
    if (b.length > 0 && this.video.currentTime - b.start(0) > keep + 2) {
      sb.remove(b.start(0), this.video.currentTime - keep);
    }
  }

  // Wall time (ms) of the picture on screen, or null before the first one.
  position() {
    const times = this.times;
    if (times.length === 0) return null;
    const now = this.video.currentTime;
    let lo = 0;
    let hi = times.length - 1;
    if (now < times[0][0]) return times[0][1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid][0] <= now) lo = mid; else hi = mid - 1;
    }
    const [t, wall] = times[lo];
    const rate = this.desc.mode === 'archive' ? (this.desc.rate || 1) : 1;
    const next = times[lo + 1];
    const w = wall + (now - t) * 1000 * rate;
    return next ? Math.min(w, next[1]) : w;
  }

  // Whether frames stopped coming on a live channel.
  stale() {
    return this.desc.mode === 'live' && this.lastFrameAt > 0 && performance.now() - this.lastFrameAt > LOST_AFTER_MS;
  }

  quality() {
    const q = this.video.getVideoPlaybackQuality ? this.video.getVideoPlaybackQuality() : null;
    return {
      decoded: this.carried.decoded + (q ? q.totalVideoFrames : 0),
      dropped: this.carried.dropped + (q ? q.droppedVideoFrames : 0),
    };
  }

  hasPicture() {
    return this.video.readyState >= 2 && this.times.length > 0;
  }

  command(op, fields) {
    if (op === 'speed') this.desc.rate = fields.rate;
    if (op === 'pause') this.paused = true;
    if (op === 'resume') this.paused = false;
    this.conn.command(this.id, op, fields);
  }

  stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.conn.close(this.id);
    this.detach();
  }
}

// What one tile shows: a feed on one of two stacked video elements; a replacement is prepared on the other.
export class TilePlayer {
  constructor(container, conn, listener) {
    this.conn = conn;
    this.listener = listener; // (kind, detail, feed)
    this.videos = [0, 1].map(() => {
      const v = document.createElement('video');
      v.muted = true;
      v.playsInline = true;
      v.autoplay = true;
      v.className = 'tile-video';
      container.append(v);
      return v;
    });
    this.active = 0;
    this.feed = null;
    this.pending = null;
    this.totals = { decoded: 0, dropped: 0 };
    this.videos[1].classList.add('behind');
    // the privacy masks of the visible feed, drawn over both videos
    this.maskCanvas = document.createElement('canvas');
    this.maskCanvas.className = 'tile-masks';
    container.append(this.maskCanvas);
    this.videos.forEach((v) => v.addEventListener('resize', () => this.drawMasks()));
    if (window.ResizeObserver) {
      this.resizeObserver = new ResizeObserver(() => this.drawMasks());
      this.resizeObserver.observe(container);
    }
  }

  // Draws the visible feed's masks; if drawing fails, the videos are hidden (fail closed).
  drawMasks() {
    const f = this.feed;
    try {
      const v = f ? f.video : null;
      const w = v && v.videoWidth ? v.videoWidth : f && f.format ? f.format.width : 0;
      const h = v && v.videoHeight ? v.videoHeight : f && f.format ? f.format.height : 0;
      drawMasks(this.maskCanvas, f ? f.masks : null, w, h);
      this.videos.forEach((x) => { x.style.visibility = ''; });
    } catch (err) {
      this.videos.forEach((x) => { x.style.visibility = 'hidden'; });
    }
  }

  // Shows spec: at once when nothing is shown, else behind the current picture until the new one has a picture.
  show(spec) {
    if (this.pending) this.retire(this.pending);
    const shown = this.feed && this.feed.hasPicture();
    const slot = shown ? 1 - this.active : this.active;
    if (!shown && this.feed) this.retire(this.feed);
    const feed = new Feed(this.conn, this.videos[slot], spec, (kind, detail) => this.onFeed(feed, kind, detail));
    if (shown) {
      this.pending = feed;
    } else {
      this.feed = feed;
      this.active = slot;
      this.layer();
    }
    return feed;
  }

  onFeed(feed, kind, detail) {
    if (feed === this.pending && kind === 'frame') {
      if (!feed.promoteAsked) {
        feed.promoteAsked = performance.now();
        const v = feed.video;
        if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(() => this.promote(feed));
        else v.addEventListener('playing', () => this.promote(feed), { once: true });
      }
      return;
    }
    if (feed !== this.feed && feed !== this.pending) return;
    if (kind === 'masks') {
      if (feed === this.feed) this.drawMasks();
      return;
    }
    this.listener(kind, detail, feed);
  }

  // The prepared feed has a picture: it becomes the visible one and the old one stops.
  promote(feed) {
    if (this.pending !== feed) return;
    const old = this.feed;
    this.feed = feed;
    this.pending = null;
    this.active = this.videos.indexOf(feed.video);
    this.drawMasks();
    this.layer();
    if (old) this.retire(old);
    this.listener('swapped', null, feed);
  }

  layer() {
    this.videos.forEach((v, i) => v.classList.toggle('behind', i !== this.active));
  }

  retire(feed) {
    const q = feed.quality();
    feed.stop();
    this.totals.decoded += q.decoded;
    this.totals.dropped += q.dropped;
    if (feed === this.pending) this.pending = null;
    if (feed === this.feed) {
      this.feed = null;
      this.drawMasks();
    }
  }

  stop() {
    if (this.pending) this.retire(this.pending);
    if (this.feed) this.retire(this.feed);
  }

  tick() {
    if (this.feed) this.feed.tick();
    this.drawMasks();
    const p = this.pending;
    if (p) {
      p.tick();
      // no frame callback from a covered video (some browsers): promote once it has had a picture for 1 s
      if (p.promoteAsked && p.hasPicture() && performance.now() - p.promoteAsked > 1000) this.promote(p);
    }
  }

  quality() {
    const out = { ...this.totals };
    for (const f of [this.feed, this.pending]) {
      if (!f) continue;
      const q = f.quality();
      out.decoded += q.decoded;
      out.dropped += q.dropped;
    }
    return out;
  }

  video() {
    return this.videos[this.active];
  }
}
