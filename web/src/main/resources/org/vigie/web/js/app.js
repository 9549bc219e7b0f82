// Vigie's operators' client: sign-in, then the wall (camera tree, layouts, tiles, timeline, search, PTZ, export).
// Routes (in the URL's fragment, so that the server only ever serves /):
//   #/signin                                   the sign-in page (with ?reason=expired|revoked|signedout)
//   #/wall?layout=2x2&cameras=cam-1,cam-2,...  a wall of that layout with those cameras (empty tiles: nothing
//                                              between commas)
//   #/wall?saved=<id>                          a layout saved on the server
//   #/masks?camera=<id>                        administrators: the camera's privacy masks over a snapshot
// A wall URL opened before sign-in opens after it (a second monitor: open the URL in another window).

import { el, clear, dialog, toast } from './dom.js';
import { t, loadLanguage, currentLanguage, LANGUAGES } from './i18n.js';
import { Api } from './api.js';
import { StreamConnection } from './stream.js';
import { Wall } from './wall.js';
import { LAYOUTS, LAYOUT_NAMES } from './layouts.js';
import { Timeline } from './timeline.js';
import { CameraTree } from './tree.js';
import { SearchPanel } from './search.js';
import { ptzControls } from './ptz.js';
import { exportDialog, snapshotDialog, bookmarkDialog } from './evidence.js';
import { parseTime } from './time.js';
import { maskEditorScreen } from './maskeditor.js';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16];
const app = document.getElementById('app');
let api = null;
let screen = null; // the current screen's teardown
// Each render is a generation: a screen still loading when the URL changes (or the session ends) must neither
// show itself nor rewrite the new URL (the wall writes its layout into the URL).
let generation = 0;

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, q] = hash.split('?');
  return { path, params: new URLSearchParams(q || '') };
}

function go(hash) {
  if (location.hash !== hash) location.hash = hash;
  else render();
}

async function render() {
  const mine = ++generation;
  const current = () => mine === generation;
  if (screen) screen();
  screen = null;
  const r = route();
  if (!api.signedIn()) {
    if (r.path !== '/signin') sessionStorage.setItem('vigie.after', location.hash);
    signIn(r.params.get('reason'));
    return;
  }
  if (r.path === '/signin') {
    go('#/wall');
    return;
  }
  let user;
  try {
    user = await api.get('me');
  } catch (e) {
    if (!api.signedIn()) return; // signed out: render() already showed the sign-in page
    clear(app).append(el('p', { class: 'fatal', text: e.message }));
    return;
  }
  if (!current()) return;
  if (r.path === '/masks' && user.permissions.includes('camera_admin')) {
    const back = () => go('#/wall');
    const done = await maskEditorScreen(api, app, r.params, current, back).catch((e) => {
      clear(app).append(el('p', { class: 'fatal', text: e.message }));
      return null;
    });
    if (current()) screen = done;
    else if (done) done();
    return;
  }
  const teardown = await wallScreen(user, r.params, current);
  if (current()) screen = teardown;
  else if (teardown) teardown();
}

// ---- sign-in ----

function signIn(reason) {
  const error = el('p', { class: 'signin-error', role: 'alert', id: 'signin-error' });
  if (reason) error.textContent = t(`signin.reason.${reason}`);
  const username = el('input', { name: 'username', id: 'username', autocomplete: 'username', required: true });
  const password = el('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password',
    required: true });
  const submit = el('button', { type: 'submit', name: 'signin', id: 'signin', text: t('signin.submit') });
  const form = el('form', { class: 'signin', id: 'signin-form' },
    el('h1', {}, el('img', { src: 'img/vigie.svg', alt: '', width: '32', height: '32' }), ' ', t('app.title')),
    el('p', { class: 'muted', text: t('signin.intro') }),
    el('label', { class: 'field' }, el('span', { text: t('signin.username') }), username),
    el('label', { class: 'field' }, el('span', { text: t('signin.password') }), password),
    error, submit, languagePicker());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    try {
      await api.login(username.value.trim(), password.value);
      const after = sessionStorage.getItem('vigie.after');
      sessionStorage.removeItem('vigie.after');
      go(after && (after.startsWith('#/wall') || after.startsWith('#/masks')) ? after : '#/wall');
    } catch (err) {
      error.textContent = err.status === 401 ? t('signin.refused') : t('signin.failed', { message: err.message });
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  clear(app).append(el('main', { class: 'signin-page' }, form));
  username.focus();
}

function languagePicker() {
  const select = el('select', { name: 'language', class: 'language', 'aria-label': t('app.language') },
    ...LANGUAGES.map((l) => el('option', { value: l, text: t(`language.${l}`), selected: l === currentLanguage() })));
  select.addEventListener('change', async () => {
    await loadLanguage(select.value);
    render();
  });
  return select;
}

// ---- the wall ----

// current() is false once another render started: the screen then stops before it shows or writes anything.
async function wallScreen(user, params, current) {
  const may = (p) => user.permissions.includes(p);
  const conn = new StreamConnection(() => api.token(), {
    onUnauthorized: () => api.signedOut('revoked'),
    onStateChange: (s) => { document.body.dataset.connection = s; },
  });
  let tree = null;
  let saved = null; // the saved layout on screen, if any: {id, name, owner, group}
  let mark = null;
  const timeline = new Timeline(api, {
    onSeek: (ms) => wall.seek(ms),
    onMark: (m) => { mark = m; },
  });
  const wall = new Wall(conn, {
    cameraInfo: (id) => (tree ? tree.info(id) : undefined),
    onChange: () => {
      syncUrl();
      search.fillCameras();
      timeline.setCamera(wall.selected && wall.selected.camera ? wall.selected.camera : null);
    },
    onSelect: (tile) => {
      timeline.setCamera(tile && tile.camera ? tile.camera : null);
      refreshBar();
    },
    decorate: (tile) => decorateTile(tile),
  });

  function syncUrl() {
    if (!current()) return; // a wall torn down (late events of its tiles) never writes the next screen's URL
    const cams = wall.cameras();
    const same = saved && saved.layout === wall.layout && saved.cameras.join(',') === cams.map((c) => c || '').join(',');
    const hash = same ? `#/wall?saved=${saved.id}`
      : `#/wall?layout=${encodeURIComponent(wall.layout)}&cameras=${cams.map((c) => encodeURIComponent(c || '')).join(',')}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    title.textContent = same ? saved.name : '';
  }

  function decorateTile(tile) {
    const buttons = [];
    if (may('ptz')) {
      const { toggle, panel } = ptzControls(api, tile);
      tile.el.append(panel);
      tile.ptzToggle = toggle;
      buttons.push(toggle);
    }
    const close = el('button', { type: 'button', class: 'tile-button', name: 'tile-close', title: t('tile.close'),
      text: '✕' });
    close.addEventListener('click', (e) => {
      e.stopPropagation();
      wall.clearTile(tile);
    });
    buttons.push(close);
    tile.tools.append(...buttons);
    const update = () => {
      const info = tile.info();
      if (tile.ptzToggle) tile.ptzToggle.hidden = !(info && info.ptz);
      close.hidden = !tile.camera;
    };
    const render = tile.render.bind(tile);
    tile.render = () => {
      render();
      update();
    };
    update();
  }

  // ---- header ----
  const title = el('span', { class: 'layout-title', id: 'layout-title' });
  const layoutButtons = LAYOUT_NAMES.map((name) => {
    const b = el('button', { type: 'button', class: 'layout-button', name: `layout-${name}`, title: t('layout.pick', { name }),
      dataset: { layout: name }, text: name });
    b.addEventListener('click', () => {
      wall.setLayout(name);
      markLayout();
    });
    return b;
  });
  function markLayout() {
    layoutButtons.forEach((b) => b.classList.toggle('active', b.dataset.layout === wall.layout));
  }
  const savedMenu = el('select', { name: 'saved-layouts', 'aria-label': t('layout.saved') });
  async function loadSaved() {
    clear(savedMenu).append(el('option', { value: '', text: t('layout.saved') }));
    try {
      for (const l of await api.get('layouts')) {
        const shared = l.group ? ` · ${t('layout.sharedWith', { group: l.group })}` : '';
        savedMenu.append(el('option', { value: String(l.id), text: `${l.name}${shared}` }));
      }
    } catch (e) {
      // the menu stays empty
    }
  }
  savedMenu.addEventListener('change', () => {
    if (savedMenu.value) go(`#/wall?saved=${savedMenu.value}`);
  });
  const saveButton = el('button', { type: 'button', name: 'save-layout', text: t('layout.save') });
  saveButton.addEventListener('click', () => saveLayout());
  const deleteButton = el('button', { type: 'button', name: 'delete-layout', class: 'secondary', text: t('layout.delete') });
  deleteButton.addEventListener('click', async () => {
    if (!saved) return;
    try {
      await api.del(`layouts/${saved.id}`);
      toast(t('layout.deleted', { name: saved.name }));
      saved = null;
      syncUrl();
      loadSaved();
    } catch (e) {
      toast(e.message, 'error');
    }
  });
  const newWindow = el('button', { type: 'button', name: 'new-window', class: 'secondary', text: t('layout.newWindow') });
  newWindow.addEventListener('click', () => {
    // same tab family: the new window gets a copy of this tab's session (sessionStorage)
    window.open(location.href, '_blank', 'popup=no');
  });
  const masksButton = may('camera_admin') ? el('button', { type: 'button', name: 'masks', class: 'secondary',
    text: t('masks.open') }) : null;
  if (masksButton) {
    masksButton.addEventListener('click', () => {
      const cam = wall.selected && wall.selected.camera;
      go(cam ? `#/masks?camera=${encodeURIComponent(cam)}` : '#/masks');
    });
  }
  const signOut = el('button', { type: 'button', name: 'signout', class: 'secondary', text: t('app.signout') });
  signOut.addEventListener('click', async () => {
    await api.logout();
    go('#/signin?reason=signedout');
  });
  const header = el('header', { class: 'topbar' },
    el('span', { class: 'brand' }, el('img', { src: 'img/vigie.svg', alt: '', width: '22', height: '22' }), ' Vigie'),
    el('nav', { class: 'layouts', 'aria-label': t('layout.label') }, ...layoutButtons),
    savedMenu, saveButton, deleteButton, newWindow, masksButton, title,
    el('span', { class: 'spacer' }),
    el('span', { class: 'connection', id: 'connection' }),
    languagePicker(),
    el('span', { class: 'user', id: 'user', dataset: { role: user.role } },
      el('strong', { text: user.username }), ` · ${t(`role.${user.role}`)}`),
    signOut);

  async function saveLayout() {
    const mayShare = may('layout_share');
    const groups = user.role === 'administrator' ? [...new Set((tree ? tree.cameras : []).map((c) => c.group)
      .filter(Boolean))].sort() : user.groups;
    const body = el('div', { class: 'dialog-body' },
      el('label', { class: 'field' }, el('span', { text: t('layout.name') }),
        el('input', { name: 'name', type: 'text', maxlength: '100', value: saved ? saved.name : '' })),
      mayShare ? el('label', { class: 'field' }, el('span', { text: t('layout.share') }),
        el('select', { name: 'group' }, el('option', { value: '', text: t('layout.private') }),
          ...groups.map((g) => el('option', { value: g, text: g, selected: saved && saved.group === g })))) : null,
      saved && saved.owner === user.username ? el('label', { class: 'check' },
        el('input', { type: 'checkbox', name: 'asNew', value: 'yes' }), t('layout.asNew')) : null);
    const v = await dialog(t('layout.saveTitle'), body, {
      submit: t('layout.save'),
      cancel: t('dialog.cancel'),
      validate: (values) => (values.name.trim() ? null : t('layout.nameRequired')),
    });
    if (!v) return;
    const doc = { name: v.name.trim(), layout: wall.layout, cameras: wall.cameras().map((c) => c || null),
      group: v.group || null };
    try {
      const replace = saved && saved.owner === user.username && !v.asNew;
      const stored = replace ? await api.put(`layouts/${saved.id}`, doc) : await api.post('layouts', doc);
      saved = stored;
      toast(t('layout.savedAs', { name: stored.name }));
      syncUrl();
      loadSaved();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  // ---- archive bar ----
  const liveButton = el('button', { type: 'button', name: 'live', text: t('archive.live') });
  liveButton.addEventListener('click', () => wall.live());
  const pauseButton = el('button', { type: 'button', name: 'pause', text: t('archive.pause') });
  pauseButton.addEventListener('click', () => {
    const tile = wall.selected;
    if (!tile || !tile.archive) {
      if (tile && tile.camera) wall.seek((tile.position() || Date.now()) - 1000);
      return;
    }
    wall.pause(!tile.archive.paused);
    refreshBar();
  });
  const stepButton = el('button', { type: 'button', name: 'step', text: t('archive.step') });
  stepButton.addEventListener('click', () => wall.step());
  const speed = el('select', { name: 'speed', 'aria-label': t('archive.speed') },
    ...SPEEDS.map((s) => el('option', { value: String(s), text: `×${s}`, selected: s === 1 })));
  speed.addEventListener('change', () => wall.speed(Number(speed.value)));
  const syncBox = el('input', { type: 'checkbox', name: 'sync' });
  syncBox.addEventListener('change', () => wall.setSync(syncBox.checked));
  const gotoInput = el('input', { type: 'text', name: 'goto', placeholder: t('archive.gotoHint'), size: '19' });
  const gotoForm = el('form', { class: 'goto' }, gotoInput,
    el('button', { type: 'submit', name: 'goto-submit', text: t('archive.goto') }));
  gotoForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const ms = parseTime(gotoInput.value);
    if (Number.isNaN(ms) || ms > Date.now()) {
      toast(t('time.invalid'), 'error');
      return;
    }
    timeline.follow = true;
    wall.seek(ms);
  });
  const zoomOut = el('button', { type: 'button', name: 'zoom-out', class: 'secondary', text: '−', title: t('timeline.zoomOut') });
  zoomOut.addEventListener('click', () => timeline.zoom(2));
  const zoomIn = el('button', { type: 'button', name: 'zoom-in', class: 'secondary', text: '+', title: t('timeline.zoomIn') });
  zoomIn.addEventListener('click', () => timeline.zoom(0.5));
  const markIn = el('button', { type: 'button', name: 'mark-in', class: 'secondary', text: t('archive.markIn') });
  markIn.addEventListener('click', () => {
    const p = wall.selected && wall.selected.position();
    if (p) {
      mark = { from: p, to: mark && mark.to > p ? mark.to : p + 60_000 };
      timeline.setMark(mark);
    }
  });
  const markOut = el('button', { type: 'button', name: 'mark-out', class: 'secondary', text: t('archive.markOut') });
  markOut.addEventListener('click', () => {
    const p = wall.selected && wall.selected.position();
    if (p) {
      mark = { from: mark && mark.from < p ? mark.from : p - 60_000, to: p };
      timeline.setMark(mark);
    }
  });
  const exportButton = el('button', { type: 'button', name: 'export', text: t('export.button'), hidden: !may('export') });
  exportButton.addEventListener('click', () => {
    const tile = wall.selected;
    if (tile && tile.camera) exportDialog(api, tile.camera, mark);
    else toast(t('archive.selectTile'), 'error');
  });
  const snapshotButton = el('button', { type: 'button', name: 'snapshot', text: t('snapshot.button'), hidden: !may('export') });
  snapshotButton.addEventListener('click', () => {
    const tile = wall.selected;
    const at = tile && tile.position();
    if (tile && tile.camera && at) snapshotDialog(api, tile.camera, at, tile.stream || 'main');
    else toast(t('archive.selectTile'), 'error');
  });
  const bookmarkButton = el('button', { type: 'button', name: 'bookmark', text: t('bookmark.button'),
    hidden: !may('bookmarks_write') });
  bookmarkButton.addEventListener('click', async () => {
    const tile = wall.selected;
    const at = tile && tile.position();
    if (tile && tile.camera && at && await bookmarkDialog(api, tile.camera, at)) timeline.refresh(true);
    else if (!(tile && at)) toast(t('archive.selectTile'), 'error');
  });
  const position = el('span', { class: 'position', id: 'position' });
  const bar = el('div', { class: 'archive-bar', id: 'archive-bar' },
    liveButton, pauseButton, stepButton, speed,
    el('label', { class: 'check' }, syncBox, t('archive.sync')),
    gotoForm, position,
    el('span', { class: 'spacer' }),
    zoomOut, zoomIn, markIn, markOut, bookmarkButton, snapshotButton, exportButton);

  function refreshBar() {
    const tile = wall.selected;
    const archive = tile && tile.archive;
    pauseButton.textContent = archive && !archive.paused ? t('archive.pause') : t('archive.play');
    liveButton.disabled = !archive;
    stepButton.disabled = !archive;
    speed.value = String(archive ? archive.rate : 1);
    speed.disabled = !archive;
  }

  // ---- panels ----
  tree = new CameraTree(api, user, { onPick: (id) => wall.place(id) });
  const search = new SearchPanel(api, () => (tree ? tree.cameras : []), {
    onOpen: (camera, at) => {
      const tile = wall.tiles.find((x) => x.camera === camera) || null;
      if (tile) wall.select(tile); else wall.place(camera);
      timeline.follow = true;
      requestAnimationFrame(() => wall.seek(at));
    },
  });
  const tabs = el('div', { class: 'tabs', role: 'tablist' });
  const panes = { cameras: tree.el, search: search.el };
  for (const [name, pane] of Object.entries(panes)) {
    const b = el('button', { type: 'button', role: 'tab', name: `tab-${name}`, text: t(`tab.${name}`) });
    b.addEventListener('click', () => {
      for (const [n, p] of Object.entries(panes)) p.hidden = n !== name;
      [...tabs.children].forEach((x) => x.setAttribute('aria-selected', String(x === b)));
      if (name === 'search') search.fillCameras();
    });
    tabs.append(b);
  }
  search.el.hidden = true;
  tabs.firstChild.setAttribute('aria-selected', 'true');

  await tree.load();
  await loadSaved();
  if (!current()) {
    wall.destroy();
    timeline.destroy();
    tree.destroy();
    conn.shutdown();
    return null;
  }
  clear(app).append(el('div', { class: 'shell' },
    header,
    el('aside', { class: 'sidebar' }, tabs, tree.el, search.el),
    el('main', { class: 'stage' }, wall.el, el('section', { class: 'archive' }, bar, timeline.el))));

  // what the URL asks for
  // a '+' typed in a URL (1+5) reads as a space
  let layout = (params.get('layout') || '2x2').replace(/ /g, '+');
  let cameras = (params.get('cameras') || '').split(',').map((c) => c.trim() || null);
  if (params.get('saved')) {
    try {
      saved = await api.get(`layouts/${encodeURIComponent(params.get('saved'))}`);
      layout = saved.layout;
      cameras = saved.cameras;
      savedMenu.value = String(saved.id);
    } catch (e) {
      toast(t('layout.missing', { message: e.message }), 'error');
    }
  }
  if (!LAYOUTS[layout]) layout = '2x2';
  wall.setLayout(layout, cameras);
  markLayout();

  const ticker = setInterval(() => {
    const tile = wall.selected;
    const pos = tile ? tile.position() : null;
    timeline.setCursor(pos);
    position.textContent = pos ? new Date(pos).toLocaleString(currentLanguage()) : '';
    refreshBar();
    const c = document.getElementById('connection');
    if (c) c.textContent = conn.state === 'reconnecting' ? t('connection.lost') : '';
  }, 250);
  const online = () => conn.nudge();
  window.addEventListener('online', online);
  window.vigieStats = () => wall.stats();
  window.vigieConnection = () => ({ state: conn.state, opened: conn.opened, channels: conn.channels.size });

  return () => {
    clearInterval(ticker);
    window.removeEventListener('online', online);
    wall.destroy();
    timeline.destroy();
    tree.destroy();
    conn.shutdown();
    window.vigieStats = () => [];
  };
}

// ---- start ----

async function start() {
  await loadLanguage(new URLSearchParams(location.search).get('lang'));
  api = new Api((reason) => {
    go(`#/signin?reason=${reason}`);
  });
  window.vigieStats = () => [];
  window.addEventListener('hashchange', () => {
    const r = route();
    // the wall rewrites its own URL with replaceState; a hashchange is a navigation
    render();
    return r;
  });
  render();
}

start();
