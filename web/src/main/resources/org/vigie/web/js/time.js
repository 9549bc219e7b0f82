// Times typed by the operator: ISO-8601 with a zone (2026-03-02T08:15:00Z), or a local date and time
// "2026-03-02 08:15[:00]" read in the browser's time zone. Returns epoch ms or NaN.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

export function parseTime(text) {
  const s = String(text || '').trim();
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(s)) return Date.parse(s);
  const m = LOCAL.exec(s);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, sec, ms] = m;
  return new Date(+y, +mo - 1, +d, +h, +mi, +(sec || 0), +((ms || '0').padEnd(3, '0'))).getTime();
}

// The same local form, for prefilling inputs.
export function localText(ms) {
  const d = new Date(ms);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
