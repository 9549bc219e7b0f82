// What leaves the archive for a third party, with what the law asks for each: an export (MP4 or the signed
// evidence bundle) of a window picked on the timeline or typed, and a JPEG of what a tile shows (for parking
// tickets); both need a reason, and take the recipient and case number for the register of recordings. Also
// bookmarks: the moment a tile shows, with a note.

import { el, dialog, toast } from './dom.js';
import { t, formatTime } from './i18n.js';
import { query } from './api.js';
import { parseTime, localText } from './time.js';

function field(label, input) {
  return el('label', { class: 'field' }, el('span', { text: label }), input);
}

function legalFields() {
  return [
    field(t('export.reason'), el('textarea', { name: 'reason', rows: '2', placeholder: t('export.reasonHint') })),
    field(t('export.recipient'), el('input', { name: 'recipient', type: 'text' })),
    field(t('export.case'), el('input', { name: 'case', type: 'text' })),
  ];
}

// Issue 14: for a user with the camera's unmask right and a camera with liftable privacy masks, a box that lifts
// them for this export (unmask=liftable; the export's reason is the lift's, and the server audits it). Permanent
// masks are never lifted. Nothing when the masks cannot be read: the export is then masked whole. The dialog
// shows at once; the box appears when the camera's masks are read.
function liftField(api, camera) {
  const slot = el('div', { class: 'lift-slot' });
  api.get(`cameras/${encodeURIComponent(camera)}/masks`).then((m) => {
    if (!m.unmask || !m.masks.some((x) => x.kind === 'liftable')) return;
    slot.append(el('label', { class: 'check' },
      el('input', { type: 'checkbox', name: 'unmask', value: 'liftable' }), ` ${t('export.unmask')}`));
  }).catch(() => {});
  return slot;
}

// Downloads a response with a progress line in the transfers box, then hands the file to the browser.
async function download(api, path, filename) {
  let box = document.getElementById('transfers');
  if (!box) {
    box = el('div', { id: 'transfers' });
    document.body.append(box);
  }
  const bar = el('progress', { max: '1', value: '0' });
  const text = el('span', { text: filename });
  const row = el('div', { class: 'transfer', dataset: { file: filename } }, text, bar);
  box.append(row);
  try {
    const res = await api.fetch('GET', path);
    const total = Number(res.headers.get('Content-Length')) || 0;
    const reader = res.body.getReader();
    const parts = [];
    let got = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      got += value.length;
      if (total) bar.value = got / total; else bar.removeAttribute('value');
      text.textContent = `${filename} — ${(got / 1048576).toFixed(1)} ${t('unit.mib')}`;
    }
    bar.value = 1;
    const name = (res.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/);
    const blob = new Blob(parts, { type: res.headers.get('Content-Type') || 'application/octet-stream' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: name ? name[1] : filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    row.dataset.done = 'true';
    text.textContent = t('export.done', { file: name ? name[1] : filename });
    setTimeout(() => row.remove(), 15_000);
  } catch (e) {
    row.dataset.failed = 'true';
    text.textContent = t('export.failed', { message: e.message });
    setTimeout(() => row.remove(), 15_000);
    throw e;
  }
}

// window: {from, to} in ms (prefilled), camera: id.
export async function exportDialog(api, camera, window) {
  const now = Date.now();
  const from = window ? window.from : now - 120_000;
  const to = window ? window.to : now - 60_000;
  const body = el('div', { class: 'dialog-body' },
    el('p', { class: 'muted', text: t('export.camera', { camera }) }),
    field(t('export.from'), el('input', { name: 'from', type: 'text', value: localText(from) })),
    field(t('export.to'), el('input', { name: 'to', type: 'text', value: localText(to) })),
    field(t('export.format'), el('select', { name: 'format' },
      el('option', { value: 'mp4', text: t('export.mp4') }),
      el('option', { value: 'zip', text: t('export.zip') }))),
    ...legalFields(), liftField(api, camera));
  const v = await dialog(t('export.title'), body, {
    submit: t('export.submit'),
    cancel: t('dialog.cancel'),
    validate: (values) => {
      const a = parseTime(values.from);
      const b = parseTime(values.to);
      if (Number.isNaN(a) || Number.isNaN(b)) return t('time.invalid');
      if (b <= a) return t('export.order');
      if (!values.reason.trim()) return t('export.reasonRequired');
      return null;
    },
  });
  if (!v) return;
  const params = query({ from: new Date(parseTime(v.from)).toISOString(), to: new Date(parseTime(v.to)).toISOString(),
    reason: v.reason.trim(), recipient: v.recipient.trim(), case: v.case.trim(), unmask: v.unmask });
  try {
    await download(api, `cameras/${encodeURIComponent(camera)}/export.${v.format}${params}`, `${camera}.${v.format}`);
  } catch (e) {
    toast(t('export.failed', { message: e.message }), 'error');
  }
}

// A JPEG of the picture a tile shows (at: its wall time), registered like an export.
export async function snapshotDialog(api, camera, at, stream) {
  const body = el('div', { class: 'dialog-body' },
    el('p', { class: 'muted', text: t('snapshot.what', { camera, time: formatTime(at) }) }),
    ...legalFields(), liftField(api, camera));
  const v = await dialog(t('snapshot.title'), body, {
    submit: t('snapshot.submit'),
    cancel: t('dialog.cancel'),
    validate: (values) => (values.reason.trim() ? null : t('export.reasonRequired')),
  });
  if (!v) return;
  const params = query({ at: new Date(at).toISOString(), stream, reason: v.reason.trim(),
    recipient: v.recipient.trim(), case: v.case.trim(), unmask: v.unmask });
  try {
    await download(api, `cameras/${encodeURIComponent(camera)}/export.jpg${params}`,
      `${camera}_${new Date(at).toISOString().replace(/[-:]/g, '')}.jpg`);
  } catch (e) {
    toast(t('export.failed', { message: e.message }), 'error');
  }
}

export async function bookmarkDialog(api, camera, at) {
  const body = el('div', { class: 'dialog-body' },
    el('p', { class: 'muted', text: t('bookmark.what', { camera, time: formatTime(at) }) }),
    field(t('bookmark.note'), el('input', { name: 'title', type: 'text', maxlength: '200' })),
    field(t('bookmark.duration'), el('input', { name: 'duration', type: 'number', min: '0', max: '86400', value: '30' })));
  const v = await dialog(t('bookmark.title'), body, {
    submit: t('bookmark.submit'),
    cancel: t('dialog.cancel'),
    validate: (values) => (values.title.trim() ? null : t('bookmark.noteRequired')),
  });
  if (!v) return false;
  try {
    await api.post('bookmarks', { camera, time: new Date(at).toISOString(), title: v.title.trim(),
      durationSeconds: Number(v.duration) || 0 });
    toast(t('bookmark.saved'));
    return true;
  } catch (e) {
    toast(t('bookmark.failed', { message: e.message }), 'error');
    return false;
  }
}
