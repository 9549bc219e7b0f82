// PTZ on a tile, for users with the ptz right and cameras with an ONVIF face: arrows move while pressed and stop
// on release (continuous move with a safety timeout, then stop), zoom in and out the same way, and the camera's
// presets (GET ptz/presets, go-to on click). Every command is audited by the server.

import { el, clear, toast } from './dom.js';
import { t } from './i18n.js';

const SPEED = 0.5;
const SAFETY_TIMEOUT_MS = 10_000;

export function ptzControls(api, tile) {
  const panel = el('div', { class: 'ptz', hidden: true, dataset: { ptz: '' } });
  const presets = el('select', { name: 'ptz-preset', 'aria-label': t('ptz.presets') });
  let moving = false;
  const cam = () => encodeURIComponent(tile.camera);
  const move = async (pan, tilt, zoom) => {
    moving = true;
    try {
      await api.post(`cameras/${cam()}/ptz/continuous`, { pan, tilt, zoom, timeoutMs: SAFETY_TIMEOUT_MS });
    } catch (e) {
      toast(t('ptz.failed', { message: e.message }), 'error');
    }
  };
  const stop = async () => {
    if (!moving) return;
    moving = false;
    try {
      await api.post(`cameras/${cam()}/ptz/stop`, {});
    } catch (e) {
      toast(t('ptz.failed', { message: e.message }), 'error');
    }
  };
  const button = (name, label, pan, tilt, zoom) => {
    const b = el('button', { type: 'button', class: `ptz-${name}`, name: `ptz-${name}`, title: t(`ptz.${name}`),
      'aria-label': t(`ptz.${name}`), text: label });
    b.addEventListener('pointerdown', (e) => {
      e.stopPropagation();
      b.setPointerCapture(e.pointerId);
      move(pan, tilt, zoom);
    });
    for (const ev of ['pointerup', 'pointercancel', 'lostpointercapture']) b.addEventListener(ev, () => stop());
    b.addEventListener('click', (e) => e.stopPropagation());
    b.addEventListener('dblclick', (e) => e.stopPropagation());
    return b;
  };
  const pad = el('div', { class: 'ptz-pad' },
    button('up', '▲', 0, SPEED, 0), button('left', '◀', -SPEED, 0, 0), button('right', '▶', SPEED, 0, 0),
    button('down', '▼', 0, -SPEED, 0), button('zoomin', '+', 0, 0, SPEED), button('zoomout', '−', 0, 0, -SPEED));
  presets.addEventListener('click', (e) => e.stopPropagation());
  presets.addEventListener('change', async () => {
    const token = presets.value;
    presets.value = '';
    if (!token) return;
    try {
      await api.post(`cameras/${cam()}/ptz/presets/${encodeURIComponent(token)}/goto`, {});
    } catch (e) {
      toast(t('ptz.failed', { message: e.message }), 'error');
    }
  });
  panel.append(pad, presets);
  const toggle = el('button', { type: 'button', class: 'tile-button', name: 'ptz', title: t('ptz.title'),
    text: t('ptz.short') });
  toggle.addEventListener('click', async (e) => {
    e.stopPropagation();
    panel.hidden = !panel.hidden;
    if (panel.hidden) return;
    clear(presets).append(el('option', { value: '', text: t('ptz.presets') }));
    try {
      for (const p of await api.get(`cameras/${cam()}/ptz/presets`)) {
        presets.append(el('option', { value: p.token, text: p.name || p.token }));
      }
    } catch (err) {
      // no presets: the pad still works
    }
  });
  return { toggle, panel };
}
