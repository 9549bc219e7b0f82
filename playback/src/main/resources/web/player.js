// Vigie minimal player: one live channel of /api/v1/stream into Media Source Extensions.
// Protocol: docs/streaming.md. Binary message = 13-byte header (type u8, channel u32, wall time i64) + fMP4 bytes.
'use strict';

const HEADER_BYTES = 13;
const INIT_SEGMENT = 1;
const FRAGMENT = 2;
const CHANNEL = 1;

const video = document.getElementById('video');
const statusLine = document.getElementById('status');

function status(text) {
  statusLine.textContent = text;
}

async function login(username, password) {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error('login failed: ' + res.status);
  return (await res.json()).token;
}

// One SourceBuffer fed through a queue: appendBuffer accepts one buffer at a time.
class Feeder {
  constructor(mediaSource, mime) {
    this.sb = mediaSource.addSourceBuffer(mime);
    this.queue = [];
    this.sb.addEventListener('updateend', () => this.pump());
  }
  push(bytes) {
    this.queue.push(bytes);
    this.pump();
  }
  pump() {
    if (this.sb.updating || this.queue.length === 0) return;
    const b = this.sb.buffered;
    // Keep the live edge: drop what lies more than 30 s behind, jump forward when more than 2 s late.
    if (b.length > 0 && video.currentTime - b.start(0) > 30) {
      this.sb.remove(b.start(0), video.currentTime - 10);
      return;
    }
    if (b.length > 0 && b.end(b.length - 1) - video.currentTime > 2) {
      video.currentTime = b.end(b.length - 1) - 0.3;
    }
    try {
      this.sb.appendBuffer(this.queue.shift());
    } catch (e) {
      status('append failed: ' + e);
    }
  }
}

function play(token, camera, stream) {
  const mediaSource = new MediaSource();
  video.src = URL.createObjectURL(mediaSource);
  mediaSource.addEventListener('sourceopen', () => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // Browsers cannot set Authorization on a WebSocket: the token travels as a second subprotocol.
    const ws = new WebSocket(scheme + '//' + location.host + '/api/v1/stream', ['vigie.stream.v1', 'bearer.' + token]);
    ws.binaryType = 'arraybuffer';
    let feeder = null;
    const early = [];
    let fragments = 0;
    ws.onopen = () => {
      ws.send(JSON.stringify({ op: 'open', channel: CHANNEL, camera, stream, mode: 'live' }));
      status('connected, opening ' + camera + '/' + stream);
    };
    ws.onmessage = (m) => {
      if (typeof m.data === 'string') {
        const e = JSON.parse(m.data);
        if (e.event === 'opened' && e.channel === CHANNEL) {
          feeder = new Feeder(mediaSource, e.mime);
          early.forEach((b) => feeder.push(b));
          early.length = 0;
          status('playing ' + e.camera + '/' + e.stream + ' ' + e.codec + ' ' + e.width + 'x' + e.height);
        } else if (e.event === 'error') {
          status('error ' + e.status + ': ' + e.message);
        } else if (e.event === 'dropped') {
          status('slow link: ' + e.frames + ' frame(s) dropped');
        }
        return;
      }
      const view = new DataView(m.data);
      if (view.getUint32(1) !== CHANNEL) return;
      const type = view.getUint8(0);
      if (type !== INIT_SEGMENT && type !== FRAGMENT) return;
      const payload = new Uint8Array(m.data, HEADER_BYTES);
      if (feeder) feeder.push(payload); else early.push(payload);
      if (type === FRAGMENT && ++fragments === 1) video.play().catch(() => {});
    };
    ws.onclose = (e) => status('closed (' + e.code + ') ' + e.reason);
  });
}

document.getElementById('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const token = await login(document.getElementById('username').value, document.getElementById('password').value);
    play(token, document.getElementById('camera').value, document.getElementById('stream').value);
  } catch (e) {
    status(String(e));
  }
});

// For automated checks: frames decoded so far.
window.vigieDecodedFrames = () => (video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality().totalVideoFrames : -1);
