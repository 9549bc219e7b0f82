// One WebSocket per window for every tile (docs/streaming.md): channels are multiplexed on it. After a network
// loss the connection is opened again with backoff (0.5 s doubling to 8 s, with jitter) and every channel is
// opened again; a close with 1008 means the credentials are no longer valid: the session ends.

const HEADER_BYTES = 13;
export const INIT_SEGMENT = 1;
export const FRAGMENT = 2;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 8000;

// A channel's owner implements: spec() -> the 'open' message fields (camera, stream, mode, from, rate, thenLive),
// event(e) for text events, media(type, wallMicros, bytes) for binary ones, and reset() when the connection was
// lost (its channel will be opened again with a fresh spec()).
export class StreamConnection {
  constructor(token, { onUnauthorized, onStateChange } = {}) {
    this.token = token;
    this.onUnauthorized = onUnauthorized || (() => {});
    this.onStateChange = onStateChange || (() => {});
    this.ws = null;
    this.channels = new Map(); // id -> owner
    this.nextId = 1;
    this.backoff = BACKOFF_MIN_MS;
    this.timer = null;
    this.closed = false;
    this.opened = 0; // WebSocket objects created (tests: a wall of 16 tiles uses one)
    this.state = 'idle';
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.onStateChange(s);
  }

  connect() {
    if (this.closed || this.ws) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // Browsers cannot set Authorization on a WebSocket: the token travels as a second subprotocol. The page draws
    // privacy masks itself (vigie.masks.client; the server trusts it for its own origin only).
    const ws = new WebSocket(`${scheme}//${location.host}/api/v1/stream`,
      ['vigie.stream.v1', 'vigie.masks.client', `bearer.${this.token()}`]);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.opened++;
    this.setState('connecting');
    ws.onopen = () => {
      this.backoff = BACKOFF_MIN_MS;
      this.setState('open');
      for (const [id, owner] of this.channels) this.sendOpen(id, owner);
    };
    ws.onmessage = (m) => this.receive(m.data);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed) return;
      if (e.code === 1008) {
        this.setState('unauthorized');
        this.onUnauthorized();
        return;
      }
      this.setState('reconnecting');
      for (const owner of this.channels.values()) owner.reset();
      this.scheduleReconnect();
    };
  }

  scheduleReconnect() {
    clearTimeout(this.timer);
    const delay = this.backoff * (0.75 + Math.random() * 0.5);
    this.backoff = Math.min(BACKOFF_MAX_MS, this.backoff * 2);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  // The browser says the network is back: try at once instead of waiting for the backoff.
  nudge() {
    if (!this.ws && !this.closed && this.channels.size > 0) {
      clearTimeout(this.timer);
      this.connect();
    }
  }

  open(owner) {
    const id = this.nextId++;
    this.channels.set(id, owner);
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.sendOpen(id, owner);
    else this.connect();
    return id;
  }

  sendOpen(id, owner) {
    this.send({ op: 'open', channel: id, ...owner.spec() });
  }

  close(id) {
    if (!this.channels.delete(id)) return;
    this.send({ op: 'close', channel: id });
  }

  // Forgets a channel the server refused or ended (error 403/404...): nothing to close.
  release(id) {
    this.channels.delete(id);
  }

  command(id, op, fields = {}) {
    if (this.channels.has(id)) this.send({ op, channel: id, ...fields });
  }

  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  receive(data) {
    if (typeof data === 'string') {
      let e;
      try {
        e = JSON.parse(data);
      } catch {
        return;
      }
      const owner = this.channels.get(e.channel);
      if (owner) owner.event(e);
      return;
    }
    if (data.byteLength < HEADER_BYTES) return;
    const view = new DataView(data);
    const type = view.getUint8(0);
    const owner = this.channels.get(view.getUint32(1));
    if (!owner || (type !== INIT_SEGMENT && type !== FRAGMENT)) return;
    owner.media(type, Number(view.getBigInt64(5)), new Uint8Array(data, HEADER_BYTES));
  }

  shutdown() {
    this.closed = true;
    clearTimeout(this.timer);
    this.channels.clear();
    if (this.ws) this.ws.close(1000);
    this.ws = null;
  }
}
