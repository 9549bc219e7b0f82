// A tiny element builder, so that screens are code and every text goes through t().

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

// A modal dialog: resolves with the form's values on submit, null on cancel. validate(values) returns an error
// message or null.
export function dialog(title, body, { submit, cancel, validate } = {}) {
  return new Promise((resolve) => {
    const error = el('p', { class: 'dialog-error', role: 'alert' });
    const form = el('form', { class: 'dialog', method: 'dialog' },
      el('h2', { text: title }), body, error,
      el('div', { class: 'dialog-buttons' },
        el('button', { type: 'button', class: 'secondary', name: 'cancel', text: cancel, onclick: () => close(null) }),
        el('button', { type: 'submit', name: 'submit', text: submit })));
    const backdrop = el('div', { class: 'backdrop' }, form);
    function close(v) {
      backdrop.remove();
      resolve(v);
    }
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const values = Object.fromEntries(new FormData(form).entries());
      const problem = validate ? await validate(values, form) : null;
      if (problem) {
        error.textContent = problem;
        return;
      }
      close(values);
    });
    backdrop.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') close(null); });
    document.body.append(backdrop);
    const first = form.querySelector('input, select, textarea');
    if (first) first.focus();
  });
}

export function toast(text, kind = 'info') {
  let box = document.getElementById('toasts');
  if (!box) {
    box = el('div', { id: 'toasts', role: 'status' });
    document.body.append(box);
  }
  const item = el('div', { class: `toast ${kind}`, text });
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}
