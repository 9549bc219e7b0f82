// The REST API (docs/api.md) with the session's bearer token. The token is kept for this tab only
// (sessionStorage): another tab signs in on its own, and closing the tab forgets it.

const TOKEN = 'vigie.token';
const EXPIRES = 'vigie.expires';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class Api {
  // onSignedOut(reason) is called once when the server no longer accepts the token (expired, revoked, user
  // disabled) or when it expires on the clock.
  constructor(onSignedOut) {
    this.onSignedOut = onSignedOut;
    this.expiryTimer = null;
    this.armExpiry();
  }

  token() {
    return sessionStorage.getItem(TOKEN);
  }

  signedIn() {
    return this.token() !== null;
  }

  async login(username, password) {
    const res = await fetch('api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, body.error || String(res.status));
    sessionStorage.setItem(TOKEN, body.token);
    sessionStorage.setItem(EXPIRES, body.expires);
    this.armExpiry();
    return body.user;
  }

  async logout() {
    if (this.signedIn()) {
      await this.request('POST', 'auth/logout').catch(() => {});
    }
    this.forget();
  }

  forget() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(EXPIRES);
    clearTimeout(this.expiryTimer);
  }

  armExpiry() {
    clearTimeout(this.expiryTimer);
    const expires = Date.parse(sessionStorage.getItem(EXPIRES) || '');
    if (!Number.isFinite(expires)) return;
    const left = expires - Date.now();
    // setTimeout holds 2^31 ms at most; a token lives hours.
    this.expiryTimer = setTimeout(() => this.signedOut('expired'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
  }

  signedOut(reason) {
    if (!this.signedIn()) return;
    this.forget();
    this.onSignedOut(reason);
  }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.token()}`, ...extra };
  }

  // A JSON request; path is relative to /api/v1/. Throws ApiError with the server's message.
  async request(method, path, body) {
    const res = await this.fetch(method, path, body);
    if (res.status === 204) return null;
    const type = res.headers.get('Content-Type') || '';
    return type.startsWith('application/json') ? res.json() : res;
  }

  // The raw response (checked) for binary answers: images, exports.
  async fetch(method, path, body, signal) {
    const init = { method, headers: this.headers(), signal };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(`api/v1/${path}`, init);
    if (res.ok) return res;
    const err = await res.json().catch(() => ({}));
    if (res.status === 401) this.signedOut('revoked');
    throw new ApiError(res.status, err.error || `${res.status}`);
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body); }
  put(path, body) { return this.request('PUT', path, body); }
  del(path) { return this.request('DELETE', path); }
}

// Query string from an object, skipping empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
