// Messages: one file per language (i18n/fr.json, i18n/en.json), French by default. t('key', {name}) fills {name}.
// The chosen language is a preference of this browser (localStorage), not of the session.

export const LANGUAGES = ['fr', 'en'];
const PREFERENCE = 'vigie.language';

let messages = {};
let language = 'fr';

export async function loadLanguage(wanted) {
  const lang = LANGUAGES.includes(wanted) ? wanted : (LANGUAGES.includes(localStorage.getItem(PREFERENCE))
    ? localStorage.getItem(PREFERENCE) : 'fr');
  const res = await fetch(`i18n/${lang}.json`, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`i18n/${lang}.json: ${res.status}`);
  messages = await res.json();
  language = lang;
  localStorage.setItem(PREFERENCE, lang);
  document.documentElement.lang = lang;
  document.title = t('app.title');
}

export function currentLanguage() {
  return language;
}

export function t(key, params) {
  let s = messages[key];
  if (s === undefined) {
    console.warn('vigie: no message', key);
    return key;
  }
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] === undefined ? m : String(params[k])));
  return s;
}

// Dates as the operator reads them: local time of the browser, in the language's format, with seconds.
export function formatTime(ms, withDate = true) {
  const opts = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
  if (withDate) Object.assign(opts, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return new Intl.DateTimeFormat(language, opts).format(new Date(ms));
}
